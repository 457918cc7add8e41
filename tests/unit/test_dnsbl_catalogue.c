/* The DNSBL catalogue: the shipped file loads and says what the issue
 * requires; decoding, refusal codes, URL building; broken entries fail
 * with a message naming them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dnsbl/knowledge_dnsbl.h"

#define CATALOGUE PORTAL_DATADIR "/db/knowledge/dnsbl_catalogue.hdf"

static const char *const required[] = {
	"zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "dnsbl-1.uceprotect.net",
	"dnsbl-2.uceprotect.net", "dnsbl-3.uceprotect.net", "psbl.surriel.com", "bl.mailspike.net",
	"all.spamrats.com", "bl.0spam.org", "ips.backscatterer.org", "truncate.gbudb.net",
	"all.s5h.net", "dnsbl.dronebl.org", "bl.blocklist.de", "bl.spameatingmonkey.net",
	"bl.score.senderscore.com",
};
static const char *const dead[] = { "dnsbl.sorbs.net", "spam.dnsbl.sorbs.net", "dnsbl.ahbl.org",
				    "bl.spamcannibal.org" };

static uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
}

static void test_shipped_catalogue(void **state)
{
	(void)state;
	struct dnsbl_catalogue *cat = NULL;
	char err[256] = "";
	if (dnsbl_catalogue_load(CATALOGUE, &cat, err, sizeof err) != PERR_OK)
		fail_msg("%s", err);
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		const struct dnsbl_list *l = dnsbl_catalogue_find(cat, required[i]);
		if (l == NULL)
			fail_msg("missing %s", required[i]);
		assert_false(l->dead);
		assert_true(l->name[0] && l->lists[0] && l->duration[0]);
		assert_true(l->delist_url[0] && l->lookup_url[0]);
		assert_true(l->ncodes > 0);
		assert_true(l->test);
	}
	for (size_t i = 0; i < sizeof dead / sizeof dead[0]; i++) {
		const struct dnsbl_list *l = dnsbl_catalogue_find(cat, dead[i]);
		if (l == NULL)
			fail_msg("missing %s", dead[i]);
		assert_true(l->dead);
		assert_false(l->default_on);
	}
	const struct dnsbl_list *zen = dnsbl_catalogue_find(cat, "ZEN.Spamhaus.org.");
	assert_non_null(zen);
	assert_true(zen->ipv6);
	assert_string_equal(zen->dqs_zone, "zen.dq.spamhaus.net");
	assert_true(dnsbl_code_refused(zen, ip4(127, 255, 255, 254)));
	assert_true(dnsbl_code_refused(zen, ip4(127, 255, 255, 250)));
	assert_true(dnsbl_code_refused(zen, ip4(10, 0, 0, 1)));
	assert_false(dnsbl_code_refused(zen, ip4(127, 0, 0, 2)));

	char meaning[512];
	enum dnsbl_severity sev;
	int policy;
	uint32_t pbl[] = { ip4(127, 0, 0, 10) };
	dnsbl_decode(zen, pbl, 1, meaning, sizeof meaning, &sev, &policy);
	assert_int_equal(sev, DNSBL_SEV_POLICY);
	assert_true(policy);
	assert_non_null(strstr(meaning, "PBL"));
	uint32_t both[] = { ip4(127, 0, 0, 2), ip4(127, 0, 0, 11) };
	dnsbl_decode(zen, both, 2, meaning, sizeof meaning, &sev, &policy);
	assert_int_equal(sev, DNSBL_SEV_HIGH);
	assert_false(policy);
	assert_non_null(strstr(meaning, "SBL"));
	assert_non_null(strstr(meaning, "; "));
	uint32_t odd[] = { ip4(127, 0, 0, 77) };
	dnsbl_decode(zen, odd, 1, meaning, sizeof meaning, &sev, &policy);
	assert_int_equal(sev, DNSBL_SEV_MEDIUM);
	assert_non_null(strstr(meaning, "127.0.0.77 not documented"));
	dnsbl_catalogue_free(cat);
}

static void test_bitmask(void **state)
{
	(void)state;
	static const char text[] =
		"dnsbl {\n"
		"  multi {\n"
		"    zone = multi.bl.test\n"
		"    bitmask = 1\n"
		"    codes {\n"
		"      a {\n        code = 2\n        severity = low\n        meaning = bit two\n      }\n"
		"      b {\n        code = 4\n        severity = high\n        meaning = bit four\n      }\n"
		"      c {\n        code = 8\n        severity = policy\n        meaning = bit eight\n      }\n"
		"    }\n"
		"  }\n"
		"}\n";
	struct dnsbl_catalogue *cat = NULL;
	char err[256] = "";
	if (dnsbl_catalogue_parse(text, &cat, err, sizeof err) != PERR_OK)
		fail_msg("%s", err);
	const struct dnsbl_list *l = &cat->lists[0];
	char meaning[256];
	enum dnsbl_severity sev;
	int policy;
	uint32_t c[] = { ip4(127, 0, 0, 6) };
	dnsbl_decode(l, c, 1, meaning, sizeof meaning, &sev, &policy);
	assert_string_equal(meaning, "bit two; bit four");
	assert_int_equal(sev, DNSBL_SEV_HIGH);
	uint32_t p[] = { ip4(127, 0, 0, 8) };
	dnsbl_decode(l, p, 1, meaning, sizeof meaning, &sev, &policy);
	assert_true(policy);
	assert_string_equal(l->name, "multi.bl.test");   /* name defaults to the zone */
	dnsbl_catalogue_free(cat);
}

struct broken {
	const char *body;     /* inside "dnsbl { x { ... } }" */
	const char *message;
};

static const struct broken brokens[] = {
	{ "zone = bad..zone", "<catalogue>: dnsbl.x.zone: not a valid DNS name" },
	{ "zone = -bad.zone", "dnsbl.x.zone: not a valid DNS name" },
	{ "zone = bad zone.org", "dnsbl.x.zone: not a valid DNS name" },
	{ "zone = nodot", "dnsbl.x.zone: not a valid DNS name" },
	{ "zone = ", "dnsbl.x.zone: not a valid DNS name" },
	{ "zone = a.b\n    policy = yes", "dnsbl.x.policy: must be 0 or 1" },
	{ "zone = a.b\n    delist_url = javascript:alert(1)", "dnsbl.x.delist_url: URL patterns must be plain http(s)" },
	{ "zone = a.b\n    delist_url = https://x/\"onmouseover", "dnsbl.x.delist_url: URL patterns must be plain http(s)" },
	{ "zone = a.b\n    refused = 10.0.0.1", "dnsbl.x.refused: must be" },
	{ "zone = a.b\n    test.codes = 127.0.0.02", "dnsbl.x.test.codes: must be" },
	{ "zone = a.b\n    dead = 1\n    default = 1", "dnsbl.x.default: a dead list cannot be queried" },
	{ "zone = a.b\n    codes {\n      q {\n        code = 127.0.0.2\n        severity = high\n      }\n    }",
	  "dnsbl.x.codes.q.meaning: missing" },
	{ "zone = a.b\n    codes {\n      q {\n        code = 127.0.0.2\n        severity = awful\n"
	  "        meaning = m\n      }\n    }", "dnsbl.x.codes.q.severity: unknown value 'awful' (one of policy, low, medium, high)" },
	{ "zone = a.b\n    codes {\n      q {\n        code = 1.2.3.4\n        severity = high\n"
	  "        meaning = m\n      }\n    }", "dnsbl.x.codes.q.code: must be an address in 127.0.0.0/8" },
	{ "zone = a.b\n    dqs_zone = x..y", "dnsbl.x.dqs_zone: not a valid DNS name" },
};

static void test_broken_entries(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof brokens / sizeof brokens[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text, "dnsbl {\n  x {\n    %s\n  }\n}\n", brokens[i].body);
		struct dnsbl_catalogue *cat = NULL;
		char err[256] = "";
		if (dnsbl_catalogue_parse(text, &cat, err, sizeof err) != PERR_CONFIG)
			fail_msg("case %zu accepted", i);
		assert_null(cat);
		if (strstr(err, brokens[i].message) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err, brokens[i].message);
	}
	struct dnsbl_catalogue *cat = NULL;
	char err[256];
	assert_int_equal(dnsbl_catalogue_parse("", &cat, err, sizeof err), PERR_CONFIG);
	assert_int_equal(dnsbl_catalogue_parse("dnsbl {\n", &cat, err, sizeof err), PERR_CONFIG);
	assert_int_equal(dnsbl_catalogue_parse("dnsbl {\n a {\n zone = a.b\n }\n b {\n zone = A.B\n }\n}\n",
					       &cat, err, sizeof err), PERR_CONFIG);
	assert_non_null(strstr(err, "zone listed twice"));
	assert_int_equal(dnsbl_catalogue_load("/nonexistent/catalogue.hdf", &cat, err, sizeof err),
			 PERR_NOT_FOUND);
}

static void test_zone_valid(void **state)
{
	(void)state;
	assert_true(dnsbl_zone_valid("zen.spamhaus.org"));
	assert_true(dnsbl_zone_valid("dnsbl-1.uceprotect.net"));
	assert_true(dnsbl_zone_valid("a.b"));
	assert_false(dnsbl_zone_valid("a"));
	assert_false(dnsbl_zone_valid("a..b"));
	assert_false(dnsbl_zone_valid(".a.b"));
	assert_false(dnsbl_zone_valid("a.b."));
	assert_false(dnsbl_zone_valid("a-.b"));
	assert_false(dnsbl_zone_valid("a_b.c"));
	assert_false(dnsbl_zone_valid("a.b\xc3\xa9"));
	char longlabel[80];
	memset(longlabel, 'a', 64);
	strcpy(longlabel + 64, ".org");
	assert_false(dnsbl_zone_valid(longlabel));
}

static void test_build_url(void **state)
{
	(void)state;
	char out[64];
	dnsbl_build_url("https://x.test/?ip=$IP&again=$IP", "192.0.2.1", out, sizeof out);
	assert_string_equal(out, "https://x.test/?ip=192.0.2.1&again=192.0.2.1");
	dnsbl_build_url("", "192.0.2.1", out, sizeof out);
	assert_string_equal(out, "");
	char tiny[20];
	dnsbl_build_url("https://x.test/?ip=$IP", "2001:db8::1", tiny, sizeof tiny);
	assert_string_equal(tiny, "");   /* never a cut URL */
	dnsbl_build_url("https://a-much-longer-host.test/", "1.2.3.4", tiny, sizeof tiny);
	assert_string_equal(tiny, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_catalogue),
		cmocka_unit_test(test_bitmask),
		cmocka_unit_test(test_broken_entries),
		cmocka_unit_test(test_zone_valid),
		cmocka_unit_test(test_build_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
