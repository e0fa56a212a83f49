-- Notices (通知公告). A notice's audience is stored as target keys (regions, units, roles,
-- households, people — see core/events/log.h), never expanded per member: a county-wide notice is
-- one notices row, a few notice_targets rows, and one notice_reads row per person who opened it.
CREATE TABLE notices (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  category TEXT NOT NULL,
  urgency TEXT NOT NULL,
  status TEXT NOT NULL,
  publisher_account TEXT NOT NULL,
  publisher_name TEXT NOT NULL,
  publisher_label TEXT NOT NULL,
  publisher_unit TEXT NOT NULL,
  publisher_region TEXT NOT NULL,
  audience TEXT NOT NULL,
  audience_size BIGINT NOT NULL,
  receipt_required INTEGER NOT NULL,
  receipt_deadline BIGINT,
  publish_at BIGINT NOT NULL,
  published_at BIGINT,
  expires_at BIGINT,
  withdrawn_at BIGINT,
  withdraw_reason TEXT,
  revision INTEGER NOT NULL DEFAULT 0,
  revisions TEXT NOT NULL DEFAULT '[]',
  attachment_count INTEGER NOT NULL DEFAULT 0,
  sms INTEGER NOT NULL DEFAULT 0,
  sms_status TEXT NOT NULL DEFAULT '',
  sms_sent BIGINT NOT NULL DEFAULT 0,
  sms_cost_fen BIGINT NOT NULL DEFAULT 0,
  reminded_at BIGINT,
  remind_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (county_id, id)
);
CREATE INDEX notices_publisher ON notices (county_id, publisher_region, created_at);
CREATE INDEX notices_due ON notices (county_id, status, publish_at);
CREATE INDEX notices_sms ON notices (county_id, sms_status);

CREATE TABLE notice_targets (
  county_id TEXT NOT NULL,
  target_key TEXT NOT NULL,
  notice_id TEXT NOT NULL,
  PRIMARY KEY (county_id, target_key, notice_id)
);
CREATE INDEX notice_targets_notice ON notice_targets (county_id, notice_id);

-- reader_id: the person id of a reader with a person record, else the account id.
CREATE TABLE notice_reads (
  county_id TEXT NOT NULL,
  notice_id TEXT NOT NULL,
  reader_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  village_code TEXT NOT NULL,
  household_id TEXT NOT NULL,
  read_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  PRIMARY KEY (county_id, notice_id, reader_id)
);
CREATE INDEX notice_reads_reader ON notice_reads (county_id, reader_id, notice_id);
CREATE INDEX notice_reads_village ON notice_reads (county_id, notice_id, village_code);
