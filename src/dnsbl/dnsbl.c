/* The DNSBL checker's public API: set-up, one check (a batch of queries:
 * for every address and list an A query, plus the RFC 5782 test-point
 * queries of lists whose health is stale, all sent before the first answer
 * is read), and the verdict helpers. The DNS itself is in dnsbl_ares.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "internal/dnsbl_internal.h"
#include "store/store_dnsbl.h"

static const char *const status_names[DNSBL_STATUS__MAX] = {
	[DNSBL_LISTED] = "listed",
	[DNSBL_CLEAN] = "clean",
	[DNSBL_TIMEOUT] = "timeout",
	[DNSBL_ERROR] = "error",
	[DNSBL_REFUSED] = "refused",
	[DNSBL_UNTRUSTED] = "untrusted",
};

const char *dnsbl_status_str(enum dnsbl_status s)
{
	return (unsigned)s < DNSBL_STATUS__MAX ? status_names[s] : "unknown";
}

/* ---- configuration ---------------------------------------------------- */

void dnsbl_options_from_config(struct dnsbl_options *o, const struct config *cfg,
			       struct store *st)
{
	memset(o, 0, sizeof *o);
	o->servers = cfg->dns_servers;
	o->timeout_ms = cfg->dns_timeout_ms;
	o->lists = cfg->dns_lists;
	o->allow_reserved = cfg->dns_allow_reserved;
	o->dqs_key = cfg->dns_dqs_key;
	o->cache_max_s = cfg->dns_cache_max_s;
	o->health_interval_s = cfg->dns_health_interval_s;
	o->store = st;
}

/* Resolves the configured list set (or the catalogue's defaults) into
 * chk->lists, in catalogue order. Returns 0, or -1 with errbuf filled. */
static int resolve_lists(struct dnsbl_checker *chk, const char *spec, char *errbuf, size_t errlen)
{
	const struct dnsbl_catalogue *cat = chk->cat;
	if (spec == NULL || *spec == '\0') {
		for (size_t i = 0; i < cat->n && chk->nlists < LIMIT_DNS_LISTS_MAX; i++)
			if (cat->lists[i].default_on && !cat->lists[i].dead)
				chk->lists[chk->nlists++] = &cat->lists[i];
		goto done;
	}
	const char *p = spec;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		size_t len = 0;
		while (p[len] && p[len] != ',' && !isspace((unsigned char)p[len]))
			len++;
		char zone[DNSBL_ZONE_MAX];
		if (len >= sizeof zone) {
			snprintf(errbuf, errlen, "list name too long");
			return -1;
		}
		memcpy(zone, p, len);
		zone[len] = '\0';
		p += len;
		const struct dnsbl_list *l = dnsbl_catalogue_find(cat, zone);
		if (l == NULL) {
			if (!dnsbl_zone_valid(zone))
				snprintf(errbuf, errlen, "'%.80s' is not a valid list zone name", zone);
			else
				snprintf(errbuf, errlen, "unknown list %s (not in the DNSBL catalogue)", zone);
			return -1;
		}
		if (l->dead) {
			snprintf(errbuf, errlen, "%s is a dead list: it is never queried", l->zone);
			return -1;
		}
		int dup = 0;
		for (size_t i = 0; i < chk->nlists; i++)
			dup |= chk->lists[i] == l;
		if (dup)
			continue;
		if (chk->nlists == LIMIT_DNS_LISTS_MAX) {
			snprintf(errbuf, errlen, "more than %d lists", LIMIT_DNS_LISTS_MAX);
			return -1;
		}
		chk->lists[chk->nlists++] = l;
	}
done:
	if (chk->nlists == 0) {
		snprintf(errbuf, errlen, "no lists to query (empty list set)");
		return -1;
	}
	/* Keep catalogue order whatever order the configuration used. */
	for (size_t i = 1; i < chk->nlists; i++)
		for (size_t k = i; k > 0 && chk->lists[k] < chk->lists[k - 1]; k--) {
			const struct dnsbl_list *t = chk->lists[k];
			chk->lists[k] = chk->lists[k - 1];
			chk->lists[k - 1] = t;
		}
	return 0;
}

enum perr dnsbl_checker_new(const struct dnsbl_catalogue *cat, const struct dnsbl_options *o,
			    struct dnsbl_checker **out, char *errbuf, size_t errlen)
{
	enum perr rc = PERR_CONFIG;
	struct dnsbl_checker *chk = calloc(1, sizeof *chk);
	if (chk == NULL)
		return PERR_NOMEM;
	chk->cat = cat;
	chk->timeout_ms = o->timeout_ms ? o->timeout_ms : LIMIT_DNS_TIMEOUT_MS;
	if (chk->timeout_ms > LIMIT_DNS_TIMEOUT_MAX)
		chk->timeout_ms = LIMIT_DNS_TIMEOUT_MAX;
	chk->allow_reserved = o->allow_reserved;
	chk->cache_max_s = o->cache_max_s;
	chk->health_interval_s = o->health_interval_s ? o->health_interval_s : DNSBL_HEALTH_DEFAULT_S;
	chk->store = o->store;
	for (size_t i = 0; i < LIMIT_DNS_LISTS_MAX; i++)
		chk->health[i][0].state = chk->health[i][1].state = HEALTH_UNKNOWN;

	if (o->dqs_key != NULL && *o->dqs_key != '\0') {
		if (!dnsbl_dqs_key_valid(o->dqs_key)) {
			snprintf(errbuf, errlen, "dns.dqs_key must be letters and digits only");
			goto out;
		}
		snprintf(chk->dqs_key, sizeof chk->dqs_key, "%s", o->dqs_key);
	}
	if (resolve_lists(chk, o->lists, errbuf, errlen) != 0)
		goto out;

	rc = dnsbl_net_new(chk, o->servers, errbuf, errlen);
	if (rc != PERR_OK)
		goto out;
	*out = chk;
	chk = NULL;
	rc = PERR_OK;
out:
	dnsbl_checker_free(chk);
	return rc;
}

void dnsbl_checker_free(struct dnsbl_checker *chk)
{
	if (chk == NULL)
		return;
	dnsbl_net_free(chk->net);
	/* The key is a secret: do not leave it in freed memory. */
	explicit_bzero(chk->dqs_key, sizeof chk->dqs_key);
	free(chk);
}

size_t dnsbl_checker_lists(const struct dnsbl_checker *chk, const struct dnsbl_list *const **lists)
{
	*lists = chk->lists;
	return chk->nlists;
}

static struct dnsbl_report *new_report(const struct dnsbl_checker *chk, const struct ipaddr *ip)
{
	struct dnsbl_report *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->results = calloc(chk->nlists, sizeof *r->results);
	if (r->results == NULL) {
		free(r);
		return NULL;
	}
	ipaddr_format(ip, r->ip, sizeof r->ip);
	r->family = ip->family;
	r->ip_class = ipaddr_classify(ip);
	return r;
}

/* Parses ips into parsed[] and out[] (NULL where invalid), notes the
 * reserved addresses that are not sent, and sets want[family] for the
 * families that will be. Returns PERR_OK or PERR_NOMEM. */
static enum perr prepare_reports(const struct dnsbl_checker *chk, const char *const *ips, size_t n,
				 struct ipaddr *parsed, struct dnsbl_report **out, int want[2])
{
	for (size_t i = 0; i < n; i++) {
		if (ipaddr_parse(ips[i], strlen(ips[i]), &parsed[i], NULL) != PERR_OK)
			continue;
		out[i] = new_report(chk, &parsed[i]);
		if (out[i] == NULL)
			return PERR_NOMEM;
		struct dnsbl_report *r = out[i];
		if (r->ip_class != IPADDR_PUBLIC && !chk->allow_reserved) {
			snprintf(r->note, sizeof r->note, "%s", ipaddr_class_note(r->ip_class));
			continue;
		}
		r->sent = 1;
		want[dnsbl_fam_index(r->family)] = 1;
	}
	return PERR_OK;
}

/* Adds the test-point queries of every list whose health is stale, for
 * the families this batch checks. */
static void add_stale_tests(struct batch *b, const int want[2], int64_t now)
{
	struct dnsbl_checker *chk = b->chk;
	for (int f = 0; f < 2; f++) {
		int family = f ? 6 : 4;
		if (!want[f])
			continue;
		for (size_t i = 0; i < chk->nlists; i++)
			if (dnsbl_needs_test(chk, i, family) && !dnsbl_health_fresh(chk, i, family, now))
				dnsbl_add_health_queries(b, i, family);
	}
}

/* Sets up report r's results: from the cache where it has them, else an A
 * query is sent. Returns 0, or -1 when the batch is full. */
static int start_report(struct batch *b, struct dnsbl_report *r, const struct ipaddr *ip,
			unsigned flags, int64_t now)
{
	struct dnsbl_checker *chk = b->chk;
	for (size_t i = 0; i < chk->nlists; i++) {
		const struct dnsbl_list *l = chk->lists[i];
		if (r->family == 6 && !l->ipv6)
			continue;
		struct dnsbl_result *res = &r->results[r->n++];
		res->list = l;
		dnsbl_build_url(l->delist_url, r->ip, res->delist_url, sizeof res->delist_url);
		dnsbl_build_url(l->lookup_url, r->ip, res->lookup_url, sizeof res->lookup_url);
		if (!(flags & DNSBL_F_NOCACHE) && dnsbl_cache_read(chk, res, r->ip, now) == 0)
			continue;
		struct query *q = dnsbl_new_query(b, Q_A, i);
		if (q == NULL)
			return -1;
		q->res = res;
		q->ip = *ip;
		dnsbl_send(b, q, ip);
	}
	if (r->family == 6 && r->n < chk->nlists)
		snprintf(r->note, sizeof r->note, "%zu of the configured lists do not check IPv6 addresses",
			 chk->nlists - r->n);
	return 0;
}

/* Sends every report's queries, cache reads in one read transaction.
 * Returns 0, or -1 when the batch is full. */
static int start_reports(struct batch *b, struct dnsbl_report **out, const struct ipaddr *parsed,
			 size_t n, unsigned flags, int64_t now)
{
	struct dnsbl_checker *chk = b->chk;
	int reading = chk->store != NULL && chk->cache_max_s > 0 && !(flags & DNSBL_F_NOCACHE) &&
		      store_read_begin(chk->store) == PERR_OK;
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++)
		if (out[k] != NULL && out[k]->sent)
			rc = start_report(b, out[k], &parsed[k], flags, now);
	if (reading)
		store_read_end(chk->store);
	return rc;
}

/* Judges every A query of the batch with its TXT (added later, in any
 * order). */
static void judge_batch(struct batch *b)
{
	for (size_t k = 0; k < b->nq; k++) {
		struct query *q = &b->q[k];
		if (q->kind != Q_A)
			continue;
		struct query *txt = NULL;
		for (size_t t = 0; t < b->nq; t++)
			if (b->q[t].kind == Q_TXT && b->q[t].res == q->res) {
				txt = &b->q[t];
				break;
			}
		dnsbl_judge_check(b->chk, q, txt, b->t0);
	}
}

/* Index of list l in chk->lists (nlists when absent). */
static size_t list_index(const struct dnsbl_checker *chk, const struct dnsbl_list *l)
{
	size_t li = 0;
	while (li < chk->nlists && chk->lists[li] != l)
		li++;
	return li;
}

/* Stores the new answers in one write transaction (none when everything
 * came from the cache), applies list health, prunes the cache once a
 * minute. */
static void finish_reports(struct dnsbl_checker *chk, struct dnsbl_report **out, size_t n,
			   int64_t now, int64_t t0)
{
	int64_t end = dnsbl_mono_ms();
	int writing = 0;
	for (size_t k = 0; k < n; k++) {
		struct dnsbl_report *r = out[k];
		if (r == NULL)
			continue;
		r->ms = (unsigned)(end - t0);
		for (size_t i = 0; i < r->n; i++) {
			struct dnsbl_result *res = &r->results[i];
			if (!writing && dnsbl_cacheable(chk, res))
				writing = store_begin(chk->store) == PERR_OK;
			dnsbl_cache_write(chk, r->ip, res, now);
			dnsbl_apply_health(chk, res, list_index(chk, res->list), r->family);
		}
	}
	if (chk->store != NULL && chk->cache_max_s > 0 && now - chk->pruned_at >= 60) {
		if (!writing)
			writing = store_begin(chk->store) == PERR_OK;
		(void)store_dnsbl_cache_prune(chk->store, now);
		chk->pruned_at = now;
	}
	if (writing && store_commit(chk->store) != PERR_OK)
		store_rollback(chk->store);
}

enum perr dnsbl_check_many(struct dnsbl_checker *chk, const char *const *ips, size_t n,
			   unsigned flags, struct dnsbl_report **out)
{
	enum perr rc = PERR_NOMEM;
	struct ipaddr *parsed = calloc(n ? n : 1, sizeof *parsed);
	struct batch b = { .chk = chk };
	if (parsed == NULL)
		return PERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	b.t0 = dnsbl_mono_ms();
	int64_t now = (int64_t)time(NULL);
	int want[2] = { 0, 0 };
	if (prepare_reports(chk, ips, n, parsed, out, want) != PERR_OK)
		goto out;
	b.cap = chk->nlists * (2 * n + 4);
	b.q = calloc(b.cap ? b.cap : 1, sizeof *b.q);
	if (b.q == NULL)
		goto out;
	add_stale_tests(&b, want, now);
	if (start_reports(&b, out, parsed, n, flags, now) != 0)
		goto out;
	dnsbl_wait(&b, b.t0 + chk->timeout_ms);
	dnsbl_record_health(&b);
	judge_batch(&b);
	finish_reports(chk, out, n, now, b.t0);
	rc = PERR_OK;
out:
	if (rc != PERR_OK) {
		/* Let c-ares run the callbacks of what was sent before freeing. */
		if (b.q != NULL)
			dnsbl_cancel(&b);
		for (size_t i = 0; i < n; i++) {
			dnsbl_report_free(out[i]);
			out[i] = NULL;
		}
	}
	free(b.q);
	free(parsed);
	return rc;
}

enum perr dnsbl_check(struct dnsbl_checker *chk, const char *ip, unsigned flags,
		      struct dnsbl_report **out)
{
	struct ipaddr parsed;
	*out = NULL;
	if (ip == NULL || ipaddr_parse(ip, strlen(ip), &parsed, NULL) != PERR_OK)
		return PERR_INVALID;
	enum perr rc = dnsbl_check_many(chk, &ip, 1, flags, out);
	if (rc == PERR_OK && *out == NULL)
		rc = PERR_NOMEM;
	return rc;
}

void dnsbl_report_free(struct dnsbl_report *r)
{
	if (r == NULL)
		return;
	free(r->results);
	free(r);
}

int dnsbl_report_listed(const struct dnsbl_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->results[i].status == DNSBL_LISTED)
			return 1;
	return 0;
}

int dnsbl_report_all_clean(const struct dnsbl_report *r)
{
	if (!r->sent || r->n == 0)
		return 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->results[i].status != DNSBL_CLEAN)
			return 0;
	return 1;
}
