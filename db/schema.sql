-- Baseline schema (version 1). Later steps live in db/migrations/NNN_*.sql;
-- the binaries embed both and apply what a database lacks at start-up.

CREATE TABLE customers (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE,
	created INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	password_hash TEXT NOT NULL,            -- libsodium crypto_pwhash_str (argon2id)
	role          TEXT NOT NULL CHECK (role IN ('customer', 'admin')),
	customer_id   INTEGER REFERENCES customers(id) ON DELETE CASCADE,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created       INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK (role = 'admin' OR customer_id IS NOT NULL)
);

-- Session ids are random 256-bit values; only their SHA-256 is stored.
CREATE TABLE sessions (
	id_hash  BLOB PRIMARY KEY,
	user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf     TEXT NOT NULL,
	client   TEXT NOT NULL,
	created  INTEGER NOT NULL DEFAULT (unixepoch()),
	expires  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expires ON sessions(expires);
