/* Shared counters for GET /metrics (db/migrations/007_metrics.sql): DNSBL
 * outcomes per list, the request-latency histogram, and the read side of
 * what other tables already count (queries sent, checks in flight,
 * reports stored). Every worker writes; one scrape reads them all. */
#ifndef PORTAL_STORE_METRICS_H
#define PORTAL_STORE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store.h"

/* Upper bounds (seconds) of the latency buckets; a request slower than the
 * last bound lands in bucket STORE_LATENCY_BOUNDS ("+Inf"). */
#define STORE_LATENCY_BOUNDS 11
extern const double store_latency_bounds[STORE_LATENCY_BOUNDS];

struct store_latency {
	long long n[STORE_LATENCY_BOUNDS + 1];   /* per bucket, not cumulative */
	long long sum_us;                        /* every request's duration */
};

/* One row of dnsbl_outcomes. */
struct store_outcome {
	const char *zone;
	const char *outcome;       /* dnsbl_status_str() */
	int cached;
	long long n;
};

typedef int (*store_outcome_cb)(void *ctx, const struct store_outcome *o);
typedef int (*store_zone_count_cb)(void *ctx, const char *zone, long long n);

/* Adds one result of zone with outcome (cached 0/1) to the counters. */
enum perr store_dnsbl_outcome_add(struct store *st, const char *zone, const char *outcome,
				  int cached);

/* Every outcome counter, by zone, outcome, cached. The callback returns
 * non-zero to stop. */
enum perr store_dnsbl_outcomes(struct store *st, store_outcome_cb cb, void *ctx);

/* Queries sent per zone over every recorded day (dnsbl_budget). */
enum perr store_dnsbl_sent_totals(struct store *st, store_zone_count_cb cb, void *ctx);

/* Lookups in flight now: dnsbl_inflight markers newer than since_ms. */
enum perr store_dnsbl_inflight_count(struct store *st, int64_t since_ms, long long *out);

/* Reports stored (from the report_stats rollup, not a scan of reports). */
enum perr store_reports_stored(struct store *st, long long *out);

/* Counts one request that took us microseconds. */
enum perr store_latency_observe(struct store *st, int64_t us);

/* The whole histogram (zeros where nothing was counted). */
enum perr store_latency_read(struct store *st, struct store_latency *out);

#endif
