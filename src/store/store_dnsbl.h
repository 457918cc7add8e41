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
	int64_t checked_at;
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

#endif
