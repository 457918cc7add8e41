/* Shared counters of GET /metrics in SQLite (see store_metrics.h). */
#include <string.h>

#include "store_metrics.h"
#include "internal/store_internal.h"

const double store_latency_bounds[STORE_LATENCY_BOUNDS] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};

enum perr store_dnsbl_outcome_add(struct store *st, const char *zone, const char *outcome,
				  int cached)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO dnsbl_outcomes (zone, outcome, cached, n) VALUES (?1, ?2, ?3, 1)"
		" ON CONFLICT (zone, outcome, cached) DO UPDATE SET n = n + 1");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (store_bind_text(s, 1, zone) != SQLITE_OK || store_bind_text(s, 2, outcome) != SQLITE_OK ||
	    sqlite3_bind_int(s, 3, cached ? 1 : 0) != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "dnsbl outcome add");
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_outcomes(struct store *st, store_outcome_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT zone, outcome, cached, n FROM dnsbl_outcomes ORDER BY zone, outcome, cached");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_outcome o = {
			.zone = (const char *)sqlite3_column_text(s, 0),
			.outcome = (const char *)sqlite3_column_text(s, 1),
			.cached = sqlite3_column_int(s, 2),
			.n = sqlite3_column_int64(s, 3),
		};
		if (o.zone == NULL || o.outcome == NULL)
			continue;
		if (cb(ctx, &o) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "dnsbl outcomes");
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_sent_totals(struct store *st, store_zone_count_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT zone, sum(queries) FROM dnsbl_budget GROUP BY zone ORDER BY zone");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *zone = (const char *)sqlite3_column_text(s, 0);
		if (zone != NULL && cb(ctx, zone, sqlite3_column_int64(s, 1)) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "dnsbl sent totals");
	sqlite3_reset(s);
	return rc;
}

/* Runs a one-row, one-integer query s (bound by the caller) into *out. */
static enum perr one_count(struct store *st, sqlite3_stmt *s, const char *where, long long *out)
{
	enum perr rc = PERR_OK;
	*out = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		rc = store_fail(st, where);
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_inflight_count(struct store *st, int64_t since_ms, long long *out)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM dnsbl_inflight WHERE started_ms >= ?1");
	if (s == NULL)
		return PERR_DB;
	if (sqlite3_bind_int64(s, 1, since_ms) != SQLITE_OK) {
		sqlite3_reset(s);
		*out = 0;
		return store_fail(st, "dnsbl inflight count bind");
	}
	return one_count(st, s, "dnsbl inflight count", out);
}

enum perr store_reports_stored(struct store *st, long long *out)
{
	/* report_stats follows every insert and delete of reports (triggers
	 * of 005_monitor.sql): a few hundred rows instead of every report. */
	sqlite3_stmt *s = store_stmt(st,
		"SELECT coalesce(sum(n), 0) FROM report_stats WHERE dim = 'verdict'");
	if (s == NULL)
		return PERR_DB;
	return one_count(st, s, "reports stored", out);
}

/* The bucket of a request that took us microseconds. */
static int latency_bucket(int64_t us)
{
	double sec = (double)us / 1e6;
	int b = 0;
	while (b < STORE_LATENCY_BOUNDS && sec > store_latency_bounds[b])
		b++;
	return b;
}

enum perr store_latency_observe(struct store *st, int64_t us)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO request_latency (bucket, n, sum_us) VALUES (?1, 1, ?2)"
		" ON CONFLICT (bucket) DO UPDATE SET n = n + 1, sum_us = sum_us + excluded.sum_us");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (us < 0)
		us = 0;
	if (sqlite3_bind_int(s, 1, latency_bucket(us)) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, us) != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "latency observe");
	sqlite3_reset(s);
	return rc;
}

enum perr store_latency_read(struct store *st, struct store_latency *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, "SELECT bucket, n, sum_us FROM request_latency");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		int b = sqlite3_column_int(s, 0);
		if (b < 0 || b > STORE_LATENCY_BOUNDS)
			continue;
		out->n[b] += sqlite3_column_int64(s, 1);
		out->sum_us += sqlite3_column_int64(s, 2);
	}
	if (step != SQLITE_DONE)
		rc = store_fail(st, "latency read");
	sqlite3_reset(s);
	return rc;
}
