/* Postfix's message part: "QID: from=<a>, size=...", "QID: to=<b>,
 * relay=..., dsn=5.7.1, status=bounced (reply)", "QID: removed". */
#include <string.h>

#include "internal/maillog_int.h"

#define QID_MIN 5   /* the shortest queue id Postfix makes */

/* "QID: " at the cursor into out->qid; 0, or -1 when the message does not
 * start with a queue id (NOQUEUE, warning:, connect from, ...). */
static int queue_id(struct ml_cursor *c, struct maillog_line *out)
{
	static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	size_t k = ml_span(c, alnum);
	if (k < QID_MIN || k > MAILLOG_QID_MAX || k + 2 > c->n || c->p[k] != ':' || c->p[k + 1] != ' ')
		return -1;
	if (k == 7 && memcmp(c->p, "NOQUEUE", 7) == 0)
		return -1;
	memcpy(out->qid, c->p, k);
	out->qid[k] = '\0';
	c->p += k + 2, c->n -= k + 2;
	return 0;
}

/* "<address>" then ", " or the end: the address into dst. -1 when malformed. */
static int address(struct ml_cursor *c, char *dst, size_t dstlen)
{
	if (!ml_skip(c, "<"))
		return -1;
	size_t k = 0;
	while (k < c->n && !(c->p[k] == '>' && (k + 1 == c->n || c->p[k + 1] == ',' || c->p[k + 1] == ' ')))
		k++;
	if (k == c->n || ml_copy(dst, dstlen, c->p, k, 1) != 0)
		return -1;
	c->p += k + 1, c->n -= k + 1;
	ml_skip(c, ",");
	ml_skip(c, " ");
	return 0;
}

/* The "status=WORD (reply)" field that ends a to= line. */
static enum perr status_field(struct ml_cursor *c, struct maillog_line *out)
{
	static const struct { const char *word; enum maillog_status st; } words[] = {
		{ "sent", MAILLOG_ST_SENT }, { "deferred", MAILLOG_ST_DEFERRED },
		{ "bounced", MAILLOG_ST_BOUNCED }, { "expired", MAILLOG_ST_EXPIRED },
	};
	size_t w = ml_until(c, ' ');
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].word) == w && memcmp(c->p, words[i].word, w) == 0)
			out->status = words[i].st;
	if (out->status == MAILLOG_ST_NONE)
		return PERR_INVALID;
	c->p += w, c->n -= w;
	if (c->n == 0)
		return PERR_OK;
	if (c->n < 3 || !ml_skip(c, " (") || c->p[c->n - 1] != ')')
		return PERR_INVALID;
	ml_copy_reply(out, c->p, c->n - 1);
	/* the remote server's words, not Postfix's own ("connect to ...") */
	out->has_reply = strstr(out->reply, " said: ") != NULL;
	return PERR_OK;
}

/* "to=<b>, [orig_to=<c>, ]relay=..., ..., status=..." */
static enum perr to_line(struct ml_cursor *c, struct maillog_line *out)
{
	char ignored[MAILLOG_ADDR_MAX + 1];
	if (address(c, out->addr, sizeof out->addr) != 0)
		return PERR_INVALID;
	out->event = MAILLOG_EV_TO;
	while (c->n > 0) {
		if (ml_skip(c, "status="))
			return status_field(c, out);
		if (ml_skip(c, "orig_to=")) {
			if (address(c, ignored, sizeof ignored) != 0)
				return PERR_INVALID;
			continue;
		}
		size_t eq = ml_until(c, '='), comma = ml_until(c, ',');
		if (eq == 0 || eq >= comma || comma + 1 >= c->n || c->p[comma + 1] != ' ')
			return PERR_INVALID;
		const char *v = c->p + eq + 1;
		size_t vn = comma - eq - 1;
		if (eq == 5 && memcmp(c->p, "relay", 5) == 0 && ml_copy(out->relay, sizeof out->relay, v, vn, 1) != 0)
			return PERR_INVALID;
		if (eq == 3 && memcmp(c->p, "dsn", 3) == 0 && ml_copy(out->dsn, sizeof out->dsn, v, vn, 0) != 0)
			return PERR_INVALID;
		c->p += comma + 2, c->n -= comma + 2;
	}
	return PERR_INVALID;   /* a to= line always ends in status= */
}

enum perr ml_postfix_message(struct ml_cursor *c, struct maillog_line *out)
{
	if (queue_id(c, out) != 0)
		return PERR_OK;
	if (ml_skip(c, "to="))
		return to_line(c, out);
	if (ml_skip(c, "from=")) {
		if (address(c, out->addr, sizeof out->addr) != 0)
			return PERR_INVALID;
		out->event = MAILLOG_EV_FROM;
		return PERR_OK;
	}
	if (c->n == 7 && memcmp(c->p, "removed", 7) == 0)
		out->event = MAILLOG_EV_DONE;
	return PERR_OK;
}
