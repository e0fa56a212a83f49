-- The ledger of the 三率 figures: every delta added to request_stats, with the dimension keys it
-- went to ("county=…\nunit=…\ntown=…\nvillage=…\ncategory=…"), written in the same transaction.
-- `shuxiang stats rebuild` sums it up again. Figures kept before the ledger existed are carried
-- over as one entry per request_stats row.
CREATE TABLE request_stat_entries (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  request_id TEXT NOT NULL,          -- '' for entries carried over
  month TEXT NOT NULL,               -- the month the request was filed
  dims TEXT NOT NULL,
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
  sign_hist TEXT NOT NULL,
  finish_hist TEXT NOT NULL,
  PRIMARY KEY (county_id, id)
);
INSERT INTO request_stat_entries (county_id, id, request_id, month, dims, filed, signed,
  signed_in_time, finished, finished_in_time, resolved, unresolved, rated, satisfied, rating_sum,
  sign_hist, finish_hist)
  SELECT county_id, 'carried-' || month || '-' || dim || '-' || dim_key, '', month,
    dim || '=' || dim_key, filed, signed, signed_in_time, finished, finished_in_time, resolved,
    unresolved, rated, satisfied, rating_sum, sign_hist, finish_hist FROM request_stats;
