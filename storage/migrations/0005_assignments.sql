-- Who fixes a finding by when (issue 7): kept per target and fingerprint,
-- so an assignment follows the finding across runs and outlives the runs
-- retention prunes. due is a calendar date, YYYY-MM-DD.
CREATE TABLE assignments (
    name        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due         TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (name, fingerprint)
);
