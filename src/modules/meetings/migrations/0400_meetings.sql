-- Meetings (会议). The invitation is a notice (notice_id) with the same audience; invitees are
-- expanded once, when the meeting is scheduled, into meeting_members (one row per invitee, and per
-- guest the host admitted), which carry the answer and the attendance. Presence segments come from
-- the live room and on-site check-ins.
CREATE TABLE meetings (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  title TEXT NOT NULL,
  agenda TEXT NOT NULL,
  mode TEXT NOT NULL,                -- online, onsite, both
  place TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  planned_minutes BIGINT NOT NULL,
  remind_minutes BIGINT NOT NULL,
  status TEXT NOT NULL,              -- scheduled, live, ended, cancelled
  cancel_reason TEXT NOT NULL DEFAULT '',
  host_account TEXT NOT NULL,
  host_name TEXT NOT NULL,
  organizer_label TEXT NOT NULL,
  organizer_region TEXT NOT NULL,    -- the scope it was scheduled in (for figures by place)
  organizer_unit TEXT NOT NULL,      -- '' unless scheduled as a unit
  notice_id TEXT NOT NULL,
  sequence BIGINT NOT NULL DEFAULT 0,
  started_at BIGINT,
  ended_at BIGINT,
  reminded_at BIGINT,
  checkin_secret TEXT NOT NULL,
  minutes_body TEXT,
  minutes_by TEXT NOT NULL DEFAULT '',
  minutes_at BIGINT,
  invitees BIGINT NOT NULL DEFAULT 0,
  actual_minutes BIGINT,             -- kept once ended (and after corrections), for figures
  present_count BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX meetings_start ON meetings (county_id, start_at);
CREATE INDEX meetings_status ON meetings (status, start_at);

CREATE TABLE meeting_members (
  county_id TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  member_id TEXT NOT NULL,           -- person id, or account id for staff without a person record
  account_id TEXT NOT NULL,          -- '' while the person has no account
  name TEXT NOT NULL,
  village_code TEXT NOT NULL,
  guest INTEGER NOT NULL DEFAULT 0,  -- admitted from the waiting room, not invited
  rsvp TEXT NOT NULL DEFAULT 'pending',
  rsvp_reason TEXT NOT NULL DEFAULT '',
  rsvp_at BIGINT,
  checked_in_at BIGINT,
  fix_minutes BIGINT,                -- a manager's correction (with fix_note), replaces the computed
  fix_present INTEGER,
  fix_note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (county_id, meeting_id, member_id)
);
CREATE INDEX meeting_members_account ON meeting_members (county_id, account_id, meeting_id);

CREATE TABLE meeting_presence (
  county_id TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  joined_at BIGINT NOT NULL,
  left_at BIGINT,
  PRIMARY KEY (county_id, meeting_id, member_id, joined_at)
);

CREATE TABLE meeting_actions (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  title TEXT NOT NULL,
  owner_member TEXT NOT NULL,
  owner_account TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  status TEXT NOT NULL,              -- open, done
  done_at BIGINT,
  note TEXT NOT NULL DEFAULT '',
  reminded_at BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX meeting_actions_meeting ON meeting_actions (county_id, meeting_id);
CREATE INDEX meeting_actions_owner ON meeting_actions (county_id, owner_account, status);
CREATE INDEX meeting_actions_due ON meeting_actions (status, due_at);

-- Private calendar feed tokens, stored hashed (BLAKE2b hex); one per account.
CREATE TABLE calendar_tokens (
  county_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, account_id)
);
CREATE UNIQUE INDEX calendar_tokens_hash ON calendar_tokens (token_hash);
