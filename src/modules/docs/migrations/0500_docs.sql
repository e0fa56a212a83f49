-- Online documents and collection forms (在线文档 · 收集表). A document's content is its Yjs
-- updates (doc_updates, merged into one row from time to time); a form's fields live on the row
-- (form_json) and its answers in form_responses. Folders are a region and optionally a unit.
CREATE TABLE docs (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,                -- doc, form
  title TEXT NOT NULL,
  region_code TEXT NOT NULL,         -- the folder: a county, town or village
  unit_id TEXT NOT NULL DEFAULT '',  -- and optionally a unit's folder there
  owner_account TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  size_bytes BIGINT NOT NULL DEFAULT 0,   -- stored Yjs bytes (documents)
  edited_month TEXT NOT NULL DEFAULT '',  -- the last month it was edited (for figures)
  edited_at BIGINT,
  form_json TEXT,                    -- forms: {description, per, fields}
  form_status TEXT NOT NULL DEFAULT '',   -- forms: draft, open, closed
  deadline BIGINT,
  notice_id TEXT NOT NULL DEFAULT '',
  sent_at BIGINT,
  audience_size BIGINT NOT NULL DEFAULT 0,
  responses BIGINT NOT NULL DEFAULT 0,
  reminded_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX docs_folder ON docs (county_id, region_code, updated_at);
CREATE INDEX docs_owner ON docs (county_id, owner_account, updated_at);
CREATE INDEX docs_notice ON docs (county_id, notice_id);

CREATE TABLE doc_shares (
  county_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  kind TEXT NOT NULL,                -- region, unit, account
  target TEXT NOT NULL,
  role TEXT NOT NULL,                -- viewer, commenter, editor
  label TEXT NOT NULL,
  PRIMARY KEY (county_id, doc_id, kind, target)
);
CREATE INDEX doc_shares_target ON doc_shares (county_id, kind, target);

CREATE TABLE doc_updates (
  county_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (county_id, doc_id, seq)
);

CREATE TABLE doc_versions (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  name TEXT NOT NULL,
  data BYTEA NOT NULL,
  created_by TEXT NOT NULL,
  created_by_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX doc_versions_doc ON doc_versions (county_id, doc_id, created_at);

CREATE TABLE doc_comments (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  quote TEXT NOT NULL,
  body TEXT NOT NULL,
  mentions_json TEXT NOT NULL,
  author_account TEXT NOT NULL,
  author_name TEXT NOT NULL,
  resolved INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX doc_comments_doc ON doc_comments (county_id, doc_id, created_at);

-- One row per person, or per household for per-household forms (respondent = the person or
-- household id).
CREATE TABLE form_responses (
  county_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  respondent TEXT NOT NULL,
  id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  person_name TEXT NOT NULL,
  household_id TEXT NOT NULL,
  village_code TEXT NOT NULL,
  answers_json TEXT NOT NULL,        -- phone and ID-number answers sealed, see service.cc
  submitted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, doc_id, respondent)
);
CREATE INDEX form_responses_order ON form_responses (county_id, doc_id, submitted_at, respondent);
CREATE INDEX form_responses_account ON form_responses (county_id, account_id, doc_id);

-- Monthly counters per folder, kept as things happen (figures never scan documents).
CREATE TABLE doc_figures (
  county_id TEXT NOT NULL,
  month TEXT NOT NULL,
  region_code TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  docs_created BIGINT NOT NULL DEFAULT 0,
  docs_edited BIGINT NOT NULL DEFAULT 0,
  forms_sent BIGINT NOT NULL DEFAULT 0,
  responses BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (county_id, month, region_code, unit_id)
);
