/* The DNSBL checker over c-ares 1.18 (the only file that includes ares.h).
 *
 * One check = one batch: for every address and list an A query, plus the
 * RFC 5782 test-point queries of lists whose health is stale, all sent
 * before the first answer is read. A listed A answer triggers its TXT
 * query from the callback. The wait loop polls the channel's sockets with
 * min(ares_timeout, time left) and cancels everything at the deadline. */
#include <ares.h>
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/config.h"
#include "dnsbl.h"
#include "core/limits.h"
#include "core/log.h"
#include "store/store_dnsbl.h"
#include "core/time_span.h"

#define DNSBL_SOCKS_MAX 64
#define DNSBL_TRIES 3
#define DNSBL_HEALTH_DEFAULT_S SECONDS_PER_HOUR
#define DNS_NAME_MAX 253
#define DNS_CLASS_IN 1
#define DNS_TYPE_A 1
#define DNS_TYPE_TXT 16

enum health_state { HEALTH_UNKNOWN = -1, HEALTH_BAD = 0, HEALTH_OK = 1 };

struct health {
	int state;                        /* enum health_state */
	int64_t checked_at;
	char detail[DNSBL_DETAIL_MAX];
};

struct dnsbl_checker {
	const struct dnsbl_catalogue *cat;
	ares_channel ch;
	int ares_inited;
	size_t nlists;
	const struct dnsbl_list *lists[LIMIT_DNS_LISTS_MAX];
	struct health health[LIMIT_DNS_LISTS_MAX][2];   /* [list][v4, v6] */
	unsigned timeout_ms;
	int allow_reserved;
	char dqs_key[DNSBL_DQS_KEY_MAX];
	unsigned cache_max_s;
	unsigned health_interval_s;
	struct store *store;
	int64_t pruned_at;          /* last cache prune (at most once a minute) */
	size_t nsocks;
	struct pollfd socks[DNSBL_SOCKS_MAX];
};

enum qkind { Q_A, Q_TXT, Q_POS, Q_NEG };

struct batch;

struct query {
	struct batch *b;
	enum qkind kind;
	size_t li;                  /* index into chk->lists */
	int family;                 /* health queries: which family */
	struct dnsbl_result *res;   /* check queries: where the verdict goes */
	struct ipaddr ip;           /* check queries: the address (for TXT) */
	int sent, done;
	int status;                 /* ARES_* */
	struct dnsbl_answer ans;
	int64_t t_done;
};

struct batch {
	struct dnsbl_checker *chk;
	struct query *q;
	size_t nq, cap;
	int pending;
	int cancelling;
	int64_t t0;
};

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

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void code_text(uint32_t c, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", c >> 24, (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
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

/* A DQS key is one DNS label of letters and digits. */
static int dqs_key_valid(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n >= DNSBL_DQS_KEY_MAX || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]))
			return 0;
	return 1;
}

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

/* c-ares tells us which sockets to watch. */
static void sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
	struct dnsbl_checker *chk = data;
	size_t i;
	for (i = 0; i < chk->nsocks; i++)
		if (chk->socks[i].fd == fd)
			break;
	if (!readable && !writable) {
		if (i < chk->nsocks)
			chk->socks[i] = chk->socks[--chk->nsocks];
		return;
	}
	if (i == chk->nsocks) {
		if (chk->nsocks == DNSBL_SOCKS_MAX) {
			log_event(LOG_ERROR, NULL, "dnsbl: more than %d DNS sockets", DNSBL_SOCKS_MAX);
			return;
		}
		chk->nsocks++;
	}
	chk->socks[i].fd = fd;
	chk->socks[i].events = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
	chk->socks[i].revents = 0;
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
		if (!dqs_key_valid(o->dqs_key)) {
			snprintf(errbuf, errlen, "dns.dqs_key must be letters and digits only");
			goto out;
		}
		snprintf(chk->dqs_key, sizeof chk->dqs_key, "%s", o->dqs_key);
	}
	if (resolve_lists(chk, o->lists, errbuf, errlen) != 0)
		goto out;

	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
		snprintf(errbuf, errlen, "c-ares library init failed");
		rc = PERR_DNS;
		goto out;
	}
	chk->ares_inited = 1;

	/* Per-try timeout: a third of the deadline, so a lost UDP packet is
	 * retried once or twice before the deadline cancels it. */
	struct ares_options opts;
	memset(&opts, 0, sizeof opts);
	int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB;
	opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
	opts.timeout = (int)(chk->timeout_ms / DNSBL_TRIES > 100 ? chk->timeout_ms / DNSBL_TRIES : 100);
	opts.tries = DNSBL_TRIES;
	opts.sock_state_cb = sock_state_cb;
	opts.sock_state_cb_data = chk;
	int st = ares_init_options(&chk->ch, &opts, mask);
	if (st != ARES_SUCCESS) {
		snprintf(errbuf, errlen, "c-ares init failed: %s", ares_strerror(st));
		chk->ch = NULL;
		rc = PERR_DNS;
		goto out;
	}
	if (o->servers != NULL && *o->servers != '\0') {
		st = ares_set_servers_ports_csv(chk->ch, o->servers);
		if (st != ARES_SUCCESS) {
			snprintf(errbuf, errlen, "dns.servers is not a list of host:port addresses");
			goto out;
		}
	}
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
	if (chk->ch != NULL)
		ares_destroy(chk->ch);
	if (chk->ares_inited)
		ares_library_cleanup();
	/* The key is a secret: do not leave it in freed memory. */
	explicit_bzero(chk->dqs_key, sizeof chk->dqs_key);
	free(chk);
}

size_t dnsbl_checker_lists(const struct dnsbl_checker *chk, const struct dnsbl_list *const **lists)
{
	*lists = chk->lists;
	return chk->nlists;
}

/* ---- queries ----------------------------------------------------------- */

/* Builds the query name for list l. Returns 0, or -1 when it would be too
 * long for DNS. */
static int query_name(const struct dnsbl_checker *chk, const struct dnsbl_list *l,
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

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen);

static struct query *new_query(struct batch *b, enum qkind kind, size_t li)
{
	if (b->nq == b->cap)
		return NULL;
	struct query *q = &b->q[b->nq++];
	memset(q, 0, sizeof *q);
	q->b = b;
	q->kind = kind;
	q->li = li;
	q->status = ARES_ETIMEOUT;
	return q;
}

static void send_query(struct batch *b, struct query *q, const struct ipaddr *ip)
{
	char name[DNS_NAME_MAX + 64];
	const struct dnsbl_list *l = b->chk->lists[q->li];
	if (query_name(b->chk, l, ip, name, sizeof name) != 0) {
		q->done = 1;
		q->status = ARES_EBADNAME;
		return;
	}
	q->sent = 1;
	b->pending++;
	ares_query(b->chk->ch, name, DNS_CLASS_IN, q->kind == Q_TXT ? DNS_TYPE_TXT : DNS_TYPE_A,
		   on_answer, q);
}

/* 1 when the answer lists (has at least one A record that is not a
 * "refused" code); *refused set when any code is a refusal. */
static int answer_listed(const struct dnsbl_list *l, const struct dnsbl_answer *a, int *refused)
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

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	struct batch *b = q->b;
	(void)timeouts;
	b->pending--;
	q->done = 1;
	q->status = status;
	q->t_done = mono_ms();
	if (abuf != NULL && alen > 0)
		(void)dnsbl_answer_parse(abuf, (size_t)alen, &q->ans);
	if (status == ARES_SUCCESS && q->ans.na == 0 && q->kind != Q_TXT)
		q->status = ARES_ENODATA;

	if (q->kind == Q_A && q->status == ARES_SUCCESS && !b->cancelling) {
		const struct dnsbl_list *l = b->chk->lists[q->li];
		int refused;
		if (l->txt && answer_listed(l, &q->ans, &refused)) {
			struct query *t = new_query(b, Q_TXT, q->li);
			if (t != NULL) {
				t->res = q->res;
				t->ip = q->ip;
				send_query(b, t, &q->ip);
			}
		}
	}
}

/* Runs the channel until nothing is pending or the deadline passes; then
 * cancels what is left (their callbacks run with ARES_ECANCELLED). */
static void wait_batch(struct batch *b, int64_t deadline)
{
	struct dnsbl_checker *chk = b->chk;
	while (b->pending > 0) {
		int64_t now = mono_ms();
		if (now >= deadline)
			break;
		int64_t left = deadline - now;
		struct timeval maxtv = { (time_t)(left / 1000), (suseconds_t)((left % 1000) * 1000) };
		struct timeval tv, *tvp = ares_timeout(chk->ch, &maxtv, &tv);
		int ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
		if (ms < 0)
			ms = 0;

		struct pollfd fds[DNSBL_SOCKS_MAX];
		size_t n = chk->nsocks;
		memcpy(fds, chk->socks, n * sizeof fds[0]);
		int r = poll(fds, (nfds_t)n, ms);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			log_event(LOG_ERROR, NULL, "dnsbl: poll: %s", strerror(errno));
			break;
		}
		if (r == 0) {
			ares_process_fd(chk->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			if (fds[i].revents == 0)
				continue;
			ares_socket_t rfd = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD;
			ares_socket_t wfd = (fds[i].revents & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD;
			ares_process_fd(chk->ch, rfd, wfd);
		}
	}
	if (b->pending > 0) {
		b->cancelling = 1;
		ares_cancel(chk->ch);
		b->cancelling = 0;
	}
}

/* ---- health ------------------------------------------------------------ */

static int fam_index(int family)
{
	return family == 6 ? 1 : 0;
}

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

/* Is list i's health for family usable without re-testing? Loads it from
 * the store into memory when memory has nothing fresh. */
static int health_fresh(struct dnsbl_checker *chk, size_t i, int family, int64_t now)
{
	struct health *h = &chk->health[i][fam_index(family)];
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

static int needs_test(const struct dnsbl_checker *chk, size_t i, int family)
{
	const struct dnsbl_list *l = chk->lists[i];
	return l->test && (family == 4 || l->ipv6);
}

static void add_health_queries(struct batch *b, size_t i, int family)
{
	for (int pos = 1; pos >= 0; pos--) {
		struct query *q = new_query(b, pos ? Q_POS : Q_NEG, i);
		if (q == NULL)
			return;
		q->family = family;
		struct ipaddr ip;
		test_point(family, pos, &ip);
		send_query(b, q, &ip);
	}
}

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

/* Judges one test-point answer: 1 passes, 0 fails (detail filled), -1 no
 * verdict (no answer in time). */
static int judge_point(const struct dnsbl_list *l, const struct query *q, int family,
		       char *detail, size_t len)
{
	const char *point = family == 4 ? (q->kind == Q_POS ? "127.0.0.2" : "127.0.0.1")
					: (q->kind == Q_POS ? "::ffff:7f00:2" : "::ffff:7f00:1");
	if (!q->done || q->status == ARES_ETIMEOUT || q->status == ARES_ECANCELLED)
		return -1;
	if (q->status == ARES_SUCCESS) {
		int refused;
		int listed = answer_listed(l, &q->ans, &refused);
		char code[20];
		code_text(q->ans.na ? q->ans.a[0] : 0, code, sizeof code);
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
	if (q->status == ARES_ENOTFOUND || q->status == ARES_ENODATA) {
		if (q->kind == Q_NEG)
			return 1;
		snprintf(detail, len, "lists nothing: test point %s (always listed) is not listed", point);
		return 0;
	}
	/* SERVFAIL, REFUSED or a network failure says more about the path to
	 * the list (our resolver) than about the list: no verdict, so an
	 * outage of our own DNS does not brand every list for an hour. The
	 * check's own query fails the same way and is shown as "error". */
	(void)detail;
	(void)len;
	return -1;
}

/* Turns the batch's test-point answers into health records. */
static void record_health(struct batch *b)
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
		struct health *h = &chk->health[q->li][fam_index(q->family)];
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
		if (chk->store != NULL) {
			struct store_dnsbl_health sh = { .ok = h->state == HEALTH_OK, .checked_at = now };
			snprintf(sh.detail, sizeof sh.detail, "%s", h->detail);
			(void)store_dnsbl_health_put(chk->store, l->zone, q->family, &sh);
		}
		if (h->state == HEALTH_BAD)
			log_event(LOG_WARN, NULL, "dnsbl: list %s (IPv%d) failed its self-test: %s",
				  l->zone, q->family, h->detail);
	}
}

int dnsbl_health(const struct dnsbl_checker *chk, size_t i, int family,
		 char *detail, size_t detaillen, int64_t *checked_at)
{
	if (i >= chk->nlists)
		return HEALTH_UNKNOWN;
	const struct health *h = &chk->health[i][fam_index(family)];
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
	struct batch b = { .chk = chk, .cap = chk->nlists * 4 };
	b.q = calloc(b.cap, sizeof *b.q);
	if (b.q == NULL)
		return PERR_NOMEM;
	b.t0 = mono_ms();
	for (size_t i = 0; i < chk->nlists; i++)
		for (int family = 4; family <= 6; family += 2)
			if (needs_test(chk, i, family))
				add_health_queries(&b, i, family);
	wait_batch(&b, b.t0 + chk->timeout_ms);
	record_health(&b);
	free(b.q);
	return PERR_OK;
}

/* ---- checks ------------------------------------------------------------ */

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

static void codes_to_text(const uint32_t *codes, size_t n, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++) {
		char c[20];
		code_text(codes[i], c, sizeof c);
		int w = snprintf(buf + o, len - o, "%s%s", i ? "," : "", c);
		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
	}
}

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

static void set_listed(struct dnsbl_result *res)
{
	res->status = DNSBL_LISTED;
	dnsbl_decode(res->list, res->codes, res->ncodes, res->meaning, sizeof res->meaning,
		     &res->severity, &res->policy);
}

/* Fills res from a cached row; 0, or -1 when the row is unusable. */
static int from_cache(struct dnsbl_result *res, const struct store_dnsbl_cached *c, int64_t now)
{
	if (strcmp(c->status, "listed") == 0) {
		codes_from_text(c->codes, res->codes, &res->ncodes);
		if (res->ncodes == 0)
			return -1;
		set_listed(res);
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

/* Turns the A query (and its TXT) into the verdict of res. */
static void judge_check(struct dnsbl_checker *chk, struct query *q, struct query *txt, int64_t t0)
{
	struct dnsbl_result *res = q->res;
	const struct dnsbl_list *l = res->list;
	res->ms = q->done && q->status != ARES_ECANCELLED ? (unsigned)(q->t_done - t0) : chk->timeout_ms;
	switch (q->status) {
	case ARES_SUCCESS: {
		int refused;
		res->ncodes = q->ans.na;
		memcpy(res->codes, q->ans.a, q->ans.na * sizeof q->ans.a[0]);
		res->ttl = q->ans.ttl;
		if (answer_listed(l, &q->ans, &refused)) {
			set_listed(res);
			if (txt != NULL && txt->done && txt->status == ARES_SUCCESS) {
				snprintf(res->txt, sizeof res->txt, "%s", txt->ans.txt);
				scrub_key(chk, res->txt);
			}
			if (txt != NULL && txt->done && txt->status != ARES_ECANCELLED &&
			    txt->t_done - t0 > (int64_t)res->ms)
				res->ms = (unsigned)(txt->t_done - t0);
		} else {
			char code[20];
			code_text(q->ans.a[0], code, sizeof code);
			res->status = DNSBL_REFUSED;
			snprintf(res->meaning, sizeof res->meaning,
				 "the list refused the query (it answered %s, an error code, not a listing): "
				 "no verdict", code);
		}
		break;
	}
	case ARES_ENOTFOUND:
	case ARES_ENODATA:
		res->status = DNSBL_CLEAN;
		res->ttl = q->ans.has_ttl ? q->ans.ttl : 0;
		snprintf(res->meaning, sizeof res->meaning, "not listed");
		break;
	case ARES_ETIMEOUT:
	case ARES_ECANCELLED:
		res->status = DNSBL_TIMEOUT;
		snprintf(res->meaning, sizeof res->meaning, "no answer before the deadline: unknown");
		break;
	default:
		res->status = DNSBL_ERROR;
		snprintf(res->meaning, sizeof res->meaning, "DNS error (%s): unknown",
			 ares_strerror(q->status));
		break;
	}
}

static void apply_health(struct dnsbl_checker *chk, struct dnsbl_result *res, size_t li, int family)
{
	if (res->status != DNSBL_LISTED && res->status != DNSBL_CLEAN)
		return;
	if (!chk->lists[li]->test)
		return;
	const struct health *h = &chk->health[li][fam_index(family)];
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

/* 1 when res is a fresh, definite answer worth caching. */
static int cacheable(const struct dnsbl_checker *chk, const struct dnsbl_result *res)
{
	return chk->store != NULL && chk->cache_max_s > 0 && !res->cached && res->ttl > 0 &&
	       (res->status == DNSBL_LISTED || res->status == DNSBL_CLEAN);
}

static void cache_result(struct dnsbl_checker *chk, const struct dnsbl_report *r,
			 const struct dnsbl_result *res, int64_t now)
{
	if (!cacheable(chk, res))
		return;
	struct store_dnsbl_cached c;
	memset(&c, 0, sizeof c);
	snprintf(c.status, sizeof c.status, "%s", dnsbl_status_str(res->status));
	codes_to_text(res->codes, res->ncodes, c.codes, sizeof c.codes);
	snprintf(c.txt, sizeof c.txt, "%s", res->txt);
	c.checked_at = now;
	c.expires_at = now + (res->ttl < chk->cache_max_s ? res->ttl : chk->cache_max_s);
	(void)store_dnsbl_cache_put(chk->store, res->list->zone, r->ip, &c);
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
	b.t0 = mono_ms();
	int64_t now = (int64_t)time(NULL);

	/* Which families will be checked, and which lists need a self-test. */
	int want[2] = { 0, 0 };
	for (size_t i = 0; i < n; i++) {
		if (ipaddr_parse(ips[i], strlen(ips[i]), &parsed[i], NULL) != PERR_OK)
			continue;
		out[i] = new_report(chk, &parsed[i]);
		if (out[i] == NULL)
			goto out;
		struct dnsbl_report *r = out[i];
		if (r->ip_class != IPADDR_PUBLIC && !chk->allow_reserved) {
			snprintf(r->note, sizeof r->note, "%s", ipaddr_class_note(r->ip_class));
			continue;
		}
		r->sent = 1;
		want[fam_index(r->family)] = 1;
	}

	b.cap = chk->nlists * (2 * n + 4);
	b.q = calloc(b.cap ? b.cap : 1, sizeof *b.q);
	if (b.q == NULL)
		goto out;

	for (int f = 0; f < 2; f++) {
		int family = f ? 6 : 4;
		if (!want[f])
			continue;
		for (size_t i = 0; i < chk->nlists; i++)
			if (needs_test(chk, i, family) && !health_fresh(chk, i, family, now))
				add_health_queries(&b, i, family);
	}

	/* every cache read of this check in one read transaction */
	int reading = chk->store != NULL && chk->cache_max_s > 0 && !(flags & DNSBL_F_NOCACHE) &&
		      store_read_begin(chk->store) == PERR_OK;
	for (size_t k = 0; k < n; k++) {
		struct dnsbl_report *r = out[k];
		if (r == NULL || !r->sent)
			continue;
		for (size_t i = 0; i < chk->nlists; i++) {
			const struct dnsbl_list *l = chk->lists[i];
			if (r->family == 6 && !l->ipv6)
				continue;
			struct dnsbl_result *res = &r->results[r->n++];
			res->list = l;
			dnsbl_build_url(l->delist_url, r->ip, res->delist_url, sizeof res->delist_url);
			dnsbl_build_url(l->lookup_url, r->ip, res->lookup_url, sizeof res->lookup_url);
			struct store_dnsbl_cached c;
			if (!(flags & DNSBL_F_NOCACHE) && chk->store != NULL && chk->cache_max_s > 0 &&
			    store_dnsbl_cache_get(chk->store, l->zone, r->ip, now, &c) == PERR_OK &&
			    from_cache(res, &c, now) == 0)
				continue;
			struct query *q = new_query(&b, Q_A, i);
			if (q == NULL) {
				if (reading)
					store_read_end(chk->store);
				goto out;
			}
			q->res = res;
			q->ip = parsed[k];
			send_query(&b, q, &parsed[k]);
		}
		if (r->family == 6 && r->n < chk->nlists) {
			snprintf(r->note, sizeof r->note,
				 "%zu of the configured lists do not check IPv6 addresses",
				 chk->nlists - r->n);
		}
	}
	if (reading)
		store_read_end(chk->store);

	wait_batch(&b, b.t0 + chk->timeout_ms);
	record_health(&b);

	/* A queries first found, then their TXT (added later, in any order). */
	for (size_t k = 0; k < b.nq; k++) {
		struct query *q = &b.q[k];
		if (q->kind != Q_A)
			continue;
		struct query *txt = NULL;
		for (size_t t = 0; t < b.nq; t++)
			if (b.q[t].kind == Q_TXT && b.q[t].res == q->res) {
				txt = &b.q[t];
				break;
			}
		judge_check(chk, q, txt, b.t0);
	}
	int64_t end = mono_ms();
	/* the new answers go to the cache in one write transaction (none when
	 * everything came from the cache) */
	int writing = 0;
	for (size_t k = 0; k < n; k++) {
		struct dnsbl_report *r = out[k];
		if (r == NULL)
			continue;
		r->ms = (unsigned)(end - b.t0);
		for (size_t i = 0; i < r->n; i++) {
			struct dnsbl_result *res = &r->results[i];
			size_t li = 0;
			while (li < chk->nlists && chk->lists[li] != res->list)
				li++;
			if (!writing && cacheable(chk, res))
				writing = store_begin(chk->store) == PERR_OK;
			cache_result(chk, r, res, now);
			apply_health(chk, res, li, r->family);
		}
	}
	if (chk->store != NULL && chk->cache_max_s > 0 && now - chk->pruned_at >= SECONDS_PER_MINUTE) {
		if (!writing)
			writing = store_begin(chk->store) == PERR_OK;
		(void)store_dnsbl_cache_prune(chk->store, now);
		chk->pruned_at = now;
	}
	if (writing && store_commit(chk->store) != PERR_OK)
		store_rollback(chk->store);
	rc = PERR_OK;
out:
	if (rc != PERR_OK) {
		/* Let c-ares run the callbacks of what was sent before freeing. */
		b.cancelling = 1;
		ares_cancel(chk->ch);
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

/* ---- JSON -------------------------------------------------------------- */

/* json_object_set_new that reports failure (NULL values included). */
static int set(json_t *o, const char *k, json_t *v)
{
	return v == NULL || json_object_set_new(o, k, v) != 0 ? -1 : 0;
}

static json_t *result_json(const struct dnsbl_result *res)
{
	json_t *o = json_object(), *codes = json_array();
	if (o == NULL || codes == NULL)
		goto fail;
	for (size_t i = 0; i < res->ncodes; i++) {
		char c[20];
		code_text(res->codes[i], c, sizeof c);
		if (json_array_append_new(codes, json_string(c)) != 0)
			goto fail;
	}
	const struct dnsbl_list *l = res->list;
	if (set(o, "zone", json_string(l->zone)) || set(o, "status", json_string(dnsbl_status_str(res->status))) ||
	    set(o, "codes", codes) ||
	    set(o, "meaning", json_string(res->meaning)) || set(o, "txt", json_string(res->txt)) ||
	    set(o, "ttl", json_integer(res->ttl)) || set(o, "ms", json_integer(res->ms)) ||
	    set(o, "delist_url", json_string(res->delist_url)) ||
	    set(o, "name", json_string(l->name)) ||
	    set(o, "severity", json_string(dnsbl_severity_str(res->severity))) ||
	    set(o, "policy", json_boolean(res->policy)) || set(o, "cached", json_boolean(res->cached)) ||
	    set(o, "lookup_url", json_string(res->lookup_url)) ||
	    set(o, "duration", json_string(l->duration)) ||
	    set(o, "self_service", json_boolean(l->self_service))) {
		json_decref(o);
		return NULL;
	}
	return o;
fail:
	json_decref(codes);
	json_decref(o);
	return NULL;
}

json_t *dnsbl_results_to_json(const struct dnsbl_report *r)
{
	json_t *a = json_array();
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < r->n; i++)
		if (json_array_append_new(a, result_json(&r->results[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *dnsbl_report_to_json(const struct dnsbl_report *r)
{
	json_t *o = json_object();
	if (o == NULL || set(o, "ip", json_string(r->ip)) || set(o, "results", dnsbl_results_to_json(r)) ||
	    (r->note[0] && set(o, "note", json_string(r->note)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *dnsbl_health_to_json(const struct dnsbl_checker *chk)
{
	json_t *a = json_array();
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < chk->nlists; i++) {
		for (int family = 4; family <= 6; family += 2) {
			if (family == 6 && !chk->lists[i]->ipv6)
				continue;
			char detail[DNSBL_DETAIL_MAX];
			int64_t at;
			int h = dnsbl_health(chk, i, family, detail, sizeof detail, &at);
			json_t *o = json_object();
			if (o == NULL || set(o, "zone", json_string(chk->lists[i]->zone)) ||
			    set(o, "family", json_integer(family)) ||
			    set(o, "status", json_string(h == HEALTH_OK ? "ok" : h == HEALTH_BAD ? "untrusted" : "unknown")) ||
			    set(o, "detail", json_string(detail)) || set(o, "checked_at", json_integer(at)) ||
			    json_array_append_new(a, o) != 0) {
				json_decref(a);
				return NULL;
			}
		}
	}
	return a;
}
