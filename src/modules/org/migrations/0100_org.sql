-- Org: the region tree, government units, people and households, accounts, grants, join requests.
-- Every table is tenant-owned: county_id leads each primary key and index.
CREATE TABLE regions (
  county_id TEXT NOT NULL,
  code TEXT NOT NULL,
  parent_code TEXT NOT NULL,
  level TEXT NOT NULL,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  pinyin TEXT NOT NULL,
  initials TEXT NOT NULL,
  child_count BIGINT NOT NULL DEFAULT 0,
  people_count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (county_id, code)
);
CREATE INDEX regions_parent ON regions (county_id, parent_code, code);
CREATE INDEX regions_pinyin ON regions (county_id, pinyin);
CREATE INDEX regions_initials ON regions (county_id, initials);

-- Bumped in the same transaction as any change to a county's regions or their people counts, so
-- readers can reuse a rendered subtree while its version is unchanged (see OrgService::Children).
CREATE TABLE region_versions (
  county_id TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);

CREATE TABLE units (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  slug TEXT,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  region_code TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX units_region ON units (county_id, region_code, name);

CREATE TABLE households (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  village_code TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);

CREATE TABLE people (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  pinyin TEXT NOT NULL,
  initials TEXT NOT NULL,
  gender TEXT NOT NULL,
  birth_year INTEGER NOT NULL,
  phone_sealed TEXT,
  phone_index TEXT,
  phone_masked TEXT,
  idno_sealed TEXT,
  idno_index TEXT,
  idno_masked TEXT,
  village_code TEXT NOT NULL,
  household_id TEXT,
  relation TEXT NOT NULL DEFAULT 'head',
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX people_village_pinyin ON people (county_id, village_code, pinyin, id);
CREATE INDEX people_name ON people (county_id, name, pinyin, id);
CREATE INDEX people_pinyin ON people (county_id, pinyin, id);
CREATE INDEX people_initials ON people (county_id, initials, pinyin, id);
CREATE INDEX people_idno ON people (county_id, idno_index);
CREATE INDEX people_household ON people (county_id, household_id);

CREATE TABLE accounts (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  phone_index TEXT NOT NULL,
  phone_sealed TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  person_id TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  demo INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE UNIQUE INDEX accounts_phone ON accounts (county_id, phone_index);

CREATE TABLE grants (
  county_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  role TEXT NOT NULL,
  region_code TEXT NOT NULL,
  unit_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (county_id, account_id, role, region_code, unit_id)
);

CREATE TABLE join_requests (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  village_code TEXT NOT NULL,
  name TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  idno_sealed TEXT NOT NULL,
  idno_index TEXT NOT NULL,
  idno_masked TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  decided_by TEXT,
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX join_requests_village ON join_requests (county_id, village_code, status, created_at);
CREATE INDEX join_requests_account ON join_requests (county_id, account_id, created_at);
