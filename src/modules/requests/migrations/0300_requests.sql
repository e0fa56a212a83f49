-- Villagers' requests (村民诉求 · 接诉即办): the county's catalogue with routing and deadlines,
-- requests and their timeline, "me too" marks, and incrementally maintained figures (三率).
CREATE TABLE request_categories (
  county_id TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  group_name TEXT NOT NULL,
  description TEXT NOT NULL,
  sign_hours BIGINT NOT NULL,
  reply_hours BIGINT NOT NULL,
  finish_hours BIGINT NOT NULL,
  confirm_required INTEGER NOT NULL,
  about_cadre INTEGER NOT NULL,
  handler TEXT NOT NULL,          -- default handler: 'village', 'town', 'county' or 'unit:<unit id>'
  active INTEGER NOT NULL DEFAULT 1,
  sort INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (county_id, code)
);

-- Per-place overrides of a category's handler (a town or village code → a handler).
CREATE TABLE request_routes (
  county_id TEXT NOT NULL,
  category_code TEXT NOT NULL,
  region_code TEXT NOT NULL,
  handler TEXT NOT NULL,
  PRIMARY KEY (county_id, category_code, region_code)
);

CREATE TABLE requests (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  number TEXT NOT NULL,
  category_code TEXT NOT NULL,
  description TEXT NOT NULL,
  village_code TEXT NOT NULL,
  lat_e6 BIGINT,
  lng_e6 BIGINT,
  address TEXT NOT NULL,
  public INTEGER NOT NULL,
  about_cadre INTEGER NOT NULL,
  reporter_account TEXT NOT NULL,
  reporter_person TEXT NOT NULL,
  reporter_name TEXT NOT NULL,
  filed_by TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  handler TEXT NOT NULL,
  handler_name TEXT NOT NULL,
  stats_unit TEXT NOT NULL,
  level TEXT NOT NULL,
  metoo_count BIGINT NOT NULL DEFAULT 0,
  merged_into TEXT,
  reopen_count BIGINT NOT NULL DEFAULT 0,
  sign_due BIGINT,
  reply_due BIGINT,
  finish_due BIGINT,
  dispatched_at BIGINT,
  signed_at BIGINT,
  replied_at BIGINT,
  finished_at BIGINT,
  closed_at BIGINT,
  outcome TEXT,
  result_note TEXT,
  rating BIGINT,
  rating_comment TEXT,
  rated_at BIGINT,
  followup_due BIGINT,
  followup_answer TEXT,
  escalated_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE UNIQUE INDEX requests_number ON requests (county_id, number);
CREATE INDEX requests_handler ON requests (county_id, handler, status, created_at);
CREATE INDEX requests_village ON requests (county_id, village_code, created_at);
CREATE INDEX requests_reporter ON requests (county_id, reporter_account, created_at);
CREATE INDEX requests_sign_due ON requests (county_id, status, sign_due);
CREATE INDEX requests_finish_due ON requests (county_id, status, finish_due);
CREATE INDEX requests_followup ON requests (county_id, followup_due);
CREATE INDEX requests_created ON requests (county_id, created_at);

-- The timeline: every step, who took it, when, with a note (and photos as files ref'd to it).
CREATE TABLE request_steps (
  county_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  note TEXT NOT NULL,
  handler TEXT NOT NULL,
  PRIMARY KEY (county_id, request_id, seq)
);

CREATE TABLE request_metoo (
  county_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (county_id, request_id, account_id)
);

-- Figures per (month filed, dimension, key), updated in the transaction of each step, so the
-- 三率 dashboard reads a few rows per group whatever the number of requests. Durations are kept
-- as histograms (bucket counts, hours: 1,2,4,8,12,24,48,72,120,168,336,∞) for medians.
CREATE TABLE request_stats (
  county_id TEXT NOT NULL,
  month TEXT NOT NULL,
  dim TEXT NOT NULL,
  dim_key TEXT NOT NULL,
  filed BIGINT NOT NULL DEFAULT 0,
  signed BIGINT NOT NULL DEFAULT 0,
  signed_in_time BIGINT NOT NULL DEFAULT 0,
  finished BIGINT NOT NULL DEFAULT 0,
  finished_in_time BIGINT NOT NULL DEFAULT 0,
  resolved BIGINT NOT NULL DEFAULT 0,
  unresolved BIGINT NOT NULL DEFAULT 0,
  rated BIGINT NOT NULL DEFAULT 0,
  satisfied BIGINT NOT NULL DEFAULT 0,
  rating_sum BIGINT NOT NULL DEFAULT 0,
  sign_hist TEXT NOT NULL DEFAULT '0,0,0,0,0,0,0,0,0,0,0,0',
  finish_hist TEXT NOT NULL DEFAULT '0,0,0,0,0,0,0,0,0,0,0,0',
  PRIMARY KEY (county_id, month, dim, dim_key)
);

CREATE TABLE request_sequences (
  county_id TEXT NOT NULL,
  day TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (county_id, day)
);
