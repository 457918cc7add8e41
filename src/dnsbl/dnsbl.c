/* The DNSBL checker's public API: set-up, one check (a batch of queries:
 * for every address and list an A query, plus the RFC 5782 test-point
 * queries of every list asked, all sent in one round trip), what the round
 * trip teaches (health, back-off, budgets), and the verdict helpers. The DNS itself is in dnsbl_ares.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "internal/dnsbl_internal.h"
#include "store/store_dnsbl.h"
#include "store/store_metrics.h"

static const char *const status_names[DNSBL_STATUS__MAX] = {
	[DNSBL_LISTED] = "listed",
	[DNSBL_CLEAN] = "clean",
	[DNSBL_TIMEOUT] = "timeout",
	[DNSBL_ERROR] = "error",
	[DNSBL_REFUSED] = "refused",
	[DNSBL_UNTRUSTED] = "untrusted",
	[DNSBL_SKIPPED] = "skipped",
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
	o->max_inflight = cfg->dns_max_inflight;
	o->backoff_after = cfg->dns_backoff_after;
	o->backoff_s = cfg->dns_backoff_s;
	o->budgets = cfg->dns_budgets;
	o->coalesce = st != NULL;
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
	chk->max_inflight = o->max_inflight ? o->max_inflight : DNSBL_INFLIGHT_DEFAULT;
	chk->backoff_after = o->backoff_after ? o->backoff_after : DNSBL_BACKOFF_AFTER_DEFAULT;
	chk->backoff_s = o->backoff_s ? o->backoff_s : DNSBL_BACKOFF_S_DEFAULT;
	chk->coalesce = o->coalesce;
	for (size_t i = 0; i < LIMIT_DNS_LISTS_MAX; i++)
		chk->health[i][0].state = chk->health[i][1].state = HEALTH_UNKNOWN;

	if (o->dqs_key != NULL && *o->dqs_key != '\0') {
		if (!dnsbl_dqs_key_valid(o->dqs_key)) {
			snprintf(errbuf, errlen, "dns.dqs_key must be letters and digits only");
			goto out;
		}
		snprintf(chk->dqs_key, sizeof chk->dqs_key, "%s", o->dqs_key);
	}
	if (resolve_lists(chk, o->lists, errbuf, errlen) != 0 ||
	    dnsbl_budgets_parse(chk, o->budgets, errbuf, errlen) != 0)
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

/* Adds the test-point queries of every list asked in this round trip
 * (its answers are about to be used: prove the list now) and of every
 * list whose health is stale, for the families this batch checks. */
static void add_tests(struct batch *b, const int want[2], int64_t now)
{
	struct dnsbl_checker *chk = b->chk;
	for (int f = 0; f < 2; f++) {
		int family = f ? 6 : 4;
		if (!want[f])
			continue;
		for (size_t i = 0; i < chk->nlists; i++)
			if (dnsbl_needs_test(chk, i, family) && b->skip[i][f] == NULL &&
			    (b->asked[i][f] || !dnsbl_health_fresh(chk, i, family, now)))
				dnsbl_add_health_queries(b, i, family);
	}
}

/* Sends list i's queries for res: A, and TXT in the same round trip when
 * the list publishes reasons. Returns 0, or -1 when the batch is full. */
static int ask_list(struct batch *b, size_t i, struct dnsbl_result *res, const struct ipaddr *ip)
{
	for (int txt = 0; txt <= b->chk->lists[i]->txt; txt++) {
		struct query *q = dnsbl_new_query(b, txt ? Q_TXT : Q_A, i);
		if (q == NULL)
			return -1;
		q->res = res;
		dnsbl_send(b, q, ip);
	}
	b->asked[i][dnsbl_fam_index(ip->family)] = 1;
	return 0;
}

/* Sets up report r's results: from the cache where it has them (not from
 * a list now known to fail), "skipped" for lists in back-off or out of
 * budget, else the list is asked. Returns 0, or -1 when the batch is full. */
static int start_report(struct batch *b, struct dnsbl_report *r, const struct ipaddr *ip,
			unsigned flags, int64_t now)
{
	struct dnsbl_checker *chk = b->chk;
	int f = dnsbl_fam_index(r->family);
	for (size_t i = 0; i < chk->nlists; i++) {
		const struct dnsbl_list *l = chk->lists[i];
		if (r->family == 6 && !l->ipv6)
			continue;
		struct dnsbl_result *res = &r->results[r->n++];
		res->list = l;
		dnsbl_build_url(l->delist_url, r->ip, res->delist_url, sizeof res->delist_url);
		dnsbl_build_url(l->lookup_url, r->ip, res->lookup_url, sizeof res->lookup_url);
		(void)dnsbl_health_fresh(chk, i, r->family, now);
		if (!(flags & DNSBL_F_NOCACHE) && chk->health[i][f].state != HEALTH_BAD &&
		    dnsbl_cache_read(chk, res, r->ip, now) == 0)
			continue;
		if (b->skip[i][f] != NULL) {
			res->status = DNSBL_SKIPPED;
			snprintf(res->meaning, sizeof res->meaning, "%s: unknown", b->skip[i][f]);
			continue;
		}
		if (ask_list(b, i, res, ip) != 0)
			return -1;
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
	int reading = chk->store != NULL && store_read_begin(chk->store) == PERR_OK;
	int rc = 0;
	dnsbl_live_plan(b, now, 3 * n + 2);
	for (size_t k = 0; k < n && rc == 0; k++)
		if (out[k] != NULL && out[k]->sent)
			rc = start_report(b, out[k], &parsed[k], flags, now);
	if (reading)
		store_read_end(chk->store);
	return rc;
}

/* Judges every A query of the batch with its TXT. */
static void judge_batch(struct batch *b)
{
	for (size_t k = 0; k < b->nq; k++) {
		struct query *q = &b->q[k];
		if (q->kind != Q_A)
			continue;
		struct query *txt = NULL;
		for (size_t t = k + 1; t < b->nq; t++)
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

/* Applies list health to the results, then caches the answers of lists
 * that passed their test in this round trip (or have none): an answer
 * from a list that failed, or whose test points went unanswered, is
 * never cached. */
static void finish_reports(struct batch *b, struct dnsbl_report **out, size_t n, int64_t now)
{
	struct dnsbl_checker *chk = b->chk;
	int64_t end = dnsbl_mono_ms();
	for (size_t k = 0; k < n; k++) {
		struct dnsbl_report *r = out[k];
		if (r == NULL)
			continue;
		r->ms = (unsigned)(end - b->t0);
		for (size_t i = 0; i < r->n; i++) {
			struct dnsbl_result *res = &r->results[i];
			size_t li = list_index(chk, res->list);
			dnsbl_apply_health(chk, res, li, r->family);
			if (chk->store != NULL)
				(void)store_dnsbl_outcome_add(chk->store, res->list->zone,
							      dnsbl_status_str(res->status),
							      res->cached);
			if (!res->list->test || b->proven[li][dnsbl_fam_index(r->family)] == HEALTH_OK)
				dnsbl_cache_write(chk, r->ip, res, now);
		}
	}
	if (chk->store != NULL && chk->cache_max_s > 0 && now - chk->pruned_at >= 60) {
		(void)store_dnsbl_cache_prune(chk->store, now);
		chk->pruned_at = now;
	}
}

/* Records what the round trip taught (health, failures, query counts) and
 * the answers, in one write transaction. */
static void record_batch(struct batch *b, struct dnsbl_report **out, size_t n, int64_t now)
{
	struct dnsbl_checker *chk = b->chk;
	int writing = chk->store != NULL && store_begin(chk->store) == PERR_OK;
	dnsbl_record_health(b);
	dnsbl_live_record(b, now);
	judge_batch(b);
	finish_reports(b, out, n, now);
	if (writing && store_commit(chk->store) != PERR_OK)
		store_rollback(chk->store);
}

/* The one-address case of the portal: coalesces with another worker's
 * lookup of the same address first. */
static int claim_single(struct dnsbl_checker *chk, struct dnsbl_report *r, unsigned flags,
			int64_t deadline)
{
	if (r == NULL || !r->sent || (flags & DNSBL_F_NOCACHE) || !chk->coalesce)
		return 0;
	return dnsbl_coalesce_claim(chk, r->ip, deadline);
}

enum perr dnsbl_check_many(struct dnsbl_checker *chk, const char *const *ips, size_t n,
			   unsigned flags, struct dnsbl_report **out)
{
	enum perr rc = PERR_NOMEM;
	struct ipaddr *parsed = calloc(n ? n : 1, sizeof *parsed);
	struct batch b;
	dnsbl_batch_init(&b, chk);
	if (parsed == NULL)
		return PERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	b.t0 = dnsbl_mono_ms();
	int want[2] = { 0, 0 }, claimed = 0;
	if (prepare_reports(chk, ips, n, parsed, out, want) != PERR_OK)
		goto out;
	claimed = n == 1 && claim_single(chk, out[0], flags, b.t0 + chk->timeout_ms);
	int64_t now = (int64_t)time(NULL);
	b.cap = chk->nlists * (2 * n + 4);
	b.q = calloc(b.cap ? b.cap : 1, sizeof *b.q);
	if (b.q == NULL)
		goto out;
	if (start_reports(&b, out, parsed, n, flags, now) != 0)
		goto out;
	add_tests(&b, want, now);
	dnsbl_wait(&b, b.t0 + chk->timeout_ms);
	record_batch(&b, out, n, now);
	rc = PERR_OK;
out:
	if (claimed)
		dnsbl_coalesce_release(chk, out[0] ? out[0]->ip : ips[0]);
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
