/* The check pipeline without a web request: a pasted bounce, a bare IP
 * and a logged-in maker each run through analyse, look-up, explain and
 * store on a temporary SQLite database, and the stored report is read
 * back. DNS goes only to 127.0.0.1:9 (nobody listens) with a short
 * deadline; documentation addresses are not sent at all. Also the rate
 * limit, the holder test and the "our address" test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "bounce/bounce.h"
#include "check/check.h"
#include "core/token.h"
#include "dnsbl/dnsbl.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "explain/explain.h"
#include "store/store.h"
#include "store/store_auth.h"

#define BOUNCE_FIXTURE "tests/fixtures/http/spamhaus-xbl-pasted.txt"

struct fixture {
	char path[64];
	struct check_env env;
	struct store *st;
	struct bounce_knowledge *bounce;
	struct dnsbl_catalogue *cat;
	struct dnsbl_checker *dnsbl;
	struct explain_knowledge *explain;
	char *bounce_text;
	size_t bounce_len;
};

/* Reads a whole file into a malloc'd string; NULL when it cannot. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = malloc(1 << 16);
	size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof *x);
	char err[512] = "";
	snprintf(x->path, sizeof x->path, "/tmp/test-check-XXXXXX");
	int fd = mkstemp(x->path);
	if (fd < 0)
		return -1;
	close(fd);
	struct dnsbl_options o = { .servers = "127.0.0.1:9", .timeout_ms = 150 };
	if (store_open(x->path, &x->st) != PERR_OK ||
	    bounce_knowledge_load_err("db/knowledge", &x->bounce, err, sizeof err) != PERR_OK ||
	    dnsbl_catalogue_load("db/knowledge/dnsbl_catalogue.hdf", &x->cat, err, sizeof err) != PERR_OK ||
	    dnsbl_checker_new(x->cat, &o, &x->dnsbl, err, sizeof err) != PERR_OK ||
	    explain_knowledge_load("db/knowledge/report.hdf", &x->explain, err, sizeof err) != PERR_OK ||
	    (x->bounce_text = slurp(BOUNCE_FIXTURE, &x->bounce_len)) == NULL) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	x->env = (struct check_env){
		.store = x->st, .bounce = x->bounce, .dnsbl = x->dnsbl, .catalogue = x->cat,
		.explain = x->explain, .bounce_limit = 1 << 20, .outgoing_ips = "192.0.2.9, 2001:db8::25",
	};
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;
	free(x->bounce_text);
	explain_knowledge_free(x->explain);
	dnsbl_checker_free(x->dnsbl);
	dnsbl_catalogue_free(x->cat);
	bounce_knowledge_free(x->bounce);
	store_close(x->st);
	char p[80];
	unlink(x->path);
	snprintf(p, sizeof p, "%s-wal", x->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", x->path);
	unlink(p);
	free(x);
	return 0;
}

/* The number of stored reports, read over a second connection. */
static long long report_count(const struct fixture *x)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	long long n = -1;
	if (sqlite3_open(x->path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM reports", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static const char *jstr(json_t *doc, const char *key)
{
	return json_string_value(json_object_get(doc, key));
}

struct run_case {
	const char *name;
	int use_bounce;            /* paste the fixture bounce */
	const char *ip;            /* or check this address */
	const char *ticket;
	const char *source;
	int logged_in;             /* made by a user rather than a holder secret */
	/* expected */
	const char *want_ip;
	const char *want_input;
	int want_blacklist;
	int want_sent;
	int want_ours;
	const char *want_recipient;   /* "" = none */
	const char *want_list;        /* a list the bounce names, or NULL */
};

static const struct run_case run_cases[] = {
	{ "pasted bounce, anonymous", 1, NULL, "T-100", "bounce", 0,
	  "192.0.2.2", "bounce", 1, 0, 0, "carol@example.org", "zen.spamhaus.org" },
	{ "typed IP wins over the bounce's", 1, "192.0.2.9", NULL, "bounce", 0,
	  "192.0.2.9", "bounce", 1, 0, 1, "carol@example.org", "zen.spamhaus.org" },
	{ "bare IP, ours, logged in", 0, "2001:db8::25", "T-7", "link", 1,
	  "2001:db8::25", "ip", 0, 0, 1, "", NULL },
	{ "public IP: asked of loopback only, no answer", 0, "8.8.8.8", NULL, "api", 0,
	  "8.8.8.8", "ip", 0, 1, 0, "", NULL },
};

/* Checks the document check_run() returned for c. */
static void assert_doc(const struct run_case *c, json_t *doc, const char *token)
{
	assert_string_equal(jstr(doc, "token"), token);
	assert_string_equal(jstr(doc, "ip"), c->want_ip);
	assert_string_equal(jstr(doc, "input"), c->want_input);
	assert_string_equal(jstr(doc, "source"), c->source);
	assert_int_equal(json_is_true(json_object_get(doc, "blacklist")), c->want_blacklist);
	assert_int_equal(json_is_true(json_object_get(doc, "sent")), c->want_sent);
	assert_int_equal(json_is_true(json_object_get(doc, "ip_is_ours")), c->want_ours);
	assert_non_null(jstr(doc, "verdict"));
	json_t *checks = json_object_get(doc, "checks");
	assert_true(json_is_array(checks));
	size_t i;
	json_t *row;
	json_array_foreach(checks, i, row)
		assert_string_not_equal(jstr(row, "status"), "listed");   /* nothing answered */
	if (c->ticket)
		assert_string_equal(jstr(doc, "ticket"), c->ticket);
	else
		assert_true(json_is_null(json_object_get(doc, "ticket")));
	if (c->want_list)
		assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "lists"), 0)), c->want_list);
}

/* Checks the stored row and document for c, made by user (or secret). */
static void assert_stored(struct fixture *x, const struct run_case *c, const char *token,
			  long long user, const char *secret)
{
	struct report_stored r;
	assert_int_equal(store_report_get(x->st, token, 1, &r), PERR_OK);
	assert_string_equal(r.ip, c->want_ip);
	assert_int_equal(r.ip_is_ours, c->want_ours);
	assert_string_equal(r.recipient, c->want_recipient);
	assert_string_equal(r.ticket, c->ticket ? c->ticket : "");
	assert_int_equal(r.user_id, user);
	assert_int_equal(r.has_holder, user == 0);
	assert_true(check_is_holder(&r, user, user ? NULL : secret));
	assert_false(check_is_holder(&r, user + 1, "someone-else's-secret-of-the-same-size-xxxx"));
	json_t *stored = json_loads(r.doc, 0, NULL);
	assert_non_null(stored);
	assert_string_equal(jstr(stored, "token"), token);
	assert_string_equal(jstr(stored, "ip"), c->want_ip);
	assert_null(json_object_get(stored, "recipient"));   /* kept apart from the snapshot */
	json_decref(stored);
	free(r.doc);
}

static void test_run_and_store(void **state)
{
	struct fixture *x = *state;
	long long user = 0;
	assert_int_equal(store_user_add(x->st, "carol", "$argon2id$not-a-real-hash", "admin", 0, &user), PERR_OK);
	for (size_t i = 0; i < sizeof run_cases / sizeof run_cases[0]; i++) {
		const struct run_case *c = &run_cases[i];
		char secret[TOKEN_CHARS(32) + 1];
		uint8_t hash[TOKEN_SHA256_BYTES];
		assert_int_equal(token_random(secret, sizeof secret, 32), PERR_OK);
		token_sha256(secret, hash);
		struct check_input in = {
			.bounce = c->use_bounce ? x->bounce_text : NULL,
			.bounce_len = c->use_bounce ? x->bounce_len : 0,
			.ip = c->ip, .ticket = c->ticket, .source = c->source,
			.user_id = c->logged_in ? user : 0,
			.holder_hash = c->logged_in ? NULL : hash,
		};
		json_t *doc = NULL;
		char token[REPORT_TOKEN_CHARS + 1];
		print_message("case: %s\n", c->name);
		assert_int_equal(check_run(&x->env, &in, &doc, token), PERR_OK);
		assert_int_equal(strlen(token), REPORT_TOKEN_CHARS);
		assert_doc(c, doc, token);
		const char *rcpt = jstr(doc, "recipient");
		assert_string_equal(rcpt ? rcpt : "", c->want_recipient);
		assert_stored(x, c, token, in.user_id, secret);
		json_decref(doc);
		assert_int_equal(report_count(x), (long long)i + 1);
	}
}

/* A re-check reuses the earlier analysis and links to the earlier report. */
static void test_recheck(void **state)
{
	struct fixture *x = *state;
	struct check_input in = { .bounce = x->bounce_text, .bounce_len = x->bounce_len, .source = "bounce" };
	json_t *first = NULL, *again = NULL;
	char t1[REPORT_TOKEN_CHARS + 1], t2[REPORT_TOKEN_CHARS + 1];
	assert_int_equal(check_run(&x->env, &in, &first, t1), PERR_OK);
	struct report_stored r;
	assert_int_equal(store_report_get(x->st, t1, 0, &r), PERR_OK);
	struct check_input re = { .analysis = first, .source = "recheck", .previous_id = r.id,
				  .dns_flags = DNSBL_F_NOCACHE };
	assert_int_equal(check_run(&x->env, &re, &again, t2), PERR_OK);
	assert_string_not_equal(t1, t2);
	assert_string_equal(jstr(again, "ip"), "192.0.2.2");
	assert_string_equal(jstr(again, "input"), "bounce");
	assert_string_equal(jstr(again, "source"), "recheck");
	struct report_stored r2;
	assert_int_equal(store_report_get(x->st, t2, 0, &r2), PERR_OK);
	assert_int_equal(r2.previous_id, r.id);
	assert_string_equal(r2.previous_token, t1);
	assert_false(r2.has_holder);   /* no maker given: nobody holds it */
	json_decref(first);
	json_decref(again);
}

/* A bounce above the limit fails before anything is stored. */
static void test_too_large(void **state)
{
	struct fixture *x = *state;
	x->env.bounce_limit = 100;
	struct check_input in = { .bounce = x->bounce_text, .bounce_len = x->bounce_len, .source = "bounce" };
	json_t *doc = NULL;
	char token[REPORT_TOKEN_CHARS + 1];
	assert_int_equal(check_run(&x->env, &in, &doc, token), PERR_TOO_LARGE);
	assert_null(doc);
	assert_int_equal(report_count(x), 0);
}

static void test_rate_wait(void **state)
{
	struct fixture *x = *state;
	const long long minute_start = 1700000040;   /* a whole minute */
	assert_int_equal(check_rate_wait(x->st, "198.51.100.1", 0, 0, minute_start), 0);   /* no limit */
	assert_int_equal(check_rate_wait(x->st, "198.51.100.1", 2, 0, minute_start), 0);
	assert_int_equal(check_rate_wait(x->st, "198.51.100.1", 2, 0, minute_start + 1), 0);
	assert_int_equal(check_rate_wait(x->st, "198.51.100.1", 2, 0, minute_start + 15), 45);
	assert_int_equal(check_rate_wait(x->st, "198.51.100.2", 2, 0, minute_start + 15), 0);   /* per address */
	assert_int_equal(check_rate_wait(x->st, "198.51.100.1", 2, 0, minute_start + 60), 0);   /* next minute */
}

/* IPv6: 40 addresses of one /64 are one client; other /64s of the same
 * /48 share a coarser cap; a global budget stops everyone. */
static void test_rate_wait_networks(void **state)
{
	struct fixture *x = *state;
	const long long t = 1700000100;
	int allowed = 0;
	for (int i = 1; i <= 40; i++) {
		char a[64];
		snprintf(a, sizeof a, "2001:db8:1:2::%x", i);
		allowed += check_rate_wait(x->st, a, 5, 0, t) == 0;
	}
	assert_int_equal(allowed, 5);
	/* other /64s of 2001:db8:1::/48: 4 x 5 = 20 checks for the site, 5 used */
	allowed = 0;
	for (int i = 3; i < 13; i++) {
		char a[64];
		snprintf(a, sizeof a, "2001:db8:1:%x::1", i);
		allowed += check_rate_wait(x->st, a, 5, 0, t) == 0;
		allowed += check_rate_wait(x->st, a, 5, 0, t) == 0;
	}
	assert_int_equal(allowed, 15);
	assert_int_equal(check_rate_wait(x->st, "2001:db8:2::1", 5, 0, t), 0);   /* another site */
	/* the global budget: 3 checks a minute from anywhere */
	const long long u = t + 120;
	assert_int_equal(check_rate_wait(x->st, "198.51.100.7", 0, 3, u), 0);
	assert_int_equal(check_rate_wait(x->st, "198.51.100.8", 0, 3, u), 0);
	assert_int_equal(check_rate_wait(x->st, "2001:db8:9::1", 0, 3, u), 0);
	assert_int_not_equal(check_rate_wait(x->st, "198.51.100.9", 0, 3, u), 0);
}

static void test_ip_is_ours(void **state)
{
	(void)state;
	static const struct { const char *list, *ip; int want; } cases[] = {
		{ "192.0.2.9, 2001:db8::25", "192.0.2.9", 1 },
		{ "192.0.2.9, 2001:db8::25", "2001:DB8:0::25", 1 },
		{ "192.0.2.9,2001:db8::25", "192.0.2.10", 0 },
		{ "192.0.2.9", "::ffff:192.0.2.9", 0 },
		{ "", "192.0.2.9", 0 },
		{ "192.0.2.9", "not an ip", 0 },
		{ "192.0.2.9", NULL, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(check_ip_is_ours(cases[i].list, cases[i].ip), cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_and_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recheck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_wait_networks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_wait, setup, teardown),
		cmocka_unit_test(test_ip_is_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
