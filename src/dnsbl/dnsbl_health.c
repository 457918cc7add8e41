/* List health: the RFC 5782 test points (127.0.0.2 listed, 127.0.0.1 not;
 * ::ffff:7f00:2 / ::ffff:7f00:1 for IPv6), judged per list and family and
 * kept in memory and in the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "internal/dnsbl_internal.h"
#include "store/store_dnsbl.h"

int dnsbl_fam_index(int family)
{
	return family == 6 ? 1 : 0;
}

/* The positive or negative test point of family. */
static void test_point(int family, int positive, struct ipaddr *ip)
{
	memset(ip, 0, sizeof *ip);
	ip->family = family;
	if (family == 4) {
		ip->b[0] = 127;
		ip->b[3] = positive ? 2 : 1;
	} else {
		/* ::ffff:7f00:2 / ::ffff:7f00:1 (RFC 5782 §5) */
		ip->b[10] = ip->b[11] = 0xff;
		ip->b[12] = 0x7f;
		ip->b[15] = positive ? 2 : 1;
	}
}

int dnsbl_health_fresh(struct dnsbl_checker *chk, size_t i, int family, int64_t now)
{
	struct health *h = &chk->health[i][dnsbl_fam_index(family)];
	if (h->state != HEALTH_UNKNOWN && now - h->checked_at < (int64_t)chk->health_interval_s)
		return 1;
	if (chk->store != NULL) {
		struct store_dnsbl_health sh;
		if (store_dnsbl_health_get(chk->store, chk->lists[i]->zone, family, &sh) == PERR_OK &&
		    now - sh.checked_at < (int64_t)chk->health_interval_s && sh.checked_at <= now) {
			h->state = sh.ok ? HEALTH_OK : HEALTH_BAD;
			h->checked_at = sh.checked_at;
			snprintf(h->detail, sizeof h->detail, "%s", sh.detail);
			return 1;
		}
	}
	return 0;
}

int dnsbl_needs_test(const struct dnsbl_checker *chk, size_t i, int family)
{
	const struct dnsbl_list *l = chk->lists[i];
	return l->test && (family == 4 || l->ipv6);
}

void dnsbl_add_health_queries(struct batch *b, size_t i, int family)
{
	for (int pos = 1; pos >= 0; pos--) {
		struct query *q = dnsbl_new_query(b, pos ? Q_POS : Q_NEG, i);
		if (q == NULL)
			return;
		q->family = family;
		struct ipaddr ip;
		test_point(family, pos, &ip);
		dnsbl_send(b, q, &ip);
	}
}

/* 1 when the answer carries one of the list's test codes (or it has none). */
static int code_expected(const struct dnsbl_list *l, const struct dnsbl_answer *a)
{
	if (l->ntest_codes == 0)
		return 1;
	for (size_t i = 0; i < a->na; i++)
		for (size_t k = 0; k < l->ntest_codes; k++)
			if (a->a[i] == l->test_codes[k])
				return 1;
	return 0;
}

/* Judges an A answer to a test point: 1 passes, 0 fails (detail filled). */
static int judge_listed_point(const struct dnsbl_list *l, const struct query *q,
			      const char *point, char *detail, size_t len)
{
	int refused;
	int listed = dnsbl_answer_listed(l, &q->ans, &refused);
	char code[20];
	dnsbl_code_text(q->ans.na ? q->ans.a[0] : 0, code, sizeof code);
	if (refused) {
		snprintf(detail, len, "refuses queries: test point %s answered %s", point, code);
		return 0;
	}
	if (q->kind == Q_POS) {
		if (listed && code_expected(l, &q->ans))
			return 1;
		snprintf(detail, len, "test point %s answered %s, not one of its listing codes",
			 point, code);
		return 0;
	}
	if (listed && !l->test_clean_listed) {
		snprintf(detail, len, "lists everything: test point %s (never listed) answered %s",
			 point, code);
		return 0;
	}
	return 1;
}

/* Judges one test-point answer: 1 passes, 0 fails (detail filled), -1 no
 * verdict (no answer in time, or a failure of the path to the list). */
static int judge_point(const struct dnsbl_list *l, const struct query *q, int family,
		       char *detail, size_t len)
{
	const char *point = family == 4 ? (q->kind == Q_POS ? "127.0.0.2" : "127.0.0.1")
					: (q->kind == Q_POS ? "::ffff:7f00:2" : "::ffff:7f00:1");
	if (!q->done)
		return -1;
	if (q->status == QS_OK)
		return judge_listed_point(l, q, point, detail, len);
	if (q->status == QS_NOTFOUND) {
		if (q->kind == Q_NEG)
			return 1;
		snprintf(detail, len, "lists nothing: test point %s (always listed) is not listed", point);
		return 0;
	}
	/* SERVFAIL, REFUSED or a network failure says more about the path to
	 * the list (our resolver) than about the list: no verdict, so an
	 * outage of our own DNS does not brand every list for an hour. The
	 * check's own query fails the same way and is shown as "error". */
	return -1;
}

/* Stores health h of list l and logs a failure. */
static void save_health(struct dnsbl_checker *chk, const struct dnsbl_list *l, int family,
			const struct health *h)
{
	if (chk->store != NULL) {
		struct store_dnsbl_health sh = { .ok = h->state == HEALTH_OK, .checked_at = h->checked_at };
		snprintf(sh.detail, sizeof sh.detail, "%s", h->detail);
		(void)store_dnsbl_health_put(chk->store, l->zone, family, &sh);
	}
	if (h->state == HEALTH_BAD)
		log_event(LOG_WARN, NULL, "dnsbl: list %s (IPv%d) failed its self-test: %s",
			  l->zone, family, h->detail);
}

void dnsbl_record_health(struct batch *b)
{
	struct dnsbl_checker *chk = b->chk;
	int64_t now = (int64_t)time(NULL);
	for (size_t k = 0; k < b->nq; k++) {
		struct query *q = &b->q[k];
		if (q->kind != Q_POS)
			continue;
		/* The matching Q_NEG was added right after this one. */
		struct query *neg = k + 1 < b->nq && b->q[k + 1].kind == Q_NEG &&
				    b->q[k + 1].li == q->li ? &b->q[k + 1] : NULL;
		const struct dnsbl_list *l = chk->lists[q->li];
		char d1[DNSBL_DETAIL_MAX] = "", d2[DNSBL_DETAIL_MAX] = "";
		int v1 = judge_point(l, q, q->family, d1, sizeof d1);
		int v2 = neg ? judge_point(l, neg, q->family, d2, sizeof d2) : -1;
		struct health *h = &chk->health[q->li][dnsbl_fam_index(q->family)];
		if (v1 == 0 || v2 == 0) {
			h->state = HEALTH_BAD;
			snprintf(h->detail, sizeof h->detail, "%s", v1 == 0 ? d1 : d2);
		} else if (v1 == 1 && v2 == 1) {
			h->state = HEALTH_OK;
			h->detail[0] = '\0';
		} else {
			continue;   /* no verdict: keep what we had */
		}
		h->checked_at = now;
		b->proven[q->li][dnsbl_fam_index(q->family)] = h->state;
		save_health(chk, l, q->family, h);
	}
}

int dnsbl_health(const struct dnsbl_checker *chk, size_t i, int family,
		 char *detail, size_t detaillen, int64_t *checked_at)
{
	if (i >= chk->nlists)
		return HEALTH_UNKNOWN;
	const struct health *h = &chk->health[i][dnsbl_fam_index(family)];
	if (detail != NULL && detaillen > 0)
		snprintf(detail, detaillen, "%s", h->detail);
	if (checked_at != NULL)
		*checked_at = h->state == HEALTH_UNKNOWN ? 0 : h->checked_at;
	if (!chk->lists[i]->test)
		return HEALTH_OK;
	return h->state;
}

enum perr dnsbl_health_refresh(struct dnsbl_checker *chk)
{
	struct batch b;
	dnsbl_batch_init(&b, chk);
	b.cap = chk->nlists * 4;
	b.q = calloc(b.cap, sizeof *b.q);
	if (b.q == NULL)
		return PERR_NOMEM;
	b.t0 = dnsbl_mono_ms();
	for (size_t i = 0; i < chk->nlists; i++)
		for (int family = 4; family <= 6; family += 2)
			if (dnsbl_needs_test(chk, i, family))
				dnsbl_add_health_queries(&b, i, family);
	dnsbl_wait(&b, b.t0 + chk->timeout_ms);
	dnsbl_record_health(&b);
	free(b.q);
	dnsbl_live_load_all(chk);
	return PERR_OK;
}
