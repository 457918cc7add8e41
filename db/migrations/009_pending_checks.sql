-- Checks whose report is being made (issue 13): the report link exists the
-- moment the form is sent; its page shows this row, and refreshes itself,
-- until the report is stored under the same token. A row also answers the
-- same submission made again within a few seconds (a double click, a
-- reload of the POST) with the same report. Rows older than an hour are
-- deleted as new ones arrive (src/store/store_pending.c).
CREATE TABLE pending_checks (
	token    TEXT PRIMARY KEY,
	key_hash BLOB UNIQUE,          -- SHA-256 of who submitted what; NULL once older than the window
	created  INTEGER NOT NULL,     -- unix seconds
	ip       TEXT,                 -- the address being checked, or NULL
	zones    TEXT NOT NULL,        -- the lists being asked, comma-separated
	state    TEXT NOT NULL DEFAULT 'checking' CHECK (state IN ('checking', 'done', 'failed'))
);
CREATE INDEX pending_checks_created ON pending_checks (created);
