-- Roll-ups of stat_counters for the dashboard: one row per county, month, scope and unit with
-- every dashboard metric as a column. A row of scope S holds everything counted in S and the
-- places inside it (a town's row includes its villages'); unit '' is every unit together, a unit
-- id that unit's share. Kept by stats::Add in the same transaction as the cell, so a county's
-- dashboard reads (county + towns + units) × months rows whatever the history.
CREATE TABLE stat_rollups (
  county_id TEXT NOT NULL,
  month TEXT NOT NULL,
  scope TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  notices_published BIGINT NOT NULL DEFAULT 0,
  notices_audience BIGINT NOT NULL DEFAULT 0,
  notices_read BIGINT NOT NULL DEFAULT 0,
  notices_confirmed BIGINT NOT NULL DEFAULT 0,
  notices_asked BIGINT NOT NULL DEFAULT 0,
  meetings_held BIGINT NOT NULL DEFAULT 0,
  meetings_minutes BIGINT NOT NULL DEFAULT 0,
  meetings_invitees BIGINT NOT NULL DEFAULT 0,
  meetings_present BIGINT NOT NULL DEFAULT 0,
  trainings_held BIGINT NOT NULL DEFAULT 0,
  trainings_minutes BIGINT NOT NULL DEFAULT 0,
  trainings_invitees BIGINT NOT NULL DEFAULT 0,
  trainings_present BIGINT NOT NULL DEFAULT 0,
  docs_created BIGINT NOT NULL DEFAULT 0,
  docs_edited BIGINT NOT NULL DEFAULT 0,
  docs_forms_sent BIGINT NOT NULL DEFAULT 0,
  docs_responses BIGINT NOT NULL DEFAULT 0,
  people_joined BIGINT NOT NULL DEFAULT 0,
  people_active BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (county_id, month, scope, unit_id)
);
