-- The part of the source picture an evidence image shows (picture px,
-- origin top left), for the crop kept behind a finding read from a picture
-- (role "read"): the report outlines evidence.image_box on it. 0 × 0 means
-- the image is a whole-picture thumbnail or the part is not known.
ALTER TABLE evidence_images ADD COLUMN region_x INTEGER NOT NULL DEFAULT 0;
ALTER TABLE evidence_images ADD COLUMN region_y INTEGER NOT NULL DEFAULT 0;
ALTER TABLE evidence_images ADD COLUMN region_w INTEGER NOT NULL DEFAULT 0;
ALTER TABLE evidence_images ADD COLUMN region_h INTEGER NOT NULL DEFAULT 0;
