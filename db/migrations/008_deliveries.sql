-- Refused and deferred deliveries read from our outgoing servers' logs by
-- `portalctl maillog` (src/maillog, src/store/store_deliveries.c): one row
-- per (server, queue id, recipient, time, status), so reading the same log
-- lines twice stores them once. Kept for reports.retention_days.
CREATE TABLE deliveries (
	id            INTEGER PRIMARY KEY,
	at            INTEGER NOT NULL,          -- unix time of the log line
	server        TEXT NOT NULL,             -- the log's host name (mail3)
	server_ip     TEXT,                      -- through site.outgoing_servers; NULL = not known
	queue_id      TEXT NOT NULL,
	sender        TEXT NOT NULL,             -- lower case; '' when the from= line was not seen
	customer_id   INTEGER REFERENCES customers(id) ON DELETE SET NULL,
	recipient     TEXT NOT NULL,
	relay         TEXT NOT NULL,
	dsn           TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('bounced', 'deferred')),
	reply         TEXT NOT NULL,
	-- the bounce analyzer's verdict on the reply (src/bounce, src/explain)
	provider      TEXT NOT NULL,             -- provider id or 'other'
	provider_code TEXT,
	category      TEXT NOT NULL,
	blacklist     INTEGER NOT NULL,
	verdict       TEXT NOT NULL,
	sentence      TEXT NOT NULL,
	created       INTEGER NOT NULL DEFAULT (unixepoch()),
	UNIQUE (server, queue_id, recipient, at, status)
);
CREATE INDEX deliveries_customer ON deliveries(customer_id, at);
CREATE INDEX deliveries_at ON deliveries(at);
