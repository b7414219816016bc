-- SQLite's migration 0012: findings marked fixed, awaiting a later run's
-- re-check.
CREATE TABLE fix_marks (
    name        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    marked_at   TEXT NOT NULL,
    after_run   BIGINT  NOT NULL, -- the newest run id when marked: later runs re-check
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (name, fingerprint)
);
