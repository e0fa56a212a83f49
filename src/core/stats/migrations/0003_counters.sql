-- Monthly counters for the dashboard (stat_counters), kept by every module in the transaction of
-- the change they count, and rebuildable from the modules' own tables (`shuxiang stats rebuild`).
-- One cell: a metric ("notices.read") of a county in a month (Asia/Shanghai) for a region (the
-- publisher's, organizer's or village's code; '' for none) and a unit ('' for none).
CREATE TABLE stat_counters (
  county_id TEXT NOT NULL,
  month TEXT NOT NULL,
  region_code TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  value BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (county_id, month, region_code, unit_id, metric)
);

-- The months an account was active (signed in or used a session), the source of the monthly
-- active-people figure.
CREATE TABLE account_months (
  county_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  month TEXT NOT NULL,
  region_code TEXT NOT NULL,
  PRIMARY KEY (county_id, account_id, month)
);
