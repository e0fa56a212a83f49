-- Bumped in the same transaction as any change a recipient's inbox shows (publish, edit,
-- withdraw, scheduled publish, reminder), so instances can keep the county's live notice headers
-- in memory and check them with one single-row read (see NoticesService::Inbox).
CREATE TABLE notice_versions (
  county_id TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);
