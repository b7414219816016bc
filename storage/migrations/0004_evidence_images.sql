-- The pictures behind an image or logo finding, downscaled (at most 240 px,
-- some 5-30 KB each): the flagged picture, the logo as drawn beside the
-- brand's reference. Kept out of findings so loading a run never reads
-- image bytes; they go with their finding (a replaced visit, a deleted run)
-- through ON DELETE CASCADE. seq orders a finding's pictures as reported.
CREATE TABLE evidence_images (
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    role       TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    PRIMARY KEY (finding_id, seq)
);
