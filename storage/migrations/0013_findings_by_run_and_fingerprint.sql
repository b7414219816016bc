-- Findings are read by run and fingerprint together: whether an older run
-- of the target had a fingerprint (diff's reopened findings, SeenBefore),
-- and each fingerprint's first and last run and the runs in between (the
-- rectification board, FindingSpans). With an index on one of the two
-- columns each sighting's other column was read from its table row: after
-- 1 000 runs of 200 findings the board's spans took 2.4 s on this file.
-- Each new index begins with the column of the one it replaces, so it
-- serves every query that one did (a run's findings, a fingerprint's
-- targets, deleting a run).
CREATE INDEX findings_run_fingerprint ON findings (run_id, fingerprint);
CREATE INDEX findings_fingerprint_run ON findings (fingerprint, run_id);
DROP INDEX findings_run;
DROP INDEX findings_fingerprint;
