-- DNSBL checker: cached answers and list health (src/store_dnsbl.c).

-- One row per (list zone, address): the last definitive answer, kept until
-- expires_at (the DNS TTL, bounded by dns.cache_max_seconds).
CREATE TABLE dnsbl_cache (
	zone       TEXT NOT NULL,
	ip         TEXT NOT NULL,              -- canonical text (inet_ntop)
	status     TEXT NOT NULL CHECK (status IN ('listed', 'clean')),
	codes      TEXT NOT NULL DEFAULT '',   -- "127.0.0.2,127.0.0.4"
	txt        TEXT NOT NULL DEFAULT '',
	checked_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (zone, ip)
) WITHOUT ROWID;
CREATE INDEX dnsbl_cache_expires ON dnsbl_cache(expires_at);

-- RFC 5782 self-test of each list, per address family.
CREATE TABLE dnsbl_health (
	zone       TEXT NOT NULL,
	family     INTEGER NOT NULL CHECK (family IN (4, 6)),
	ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
	detail     TEXT NOT NULL DEFAULT '',
	checked_at INTEGER NOT NULL,
	PRIMARY KEY (zone, family)
) WITHOUT ROWID;
