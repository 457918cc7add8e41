/* src/maillog: each format's lines parse into the right fields (time,
 * host, queue id, addresses, relay, dsn, status, reply); malformed lines
 * are refused; the joiner ties from= to to= through the queue id, keeps
 * only refusals and deferrals with a reply, evicts when full without
 * growing; the DSN text carries the bare reply; the fixture files of each
 * format give the expected deliveries and malformed-line counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "maillog/maillog.h"
#include "maillog/maillog_alert.h"

#define FIXTURES PORTAL_DATADIR "/tests/fixtures/maillog/"
/* 2026-12-04 12:00:00 UTC: the fixtures' "now" (their year is 2026) */
#define NOW 1796385600LL

static const struct maillog_clock clk = { NOW, "mail5" };

static long long utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s };
	return (long long)timegm(&tm);
}

static void test_lines(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		enum perr rc;
		enum maillog_event ev;
		enum maillog_status st;
		int y, mo, d, h, mi, s;
		const char *host, *qid, *addr, *relay, *dsn;
		int has_reply;
		const char *reply_start;
	} cases[] = {
		{ "Dec  3 09:14:01 mail3 postfix/qmgr[981]: 4F3A21C0B2: from=<Alice@Example.com>, size=2317, nrcpt=2 (queue active)\n",
		  PERR_OK, MAILLOG_EV_FROM, MAILLOG_ST_NONE, 2026, 12, 3, 9, 14, 1, "mail3", "4F3A21C0B2", "alice@example.com", "", "", 0, "" },
		/* more than two days ahead of "now": last year */
		{ "Dec 13 23:59:59.123456 MAIL3 postfix/smtp[1]: ABCDE: to=<b@aol.com>, relay=mx[1.2.3.4]:25, dsn=5.7.1, status=bounced (host mx[1.2.3.4] said: 554 no (in reply to RCPT TO command))",
		  PERR_OK, MAILLOG_EV_TO, MAILLOG_ST_BOUNCED, 2025, 12, 13, 23, 59, 59, "mail3", "ABCDE", "b@aol.com", "mx[1.2.3.4]:25", "5.7.1", 1, "host mx" },
		/* up to two days ahead of "now": this year */
		{ "Dec  6 10:00:00 mail3 postfix/qmgr[9]: ABCDE: removed",
		  PERR_OK, MAILLOG_EV_DONE, MAILLOG_ST_NONE, 2026, 12, 6, 10, 0, 0, "mail3", "ABCDE", "", "", "", 0, "" },
		{ "Dec  3 09:15:12 mail3 postfix/smtp[2]: 7D2E41C0D1: to=<e@example.net>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.example.net[192.0.2.80]:25: Connection timed out)",
		  PERR_OK, MAILLOG_EV_TO, MAILLOG_ST_DEFERRED, 2026, 12, 3, 9, 15, 12, "mail3", "7D2E41C0D1", "e@example.net", "none", "4.4.1", 0, "connect to" },
		{ "2026-12-03T10:02:01.102345+01:00 mail4 postfix-out/smtp[1040]: 3K9pQy4Z7mz9vBd: to=<g@comcast.net>, orig_to=<g@old.example.org>, relay=mx1.comcast.net[96.114.157.80]:25, dsn=5.7.1, status=bounced (host x said: 554 blocked)",
		  PERR_OK, MAILLOG_EV_TO, MAILLOG_ST_BOUNCED, 2026, 12, 3, 9, 2, 1, "mail4", "3K9pQy4Z7mz9vBd", "g@comcast.net", "mx1.comcast.net[96.114.157.80]:25", "5.7.1", 1, "host x said" },
		{ "2026-12-03T09:14:01+0000 mail3 postfix/qmgr[981]: 4F3A21C0B2: from=<>, size=2317, nrcpt=1 (queue active)",
		  PERR_OK, MAILLOG_EV_FROM, MAILLOG_ST_NONE, 2026, 12, 3, 9, 14, 1, "mail3", "4F3A21C0B2", "", "", "", 0, "" },
		{ "2026-12-03T09:14:01Z mail3 postfix/smtp[2]: 4F3A21C0B2: to=<a@b.c>, relay=x[1.1.1.1]:25, dsn=2.0.0, status=sent (250 ok)",
		  PERR_OK, MAILLOG_EV_TO, MAILLOG_ST_SENT, 2026, 12, 3, 9, 14, 1, "mail3", "4F3A21C0B2", "a@b.c", "x[1.1.1.1]:25", "2.0.0", 0, "250 ok" },
		{ "2026-12-03T09:14:01-05:30 mail3 postfix/smtpd[2]: connect from a[1.2.3.4]",
		  PERR_OK, MAILLOG_EV_OTHER, MAILLOG_ST_NONE, 2026, 12, 3, 14, 44, 1, "mail3", "", "", "", "", 0, "" },
		{ "Dec  3 09:14:01 mail3 postfix/smtpd[2]: NOQUEUE: reject: RCPT from a[1.2.3.4]: 554 5.7.1 no",
		  PERR_OK, MAILLOG_EV_OTHER, MAILLOG_ST_NONE, 2026, 12, 3, 9, 14, 1, "mail3", "", "", "", "", 0, "" },
		{ "Dec  3 09:14:01 mail3 dovecot: imap-login: Login: user=<a>",
		  PERR_OK, MAILLOG_EV_OTHER, MAILLOG_ST_NONE, 2026, 12, 3, 9, 14, 1, "mail3", "", "", "", "", 0, "" },
		{ "2026-12-03 09:14:02 1tIXYZ-000123-AB ** bob@aol.com R=dnslookup T=remote_smtp H=mx.aol.com [67.195.204.72] X=TLS1.2:E:128 CV=yes: SMTP error from remote mail server after MAIL FROM:<a@b.c>: 554 5.7.1 [RTR:BB] no",
		  PERR_OK, MAILLOG_EV_TO, MAILLOG_ST_BOUNCED, 2026, 12, 3, 9, 14, 2, "mail5", "1tIXYZ-000123-AB", "bob@aol.com", "mx.aol.com[67.195.204.72]", "5.7.1", 1, "SMTP error from remote" },
		{ "2026-12-03 09:15:11.456 [4411] 1tIXab-000200-EF == dan@yahoo.com R=dnslookup T=remote_smtp defer (-45) H=mta7 [98.136.96.91]: SMTP error from remote mail server after RCPT TO:<dan@yahoo.com>: 421 4.7.0 [TSS04] later",
		  PERR_OK, MAILLOG_EV_TO, MAILLOG_ST_DEFERRED, 2026, 12, 3, 9, 15, 11, "mail5", "1tIXab-000200-EF", "dan@yahoo.com", "mta7[98.136.96.91]", "4.7.0", 1, "SMTP error" },
		{ "2026-12-03 09:15:13 1tIXac-000201-GH ** nobody@example.com: Unrouteable address",
		  PERR_OK, MAILLOG_EV_TO, MAILLOG_ST_BOUNCED, 2026, 12, 3, 9, 15, 13, "mail5", "1tIXac-000201-GH", "nobody@example.com", "", "5.0.0", 0, "Unrouteable" },
		{ "2026-12-03 09:14:01 +0100 1tIXYZ-000000123-ABCD <= <> R=1tIXYZ-000123-AB U=Debian-exim P=local S=4012",
		  PERR_OK, MAILLOG_EV_FROM, MAILLOG_ST_NONE, 2026, 12, 3, 8, 14, 1, "mail5", "1tIXYZ-000000123-ABCD", "", "", "", 0, "" },
		{ "2026-12-03 09:14:02 1tIXYZ-000123-AB Completed",
		  PERR_OK, MAILLOG_EV_DONE, MAILLOG_ST_NONE, 2026, 12, 3, 9, 14, 2, "mail5", "1tIXYZ-000123-AB", "", "", "", 0, "" },
		{ "2026-12-03 09:15:14 Start queue run: pid=4420",
		  PERR_OK, MAILLOG_EV_OTHER, MAILLOG_ST_NONE, 2026, 12, 3, 9, 15, 14, "mail5", "", "", "", "", 0, "" },
		/* malformed */
		{ "", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "this is not a log line", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "Dec 33 09:15:14 mail3 postfix/smtp[1]: ABCDE: removed", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "Dex  3 09:15:14 mail3 postfix/smtp[1]: ABCDE: removed", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "Dec  3 09:15:14 mail3", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "Dec  3 09:15:14 mail3 postfix/smtp[1 ABCDE: removed", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "Dec  3 09:15:15 mail3 postfix/smtp[2]: ABCDE12345: to=<x@y.z>, relay=a, dsn=5.0.0, status=exploded (ok)", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "Dec  3 09:15:15 mail3 postfix/smtp[2]: ABCDE12345: to=<x@y.z>, relay=a, dsn=5.0.0", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "Dec  3 09:15:15 mail3 postfix/smtp[2]: ABCDE12345: to=x@y.z, status=sent", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "Dec  3 09:15:15 mail3 postfix/smtp[2]: ABCDE12345: to=<x@y.z>, status=bounced (unclosed", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "2026-13-03T09:14:01Z mail3 postfix/qmgr[1]: ABCDE: removed", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "2026-12-03T09:14:01 mail3 postfix/qmgr[1]: ABCDE: removed", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "2026-12-03 9:15:16 garbage", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "2026-12-03 09:15:16 [12 1tIXac-000201-GH Completed", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
		{ "2026-12-03 09:15:16 1tIXac-000201-GH <= ", PERR_INVALID, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct maillog_line l;
		enum perr rc = maillog_parse(cases[i].line, strlen(cases[i].line), &clk, &l);
		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d, want %d: %s", i, rc, cases[i].rc, cases[i].line);
		if (rc != PERR_OK)
			continue;
		assert_int_equal(l.event, cases[i].ev);
		assert_int_equal(l.status, cases[i].st);
		assert_int_equal(l.at, utc(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, cases[i].s));
		assert_string_equal(l.host, cases[i].host);
		assert_string_equal(l.qid, cases[i].qid);
		assert_string_equal(l.addr, cases[i].addr);
		assert_string_equal(l.relay, cases[i].relay);
		assert_string_equal(l.dsn, cases[i].dsn);
		if (l.has_reply != cases[i].has_reply)
			fail_msg("case %zu: has_reply %d: %s", i, l.has_reply, l.reply);
		assert_true(strncmp(l.reply, cases[i].reply_start, strlen(cases[i].reply_start)) == 0);
	}
}

/* A NUL inside, and a line longer than the limit, are malformed. */
static void test_hostile_bytes(void **state)
{
	(void)state;
	struct maillog_line l;
	static const char nul[] = "Dec  3 09:14:01 mail3 postfix/qmgr[9]: ABCDE:\0 removed";
	assert_int_equal(maillog_parse(nul, sizeof nul - 1, &clk, &l), PERR_INVALID);
	char *big = malloc(MAILLOG_LINE_MAX + 128);
	assert_non_null(big);
	int n = snprintf(big, 128, "Dec  3 09:14:01 mail3 postfix/smtp[9]: ABCDE: to=<a@b.c>, status=sent (");
	memset(big + n, 'x', MAILLOG_LINE_MAX);
	big[n + MAILLOG_LINE_MAX - 1] = ')';
	assert_int_equal(maillog_parse(big, (size_t)n + MAILLOG_LINE_MAX, &clk, &l), PERR_INVALID);
	/* just under the limit: parsed, the reply cut to MAILLOG_REPLY_MAX */
	size_t len = MAILLOG_LINE_MAX - 8;
	big[len - 1] = ')';
	assert_int_equal(maillog_parse(big, len, &clk, &l), PERR_OK);
	assert_int_equal(strlen(l.reply), MAILLOG_REPLY_MAX);
	free(big);
}

/* Feeds lines through parse and join; returns deliveries kept. */
static size_t feed(struct maillog_joiner *j, const char *const *lines, size_t n, struct maillog_delivery *out,
		   char senders[][MAILLOG_ADDR_MAX + 1], char rcpts[][MAILLOG_ADDR_MAX + 1])
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		struct maillog_line l;
		assert_int_equal(maillog_parse(lines[i], strlen(lines[i]), &clk, &l), PERR_OK);
		if (maillog_join(j, &l, &out[kept])) {
			strcpy(senders[kept], out[kept].sender);
			strcpy(rcpts[kept], l.addr);
			kept++;
		}
	}
	return kept;
}

static void test_join(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"Dec  3 09:00:00 mail3 postfix/qmgr[1]: AAAAA1: from=<a@one.example>, size=1, nrcpt=2 (queue active)",
		"Dec  3 09:00:00 mail4 postfix/qmgr[1]: AAAAA1: from=<z@four.example>, size=1, nrcpt=1 (queue active)",
		"Dec  3 09:00:01 mail3 postfix/smtp[2]: AAAAA1: to=<r1@aol.com>, relay=x, dsn=5.7.1, status=bounced (host x said: 554 no (in reply to RCPT TO command))",
		"Dec  3 09:00:01 mail3 postfix/smtp[2]: AAAAA1: to=<r2@aol.com>, relay=x, dsn=2.0.0, status=sent (250 ok)",
		"Dec  3 09:00:01 mail4 postfix/smtp[2]: AAAAA1: to=<r3@aol.com>, relay=x, dsn=4.7.0, status=deferred (host x said: 421 later (in reply to MAIL FROM command))",
		"Dec  3 09:00:01 mail4 postfix/smtp[2]: AAAAA1: to=<r4@aol.com>, relay=none, dsn=4.4.1, status=deferred (connect to x: timed out)",
		"Dec  3 09:00:02 mail3 postfix/qmgr[1]: AAAAA1: removed",
		"Dec  3 09:00:03 mail3 postfix/smtp[2]: AAAAA1: to=<r5@aol.com>, relay=x, dsn=5.7.1, status=bounced (host x said: 554 no)",
	};
	struct maillog_joiner *j;
	assert_int_equal(maillog_joiner_new(64, &j), PERR_OK);
	struct maillog_delivery d[8];
	char s[8][MAILLOG_ADDR_MAX + 1], r[8][MAILLOG_ADDR_MAX + 1];
	size_t n = feed(j, lines, sizeof lines / sizeof lines[0], d, s, r);
	assert_int_equal(n, 3);
	assert_string_equal(r[0], "r1@aol.com");
	assert_string_equal(s[0], "a@one.example");
	assert_string_equal(r[1], "r3@aol.com");
	assert_string_equal(s[1], "z@four.example");   /* same id, other host */
	assert_string_equal(r[2], "r5@aol.com");
	assert_string_equal(s[2], "");                 /* after removed: not known */
	assert_false(d[2].sender_known);
	struct maillog_join_stats st;
	size_t live;
	maillog_join_stats(j, &st, &live);
	assert_int_equal(st.messages, 2);
	assert_int_equal(st.orphans, 1);
	assert_int_equal(st.done, 1);
	assert_int_equal(live, 1);
	maillog_joiner_free(j);
}

/* Far more ids than entries: the table stays at its size, the oldest go,
 * the newest are still joined. */
static void test_join_eviction(void **state)
{
	(void)state;
	struct maillog_joiner *j;
	assert_int_equal(maillog_joiner_new(16, &j), PERR_OK);
	enum { IDS = 5000 };
	for (int i = 0; i < IDS; i++) {
		char line[200];
		snprintf(line, sizeof line, "Dec  3 09:00:00 mail3 postfix/qmgr[1]: Q%07d: from=<s%d@x.example>, size=1", i, i);
		struct maillog_line l;
		struct maillog_delivery d;
		assert_int_equal(maillog_parse(line, strlen(line), &clk, &l), PERR_OK);
		assert_int_equal(maillog_join(j, &l, &d), 0);
	}
	struct maillog_join_stats st;
	size_t live;
	maillog_join_stats(j, &st, &live);
	assert_true(live <= 16);
	assert_int_equal(st.evicted, IDS - live);
	static const char last[] = "Dec  3 09:00:01 mail3 postfix/smtp[2]: Q0004999: to=<r@aol.com>, relay=x, dsn=5.7.1, status=bounced (host x said: 554 no)";
	static const char first[] = "Dec  3 09:00:01 mail3 postfix/smtp[2]: Q0000000: to=<r@aol.com>, relay=x, dsn=5.7.1, status=bounced (host x said: 554 no)";
	struct maillog_line l;
	struct maillog_delivery d;
	assert_int_equal(maillog_parse(last, strlen(last), &clk, &l), PERR_OK);
	assert_int_equal(maillog_join(j, &l, &d), 1);
	assert_string_equal(d.sender, "s4999@x.example");
	assert_int_equal(maillog_parse(first, strlen(first), &clk, &l), PERR_OK);
	assert_int_equal(maillog_join(j, &l, &d), 1);
	assert_false(d.sender_known);
	maillog_joiner_free(j);
}

static void test_dsn_text(void **state)
{
	(void)state;
	char buf[1024];
	size_t n = maillog_dsn_text("mail3", "bob@aol.com", "mx-aol.example[67.195.204.72]:25", "5.7.1", "bounced",
				    "host mx-aol.example[67.195.204.72] said: 554 5.7.1 [RTR:BB] no (ok) (in reply to MAIL FROM command)",
				    buf, sizeof buf);
	assert_int_equal(n, strlen(buf));
	assert_non_null(strstr(buf, "Reporting-MTA: dns; mail3\n"));
	assert_non_null(strstr(buf, "Final-Recipient: rfc822; bob@aol.com\n"));
	assert_non_null(strstr(buf, "Action: failed\n"));
	assert_non_null(strstr(buf, "Remote-MTA: dns; mx-aol.example\n"));
	assert_non_null(strstr(buf, "Diagnostic-Code: smtp; 554 5.7.1 [RTR:BB] no (ok)\n"));
	n = maillog_dsn_text("mail3", "d@yahoo.com", "", "4.7.0", "deferred", "421 later", buf, sizeof buf);
	assert_non_null(strstr(buf, "Action: delayed\n"));
	assert_non_null(strstr(buf, "Diagnostic-Code: smtp; 421 later\n"));
	char small[16];
	n = maillog_dsn_text("mail3", "d@yahoo.com", "", "4.7.0", "deferred", "421 later", small, sizeof small);
	assert_int_equal(n, sizeof small - 1);
}

/* The sudden-change rule and the flag's wording. */
static void test_alerts(void **state)
{
	(void)state;
	static const struct { long long now, before; int sudden; } cases[] = {
		{ 0, 0, 0 }, { MAILLOG_ALERT_MIN - 1, 0, 0 }, { MAILLOG_ALERT_MIN, 0, 1 },
		{ 37, 0, 1 }, { 37, 222, 1 },       /* 37/h against 9.25/h: four times */
		{ 37, 223, 0 }, { 10, 240, 0 },     /* a steady 10 an hour is no news */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (maillog_alert_sudden(cases[i].now, cases[i].before) != cases[i].sudden)
			fail_msg("case %zu", i);
	struct maillog_alert a = { .pair = { .provider = "aol", .server = "mail3", .code = "RTR:BB",
					     .first = utc(2026, 12, 3, 9, 14, 30), .messages = 37, .customers = 12 } };
	char buf[256];
	maillog_alert_text(&a, "AOL", buf, sizeof buf);
	assert_string_equal(buf, "AOL refuses mail3 since 09:14 UTC (RTR:BB), 37 messages from 12 customers");
	a.pair.code[0] = '\0', a.pair.messages = 1, a.pair.customers = 1;
	maillog_alert_text(&a, "AOL", buf, sizeof buf);
	assert_string_equal(buf, "AOL refuses mail3 since 09:14 UTC, 1 message from 1 customer");
}

/* A field that does not fit is left empty, never half-copied (found by
 * the fuzzer: an Exim relay of 306 bytes). */
static void test_field_too_long(void **state)
{
	(void)state;
	char line[1024], host[400];
	memset(host, 'a', 310);
	host[310] = '\0';
	snprintf(line, sizeof line, "2026-12-03 09:14:02 1tIXYZ-000123-AB ** bob@aol.com R=d T=r H=%s [1.2.3.4]: "
		 "SMTP error from remote mail server after RCPT TO:<bob@aol.com>: 550 5.7.1 no", host);
	struct maillog_line l;
	assert_int_equal(maillog_parse(line, strlen(line), &clk, &l), PERR_OK);
	assert_string_equal(l.relay, "");
	assert_string_equal(l.dsn, "5.7.1");
}

/* Each fixture file: the deliveries it holds and its malformed lines. */
static void test_fixtures(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		size_t lines, malformed, kept, orphans;
		const char *first_rcpt, *first_sender, *first_host;
	} cases[] = {
		{ "postfix-syslog.log", 15, 3, 3, 1, "bob@aol.com", "alice@example.com", "mail3" },
		{ "postfix-short-iso.log", 7, 1, 2, 0, "bob@aol.com", "alice@example.com", "mail3" },
		{ "exim-main.log", 11, 1, 3, 1, "bob@aol.com", "alice@example.com", "mail5" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, FIXTURES "%s", cases[i].file);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		struct maillog_joiner *j;
		assert_int_equal(maillog_joiner_new(0, &j), PERR_OK);
		char line[MAILLOG_LINE_MAX + 2];
		size_t lines = 0, bad = 0, kept = 0;
		while (fgets(line, sizeof line, f)) {
			struct maillog_line l;
			struct maillog_delivery d;
			lines++;
			if (maillog_parse(line, strlen(line), &clk, &l) != PERR_OK) {
				bad++;
				continue;
			}
			if (maillog_join(j, &l, &d) && kept++ == 0) {
				assert_string_equal(l.addr, cases[i].first_rcpt);
				assert_string_equal(d.sender, cases[i].first_sender);
				assert_string_equal(l.host, cases[i].first_host);
			}
		}
		fclose(f);
		struct maillog_join_stats st;
		maillog_join_stats(j, &st, NULL);
		if (lines != cases[i].lines || bad != cases[i].malformed || kept != cases[i].kept ||
		    st.orphans != cases[i].orphans)
			fail_msg("%s: %zu lines %zu malformed %zu kept %llu orphans", cases[i].file, lines, bad, kept,
				 st.orphans);
		maillog_joiner_free(j);
	}
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_join_eviction),
		cmocka_unit_test(test_dsn_text),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_field_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
