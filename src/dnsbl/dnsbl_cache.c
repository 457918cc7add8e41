/* The checker's use of the SQLite answer cache (store/store_dnsbl.h):
 * definite answers (listed, clean) are kept for their DNS TTL, bounded by
 * dns.cache_max_seconds, and one lookup per address at a time: a worker
 * that finds another one asking the lists for the same address waits for
 * its answers (a marker row in dnsbl_inflight) instead of asking again. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal/dnsbl_internal.h"
#include "store/store_dnsbl.h"

/* "127.0.0.2,127.0.0.4" from host-order codes. */
static void codes_to_text(const uint32_t *codes, size_t n, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++) {
		char c[20];
		dnsbl_code_text(codes[i], c, sizeof c);
		int w = snprintf(buf + o, len - o, "%s%s", i ? "," : "", c);
		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
	}
}

/* The inverse of codes_to_text; entries that do not parse are skipped. */
static void codes_from_text(const char *s, uint32_t *codes, size_t *n)
{
	*n = 0;
	while (*s && *n < DNSBL_ANSWER_A_MAX) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		struct ipaddr ip;
		if (ipaddr_parse(s, len, &ip, NULL) == PERR_OK && ip.family == 4)
			codes[(*n)++] = (uint32_t)ip.b[0] << 24 | (uint32_t)ip.b[1] << 16 |
					(uint32_t)ip.b[2] << 8 | ip.b[3];
		s += len;
		if (*s == ',')
			s++;
	}
}

/* Fills res from a cached row; 0, or -1 when the row is unusable. */
static int from_cache(struct dnsbl_result *res, const struct store_dnsbl_cached *c, int64_t now)
{
	if (strcmp(c->status, "listed") == 0) {
		codes_from_text(c->codes, res->codes, &res->ncodes);
		if (res->ncodes == 0)
			return -1;
		dnsbl_set_listed(res);
		snprintf(res->txt, sizeof res->txt, "%s", c->txt);
	} else if (strcmp(c->status, "clean") == 0) {
		res->status = DNSBL_CLEAN;
		snprintf(res->meaning, sizeof res->meaning, "not listed");
	} else {
		return -1;
	}
	res->cached = 1;
	res->ms = 0;
	res->ttl = c->expires_at > now ? (unsigned)(c->expires_at - now) : 0;
	return 0;
}

int dnsbl_cache_read(struct dnsbl_checker *chk, struct dnsbl_result *res, const char *ip,
		     int64_t now)
{
	struct store_dnsbl_cached c;
	if (chk->store == NULL || chk->cache_max_s == 0 ||
	    store_dnsbl_cache_get(chk->store, res->list->zone, ip, now, &c) != PERR_OK)
		return -1;
	return from_cache(res, &c, now);
}

int dnsbl_cacheable(const struct dnsbl_checker *chk, const struct dnsbl_result *res)
{
	return chk->store != NULL && chk->cache_max_s > 0 && !res->cached && res->ttl > 0 &&
	       (res->status == DNSBL_LISTED || res->status == DNSBL_CLEAN);
}

void dnsbl_cache_write(struct dnsbl_checker *chk, const char *ip, const struct dnsbl_result *res,
		       int64_t now)
{
	if (!dnsbl_cacheable(chk, res))
		return;
	struct store_dnsbl_cached c;
	memset(&c, 0, sizeof c);
	snprintf(c.status, sizeof c.status, "%s", dnsbl_status_str(res->status));
	codes_to_text(res->codes, res->ncodes, c.codes, sizeof c.codes);
	snprintf(c.txt, sizeof c.txt, "%s", res->txt);
	c.checked_at = now;
	c.expires_at = now + (res->ttl < chk->cache_max_s ? res->ttl : chk->cache_max_s);
	(void)store_dnsbl_cache_put(chk->store, res->list->zone, ip, &c);
}

/* Unix time in milliseconds (markers are compared across processes). */
static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int dnsbl_coalesce_claim(struct dnsbl_checker *chk, const char *ip, int64_t deadline)
{
	if (chk->store == NULL)
		return 0;
	/* A marker older than a whole check belongs to a worker that died. */
	int64_t stale = (int64_t)chk->timeout_ms + 1000;
	for (;;) {
		enum perr rc = store_dnsbl_inflight_claim(chk->store, ip, wall_ms(), stale);
		if (rc == PERR_OK)
			return 1;
		if (rc != PERR_LIMITED || dnsbl_mono_ms() + DNSBL_COALESCE_POLL_MS >= deadline)
			return 0;
		/* Another worker asks the lists for ip right now: its answers
		 * land in the cache when it is done. */
		struct timespec ts = { 0, DNSBL_COALESCE_POLL_MS * 1000000L };
		nanosleep(&ts, NULL);
	}
}

void dnsbl_coalesce_release(struct dnsbl_checker *chk, const char *ip)
{
	if (chk->store != NULL)
		(void)store_dnsbl_inflight_release(chk->store, ip);
}
