-- How many people have read a notice, kept as they read: when it passes the audience counted at
-- publication (people who joined the audience later read it), the dashboard's audience grows with
-- it, so a read rate never exceeds 1.
ALTER TABLE notices ADD COLUMN reads_counted BIGINT NOT NULL DEFAULT 0;
UPDATE notices SET reads_counted = (SELECT COUNT(*) FROM notice_reads r WHERE
  r.county_id = notices.county_id AND r.notice_id = notices.id);
