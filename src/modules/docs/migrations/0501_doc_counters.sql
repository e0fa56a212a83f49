-- The document figures move into the shared monthly counters (core/stats, 0003_counters.sql),
-- and the months each document was edited are kept, so `shuxiang stats rebuild` can recompute
-- "documents edited" (once per document and month).
CREATE TABLE doc_edit_months (
  county_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  month TEXT NOT NULL,
  PRIMARY KEY (county_id, doc_id, month)
);
INSERT INTO doc_edit_months (county_id, doc_id, month)
  SELECT county_id, id, edited_month FROM docs WHERE edited_month <> '';

INSERT INTO stat_counters (county_id, month, region_code, unit_id, metric, value)
  SELECT county_id, month, region_code, unit_id, 'docs.created', docs_created FROM doc_figures
  WHERE docs_created <> 0;
INSERT INTO stat_counters (county_id, month, region_code, unit_id, metric, value)
  SELECT county_id, month, region_code, unit_id, 'docs.edited', docs_edited FROM doc_figures
  WHERE docs_edited <> 0;
INSERT INTO stat_counters (county_id, month, region_code, unit_id, metric, value)
  SELECT county_id, month, region_code, unit_id, 'docs.forms_sent', forms_sent FROM doc_figures
  WHERE forms_sent <> 0;
INSERT INTO stat_counters (county_id, month, region_code, unit_id, metric, value)
  SELECT county_id, month, region_code, unit_id, 'docs.responses', responses FROM doc_figures
  WHERE responses <> 0;
DROP TABLE doc_figures;
