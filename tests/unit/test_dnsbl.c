/* The checker API without a DNS server: configuration errors, invalid and
 * reserved addresses (nothing is sent), JSON of a report. The DNS paths
 * are tested end to end against rbldnsd in tests/cli/blcheck.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dnsbl/dnsbl.h"

#define CATALOGUE PORTAL_DATADIR "/db/knowledge/dnsbl_catalogue.hdf"

static struct dnsbl_catalogue *cat;

static int setup(void **state)
{
	(void)state;
	char err[256];
	return dnsbl_catalogue_load(CATALOGUE, &cat, err, sizeof err) == PERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	dnsbl_catalogue_free(cat);
	return 0;
}

/* A server nobody listens on: nothing in these tests may reach it anyway. */
static struct dnsbl_options opts(const char *lists)
{
	struct dnsbl_options o;
	memset(&o, 0, sizeof o);
	o.servers = "127.0.0.1:9";
	o.lists = lists;
	o.timeout_ms = 200;
	return o;
}

struct bad_config {
	const char *lists;
	const char *key;
	const char *servers;
	const char *budgets;
	const char *message;
};

static const struct bad_config bad_configs[] = {
	{ "no.such.list", NULL, NULL, NULL, "unknown list no.such.list" },
	{ "dnsbl.sorbs.net", NULL, NULL, NULL, "dead list" },
	{ "zen.spamhaus.org,bad..zone", NULL, NULL, NULL, "not a valid list zone name" },
	{ " , ,", NULL, NULL, NULL, "empty list set" },
	{ "zen.spamhaus.org", "bad key!", NULL, NULL, "dns.dqs_key" },
	{ "zen.spamhaus.org", NULL, "not a server", NULL, "host:port" },
	{ "zen.spamhaus.org", NULL, NULL, "zen.spamhaus.org", "is not zone=queries" },
	{ "zen.spamhaus.org", NULL, NULL, "zen.spamhaus.org=", "is not zone=queries" },
	{ "zen.spamhaus.org", NULL, NULL, "zen.spamhaus.org=0", "1 to 1000000000" },
	{ "zen.spamhaus.org", NULL, NULL, "zen.spamhaus.org=-5", "1 to 1000000000" },
	{ "zen.spamhaus.org", NULL, NULL, "zen.spamhaus.org=12x", "1 to 1000000000" },
	{ "zen.spamhaus.org", NULL, NULL, "bl.spamcop.net=100", "not one of the lists queried" },
};

static void test_bad_config(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_configs / sizeof bad_configs[0]; i++) {
		struct dnsbl_options o = opts(bad_configs[i].lists);
		o.dqs_key = bad_configs[i].key;
		if (bad_configs[i].servers)
			o.servers = bad_configs[i].servers;
		o.budgets = bad_configs[i].budgets;
		struct dnsbl_checker *chk = NULL;
		char err[256] = "";
		assert_int_not_equal(dnsbl_checker_new(cat, &o, &chk, err, sizeof err), PERR_OK);
		assert_null(chk);
		if (strstr(err, bad_configs[i].message) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err, bad_configs[i].message);
		if (bad_configs[i].key)
			assert_null(strstr(err, bad_configs[i].key));   /* the key is never echoed */
	}
}

static void test_lists(void **state)
{
	(void)state;
	struct dnsbl_options o = opts("bl.spamcop.net zen.spamhaus.org,bl.spamcop.net");
	struct dnsbl_checker *chk;
	char err[256];
	assert_int_equal(dnsbl_checker_new(cat, &o, &chk, err, sizeof err), PERR_OK);
	const struct dnsbl_list *const *lists;
	assert_int_equal(dnsbl_checker_lists(chk, &lists), 2);
	assert_string_equal(lists[0]->zone, "zen.spamhaus.org");   /* catalogue order, deduplicated */
	assert_string_equal(lists[1]->zone, "bl.spamcop.net");
	dnsbl_checker_free(chk);

	o = opts(NULL);   /* catalogue defaults: never dead lists */
	assert_int_equal(dnsbl_checker_new(cat, &o, &chk, err, sizeof err), PERR_OK);
	size_t n = dnsbl_checker_lists(chk, &lists);
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		assert_false(lists[i]->dead);
		assert_true(lists[i]->default_on);
	}
	dnsbl_checker_free(chk);
}

static void test_invalid_and_reserved(void **state)
{
	(void)state;
	struct dnsbl_options o = opts("zen.spamhaus.org");
	struct dnsbl_checker *chk;
	char err[256];
	assert_int_equal(dnsbl_checker_new(cat, &o, &chk, err, sizeof err), PERR_OK);
	struct dnsbl_report *r = (struct dnsbl_report *)1;
	assert_int_equal(dnsbl_check(chk, "1.2.3.04", 0, &r), PERR_INVALID);
	assert_null(r);
	assert_int_equal(dnsbl_check(chk, NULL, 0, &r), PERR_INVALID);

	assert_int_equal(dnsbl_check(chk, "203.0.113.7", 0, &r), PERR_OK);
	assert_false(r->sent);
	assert_int_equal(r->n, 0);
	assert_int_equal(r->ip_class, IPADDR_DOCUMENTATION);
	assert_string_equal(r->note, "documentation address: not sent to public lists");
	assert_false(dnsbl_report_listed(r));
	assert_false(dnsbl_report_all_clean(r));
	json_t *j = dnsbl_report_to_json(r);
	assert_non_null(j);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"ip\":\"203.0.113.7\",\"note\":\"documentation address: not sent "
			       "to public lists\",\"results\":[]}");
	free(s);
	json_decref(j);
	dnsbl_report_free(r);

	const char *many[] = { "10.0.0.1", "nonsense", "::1", "2001:db8::1" };
	struct dnsbl_report *out[4];
	assert_int_equal(dnsbl_check_many(chk, many, 4, 0, out), PERR_OK);
	assert_non_null(out[0]);
	assert_null(out[1]);
	assert_string_equal(out[2]->note, "loopback address: not sent to public lists");
	assert_int_equal(out[3]->family, 6);
	for (int i = 0; i < 4; i++)
		dnsbl_report_free(out[i]);
	dnsbl_checker_free(chk);
}

static void test_names(void **state)
{
	(void)state;
	static const char *const want[] = { "listed", "clean", "timeout", "error", "refused", "untrusted", "skipped" };
	for (int i = 0; i < DNSBL_STATUS__MAX; i++)
		assert_string_equal(dnsbl_status_str((enum dnsbl_status)i), want[i]);
	assert_string_equal(dnsbl_status_str(DNSBL_STATUS__MAX), "unknown");
	assert_string_equal(dnsbl_severity_str(DNSBL_SEV_POLICY), "policy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_invalid_and_reserved),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
