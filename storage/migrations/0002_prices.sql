-- The product's price as each product page showed it (issue 4): runs can
-- then be compared for price changes, and reference prices judged against
-- history. original is NULL when the page showed none.
CREATE TABLE prices (
    page_id       INTEGER PRIMARY KEY REFERENCES pages (id) ON DELETE CASCADE,
    current       REAL    NOT NULL,
    original      REAL,
    current_text  TEXT    NOT NULL,
    original_text TEXT    NOT NULL DEFAULT ''
);
