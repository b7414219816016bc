-- Text read from pictures (OCR), cached across runs: key is the Reader's
-- key (the picture's SHA-256, the languages, the engine's version and the
-- reading pipeline), result the ocr.Result as JSON. A scheduled sweep of an
-- unchanged shop reads every picture from here and runs no engine. Not tied
-- to a run: retention does not prune it.
CREATE TABLE ocr_cache (
    key        TEXT PRIMARY KEY,
    result     TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

-- What the sweep's OCR step did on a visit, as JSON
-- ({"read", "cached", "skipped_small", "skipped_large", "skipped_limit",
-- "failed"}); NULL when pictures were not read (ocr.enabled false, no
-- tesseract, or a run stored before OCR existed).
ALTER TABLE pages ADD COLUMN ocr TEXT;
