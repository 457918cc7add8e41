-- DNSBL checker, issue 13: back-off of failing lists, daily query budgets,
-- one lookup per address at a time (src/store/store_dnsbl.c).

-- Live failures: consecutive checks in which a list gave no answer at all
-- (timeouts, SERVFAIL, REFUSED); past dns.backoff_after of them the list is
-- skipped until skip_until (unix seconds). Shared by every worker.
ALTER TABLE dnsbl_health ADD COLUMN fails INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dnsbl_health ADD COLUMN skip_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dnsbl_health ADD COLUMN fail_detail TEXT NOT NULL DEFAULT '';

-- Queries sent per list and UTC day (day = unix seconds / 86400).
CREATE TABLE dnsbl_budget (
	zone    TEXT NOT NULL,
	day     INTEGER NOT NULL,
	queries INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (zone, day)
) WITHOUT ROWID;

-- An address being looked up right now (by any worker): others wait for
-- its answers in dnsbl_cache instead of asking the lists again.
CREATE TABLE dnsbl_inflight (
	ip         TEXT NOT NULL PRIMARY KEY,
	started_ms INTEGER NOT NULL            -- unix milliseconds
) WITHOUT ROWID;
