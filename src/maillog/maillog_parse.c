/* One log line: which format, the time stamp, the host and program, then
 * the Postfix or Exim message part (maillog_postfix.c, maillog_exim.c). */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "internal/maillog_int.h"

int ml_skip(struct ml_cursor *c, const char *lit)
{
	size_t n = strlen(lit);
	if (c->n < n || memcmp(c->p, lit, n) != 0)
		return 0;
	c->p += n, c->n -= n;
	return 1;
}

size_t ml_span(const struct ml_cursor *c, const char *set)
{
	size_t k = 0;
	while (k < c->n && strchr(set, c->p[k]) != NULL && c->p[k] != '\0')
		k++;
	return k;
}

size_t ml_until(const struct ml_cursor *c, char stop)
{
	const char *e = memchr(c->p, stop, c->n);
	return e ? (size_t)(e - c->p) : c->n;
}

int ml_copy(char *dst, size_t dstlen, const char *s, size_t n, int lower)
{
	if (n >= dstlen)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f) {
			dst[0] = '\0';   /* never a half-copied, unterminated field */
			return -1;
		}
		dst[i] = lower ? (char)tolower(ch) : (char)ch;
	}
	dst[n] = '\0';
	return 0;
}

void ml_copy_reply(struct maillog_line *out, const char *s, size_t n)
{
	if (n > MAILLOG_REPLY_MAX)
		n = MAILLOG_REPLY_MAX;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		out->reply[i] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
	}
	out->reply[n] = '\0';
}

/* "host program[pid]: " after a syslog or RFC 3339 stamp. Fills host and
 * program (cut into prog, size proglen). -1 when malformed. */
static int host_and_program(struct ml_cursor *c, struct maillog_line *out, char *prog, size_t proglen)
{
	size_t h = ml_until(c, ' ');
	if (h == 0 || h == c->n || ml_copy(out->host, sizeof out->host, c->p, h, 1) != 0)
		return -1;
	c->p += h + 1, c->n -= h + 1;
	size_t colon = ml_until(c, ':');
	if (colon == 0 || colon == c->n || colon + 1 >= c->n || c->p[colon + 1] != ' ')
		return -1;
	size_t name = ml_until(c, '[');
	if (name > colon)
		name = colon;
	else if (c->p[colon - 1] != ']')
		return -1;
	if (name == 0 || memchr(c->p, ' ', name) != NULL)
		return -1;
	if (ml_copy(prog, proglen, c->p, name < proglen ? name : proglen - 1, 0) != 0)
		return -1;
	c->p += colon + 2, c->n -= colon + 2;
	return 0;
}

/* 1 when prog is a Postfix daemon: "postfix/smtp", and multi-instance
 * syslog names such as "postfix-out/smtp" (anything with a slash). */
static int is_postfix(const char *prog)
{
	return strchr(prog, '/') != NULL;
}

/* Which stamp the line starts with. */
static int detect(const struct ml_cursor *c, enum maillog_format *f)
{
	if (c->n >= 19 && isdigit((unsigned char)c->p[0]) && c->p[4] == '-') {
		*f = c->p[10] == 'T' ? MAILLOG_FMT_RFC3339 : MAILLOG_FMT_EXIM;
		return 0;
	}
	if (c->n >= 16 && isupper((unsigned char)c->p[0])) {
		*f = MAILLOG_FMT_SYSLOG;
		return 0;
	}
	return -1;
}

/* The syslog-style part: stamp, host, program, then Postfix's message. */
static enum perr parse_syslog(struct ml_cursor *c, const struct maillog_clock *clk, struct maillog_line *out)
{
	int bad = out->format == MAILLOG_FMT_SYSLOG ? ml_time_syslog(c, clk->now, &out->at)
						     : ml_time_rfc3339(c, &out->at);
	char prog[64];
	if (bad || host_and_program(c, out, prog, sizeof prog) != 0)
		return PERR_INVALID;
	if (!is_postfix(prog))
		return PERR_OK;
	return ml_postfix_message(c, out);
}

enum perr maillog_parse(const char *line, size_t len, const struct maillog_clock *clk,
			struct maillog_line *out)
{
	memset(out, 0, offsetof(struct maillog_line, host));
	out->host[0] = out->qid[0] = out->addr[0] = out->relay[0] = out->dsn[0] = out->reply[0] = '\0';
	out->has_reply = 0;
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > MAILLOG_LINE_MAX || memchr(line, '\0', len) != NULL)
		return PERR_INVALID;
	struct ml_cursor c = { line, len };
	if (detect(&c, &out->format) != 0)
		return PERR_INVALID;
	if (out->format != MAILLOG_FMT_EXIM)
		return parse_syslog(&c, clk, out);
	if (ml_time_exim(&c, &out->at) != 0)
		return PERR_INVALID;
	const char *host = clk->default_host ? clk->default_host : "";
	if (ml_copy(out->host, sizeof out->host, host, strlen(host), 1) != 0)
		return PERR_INVALID;
	return ml_exim_message(&c, out);
}

const char *maillog_status_str(enum maillog_status s)
{
	static const char *const names[MAILLOG_ST__MAX] = { "", "sent", "deferred", "bounced", "expired" };
	return (unsigned)s < MAILLOG_ST__MAX ? names[s] : "";
}

const char *maillog_format_str(enum maillog_format f)
{
	static const char *const names[MAILLOG_FMT__MAX] = { "syslog", "rfc3339", "exim" };
	return (unsigned)f < MAILLOG_FMT__MAX ? names[f] : "";
}
