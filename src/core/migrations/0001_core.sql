-- Core tables: counties served, sessions, idempotent replays, login failures, the audit chain.
CREATE TABLE counties (
  county_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
  county_id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  account_id TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  PRIMARY KEY (county_id, token_hash)
);
CREATE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_account ON sessions (county_id, account_id);

CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (scope, idem_key)
);

CREATE TABLE login_failures (
  county_id TEXT NOT NULL,
  account_key TEXT NOT NULL,
  at BIGINT NOT NULL,
  source_ip TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (county_id, account_key, at);

CREATE TABLE audit_head (
  county_id TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE audit_log (
  county_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  result TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (county_id, seq)
);
CREATE INDEX audit_log_object ON audit_log (county_id, object_type, object_id);
