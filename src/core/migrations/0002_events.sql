-- Live events: an outbox written in the same transaction as the change it announces. Every
-- instance polls it in seq order and pushes matching events to its WebSocket clients; a client
-- that reconnects resumes from its last seq. seq is global across counties and allocated under a
-- lock, so events commit in seq order (see core/events/log.h). Pruned after a retention period.
CREATE TABLE events (
  county_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  type TEXT NOT NULL,
  keys TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, seq)
);
CREATE UNIQUE INDEX events_seq ON events (seq);

-- Files uploaded as attachments: bytes on disk under the files directory by SHA-256, metadata here.
CREATE TABLE files (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  content_type TEXT NOT NULL,
  name TEXT NOT NULL,
  owner_account TEXT NOT NULL,
  ref_type TEXT NOT NULL DEFAULT '',
  ref_id TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX files_ref ON files (county_id, ref_type, ref_id);

-- Text messages handed to the SMS gateway (the development gateway records them here only).
CREATE TABLE sms_messages (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  text TEXT NOT NULL,
  segments INTEGER NOT NULL,
  cost_fen BIGINT NOT NULL,
  ref_type TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX sms_messages_ref ON sms_messages (county_id, ref_type, ref_id, created_at);

-- The last allocated event seq and the highest seq pruned (one row). Allocating with UPDATE ... RETURNING takes the row lock
-- on PostgreSQL until commit, so events become visible in seq order.
CREATE TABLE event_head (
  id INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL,
  pruned BIGINT NOT NULL
);
INSERT INTO event_head (id, seq, pruned) VALUES (1, 0, 0);
