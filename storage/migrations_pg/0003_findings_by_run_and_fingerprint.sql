-- The SQLite store's migration 0013: findings are read by run and
-- fingerprint together (SeenBefore, FindingSpans), and an index on both
-- answers from the index alone what one on either column answered from
-- the table, row by row. Each new index begins with the column of the one
-- it replaces, so it serves every query that one did.
CREATE INDEX findings_run_fingerprint ON findings (run_id, fingerprint);
CREATE INDEX findings_fingerprint_run ON findings (fingerprint, run_id);
DROP INDEX findings_run;
DROP INDEX findings_fingerprint;
