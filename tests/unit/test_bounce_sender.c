/* Unit tests of the sending server's address (bounce_sender*.c): our
 * servers known by name (site.outgoing_servers), the writer of the bounce
 * read from the Received: line that names it, and the addresses that
 * must never be reported: the receiving MX, the customer's own machine
 * (a submission), a provider's own server, numbers that are not
 * addresses. Also the reply codes that are not replies (a telephone
 * number, an EHLO transcript). Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bounce/bounce.h"
#include "core/servers.h"

#define KBDIR "db/knowledge"

static struct bounce_knowledge *kb;
static struct outgoing_servers ours;

/* A bounce our server mail7 wrote itself (no remote server reached): the
 * returned message came in from the customer's PC by authenticated
 * submission. */
static const char own_timeout[] =
	"Received: from mail7.host.example (mail7.host.example [198.51.100.7])\n"
	"\tby mbox.customer.example (Postfix) with ESMTPS id 1A\n"
	"Received: by mail7.host.example (Postfix) id 2B\n"
	"From: MAILER-DAEMON@mail7.host.example (Mail Delivery System)\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"\n"
	"This is the mail system at host mail7.host.example.\n"
	"\n"
	"<bob@far.example>: connect to mx.far.example[192.0.2.99]:25: Connection timed out\n"
	"\n"
	"--- Below this line is a copy of the message.\n"
	"\n"
	"Received: from [192.0.2.45] (unknown [192.0.2.45])\n"
	"\t(Authenticated sender: alice@customer.example)\n"
	"\tby mail7.host.example (Postfix) with ESMTPSA id 3C\n"
	"From: alice@customer.example\n"
	"To: bob@far.example\n"
	"Subject: hello\n";

/* The same bounce without the top Received: line that names mail7. */
static const char own_no_path[] =
	"From: MAILER-DAEMON@mail7.host.example (Mail Delivery System)\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"\n"
	"This is the mail system at host mail7.host.example.\n"
	"\n"
	"<bob@far.example>: Host or domain name not found. Name service error for name=far.example\n"
	"\n"
	"--- Below this line is a copy of the message.\n"
	"\n"
	"Received: from [192.0.2.45] (unknown [192.0.2.45])\n"
	"\tby mail7.host.example (Postfix) with ESMTPSA id 3C\n"
	"From: alice@customer.example\n";

/* A provider's own notice: its server received the message from ours
 * (server to server) and wrote the bounce later. */
static const char provider_notice[] =
	"Received: from mx.isp.example (mx.isp.example [192.0.2.200])\n"
	"\tby mail7.host.example with ESMTP id 9Z\n"
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.isp.example>\n"
	"Subject: Returned mail\n"
	"\n"
	"Your message could not be delivered: the mailbox of bob@isp.example is disabled.\n"
	"\n"
	"------ Original message -----\n"
	"\n"
	"Received: from mail7.host.example (mail7.host.example [198.51.100.7])\n"
	"\tby mx.isp.example with ESMTP id 8Y\n"
	"From: alice@customer.example\n";

/* Exim quoting the receiving MX and a policy rule number. */
static const char exim_rule[] =
	"From: Mail Delivery System <Mailer-Daemon@mail7.host.example>\n"
	"Subject: Mail delivery failed\n"
	"\n"
	"  bob@far.example\n"
	"    host mx.far.example [192.0.2.99]\n"
	"    SMTP error from remote mail server after end of data:\n"
	"    550 5.7.1 Message rejected by content policy rule 3.2.1.1\n";

struct row {
	const char *name;
	const char *text;
	bool with_map;
	const char *ip;      /* NULL = no address may be reported */
	int smtp_code;       /* -1 = not checked */
};

static const struct row rows[] = {
	{"our server by name, with the map", own_no_path, true, "198.51.100.7", -1},
	{"our server by name, no map: unsure, no address", own_no_path, false, NULL, -1},
	{"the writer's address from the Received: line naming it", own_timeout, false, "198.51.100.7", -1},
	{"never the customer's PC (submission)", own_no_path, false, NULL, -1},
	{"a provider's notice: the client of its first hop (ours)", provider_notice, false, "198.51.100.7", -1},
	{"a provider's notice with the map", provider_notice, true, "198.51.100.7", -1},
	{"never the receiving MX, never a rule number", exim_rule, false, NULL, 550},
	{"our server named by Exim's Mailer-Daemon, with the map", exim_rule, true, "198.51.100.7", 550},
	{"a telephone number is not a reply code",
	 "Your message could not be delivered: the mailbox is full.\n"
	 "For help call 1-800-550-4210, or +49 30 5521 0421. Reference: 554-2026-11-30.\n", false, NULL, 0},
	{"an EHLO transcript's 250 is not the reply",
	 "250-PIPELINING\n250-SIZE 52428800\n250 8BITMIME\nMAIL FROM:<a@b.example>\n550 5.7.1 Access denied\n",
	 false, NULL, 550},
};

static void test_rows(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *w = &rows[i];
		struct bounce_result r;
		assert_int_equal(bounce_analyze_ours(kb, w->text, strlen(w->text), 0, w->with_map ? &ours : NULL, &r),
		                 PERR_OK);
		bool ip_ok = w->ip ? (r.sending_ip && strcmp(r.sending_ip, w->ip) == 0) : r.sending_ip == NULL;
		bool code_ok = w->smtp_code < 0 || r.smtp_code == w->smtp_code;
		if (!ip_ok || !code_ok) {
			print_error("%s: ip %s (want %s), code %d (want %d)\n", w->name,
			            r.sending_ip ? r.sending_ip : "none", w->ip ? w->ip : "none", r.smtp_code, w->smtp_code);
			for (size_t e = 0; e < r.nevidence; e++)
				print_error("    %s\n", r.evidence[e]);
			bad++;
		}
		bounce_result_free(&r);
	}
	assert_int_equal(bad, 0);
}

static int setup(void **state)
{
	(void)state;
	char err[128];
	if (outgoing_servers_parse("mail7.host.example=198.51.100.7, relay=198.51.100.8", &ours, err, sizeof err) !=
	    PERR_OK)
		return -1;
	return bounce_knowledge_load(KBDIR, &kb) == PERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	bounce_knowledge_free(kb);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
	};
	return cmocka_run_group_tests_name("bounce_sender", tests, setup, teardown);
}
