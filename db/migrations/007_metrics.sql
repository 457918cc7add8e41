-- GET /metrics (issue 13): counters every worker adds to, so that one
-- scrape sees the whole portal (src/store/store_metrics.c).

-- Per-list outcomes of every check: outcome is a result status (listed,
-- clean, timeout, error, refused, untrusted, skipped); cached = 1 when the
-- answer came from dnsbl_cache instead of the list.
CREATE TABLE dnsbl_outcomes (
	zone    TEXT NOT NULL,
	outcome TEXT NOT NULL,
	cached  INTEGER NOT NULL CHECK (cached IN (0, 1)),
	n       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (zone, outcome, cached)
) WITHOUT ROWID;

-- Request latency histogram: requests per bucket (not cumulative; the
-- page adds them up) and their summed duration in microseconds. bucket
-- indexes store_metrics.h's bounds; the last index is "above every bound".
CREATE TABLE request_latency (
	bucket INTEGER NOT NULL PRIMARY KEY,
	n      INTEGER NOT NULL DEFAULT 0,
	sum_us INTEGER NOT NULL DEFAULT 0
);
