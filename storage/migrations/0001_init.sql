-- Times are TEXT in RFC 3339 with nanoseconds and the offset they were given
-- in; JSON columns hold compact encoding/json output.

CREATE TABLE runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so "latest" stays the newest
    name         TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
    started_at   TEXT    NOT NULL,
    finished_at  TEXT,
    heartbeat_at TEXT    NOT NULL,
    now          TEXT    NOT NULL,
    start_urls   TEXT    NOT NULL DEFAULT '[]',
    config       TEXT    NOT NULL DEFAULT '{}',
    concurrency  INTEGER NOT NULL,
    cpus         INTEGER NOT NULL,
    browser      TEXT    NOT NULL DEFAULT '',
    pages        INTEGER NOT NULL DEFAULT 0,
    errors       INTEGER NOT NULL DEFAULT 0,
    warnings     INTEGER NOT NULL DEFAULT 0,
    infos        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE pages (
    id                    INTEGER PRIMARY KEY,
    run_id                INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    url                   TEXT    NOT NULL,
    final_url             TEXT    NOT NULL,
    viewport              TEXT    NOT NULL,
    kind                  TEXT    NOT NULL,
    status                INTEGER NOT NULL,
    error                 TEXT    NOT NULL,
    title                 TEXT    NOT NULL,
    depth                 INTEGER NOT NULL,
    timed_out             INTEGER NOT NULL,
    ttfb_ms               REAL, -- metrics: NULL when not measured
    fcp_ms                REAL,
    lcp_ms                REAL,
    dom_content_loaded_ms REAL,
    load_ms               REAL,
    cls                   REAL,
    tbt_ms                REAL,
    requests              INTEGER NOT NULL,
    transfer_bytes        INTEGER NOT NULL,
    UNIQUE (run_id, url, viewport)
);

-- page_id is NULL for a site finding about a visit that has no page row.
CREATE TABLE findings (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    page_id     INTEGER REFERENCES pages (id) ON DELETE CASCADE,
    rule        TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    viewport    TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    evidence    TEXT    NOT NULL DEFAULT '{}',
    fingerprint TEXT    NOT NULL
);
CREATE INDEX findings_run ON findings (run_id);
CREATE INDEX findings_fingerprint ON findings (fingerprint);
CREATE INDEX findings_page ON findings (page_id);

CREATE TABLE resources (
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    url     TEXT    NOT NULL,
    type    TEXT    NOT NULL,
    status  INTEGER NOT NULL,
    bytes   INTEGER NOT NULL,
    failure TEXT    NOT NULL
);
CREATE INDEX resources_page ON resources (page_id);

CREATE TABLE screenshots (
    page_id INTEGER PRIMARY KEY REFERENCES pages (id) ON DELETE CASCADE,
    jpeg    BLOB    NOT NULL
);
