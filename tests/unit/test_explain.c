/* Unit tests of src/explain: the customer's verdict (outcome) and the
 * causes by whose address it is and by list kind, the likely cause, the
 * "we could not check" case, and the removal of mail addresses from a
 * refusal. Table-driven; run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "explain/explain.h"

static struct explain_knowledge *k;

static int setup(void **state)
{
	(void)state;
	char err[256] = "";
	if (explain_knowledge_load("db/knowledge/report.hdf", &k, err, sizeof err) != PERR_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	explain_knowledge_free(k);
	return 0;
}

/* One case: an input, whose address, one live check answer (zone, status,
 * code), and what the explanation must say. */
struct ecase {
	const char *name;
	const char *input, *category, *provider;
	const char *ip;          /* NULL = none known */
	int ours;
	const char *zone, *status, *code;   /* the one live answer (zone NULL = none) */
	const char *bounce_list;            /* a list the bounce names, or NULL */
	const char *outcome, *verdict, *cause;
	const char *absent_cause;           /* a cause that must not be offered, or NULL */
};

static const struct ecase cases[] = {
	{ "ours, reputation at AOL: self-reporting first", "bounce", "reputation", "aol", "203.0.113.25", 1,
	  "zen.spamhaus.org", "listed", "127.0.0.4", NULL,
	  "provider_filter", "reputation", "selfreport", NULL },
	{ "ours, exploit list: the shared server's script", "ip", "other", "other", "203.0.113.25", 1,
	  "zen.spamhaus.org", "listed", "127.0.0.4", NULL,
	  "our_server_listed", "listed", "exploit", "own_network" },
	{ "not ours, XBL: a machine on your network", "ip", "other", "other", "198.51.100.7", 0,
	  "zen.spamhaus.org", "listed", "127.0.0.4", NULL,
	  "your_address_listed", "listed", "own_network", "exploit" },
	{ "not ours, DroneBL: a machine on your network", "ip", "other", "other", "198.51.100.7", 0,
	  "dnsbl.dronebl.org", "listed", "127.0.0.3", NULL,
	  "your_address_listed", "listed", "own_network", "complaints" },
	{ "not ours, PBL: sending directly from home", "ip", "other", "other", "198.51.100.7", 0,
	  "zen.spamhaus.org", "listed", "127.0.0.10", NULL,
	  "your_address_listed", "listed", "policy", "complaints" },
	{ "not ours, SpamCop: another provider's server", "ip", "other", "other", "198.51.100.7", 0,
	  "bl.spamcop.net", "listed", "127.0.0.2", NULL,
	  "your_address_listed", "listed", "other_provider", "complaints" },
	{ "not ours, bounce names SpamCop: never 'we contact the sender'", "bounce", "blacklist", "other",
	  "198.51.100.7", 0, "bl.spamcop.net", "listed", "127.0.0.2", "bl.spamcop.net",
	  "your_address_listed", "blacklist", "other_provider", "complaints" },
	{ "no address named: the sending server is listed", "bounce", "blacklist", "other", NULL, 0,
	  NULL, NULL, NULL, "bl.spamcop.net",
	  "server_listed", "blacklist", "complaints", NULL },
	{ "nothing answered: we could not check", "ip", "other", "other", "198.51.100.7", 0,
	  "zen.spamhaus.org", "timeout", NULL, NULL,
	  "could_not_check", "unknown", "none", NULL },
	{ "clean: not a block-list problem", "ip", "other", "other", "198.51.100.7", 0,
	  "zen.spamhaus.org", "clean", NULL, NULL,
	  "not_blocklist", "clean", "none", NULL },
	{ "unreadable bounce: we could not tell", "bounce", "other", "other", "198.51.100.7", 0,
	  "zen.spamhaus.org", "clean", NULL, NULL,
	  "could_not_tell", "unknown", "none", NULL },
};

static json_t *doc_of(const struct ecase *c)
{
	json_t *checks = json_array();
	if (c->zone)
		json_array_append_new(checks, json_pack("{s:s, s:s, s:[s*]}", "zone", c->zone, "status", c->status,
							"codes", c->code));
	json_t *lists = json_array();
	if (c->bounce_list)
		json_array_append_new(lists, json_string(c->bounce_list));
	return json_pack("{s:s, s:s, s:s, s:b, s:s?, s:b, s:b, s:o, s:o}", "input", c->input,
			 "category", c->category, "provider", c->provider,
			 "blacklist", !strcmp(c->category, "blacklist") || !strcmp(c->category, "reputation"),
			 "ip", c->ip, "ip_is_ours", c->ours, "sent", c->ip != NULL, "lists", lists, "checks", checks);
}

static int has_cause(json_t *d, const char *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(d, "causes"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "id")), id))
			return 1;
	return 0;
}

static void test_outcomes_and_causes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct ecase *c = &cases[i];
		json_t *d = doc_of(c);
		assert_non_null(d);
		assert_int_equal(explain_report(k, NULL, d), PERR_OK);
		const char *outcome = json_string_value(json_object_get(d, "outcome"));
		if (strcmp(outcome, c->outcome) || strcmp(json_string_value(json_object_get(d, "verdict")), c->verdict) ||
		    strcmp(json_string_value(json_object_get(d, "cause")), c->cause))
			fail_msg("%s: outcome %s verdict %s cause %s", c->name, outcome,
				 json_string_value(json_object_get(d, "verdict")),
				 json_string_value(json_object_get(d, "cause")));
		assert_true(*json_string_value(json_object_get(d, "heading")) != '\0');
		assert_true(*json_string_value(json_object_get(d, "next_step")) != '\0');
		if (c->absent_cause && has_cause(d, c->absent_cause))
			fail_msg("%s: offers %s", c->name, c->absent_cause);
		/* the first cause, and only it, is the likely one */
		size_t j;
		json_t *x;
		json_array_foreach(json_object_get(d, "causes"), j, x)
			assert_int_equal(json_is_true(json_object_get(x, "likely")), j == 0);
		/* an address that is not ours never hears "we contact the sender" */
		if (c->ip && !c->ours)
			json_array_foreach(json_object_get(d, "causes"), j, x)
				assert_null(strstr(json_string_value(json_object_get(x, "todo")), "we contact the sender"));
		json_decref(d);
	}
}

static void test_could_not_check_sentence(void **state)
{
	(void)state;
	json_t *d = doc_of(&cases[8]);
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	const char *s = json_string_value(json_object_get(d, "sentence"));
	assert_non_null(strstr(s, "could not check"));
	assert_non_null(strstr(s, "Try again in a few minutes"));
	assert_null(strstr(s, "not listed"));
	json_decref(d);
}

/* A bounce with a recognised reason that is not a block (an unknown
 * user) while the live check finds the sending IP listed: the verdict
 * stays "not a blacklist problem", and the sentence says the listing. */
static void test_not_blacklist_but_listed(void **state)
{
	(void)state;
	const struct ecase c = { "user unknown, listed now", "bounce", "recipient", "other", "198.51.100.7", 0,
				 "bl.spamcop.net", "listed", "127.0.0.2", NULL, NULL, NULL, NULL, NULL };
	json_t *d = doc_of(&c);
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	assert_string_equal(json_string_value(json_object_get(d, "verdict")), "not_blacklist");
	const char *s = json_string_value(json_object_get(d, "sentence"));
	assert_non_null(strstr(s, "not a blacklist problem"));
	assert_non_null(strstr(s, "is listed right now"));
	json_decref(d);
}

static void test_expiry_and_short_sentence(void **state)
{
	(void)state;
	json_t *d = doc_of(&cases[4]);   /* PBL only */
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	assert_non_null(strstr(json_string_value(json_object_get(d, "expiry")), "does not lift by itself"));
	json_decref(d);
	/* five listings: the sentence names three and counts the rest */
	d = doc_of(&cases[1]);
	static const char *const zones[] = { "bl.spamcop.net", "dnsbl.dronebl.org", "bl.blocklist.de", "psbl.surriel.com" };
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		json_array_append_new(json_object_get(d, "checks"),
				      json_pack("{s:s, s:s, s:[s]}", "zone", zones[i], "status", "listed", "codes", "127.0.0.2"));
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	const char *s = json_string_value(json_object_get(d, "sentence"));
	assert_non_null(strstr(s, "listed on 5 of the 5"));
	assert_non_null(strstr(s, " and 2 more."));
	assert_non_null(strstr(json_string_value(json_object_get(d, "expiry")), "72 hours"));
	json_decref(d);
}

struct rcase {
	const char *in, *want;
	int removed;
};

static const struct rcase redactions[] = {
	{ "550 5.1.1 <bob@aol.com>: Recipient address rejected", "550 5.1.1 <[address removed]>: Recipient address rejected", 1 },
	{ "to bob@aol.com, cc carol.x+tag@mail.example.org.", "to [address removed], cc [address removed].", 2 },
	{ "no address here @ all, user@localhost", "no address here @ all, user@localhost", 0 },
	{ "Client host [192.0.2.2] blocked using bl.spamcop.net", "Client host [192.0.2.2] blocked using bl.spamcop.net", 0 },
	{ "@example.com and a@b.c", "@example.com and [address removed]", 1 },
	{ "", "", 0 },
};

static void test_redact(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof redactions / sizeof redactions[0]; i++) {
		char out[256];
		int n = explain_redact_addresses(redactions[i].in, out, sizeof out);
		assert_string_equal(out, redactions[i].want);
		assert_int_equal(n, redactions[i].removed);
	}
	/* truncation keeps the buffer terminated */
	char tiny[8];
	explain_redact_addresses("x bob@aol.com y", tiny, sizeof tiny);
	assert_true(strlen(tiny) < sizeof tiny);
	assert_null(strstr(tiny, "bob"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes_and_causes),
		cmocka_unit_test(test_could_not_check_sentence),
		cmocka_unit_test(test_not_blacklist_but_listed),
		cmocka_unit_test(test_expiry_and_short_sentence),
		cmocka_unit_test(test_redact),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
