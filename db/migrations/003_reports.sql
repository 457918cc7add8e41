-- Reports: one snapshot of a check (bounce analysis + live list status),
-- reachable by its unguessable token. doc holds the JSON served by
-- /api/v1/reports/<token> (DESIGN §4 shape) minus the holder-only
-- recipient, which is kept in its own column. The other columns copy the
-- facts the admin dashboard aggregates, so those queries use indexes.
CREATE TABLE reports (
	id          INTEGER PRIMARY KEY,
	token       TEXT NOT NULL UNIQUE,        -- 24 random bytes, base64url
	created     INTEGER NOT NULL,
	day         INTEGER NOT NULL,            -- created / 86400, for per-day charts
	source      TEXT NOT NULL CHECK (source IN ('bounce', 'ip', 'link', 'recheck', 'api')),
	ticket      TEXT,                        -- support ticket reference
	previous_id INTEGER REFERENCES reports(id) ON DELETE SET NULL,  -- re-check of
	user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,    -- holder when logged in
	holder_hash BLOB,                        -- SHA-256 of the anonymous holder cookie
	ip          TEXT,                        -- the checked sending IP
	ip_is_ours  INTEGER NOT NULL DEFAULT 0,
	blacklist   INTEGER NOT NULL DEFAULT 0,
	category    TEXT NOT NULL,               -- analyzer category, or 'ip' for a bare IP check
	verdict     TEXT NOT NULL,               -- blacklist | reputation | listed | clean | unknown | not_blacklist
	provider    TEXT,
	provider_code TEXT,
	cause       TEXT,                        -- most likely cause id (db/knowledge/report.hdf)
	listed      INTEGER NOT NULL DEFAULT 0,  -- lists that listed the IP live
	recipient   TEXT,                        -- shown to the holder only
	doc         TEXT NOT NULL                -- the report JSON, stored deflated (store_reports.c)
);
CREATE INDEX reports_created ON reports(created);
CREATE INDEX reports_ip_created ON reports(ip, created);
CREATE INDEX reports_provider_created ON reports(provider, provider_code, created);
CREATE INDEX reports_cause_created ON reports(cause, created);
CREATE INDEX reports_previous ON reports(previous_id);

-- Every list a report involves: named in the bounce or listing the IP live.
CREATE TABLE report_lists (
	report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	zone      TEXT NOT NULL,
	created   INTEGER NOT NULL,
	live      INTEGER NOT NULL,              -- 1 = listed in the live check, 0 = named in the bounce
	PRIMARY KEY (zone, created, report_id)
) WITHOUT ROWID;
CREATE INDEX report_lists_report ON report_lists(report_id);

-- Checks per client address per minute (checks.per_minute).
CREATE TABLE check_rate (
	client  TEXT NOT NULL,
	minute  INTEGER NOT NULL,
	count   INTEGER NOT NULL,
	PRIMARY KEY (client, minute)
) WITHOUT ROWID;
