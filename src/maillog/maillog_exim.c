/* Exim's main log after the time stamp: "[pid] " (log_selector +pid),
 * then "MSGID <= sender ...", "MSGID ** rcpt ...: reply", "MSGID == rcpt
 * ... defer (n) ...: reply", "MSGID Completed"; other lines are kept as
 * MAILLOG_EV_OTHER. */
#include <ctype.h>
#include <string.h>

#include "internal/maillog_int.h"

#define REMOTE_ERROR "SMTP error from remote mail server after "

/* n alphanumerics at the cursor within [lo, hi]; their count or 0. */
static size_t alnum_run(const struct ml_cursor *c, size_t from, size_t lo, size_t hi)
{
	size_t k = from;
	while (k < c->n && isalnum((unsigned char)c->p[k]))
		k++;
	return k - from >= lo && k - from <= hi ? k - from : 0;
}

/* An Exim message id "XXXXXX-YYYYYY-ZZ" (4.97 and later: "XXXXXX-YYYYYYYYYYY-ZZZZ")
 * and the space after it into out->qid; -1 when the line has none. */
static int message_id(struct ml_cursor *c, struct maillog_line *out)
{
	size_t a = alnum_run(c, 0, 6, 6);
	if (a == 0 || a >= c->n || c->p[a] != '-')
		return -1;
	size_t b = alnum_run(c, a + 1, 6, 11);
	size_t at = a + 1 + b;
	if (b == 0 || at >= c->n || c->p[at] != '-')
		return -1;
	size_t z = alnum_run(c, at + 1, 2, 4);
	size_t end = at + 1 + z;
	if (z == 0 || end >= c->n || c->p[end] != ' ' || end > MAILLOG_QID_MAX)
		return -1;
	memcpy(out->qid, c->p, end);
	out->qid[end] = '\0';
	c->p += end + 1, c->n -= end + 1;
	return 0;
}

/* The enhanced status code "d.ddd.ddd" (class 2, 4 or 5) in s into dsn. */
static void find_dsn(const char *s, char *dsn, size_t len)
{
	for (const char *p = s; *p; p++) {
		if ((*p != '2' && *p != '4' && *p != '5') || p[1] != '.' || (p > s && !isspace((unsigned char)p[-1])))
			continue;
		size_t k = 2, d1 = 0, d2 = 0;
		while (isdigit((unsigned char)p[k]) && d1 < 3)
			k++, d1++;
		if (d1 == 0 || p[k] != '.')
			continue;
		k++;
		while (isdigit((unsigned char)p[k]) && d2 < 3)
			k++, d2++;
		if (d2 == 0 || (p[k] && !isspace((unsigned char)p[k])) || k >= len)
			continue;
		memcpy(dsn, p, k);
		dsn[k] = '\0';
		return;
	}
}

/* The relay "H=host [ip]" of a delivery line into out->relay ("host[ip]"). */
static void relay(const struct ml_cursor *c, struct maillog_line *out)
{
	const char *h = NULL;
	for (size_t i = 0; i + 2 < c->n && h == NULL; i++)
		if (c->p[i] == 'H' && c->p[i + 1] == '=' && (i == 0 || c->p[i - 1] == ' '))
			h = c->p + i + 2;
	if (h == NULL)
		return;
	size_t left = c->n - (size_t)(h - c->p);
	size_t hn = 0;
	while (hn < left && h[hn] != ' ' && h[hn] != ':')
		hn++;
	size_t ipn = 0;
	if (hn + 2 < left && h[hn] == ' ' && h[hn + 1] == '[') {
		const char *close = memchr(h + hn + 1, ']', left - hn - 1);
		if (close)
			ipn = (size_t)(close - (h + hn + 1)) + 1;
	}
	char buf[MAILLOG_RELAY_MAX + 1];
	if (hn + ipn >= sizeof buf)
		return;
	memcpy(buf, h, hn);
	memcpy(buf + hn, h + hn + 1, ipn);
	ml_copy(out->relay, sizeof out->relay, buf, hn + ipn, 1);
}

/* "** rcpt ...", "== rcpt ...": a failed or deferred delivery. */
static enum perr delivery(struct ml_cursor *c, struct maillog_line *out, enum maillog_status st)
{
	size_t k = 0;
	while (k < c->n && c->p[k] != ' ' && c->p[k] != ':')
		k++;
	if (k == 0 || ml_copy(out->addr, sizeof out->addr, c->p, k, 1) != 0)
		return PERR_INVALID;
	out->event = MAILLOG_EV_TO;
	out->status = st;
	c->p += k, c->n -= k;
	relay(c, out);
	const char *remote = memmem(c->p, c->n, REMOTE_ERROR, sizeof REMOTE_ERROR - 1);
	const char *colon = memmem(c->p, c->n, ": ", 2);
	const char *from = remote ? remote : colon ? colon + 2 : NULL;
	if (from != NULL)
		ml_copy_reply(out, from, c->n - (size_t)(from - c->p));
	out->has_reply = remote != NULL;
	find_dsn(out->reply, out->dsn, sizeof out->dsn);
	if (out->dsn[0] == '\0')
		strcpy(out->dsn, st == MAILLOG_ST_BOUNCED ? "5.0.0" : "4.0.0");
	return PERR_OK;
}

enum perr ml_exim_message(struct ml_cursor *c, struct maillog_line *out)
{
	if (c->n > 2 && c->p[0] == '[') {
		size_t close = ml_until(c, ']');
		if (close == c->n || close + 1 >= c->n || c->p[close + 1] != ' ')
			return PERR_INVALID;
		c->p += close + 2, c->n -= close + 2;
	}
	if (message_id(c, out) != 0)
		return PERR_OK;
	if (ml_skip(c, "<= ")) {
		size_t k = ml_until(c, ' ');
		if (k == 0 || ml_copy(out->addr, sizeof out->addr, c->p, k, 1) != 0)
			return PERR_INVALID;
		if (strcmp(out->addr, "<>") == 0)
			out->addr[0] = '\0';
		out->event = MAILLOG_EV_FROM;
		return PERR_OK;
	}
	if (ml_skip(c, "** "))
		return delivery(c, out, MAILLOG_ST_BOUNCED);
	if (ml_skip(c, "== "))
		return delivery(c, out, MAILLOG_ST_DEFERRED);
	if (ml_skip(c, "=> ") || ml_skip(c, "-> ") || ml_skip(c, "*> ")) {
		out->event = MAILLOG_EV_TO;
		out->status = MAILLOG_ST_SENT;
		size_t k = ml_until(c, ' ');
		return ml_copy(out->addr, sizeof out->addr, c->p, k, 1) == 0 ? PERR_OK : PERR_INVALID;
	}
	if (c->n == 9 && memcmp(c->p, "Completed", 9) == 0)
		out->event = MAILLOG_EV_DONE;
	return PERR_OK;
}
