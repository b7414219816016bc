-- Findings someone marked fixed on the rectification board (or with
-- `storecheck assign --fixed`), awaiting the re-check of the next run: a
-- later run without the finding confirms the fix, a later run with it
-- fails the re-check. Kept apart from assignments: a finding may be fixed
-- without ever being assigned, and assigning it again withdraws the mark
-- (storage's Assign deletes it). The re-check goes by run ids, not clocks:
-- a sweep's clock may be pinned (--now), and run ids grow with every run
-- begun.
CREATE TABLE fix_marks (
    name        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    marked_at   TEXT NOT NULL,
    after_run   INTEGER NOT NULL, -- the newest run id when marked: later runs re-check
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (name, fingerprint)
) WITHOUT ROWID;
