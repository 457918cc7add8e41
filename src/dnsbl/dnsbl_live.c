/* Learning from live traffic: a list that gives no answer at all in
 * backoff_after checks in a row is skipped for a back-off period (doubling
 * while it keeps failing), and per-list daily query budgets (dns.budgets)
 * stop the checker from asking a list past its operator's free use. Both
 * are kept in the store when there is one, so every worker shares them;
 * else in the checker's memory. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/time_span.h"
#include "core/log.h"
#include "internal/dnsbl_internal.h"
#include "store/store_dnsbl.h"

/* Index of zone in chk->lists, or -1. */
static int list_by_zone(const struct dnsbl_checker *chk, const char *zone)
{
	for (size_t i = 0; i < chk->nlists; i++)
		if (strcasecmp(chk->lists[i]->zone, zone) == 0)
			return (int)i;
	return -1;
}

/* Parses one "zone=N" item of len bytes. 0, or -1 with errbuf filled. */
static int budget_item(struct dnsbl_checker *chk, const char *p, size_t len, char *errbuf,
		       size_t errlen)
{
	const char *eq = memchr(p, '=', len);
	char zone[DNSBL_ZONE_MAX], num[24];
	size_t zl = eq ? (size_t)(eq - p) : 0, nl = eq ? len - zl - 1 : 0;
	if (eq == NULL || zl == 0 || zl >= sizeof zone || nl == 0 || nl >= sizeof num) {
		snprintf(errbuf, errlen, "dns.budgets: '%.*s' is not zone=queries", (int)(len > 80 ? 80 : len), p);
		return -1;
	}
	memcpy(zone, p, zl);
	zone[zl] = '\0';
	memcpy(num, eq + 1, nl);
	num[nl] = '\0';
	char *end;
	long long v = strtoll(num, &end, 10);
	if (*end != '\0' || !isdigit((unsigned char)num[0]) || v < 1 || v > 1000000000LL) {
		snprintf(errbuf, errlen, "dns.budgets: %s: the budget must be 1 to 1000000000 queries", zone);
		return -1;
	}
	int i = list_by_zone(chk, zone);
	if (i < 0) {
		snprintf(errbuf, errlen, "dns.budgets: %.80s is not one of the lists queried", zone);
		return -1;
	}
	chk->budget[i] = v;
	return 0;
}

int dnsbl_budgets_parse(struct dnsbl_checker *chk, const char *spec, char *errbuf, size_t errlen)
{
	const char *p = spec;
	while (p != NULL && *p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		size_t len = 0;
		while (p[len] && p[len] != ',' && !isspace((unsigned char)p[len]))
			len++;
		if (len > 0 && budget_item(chk, p, len, errbuf, errlen) != 0)
			return -1;
		p += len;
	}
	return 0;
}

/* Loads list i's live-failure state for family from the store. */
static void load_live(struct dnsbl_checker *chk, size_t i, int family)
{
	struct livefail *lf = &chk->live[i][dnsbl_fam_index(family)];
	struct store_dnsbl_health sh;
	if (chk->store == NULL ||
	    store_dnsbl_health_get(chk->store, chk->lists[i]->zone, family, &sh) != PERR_OK)
		return;
	lf->fails = sh.fails;
	lf->skip_until = sh.skip_until;
	snprintf(lf->detail, sizeof lf->detail, "%s", sh.fail_detail);
}

int dnsbl_backoff_state(const struct dnsbl_checker *chk, size_t i, int family, char *detail,
			size_t len, int64_t *until)
{
	const struct livefail *lf = &chk->live[i][dnsbl_fam_index(family)];
	int64_t now = (int64_t)time(NULL);
	if (until != NULL)
		*until = lf->skip_until;
	if (lf->skip_until <= now)
		return 0;
	char when[32];
	time_t t = (time_t)lf->skip_until;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M:%S UTC", &tm);
	snprintf(detail, len, "skipped: no answer in %u checks in a row (%s); asked again after %s",
		 lf->fails, lf->detail, when);
	return 1;
}

/* Queries list i has used today (UTC). */
static int64_t used_today(struct dnsbl_checker *chk, size_t i, int64_t day)
{
	int64_t n = 0;
	if (chk->store != NULL) {
		(void)store_dnsbl_budget_get(chk->store, chk->lists[i]->zone, day, &n);
		return n;
	}
	return chk->used_day == day ? chk->used[i] : 0;
}

void dnsbl_live_load_all(struct dnsbl_checker *chk)
{
	for (size_t i = 0; i < chk->nlists; i++) {
		load_live(chk, i, 4);
		load_live(chk, i, 6);
	}
}

void dnsbl_live_plan(struct batch *b, int64_t now, size_t nq_per_list)
{
	struct dnsbl_checker *chk = b->chk;
	for (size_t i = 0; i < chk->nlists; i++) {
		int64_t used = chk->budget[i] > 0 ? used_today(chk, i, now / SECONDS_PER_DAY) : 0;
		int over = chk->budget[i] > 0 &&
			   (used + (int64_t)nq_per_list) * 100 > chk->budget[i] * DNSBL_BUDGET_STOP_PCT;
		for (int f = 0; f < 2; f++) {
			char *text = b->skip_text[i][f];
			load_live(chk, i, f ? 6 : 4);
			if (over) {
				snprintf(text, DNSBL_DETAIL_MAX,
					 "skipped: its daily query budget (%lld) is nearly used (%lld asked today); "
					 "asked again after 00:00 UTC", (long long)chk->budget[i], (long long)used);
				b->skip[i][f] = text;
			} else if (dnsbl_backoff_state(chk, i, f ? 6 : 4, text, DNSBL_DETAIL_MAX, NULL)) {
				b->skip[i][f] = text;
			}
		}
	}
}

/* Outcome of list i, family index f in this round trip: queries sent,
 * whether any got an answer, and the first failure's text. */
static size_t list_outcome(const struct batch *b, size_t i, int f, int *answered, const char **why)
{
	size_t sent = 0;
	*answered = 0;
	*why = NULL;
	for (size_t k = 0; k < b->nq; k++) {
		const struct query *q = &b->q[k];
		if (q->li != i || !q->sent || dnsbl_fam_index(dnsbl_query_family(q)) != f)
			continue;
		sent++;
		if (q->status == QS_OK || q->status == QS_NOTFOUND)
			*answered = 1;
		else if (*why == NULL)
			*why = q->status == QS_ERROR && q->err ? q->err : "timeouts";
	}
	return sent;
}

/* Counts one failing (or answering) round trip of list i for family. */
static void count_failure(struct dnsbl_checker *chk, size_t i, int family, int failed,
			  const char *why, int64_t now)
{
	struct livefail *lf = &chk->live[i][dnsbl_fam_index(family)];
	if (!failed && lf->fails == 0)
		return;
	if (!failed) {
		lf->fails = 0;
		lf->skip_until = 0;
		lf->detail[0] = '\0';
	} else {
		lf->fails++;
		snprintf(lf->detail, sizeof lf->detail, "%s", why ? why : "timeouts");
		if (lf->fails >= chk->backoff_after) {
			unsigned shift = lf->fails - chk->backoff_after;
			if (shift > DNSBL_BACKOFF_MAX_SHIFT)
				shift = DNSBL_BACKOFF_MAX_SHIFT;
			lf->skip_until = now + ((int64_t)chk->backoff_s << shift);
			log_event(LOG_WARN, NULL, "dnsbl: list %s (IPv%d) skipped for %llds: %s",
				  chk->lists[i]->zone, family, (long long)(lf->skip_until - now), lf->detail);
		}
	}
	if (chk->store != NULL)
		(void)store_dnsbl_fail_put(chk->store, chk->lists[i]->zone, family, lf->fails,
					   lf->skip_until, lf->detail);
}

void dnsbl_live_record(struct batch *b, int64_t now)
{
	struct dnsbl_checker *chk = b->chk;
	int64_t day = now / SECONDS_PER_DAY;
	if (chk->used_day != day) {
		memset(chk->used, 0, sizeof chk->used);
		chk->used_day = day;
	}
	for (size_t i = 0; i < chk->nlists; i++) {
		size_t total = 0;
		for (int f = 0; f < 2; f++) {
			int answered;
			const char *why;
			size_t sent = list_outcome(b, i, f, &answered, &why);
			total += sent;
			if (sent > 0)
				count_failure(chk, i, f ? 6 : 4, !answered, why, now);
		}
		chk->used[i] += (int64_t)total;
		if (total > 0 && chk->store != NULL)
			(void)store_dnsbl_budget_add(chk->store, chk->lists[i]->zone, day, (int64_t)total);
	}
}
