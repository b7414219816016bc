-- Pictures stored once per content: a daily sweep of an unchanged
-- shop takes the same first screen, full page and finding thumbnails every
-- day, and each used to be a new copy. blobs holds each distinct picture
-- once, keyed by the hex SHA-256 of its bytes; screenshots, full_screenshots
-- and evidence_images name theirs by that hash. The references keep their
-- ON DELETE CASCADE from pages and findings; a blob no row names any more is
-- deleted by Prune (deleteUnreferencedBlobs, blob.go), and the foreign keys to
-- blobs make deleting a blob still named an error rather than a lost
-- picture. size is length(data), so space can be summed without reading it.
--
-- storecheck_sha256 is a Go function the storage package registers with the
-- driver; it exists only in storecheck's connections. Each old row's bytes
-- move into blobs (identical pictures collapse into one row) and the tables
-- are rebuilt with the hash in place of the bytes. The freed pages stay in
-- the file until `storecheck prune` vacuums it.
CREATE TABLE blobs (
    hash TEXT    PRIMARY KEY, -- hex SHA-256 of data, lower case
    size INTEGER NOT NULL,
    data BLOB    NOT NULL
);

INSERT OR IGNORE INTO blobs (hash, size, data)
    SELECT storecheck_sha256(jpeg), length(jpeg), jpeg FROM screenshots;
INSERT OR IGNORE INTO blobs (hash, size, data)
    SELECT storecheck_sha256(jpeg), length(jpeg), jpeg FROM full_screenshots;
INSERT OR IGNORE INTO blobs (hash, size, data)
    SELECT storecheck_sha256(data), length(data), data FROM evidence_images;

CREATE TABLE screenshots_v9 (
    page_id   INTEGER PRIMARY KEY REFERENCES pages (id) ON DELETE CASCADE,
    blob_hash TEXT    NOT NULL REFERENCES blobs (hash)
);
INSERT INTO screenshots_v9 (page_id, blob_hash)
    SELECT page_id, storecheck_sha256(jpeg) FROM screenshots;
DROP TABLE screenshots;
ALTER TABLE screenshots_v9 RENAME TO screenshots;
CREATE INDEX screenshots_blob ON screenshots (blob_hash);

CREATE TABLE full_screenshots_v9 (
    page_id   INTEGER PRIMARY KEY REFERENCES pages (id) ON DELETE CASCADE,
    blob_hash TEXT    NOT NULL REFERENCES blobs (hash),
    height    INTEGER NOT NULL
);
INSERT INTO full_screenshots_v9 (page_id, blob_hash, height)
    SELECT page_id, storecheck_sha256(jpeg), height FROM full_screenshots;
DROP TABLE full_screenshots;
ALTER TABLE full_screenshots_v9 RENAME TO full_screenshots;
CREATE INDEX full_screenshots_blob ON full_screenshots (blob_hash);

CREATE TABLE evidence_images_v9 (
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    role       TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    blob_hash  TEXT    NOT NULL REFERENCES blobs (hash),
    region_x   INTEGER NOT NULL DEFAULT 0,
    region_y   INTEGER NOT NULL DEFAULT 0,
    region_w   INTEGER NOT NULL DEFAULT 0,
    region_h   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (finding_id, seq)
);
INSERT INTO evidence_images_v9
    (finding_id, seq, role, mime, width, height, blob_hash, region_x, region_y, region_w, region_h)
    SELECT finding_id, seq, role, mime, width, height, storecheck_sha256(data),
           region_x, region_y, region_w, region_h
    FROM evidence_images;
DROP TABLE evidence_images;
ALTER TABLE evidence_images_v9 RENAME TO evidence_images;
CREATE INDEX evidence_images_blob ON evidence_images (blob_hash);
