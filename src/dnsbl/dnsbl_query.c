/* Building DNSBL queries: names (plain or Spamhaus DQS), the batch's
 * query table and the shape of an answer (listed or refused). No c-ares
 * here. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal/dnsbl_internal.h"

int64_t dnsbl_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void dnsbl_code_text(uint32_t c, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", c >> 24, (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
}

int dnsbl_dqs_key_valid(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n >= DNSBL_DQS_KEY_MAX || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]))
			return 0;
	return 1;
}

int dnsbl_query_name(const struct dnsbl_checker *chk, const struct dnsbl_list *l,
		     const struct ipaddr *ip, char *buf, size_t len)
{
	char rev[IPADDR_REV_LEN];
	if (ipaddr_reverse(ip, rev, sizeof rev) == 0)
		return -1;
	int n;
	if (chk->dqs_key[0] != '\0' && l->dqs_zone[0] != '\0')
		n = snprintf(buf, len, "%s.%s.%s", rev, chk->dqs_key, l->dqs_zone);
	else
		n = snprintf(buf, len, "%s.%s", rev, l->zone);
	return n > 0 && (size_t)n < len && n <= DNS_NAME_MAX ? 0 : -1;
}

void dnsbl_batch_init(struct batch *b, struct dnsbl_checker *chk)
{
	memset(b, 0, sizeof *b);
	b->chk = chk;
	for (size_t i = 0; i < LIMIT_DNS_LISTS_MAX; i++)
		b->proven[i][0] = b->proven[i][1] = HEALTH_UNKNOWN;
}

struct query *dnsbl_new_query(struct batch *b, enum qkind kind, size_t li)
{
	if (b->nq == b->cap)
		return NULL;
	struct query *q = &b->q[b->nq++];
	memset(q, 0, sizeof *q);
	q->b = b;
	q->kind = kind;
	q->li = li;
	q->status = QS_TIMEOUT;
	return q;
}

int dnsbl_answer_listed(const struct dnsbl_list *l, const struct dnsbl_answer *a, int *refused)
{
	int listed = 0;
	*refused = 0;
	for (size_t i = 0; i < a->na; i++) {
		if (dnsbl_code_refused(l, a->a[i]))
			*refused = 1;
		else
			listed = 1;
	}
	return listed && !*refused;
}

int dnsbl_query_family(const struct query *q)
{
	return q->kind == Q_POS || q->kind == Q_NEG ? q->family : q->ip.family;
}
