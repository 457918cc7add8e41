/* SQLite records of the DNSBL checker (db/migrations/002_dnsbl.sql):
 * cached per-list answers, kept for the DNS TTL (bounded by
 * dns.cache_max_seconds), and per-list health from the RFC 5782 test
 * points. Only definitive answers (listed, clean) are cached. */
#ifndef PORTAL_STORE_DNSBL_H
#define PORTAL_STORE_DNSBL_H

#include <stdint.h>

#include "core/err.h"
#include "store.h"

#define STORE_DNSBL_STATUS_LEN 16
#define STORE_DNSBL_CODES_LEN 272   /* comma-separated dotted quads */
#define STORE_DNSBL_TXT_LEN 512
#define STORE_DNSBL_DETAIL_LEN 192

struct store_dnsbl_cached {
	char status[STORE_DNSBL_STATUS_LEN];   /* "listed" | "clean" */
	char codes[STORE_DNSBL_CODES_LEN];     /* "127.0.0.2,127.0.0.4" or "" */
	char txt[STORE_DNSBL_TXT_LEN];
	int64_t checked_at;                    /* unix seconds */
	int64_t expires_at;
};

struct store_dnsbl_health {
	int ok;                                /* 1 passed, 0 failed (untrusted) */
	char detail[STORE_DNSBL_DETAIL_LEN];   /* why it failed, for people */
	int64_t checked_at;                    /* 0: never self-tested */
	/* live failures (read only; written by store_dnsbl_fail_put) */
	unsigned fails;                        /* consecutive checks without any answer */
	int64_t skip_until;                    /* back-off: not asked before this */
	char fail_detail[STORE_DNSBL_DETAIL_LEN];
};

/* Reads the cached answer of zone for ip (canonical text) that is still
 * valid at now. PERR_NOT_FOUND when there is none or it expired. */
enum perr store_dnsbl_cache_get(struct store *st, const char *zone, const char *ip,
				int64_t now, struct store_dnsbl_cached *out);

/* Inserts or replaces the cached answer of zone for ip. */
enum perr store_dnsbl_cache_put(struct store *st, const char *zone, const char *ip,
				const struct store_dnsbl_cached *c);

/* Deletes every cached answer that expired before now. */
enum perr store_dnsbl_cache_prune(struct store *st, int64_t now);

/* Health of zone for an address family (4 or 6). PERR_NOT_FOUND when the
 * list was never tested. */
enum perr store_dnsbl_health_get(struct store *st, const char *zone, int family,
				 struct store_dnsbl_health *out);

/* Records the outcome of a self-test. */
enum perr store_dnsbl_health_put(struct store *st, const char *zone, int family,
				 const struct store_dnsbl_health *h);

/* Records live failures of zone: fails consecutive failing checks, skip
 * the list until skip_until (0 = not skipped), detail for people. */
enum perr store_dnsbl_fail_put(struct store *st, const char *zone, int family, unsigned fails,
			       int64_t skip_until, const char *detail);

/* Queries sent to zone on UTC day (unix seconds / 86400): *out (0 when none). */
enum perr store_dnsbl_budget_get(struct store *st, const char *zone, int64_t day, int64_t *out);

/* Adds n queries to zone's count of day. */
enum perr store_dnsbl_budget_add(struct store *st, const char *zone, int64_t day, int64_t n);

/* Claims the lookup of ip: PERR_OK when this caller now owns it (no marker,
 * or one older than stale_ms), PERR_LIMITED when another lookup of ip is
 * in flight. now_ms is unix milliseconds. */
enum perr store_dnsbl_inflight_claim(struct store *st, const char *ip, int64_t now_ms,
				     int64_t stale_ms);

/* Ends the claim on ip (the marker row is deleted). */
enum perr store_dnsbl_inflight_release(struct store *st, const char *ip);

/* 1 when a lookup of ip started at or after since_ms is still in flight. */
int store_dnsbl_inflight_busy(struct store *st, const char *ip, int64_t since_ms);

#endif
