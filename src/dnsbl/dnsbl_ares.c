/* The DNS side of the checker over c-ares 1.18: the only file that
 * includes ares.h. It owns the channel, sends queries (at most
 * max_inflight at once, the rest queued), maps c-ares statuses to enum
 * qstat and runs the wait loop: poll the channel's sockets with
 * min(ares_timeout, time left), cancel everything at the deadline.
 *
 * Retries: ARES_FLAG_NOCHECKRESP hands SERVFAIL and REFUSED back at once
 * (c-ares would otherwise re-send them to every server, tries times). The
 * per-try timeout shrinks with the number of servers, so a silent first
 * server in dns.servers costs deadline / (2n + 1) instead of a third of
 * the deadline; and a round trip in which nothing came back before that
 * while later answers did (the first server is silent, the next answered)
 * moves the first server to the end, so the next checks ask a live one
 * first. */
#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "internal/dnsbl_internal.h"

#define DNSBL_SOCKS_MAX 64
#define DNSBL_TRIES 3
#define DNS_CLASS_IN 1
#define DNS_TYPE_A 1
#define DNS_TYPE_TXT 16
#define DNS_TYPE_AAAA 28

struct dnsbl_net {
	ares_channel ch;
	char servers[CONFIG_TEXT_MAX];    /* current order; "" = the system's */
	unsigned nservers;
	unsigned per_try_ms;
	int ares_inited;
	size_t nsocks;
	struct pollfd socks[DNSBL_SOCKS_MAX];
};

/* c-ares tells us which sockets to watch. */
static void sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
	struct dnsbl_net *net = data;
	size_t i;
	for (i = 0; i < net->nsocks; i++)
		if (net->socks[i].fd == fd)
			break;
	if (!readable && !writable) {
		if (i < net->nsocks)
			net->socks[i] = net->socks[--net->nsocks];
		return;
	}
	if (i == net->nsocks) {
		if (net->nsocks == DNSBL_SOCKS_MAX) {
			log_event(LOG_ERROR, NULL, "dnsbl: more than %d DNS sockets", DNSBL_SOCKS_MAX);
			return;
		}
		net->nsocks++;
	}
	net->socks[i].fd = fd;
	net->socks[i].events = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
	net->socks[i].revents = 0;
}

/* Number of servers in a "host:port,..." list (1 for the system's). */
static unsigned count_servers(const char *servers)
{
	unsigned n = 1;
	for (const char *p = servers; p != NULL && *p; p++)
		n += *p == ',';
	return n;
}

enum perr dnsbl_net_new(struct dnsbl_checker *chk, const char *servers, char *errbuf,
			size_t errlen)
{
	struct dnsbl_net *net = calloc(1, sizeof *net);
	if (net == NULL)
		return PERR_NOMEM;
	chk->net = net;
	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
		snprintf(errbuf, errlen, "c-ares library init failed");
		return PERR_DNS;
	}
	net->ares_inited = 1;

	/* Per-try timeout: with one server a third of the deadline, so a lost
	 * UDP packet is retried once or twice before the deadline cancels it;
	 * with n servers deadline / (2n + 1), so a silent server is passed
	 * over (c-ares tries each server in turn) well before the deadline. */
	unsigned nservers = count_servers(servers);
	unsigned per_try = chk->timeout_ms / (nservers > 1 ? 2 * nservers + 1 : DNSBL_TRIES);
	struct ares_options opts;
	memset(&opts, 0, sizeof opts);
	int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB;
	opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP;
	opts.timeout = (int)(per_try > 100 ? per_try : 100);
	net->per_try_ms = (unsigned)opts.timeout;
	net->nservers = servers != NULL && *servers ? nservers : 1;
	snprintf(net->servers, sizeof net->servers, "%s", servers ? servers : "");
	opts.tries = DNSBL_TRIES;
	opts.sock_state_cb = sock_state_cb;
	opts.sock_state_cb_data = net;
	int st = ares_init_options(&net->ch, &opts, mask);
	if (st != ARES_SUCCESS) {
		snprintf(errbuf, errlen, "c-ares init failed: %s", ares_strerror(st));
		net->ch = NULL;
		return PERR_DNS;
	}
	if (servers != NULL && *servers != '\0') {
		st = ares_set_servers_ports_csv(net->ch, servers);
		if (st != ARES_SUCCESS) {
			snprintf(errbuf, errlen, "dns.servers is not a list of host:port addresses");
			return PERR_CONFIG;
		}
	}
	return PERR_OK;
}

void dnsbl_net_free(struct dnsbl_net *net)
{
	if (net == NULL)
		return;
	if (net->ch != NULL)
		ares_destroy(net->ch);
	if (net->ares_inited)
		ares_library_cleanup();
	free(net);
}

/* Maps a c-ares status to the query's outcome. */
static void set_status(struct query *q, int status)
{
	switch (status) {
	case ARES_SUCCESS:
		q->status = QS_OK;
		break;
	case ARES_ENOTFOUND:
	case ARES_ENODATA:
		q->status = QS_NOTFOUND;
		break;
	case ARES_ETIMEOUT:
		q->status = QS_TIMEOUT;
		break;
	case ARES_ECANCELLED:
		q->status = QS_CANCELLED;
		break;
	case ARES_ESERVFAIL:
		q->status = QS_ERROR;
		q->err = "SERVFAIL: the resolver got no usable answer from the list's servers";
		break;
	case ARES_EREFUSED:
		q->status = QS_ERROR;
		q->err = "REFUSED: the DNS server in dns.servers refuses to answer this portal";
		break;
	case ARES_ECONNREFUSED:
		q->status = QS_ERROR;
		q->err = "no DNS server: nothing answers at dns.servers (connection refused)";
		break;
	default:
		q->status = QS_ERROR;
		q->err = ares_strerror(status);
		break;
	}
}

/* c-ares callback of every query: records the outcome, lets the queue move. */
static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	(void)timeouts;
	q->b->pending--;
	q->b->inflight--;
	q->done = 1;
	q->t_done = dnsbl_mono_ms();
	if (abuf != NULL && alen > 0)
		(void)dnsbl_answer_parse(abuf, (size_t)alen, &q->ans);
	if (status == ARES_SUCCESS && q->ans.na == 0 && q->kind != Q_TXT)
		status = ARES_ENODATA;
	set_status(q, status);
	dnsbl_pump(q->b);
}

/* Hands q (its name valid) to c-ares. */
static void send_now(struct batch *b, struct query *q)
{
	char name[DNS_NAME_MAX + 64];
	(void)dnsbl_query_name(b->chk, b->chk->lists[q->li], &q->ip, name, sizeof name);
	q->queued = 0;
	q->sent = 1;
	q->t_sent = dnsbl_mono_ms();
	b->inflight++;
	ares_query(b->chk->net->ch, name, DNS_CLASS_IN,
		   q->kind == Q_TXT ? DNS_TYPE_TXT : DNS_TYPE_A, on_answer, q);
}

void dnsbl_send(struct batch *b, struct query *q, const struct ipaddr *ip)
{
	char name[DNS_NAME_MAX + 64];
	q->ip = *ip;
	if (dnsbl_query_name(b->chk, b->chk->lists[q->li], ip, name, sizeof name) != 0) {
		q->done = 1;
		set_status(q, ARES_EBADNAME);
		return;
	}
	b->pending++;
	q->queued = 1;
	dnsbl_pump(b);
}

void dnsbl_pump(struct batch *b)
{
	/* c-ares may answer from inside ares_query (a failure at once): the
	 * outer call keeps going, the inner one returns. */
	if (b->pumping || b->cancelling)
		return;
	b->pumping = 1;
	while (b->inflight < (int)b->chk->max_inflight && b->next_queued < b->nq) {
		struct query *q = &b->q[b->next_queued++];
		if (q->queued)
			send_now(b, q);
	}
	b->pumping = 0;
}

void dnsbl_cancel(struct batch *b)
{
	b->cancelling = 1;
	ares_cancel(b->chk->net->ch);
	b->cancelling = 0;
}

/* Polls the sockets once for up to ms and lets c-ares process what is
 * ready. Returns 0, or -1 on a poll failure. */
static int poll_once(struct dnsbl_net *net, int ms)
{
	struct pollfd fds[DNSBL_SOCKS_MAX];
	size_t n = net->nsocks;
	memcpy(fds, net->socks, n * sizeof fds[0]);
	int r = poll(fds, (nfds_t)n, ms);
	if (r < 0) {
		if (errno == EINTR)
			return 0;
		log_event(LOG_ERROR, NULL, "dnsbl: poll: %s", strerror(errno));
		return -1;
	}
	if (r == 0) {
		ares_process_fd(net->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (fds[i].revents == 0)
			continue;
		ares_socket_t rfd = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD;
		ares_socket_t wfd = (fds[i].revents & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD;
		ares_process_fd(net->ch, rfd, wfd);
	}
	return 0;
}

/* Moves the first server of dns.servers to the end when this round trip
 * says it is silent: no answer came within one try, later ones did. */
static void learn_servers(struct batch *b)
{
	struct dnsbl_net *net = b->chk->net;
	size_t fast = 0, slow = 0;
	if (net->nservers < 2)
		return;
	for (size_t i = 0; i < b->nq; i++) {
		const struct query *q = &b->q[i];
		if (!q->sent || !q->done || q->status == QS_TIMEOUT || q->status == QS_CANCELLED)
			continue;
		if (q->t_done - q->t_sent < (int64_t)net->per_try_ms)
			fast++;
		else
			slow++;
	}
	const char *comma = strchr(net->servers, ',');
	if (fast > 0 || slow == 0 || comma == NULL)
		return;
	char next[sizeof net->servers];
	snprintf(next, sizeof next, "%s,%.*s", comma + 1, (int)(comma - net->servers), net->servers);
	if (ares_set_servers_ports_csv(net->ch, next) == ARES_SUCCESS) {
		log_event(LOG_WARN, NULL, "dnsbl: DNS server %.*s did not answer: asked last from now on",
			  (int)(comma - net->servers), net->servers);
		snprintf(net->servers, sizeof net->servers, "%s", next);
	}
}

void dnsbl_wait(struct batch *b, int64_t deadline)
{
	struct dnsbl_net *net = b->chk->net;
	while (b->pending > 0) {
		int64_t now = dnsbl_mono_ms();
		if (now >= deadline)
			break;
		int64_t left = deadline - now;
		struct timeval maxtv = { (time_t)(left / 1000), (suseconds_t)((left % 1000) * 1000) };
		struct timeval tv, *tvp = ares_timeout(net->ch, &maxtv, &tv);
		int ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
		if (poll_once(net, ms < 0 ? 0 : ms) != 0)
			break;
	}
	if (b->pending > 0)
		dnsbl_cancel(b);
	learn_servers(b);
}

/* One address lookup (A and AAAA of one name) in flight. */
struct host_lookup {
	struct ipaddr *out;
	size_t max, n;
	int pending;
	int found, failed;          /* an answer with addresses / a failure other than "no such name" */
	int64_t first_at;           /* when the first addresses came (mono ms), 0 = not yet */
};

/* Once one family has answered with addresses, the other gets this much
 * longer: a server that never answers AAAA must not cost the deadline. */
#define HOST_SECOND_GRACE_MS 250

static void add_addr(struct host_lookup *h, int family, const void *raw)
{
	if (h->n >= h->max)
		return;
	struct ipaddr *a = &h->out[h->n];
	memset(a, 0, sizeof *a);
	a->family = family == AF_INET ? 4 : 6;
	memcpy(a->b, raw, family == AF_INET ? 4 : 16);
	for (size_t i = 0; i < h->n; i++)
		if (!memcmp(&h->out[i], a, sizeof *a))
			return;
	h->n++;
}

static void on_host_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct host_lookup *h = arg;
	(void)timeouts;
	h->pending--;
	if (status == ARES_ENOTFOUND || status == ARES_ENODATA)
		return;
	if (status != ARES_SUCCESS || abuf == NULL) {
		h->failed = 1;
		return;
	}
	/* the answer says which type it is: try A, then AAAA (both follow CNAMEs) */
	struct ares_addrttl v4[DNSBL_HOST_ADDRS_MAX];
	struct ares_addr6ttl v6[DNSBL_HOST_ADDRS_MAX];
	int n4 = DNSBL_HOST_ADDRS_MAX, n6 = DNSBL_HOST_ADDRS_MAX;
	int rc4 = ares_parse_a_reply(abuf, alen, NULL, v4, &n4), rc6 = ARES_ENODATA;
	if (rc4 == ARES_SUCCESS) {
		for (int i = 0; i < n4; i++)
			add_addr(h, AF_INET, &v4[i].ipaddr);
		h->found |= n4 > 0;
	} else if ((rc6 = ares_parse_aaaa_reply(abuf, alen, NULL, v6, &n6)) == ARES_SUCCESS) {
		for (int i = 0; i < n6; i++)
			add_addr(h, AF_INET6, &v6[i].ip6addr);
		h->found |= n6 > 0;
	}
	/* an answer neither reader takes is a broken resolver, not "no address" */
	if (rc4 != ARES_SUCCESS && rc6 != ARES_SUCCESS && rc6 != ARES_ENODATA)
		h->failed = 1;
	if (h->found && h->first_at == 0)
		h->first_at = dnsbl_mono_ms();
}

enum perr dnsbl_net_resolve(struct dnsbl_net *net, const char *name, unsigned timeout_ms, struct ipaddr *out,
			    size_t max, size_t *n)
{
	struct host_lookup h = { .out = out, .max = max };
	*n = 0;
	h.pending = 2;
	ares_query(net->ch, name, DNS_CLASS_IN, DNS_TYPE_A, on_host_answer, &h);
	ares_query(net->ch, name, DNS_CLASS_IN, DNS_TYPE_AAAA, on_host_answer, &h);
	int64_t deadline = dnsbl_mono_ms() + timeout_ms;
	while (h.pending > 0) {
		if (h.first_at != 0 && h.first_at + HOST_SECOND_GRACE_MS < deadline)
			deadline = h.first_at + HOST_SECOND_GRACE_MS;
		int64_t left = deadline - dnsbl_mono_ms();
		if (left <= 0)
			break;
		struct timeval maxtv = { (time_t)(left / 1000), (suseconds_t)((left % 1000) * 1000) };
		struct timeval tv, *tvp = ares_timeout(net->ch, &maxtv, &tv);
		int ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
		if (poll_once(net, ms < 0 ? 0 : ms) != 0)
			break;
	}
	/* what is still out is cancelled (its callbacks run now, while h is
	 * alive, and count as failures); addresses that came are enough */
	if (h.pending > 0)
		ares_cancel(net->ch);
	*n = h.n;
	if (h.n > 0)
		return PERR_OK;
	return h.failed ? PERR_DNS : PERR_NOT_FOUND;
}
