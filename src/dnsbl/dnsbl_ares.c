/* The DNS side of the checker over c-ares 1.18: the only file that
 * includes ares.h. It owns the channel, sends queries, maps c-ares
 * statuses to enum qstat and runs the wait loop: poll the channel's
 * sockets with min(ares_timeout, time left), cancel everything at the
 * deadline. */
#include <ares.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "internal/dnsbl_internal.h"

#define DNSBL_SOCKS_MAX 64
#define DNSBL_TRIES 3
#define DNS_CLASS_IN 1
#define DNS_TYPE_A 1
#define DNS_TYPE_TXT 16

struct dnsbl_net {
	ares_channel ch;
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

	/* Per-try timeout: a third of the deadline, so a lost UDP packet is
	 * retried once or twice before the deadline cancels it. */
	struct ares_options opts;
	memset(&opts, 0, sizeof opts);
	int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB;
	opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
	opts.timeout = (int)(chk->timeout_ms / DNSBL_TRIES > 100 ? chk->timeout_ms / DNSBL_TRIES : 100);
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
	default:
		q->status = QS_ERROR;
		q->err = ares_strerror(status);
		break;
	}
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	(void)timeouts;
	q->b->pending--;
	q->done = 1;
	q->t_done = dnsbl_mono_ms();
	if (abuf != NULL && alen > 0)
		(void)dnsbl_answer_parse(abuf, (size_t)alen, &q->ans);
	if (status == ARES_SUCCESS && q->ans.na == 0 && q->kind != Q_TXT)
		status = ARES_ENODATA;
	set_status(q, status);
	dnsbl_query_done(q);
}

void dnsbl_send(struct batch *b, struct query *q, const struct ipaddr *ip)
{
	char name[DNS_NAME_MAX + 64];
	const struct dnsbl_list *l = b->chk->lists[q->li];
	if (dnsbl_query_name(b->chk, l, ip, name, sizeof name) != 0) {
		q->done = 1;
		set_status(q, ARES_EBADNAME);
		return;
	}
	q->sent = 1;
	b->pending++;
	ares_query(b->chk->net->ch, name, DNS_CLASS_IN,
		   q->kind == Q_TXT ? DNS_TYPE_TXT : DNS_TYPE_A, on_answer, q);
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
}
