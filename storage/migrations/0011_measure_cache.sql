-- Pixel measures of pictures (sharpness, perceptual hash, colour thumbnail,
-- logo and mark comparisons, a reported picture's evidence thumbnail),
-- cached across runs so a sweep of an unchanged shop decodes no picture an
-- earlier sweep measured. key is the picture's SHA-256, the measure version
-- (checks.MeasureVersion) and a fingerprint of the settings and reference
-- logos the measures depend on; measures is the record checks encodes (JSON).
-- last_used (Unix seconds) is when a sweep last stored or reused the entry:
-- entries no sweep used for MeasureCacheDays (storage/prune.go) are pruned
-- after each sweep. Not tied to a run. A rowid table, not WITHOUT ROWID:
-- a record with an evidence thumbnail runs to tens of KB.
CREATE TABLE measure_cache (
    key       TEXT PRIMARY KEY,
    measures  BLOB NOT NULL,
    last_used INTEGER NOT NULL
);

CREATE INDEX measure_cache_last_used ON measure_cache (last_used);
