-- Finding the account of a person (has this resident signed up?), used by notice follow-up.
CREATE INDEX accounts_person ON accounts (county_id, person_id);
