-- Open311 GeoReport v2 partner keys, issued per partner by a county admin. Only a hash is kept.
CREATE TABLE open311_keys (
  county_id TEXT NOT NULL,
  id TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  PRIMARY KEY (county_id, id)
);
CREATE UNIQUE INDEX open311_keys_hash ON open311_keys (key_hash);
