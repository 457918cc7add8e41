/* The mail server's own log: one line in, one typed record out, and a
 * joiner that ties a message's sender (Postfix's from= line, Exim's "<=")
 * to its recipients' delivery lines through the queue id.
 *
 * Formats read (each line is told apart by its first bytes):
 *   Postfix, classic syslog  "Dec  3 09:14:02 mail3 postfix/smtp[12]: QID: to=<...>, ..."
 *   Postfix, RFC 3339 / journalctl -o short-iso
 *                            "2026-12-03T09:14:02.123+00:00 mail3 postfix/smtp[12]: ..."
 *   Exim main log            "2026-12-03 09:14:02 1tIXYZ-000123-AB ** rcpt R=... : reply"
 * Times without a zone (classic syslog, Exim) are local time; classic
 * syslog has no year, so the clock's "now" picks the year that is not in
 * the future.
 *
 * Pure C, no I/O, no allocation in the parser; the joiner holds a fixed
 * table sized once. */
#ifndef PORTAL_MAILLOG_H
#define PORTAL_MAILLOG_H

#include <stddef.h>

#include "core/err.h"

#define MAILLOG_LINE_MAX   8192   /* longer lines are malformed */
#define MAILLOG_HOST_MAX   253    /* the log's host name */
#define MAILLOG_QID_MAX    31     /* Postfix short/long ids, Exim ids */
#define MAILLOG_ADDR_MAX   254    /* an address (RFC 5321 path) */
#define MAILLOG_RELAY_MAX  300    /* "mx.example.net[192.0.2.1]:25" */
#define MAILLOG_DSN_MAX    15     /* "5.7.1" */
#define MAILLOG_REPLY_MAX  2047   /* reply text kept; longer is cut */
#define MAILLOG_JOIN_WAYS  8      /* entries per joiner bucket */
#define MAILLOG_JOIN_DEFAULT 16384 /* joiner entries of portalctl maillog */

enum maillog_format {
	MAILLOG_FMT_SYSLOG = 0,   /* "Mmm dd hh:mm:ss host prog[pid]: " */
	MAILLOG_FMT_RFC3339,      /* "YYYY-MM-DDThh:mm:ss[.f](Z|+hh:mm|+hhmm) host prog[pid]: " */
	MAILLOG_FMT_EXIM,         /* "YYYY-MM-DD hh:mm:ss[.mmm] [+hhmm] [[pid]] " */
	MAILLOG_FMT__MAX
};

enum maillog_event {
	MAILLOG_EV_OTHER = 0,     /* a well-formed line that says nothing we keep */
	MAILLOG_EV_FROM,          /* the message's sender (from=, "<=") */
	MAILLOG_EV_TO,            /* one recipient's delivery attempt (to=, "**", "==", "=>") */
	MAILLOG_EV_DONE,          /* the message left the queue (removed, Completed) */
	MAILLOG_EV__MAX
};

enum maillog_status {
	MAILLOG_ST_NONE = 0,
	MAILLOG_ST_SENT,
	MAILLOG_ST_DEFERRED,
	MAILLOG_ST_BOUNCED,
	MAILLOG_ST_EXPIRED,
	MAILLOG_ST__MAX
};

/* Where the parser learns the date it cannot read from a line. */
struct maillog_clock {
	long long now;                      /* Unix time: picks a classic line's year */
	const char *default_host;           /* Exim's log names no host: this one; NULL = "" */
};

/* One parsed line. Strings are NUL-terminated copies (no pointer into the
 * input), lower case for host and addresses. */
struct maillog_line {
	enum maillog_format format;
	enum maillog_event event;
	enum maillog_status status;         /* for MAILLOG_EV_TO */
	long long at;                       /* Unix time of the line */
	char host[MAILLOG_HOST_MAX + 1];
	char qid[MAILLOG_QID_MAX + 1];
	char addr[MAILLOG_ADDR_MAX + 1];    /* from= (may be "" for <>) or to= */
	char relay[MAILLOG_RELAY_MAX + 1];  /* "" when none */
	char dsn[MAILLOG_DSN_MAX + 1];      /* "" when none */
	int has_reply;                      /* the remote server answered (reply holds its words) */
	char reply[MAILLOG_REPLY_MAX + 1];  /* Postfix's "(...)" text, Exim's error text */
};

/* Parses one line of len bytes (a trailing "\n" or "\r\n" is ignored) into
 * *out. PERR_OK for a well-formed line (event MAILLOG_EV_OTHER when it is
 * not about delivery: other programs, connection lines, ...). PERR_INVALID
 * for a malformed one: no known time stamp, no host or program, a bad
 * field in a delivery line, a NUL byte, longer than MAILLOG_LINE_MAX; *out
 * then holds nothing useful. */
enum perr maillog_parse(const char *line, size_t len, const struct maillog_clock *clk,
			struct maillog_line *out);

/* "sent", "deferred", "bounced", "expired"; "" for NONE. */
const char *maillog_status_str(enum maillog_status s);
/* "syslog", "rfc3339", "exim". */
const char *maillog_format_str(enum maillog_format f);

/* One delivery worth keeping: refused (bounced) or deferred with the
 * remote server's reply, with its sender when the joiner saw it. */
struct maillog_delivery {
	const struct maillog_line *to;      /* the to= line; borrowed from the caller */
	char sender[MAILLOG_ADDR_MAX + 1];  /* "" when the from= line was not seen */
	int sender_known;
};

struct maillog_join_stats {
	unsigned long long messages;        /* from= lines taken in */
	unsigned long long evicted;         /* entries pushed out by newer ids (seen only in part) */
	unsigned long long orphans;         /* kept deliveries whose sender was not seen */
	unsigned long long done;            /* messages that left the queue */
};

struct maillog_joiner;

/* A joiner of about entries queue ids (rounded up to whole buckets of
 * MAILLOG_JOIN_WAYS; 0 = MAILLOG_JOIN_DEFAULT). Its memory is fixed here
 * and never grows: when a bucket is full the entry seen longest ago is
 * evicted. Free with maillog_joiner_free(). */
enum perr maillog_joiner_new(size_t entries, struct maillog_joiner **out);
void maillog_joiner_free(struct maillog_joiner *j);

/* Takes one parsed line. Returns 1 and fills *d when the line is a
 * delivery worth keeping (bounced, or deferred with a reply); 0 otherwise.
 * d->to points at l: copy what is needed before l changes. */
int maillog_join(struct maillog_joiner *j, const struct maillog_line *l, struct maillog_delivery *d);

/* Counters since maillog_joiner_new; *live is the number of ids held. */
void maillog_join_stats(const struct maillog_joiner *j, struct maillog_join_stats *s, size_t *live);

/* Writes a DSN-like text for the bounce analyzer and the check form:
 * Reporting-MTA (host), Final-Recipient, Action, Status, Remote-MTA and a
 * Diagnostic-Code made of the bare SMTP reply ("host X said:" and "(in
 * reply to ...)" taken off). Returns the length written (cut to fit). */
size_t maillog_dsn_text(const char *host, const char *recipient, const char *relay, const char *dsn,
			const char *status, const char *reply, char *buf, size_t len);

#endif
