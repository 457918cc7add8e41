-- Admin dashboard (issue 7): daily rollups of submissions, the index the
-- "turned off after a report" count needs, and the monitoring of the
-- host's own outgoing servers (portalctl monitor, src/store_monitor.c).

-- Submissions per day per dimension, kept by the triggers below so the
-- dashboard reads a few hundred rows instead of scanning 1M reports:
--   dim 'verdict'  key = verdict
--   dim 'ip'       key = sending IP                 (reports without an IP are skipped)
--   dim 'provider' key = provider, sub = provider_code ('' when none)
--   dim 'cause'    key = cause                      (reports without a cause are skipped)
--   dim 'list'     key = zone (one row per report and list, named or live)
-- day is UTC (created / 86400), as in reports.day.
CREATE TABLE report_stats (
	dim  TEXT NOT NULL CHECK (dim IN ('verdict', 'ip', 'provider', 'cause', 'list')),
	day  INTEGER NOT NULL,
	key  TEXT NOT NULL,
	sub  TEXT NOT NULL DEFAULT '',
	n    INTEGER NOT NULL,
	PRIMARY KEY (dim, day, key, sub)
) WITHOUT ROWID;
-- One key's count over a range of days (exact counts and the choice of
-- index for the submissions list).
CREATE INDEX report_stats_key ON report_stats(dim, key, sub, day);

INSERT INTO report_stats (dim, day, key, sub, n)
	SELECT 'verdict', day, verdict, '', count(*) FROM reports GROUP BY day, verdict;
INSERT INTO report_stats (dim, day, key, sub, n)
	SELECT 'ip', day, ip, '', count(*) FROM reports WHERE ip IS NOT NULL GROUP BY day, ip;
INSERT INTO report_stats (dim, day, key, sub, n)
	SELECT 'provider', day, provider, coalesce(provider_code, ''), count(*) FROM reports
	WHERE provider IS NOT NULL GROUP BY day, provider, coalesce(provider_code, '');
INSERT INTO report_stats (dim, day, key, sub, n)
	SELECT 'cause', day, cause, '', count(*) FROM reports WHERE cause IS NOT NULL GROUP BY day, cause;
INSERT INTO report_stats (dim, day, key, sub, n)
	SELECT 'list', created / 86400, zone, '', count(*) FROM report_lists
	GROUP BY created / 86400, zone;

CREATE TRIGGER report_stats_ins AFTER INSERT ON reports BEGIN
	INSERT INTO report_stats (dim, day, key, sub, n) VALUES ('verdict', NEW.day, NEW.verdict, '', 1)
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
	INSERT INTO report_stats (dim, day, key, sub, n)
		SELECT 'ip', NEW.day, NEW.ip, '', 1 WHERE NEW.ip IS NOT NULL
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
	INSERT INTO report_stats (dim, day, key, sub, n)
		SELECT 'provider', NEW.day, NEW.provider, coalesce(NEW.provider_code, ''), 1
		WHERE NEW.provider IS NOT NULL
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
	INSERT INTO report_stats (dim, day, key, sub, n)
		SELECT 'cause', NEW.day, NEW.cause, '', 1 WHERE NEW.cause IS NOT NULL
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER report_stats_del AFTER DELETE ON reports BEGIN
	UPDATE report_stats SET n = n - 1
	WHERE (dim = 'verdict' AND day = OLD.day AND key = OLD.verdict AND sub = '')
	   OR (dim = 'ip' AND day = OLD.day AND key = OLD.ip AND sub = '')
	   OR (dim = 'provider' AND day = OLD.day AND key = OLD.provider
	       AND sub = coalesce(OLD.provider_code, ''))
	   OR (dim = 'cause' AND day = OLD.day AND key = OLD.cause AND sub = '');
	DELETE FROM report_stats
	WHERE n <= 0
	  AND ((dim = 'verdict' AND day = OLD.day AND key = OLD.verdict AND sub = '')
	    OR (dim = 'ip' AND day = OLD.day AND key = OLD.ip AND sub = '')
	    OR (dim = 'provider' AND day = OLD.day AND key = OLD.provider
	        AND sub = coalesce(OLD.provider_code, ''))
	    OR (dim = 'cause' AND day = OLD.day AND key = OLD.cause AND sub = ''));
END;

-- Reports are snapshots, but should a counted column ever change, the
-- rollup follows: out with the old values, in with the new.
CREATE TRIGGER report_stats_upd AFTER UPDATE OF day, ip, verdict, provider, provider_code, cause
ON reports BEGIN
	UPDATE report_stats SET n = n - 1
	WHERE (dim = 'verdict' AND day = OLD.day AND key = OLD.verdict AND sub = '')
	   OR (dim = 'ip' AND day = OLD.day AND key = OLD.ip AND sub = '')
	   OR (dim = 'provider' AND day = OLD.day AND key = OLD.provider
	       AND sub = coalesce(OLD.provider_code, ''))
	   OR (dim = 'cause' AND day = OLD.day AND key = OLD.cause AND sub = '');
	INSERT INTO report_stats (dim, day, key, sub, n) VALUES ('verdict', NEW.day, NEW.verdict, '', 1)
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
	INSERT INTO report_stats (dim, day, key, sub, n)
		SELECT 'ip', NEW.day, NEW.ip, '', 1 WHERE NEW.ip IS NOT NULL
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
	INSERT INTO report_stats (dim, day, key, sub, n)
		SELECT 'provider', NEW.day, NEW.provider, coalesce(NEW.provider_code, ''), 1
		WHERE NEW.provider IS NOT NULL
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
	INSERT INTO report_stats (dim, day, key, sub, n)
		SELECT 'cause', NEW.day, NEW.cause, '', 1 WHERE NEW.cause IS NOT NULL
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
	DELETE FROM report_stats
	WHERE n <= 0
	  AND ((dim = 'verdict' AND day = OLD.day AND key = OLD.verdict AND sub = '')
	    OR (dim = 'ip' AND day = OLD.day AND key = OLD.ip AND sub = '')
	    OR (dim = 'provider' AND day = OLD.day AND key = OLD.provider
	        AND sub = coalesce(OLD.provider_code, ''))
	    OR (dim = 'cause' AND day = OLD.day AND key = OLD.cause AND sub = ''));
END;

CREATE TRIGGER report_stats_list_ins AFTER INSERT ON report_lists BEGIN
	INSERT INTO report_stats (dim, day, key, sub, n) VALUES ('list', NEW.created / 86400, NEW.zone, '', 1)
		ON CONFLICT (dim, day, key, sub) DO UPDATE SET n = n + 1;
END;

-- Also runs for the rows that ON DELETE CASCADE removes with their report.
CREATE TRIGGER report_stats_list_del AFTER DELETE ON report_lists BEGIN
	UPDATE report_stats SET n = n - 1
	WHERE dim = 'list' AND day = OLD.created / 86400 AND key = OLD.zone AND sub = '';
	DELETE FROM report_stats
	WHERE dim = 'list' AND day = OLD.created / 86400 AND key = OLD.zone AND sub = '' AND n <= 0;
END;

-- "Turned off after a report": reports of one user in a time window.
CREATE INDEX reports_user_created ON reports(user_id, created);
CREATE INDEX users_customer ON users(customer_id);
-- The submissions list filtered by provider alone, newest first
-- (reports_provider_created serves provider + code).
CREATE INDEX reports_provider_only_created ON reports(provider, created);

-- Monitoring of the host's own outgoing servers (site.outgoing_ips).
-- One row per run of portalctl monitor.
CREATE TABLE monitor_runs (
	id        INTEGER PRIMARY KEY,
	started   INTEGER NOT NULL,
	finished  INTEGER NOT NULL,
	ips       INTEGER NOT NULL,       -- addresses checked
	lists     INTEGER NOT NULL,       -- lists queried per address
	listed    INTEGER NOT NULL,       -- open listings after the run
	unknown   INTEGER NOT NULL,       -- address/list pairs without a verdict
	status    TEXT NOT NULL CHECK (status IN ('clean', 'listed', 'incomplete'))
);
CREATE INDEX monitor_runs_started ON monitor_runs(started);

-- The last answer of each list for each address (what "current status"
-- shows, including lists that did not answer).
CREATE TABLE monitor_status (
	ip         TEXT NOT NULL,
	zone       TEXT NOT NULL,
	status     TEXT NOT NULL,          -- dnsbl_status_str(): listed, clean, timeout, ...
	checked_at INTEGER NOT NULL,
	PRIMARY KEY (ip, zone)
) WITHOUT ROWID;

-- One row per listing: an address on one list from `since` (the first run
-- that saw it listed) until `cleared` (the first run after which the list
-- answered "not listed"); NULL while open. A run without a definite answer
-- (timeout, error, untrusted list) neither opens nor closes a listing.
CREATE TABLE monitor_listings (
	id        INTEGER PRIMARY KEY,
	ip        TEXT NOT NULL,
	zone      TEXT NOT NULL,
	since     INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,        -- the last run that saw it listed
	cleared   INTEGER,
	codes     TEXT NOT NULL DEFAULT '',   -- "127.0.0.2,127.0.0.4"
	txt       TEXT NOT NULL DEFAULT '',   -- the list's TXT reason when listed
	CHECK (cleared IS NULL OR cleared >= since)
);
CREATE UNIQUE INDEX monitor_listings_open ON monitor_listings(ip, zone) WHERE cleared IS NULL;
CREATE INDEX monitor_listings_ip_since ON monitor_listings(ip, since);
CREATE INDEX monitor_listings_since ON monitor_listings(since);
