-- A JPEG of the whole page (capped at 8 000 CSS px tall), kept only for a
-- visit with a finding about a region of the page (evidence.box), so the
-- report can outline it (issue 5). height is the CSS px height it covers.
CREATE TABLE full_screenshots (
    page_id INTEGER PRIMARY KEY REFERENCES pages (id) ON DELETE CASCADE,
    jpeg    BLOB    NOT NULL,
    height  INTEGER NOT NULL
);
