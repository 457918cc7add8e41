/* Answer handling: turns a check's A and TXT answers into the result a
 * customer sees (listed, clean, timeout, error, refused), and overrides
 * it with "untrusted" when the list failed its self-test. */
#include <stdio.h>
#include <string.h>

#include "internal/dnsbl_internal.h"

/* Replaces every occurrence of the DQS key in s (case-insensitive). */
static void scrub_key(const struct dnsbl_checker *chk, char *s)
{
	size_t klen = strlen(chk->dqs_key);
	if (klen == 0)
		return;
	char *p;
	while ((p = strcasestr(s, chk->dqs_key)) != NULL) {
		static const char mask[] = "[key]";
		size_t rest = strlen(p + klen);
		if (klen >= sizeof mask - 1) {
			memcpy(p, mask, sizeof mask - 1);
			memmove(p + sizeof mask - 1, p + klen, rest + 1);
		} else {
			memset(p, '*', klen);
		}
	}
}

void dnsbl_set_listed(struct dnsbl_result *res)
{
	res->status = DNSBL_LISTED;
	dnsbl_decode(res->list, res->codes, res->ncodes, res->meaning, sizeof res->meaning,
		     &res->severity, &res->policy);
	res->self_service = dnsbl_codes_self_service(res->list, res->codes, res->ncodes);
}

/* A successful A answer: listed (with its TXT), or refused. */
static void judge_success(struct dnsbl_checker *chk, struct query *q, struct query *txt, int64_t t0)
{
	struct dnsbl_result *res = q->res;
	int refused;
	res->ncodes = q->ans.na;
	memcpy(res->codes, q->ans.a, q->ans.na * sizeof q->ans.a[0]);
	res->ttl = q->ans.ttl;
	if (!dnsbl_answer_listed(res->list, &q->ans, &refused)) {
		char code[20];
		dnsbl_code_text(q->ans.a[0], code, sizeof code);
		res->status = DNSBL_REFUSED;
		snprintf(res->meaning, sizeof res->meaning,
			 "the list refused the query (it answered %s, an error code, not a listing): "
			 "no verdict", code);
		return;
	}
	dnsbl_set_listed(res);
	if (txt != NULL && txt->done && txt->status == QS_OK) {
		snprintf(res->txt, sizeof res->txt, "%s", txt->ans.txt);
		scrub_key(chk, res->txt);
	}
	if (txt != NULL && txt->done && txt->status != QS_CANCELLED &&
	    txt->t_done - t0 > (int64_t)res->ms)
		res->ms = (unsigned)(txt->t_done - t0);
}

void dnsbl_judge_check(struct dnsbl_checker *chk, struct query *q, struct query *txt, int64_t t0)
{
	struct dnsbl_result *res = q->res;
	res->ms = q->done && q->status != QS_CANCELLED ? (unsigned)(q->t_done - t0) : chk->timeout_ms;
	switch (q->status) {
	case QS_OK:
		judge_success(chk, q, txt, t0);
		break;
	case QS_NOTFOUND:
		res->status = DNSBL_CLEAN;
		res->ttl = q->ans.has_ttl ? q->ans.ttl : 0;
		snprintf(res->meaning, sizeof res->meaning, "not listed");
		break;
	case QS_TIMEOUT:
	case QS_CANCELLED:
		res->status = DNSBL_TIMEOUT;
		snprintf(res->meaning, sizeof res->meaning, "no answer before the deadline: unknown");
		break;
	case QS_ERROR:
		res->status = DNSBL_ERROR;
		snprintf(res->meaning, sizeof res->meaning, "DNS error (%s): unknown",
			 q->err ? q->err : "?");
		break;
	}
}

void dnsbl_apply_health(struct dnsbl_checker *chk, struct dnsbl_result *res, size_t li, int family)
{
	if (res->status != DNSBL_LISTED && res->status != DNSBL_CLEAN)
		return;
	if (!chk->lists[li]->test)
		return;
	const struct health *h = &chk->health[li][dnsbl_fam_index(family)];
	if (h->state != HEALTH_BAD)
		return;
	char was[16];
	snprintf(was, sizeof was, "%s", dnsbl_status_str(res->status));
	res->status = DNSBL_UNTRUSTED;
	res->severity = DNSBL_SEV_NONE;
	res->policy = 0;
	snprintf(res->meaning, sizeof res->meaning,
		 "not trusted right now: the list failed its self-test (%s); its answer (%s) is ignored",
		 h->detail, was);
}
