/* The consumer-provider catalogue: the shipped file loads and covers the
 * providers the issue names; domain and address lookup (case, subdomains,
 * trailing dot, look-alikes); SMTP settings; broken entries are refused
 * with a message naming them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "accounts/knowledge_isp.h"

#define CATALOGUE PORTAL_DATADIR "/db/knowledge/consumer_isps.hdf"

static int setup(void **state)
{
	struct isp_catalogue *c = NULL;
	char err[256] = "";
	if (isp_catalogue_load(CATALOGUE, &c, err, sizeof err) != PERR_OK) {
		print_error("%s\n", err);
		return -1;
	}
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	isp_catalogue_free(*state);
	return 0;
}

static const struct {
	const char *domain;
	const char *id;   /* NULL = not a consumer provider */
} lookups[] = {
	{ "aol.com", "aol" }, { "AOL.COM", "aol" }, { "aol.com.", "aol" },
	{ "comcast.net", "comcast" }, { "yahoo.com", "yahoo" }, { "ymail.com", "yahoo" },
	{ "verizon.net", "verizon" }, { "att.net", "att" }, { "sbcglobal.net", "att" },
	{ "bellsouth.net", "att" }, { "cox.net", "cox" }, { "hotmail.com", "microsoft" },
	{ "outlook.com", "microsoft" }, { "live.com", "microsoft" }, { "msn.com", "microsoft" },
	{ "gmail.com", "gmail" }, { "googlemail.com", "gmail" }, { "icloud.com", "apple" },
	{ "me.com", "apple" }, { "nyc.rr.com", "charter" }, { "mail.aol.com", "aol" },
	{ "example.com", NULL }, { "notaol.com", NULL }, { "aol.com.evil.example", NULL },
	{ "com", NULL }, { "", NULL }, { ".", NULL },
};

static void test_lookup(void **state)
{
	const struct isp_catalogue *c = *state;
	for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
		const struct isp_provider *p = isp_lookup_domain(c, lookups[i].domain);
		const char *got = p ? p->id : NULL;
		if ((got == NULL) != (lookups[i].id == NULL) || (got && strcmp(got, lookups[i].id) != 0))
			fail_msg("%s: got %s want %s", lookups[i].domain, got ? got : "NULL",
				 lookups[i].id ? lookups[i].id : "NULL");
	}
	assert_string_equal(isp_lookup_address(c, "Someone@AOL.com")->id, "aol");
	assert_null(isp_lookup_address(c, "no-at-sign"));
	assert_null(isp_lookup_address(c, NULL));
	assert_null(isp_lookup_domain(NULL, "aol.com"));
}

static void test_providers(void **state)
{
	const struct isp_catalogue *c = *state;
	static const char *const required[] = { "aol", "comcast", "yahoo", "verizon", "att", "cox",
						"microsoft", "gmail", "apple" };
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		const struct isp_provider *p = isp_by_provider(c, required[i]);
		if (p == NULL)
			fail_msg("%s missing", required[i]);
		assert_true(p->risky);
		assert_true(p->name[0] != '\0');
		assert_true(p->smtp.host[0] != '\0');
		assert_true(p->smtp.port == 465 || p->smtp.port == 587);
		assert_true(p->smtp.security == (p->smtp.port == 465 ? ISP_SEC_SSL : ISP_SEC_STARTTLS));
		assert_true(p->smtp.login_needed);
		assert_true(p->ndomains >= 1);
		assert_non_null(isp_domain_at(c, p, 0));
		assert_null(isp_domain_at(c, p, p->ndomains));
	}
	const struct isp_provider *aol = isp_by_provider(c, "aol");
	assert_string_equal(aol->smtp.host, "smtp.aol.com");
	assert_string_equal(isp_security_str(aol->smtp.security), "SSL");
	const struct isp_provider *vz = isp_by_provider(c, "verizon");
	assert_true(isp_received_by(vz, "aol"));
	assert_true(isp_received_by(vz, "verizon"));
	assert_false(isp_received_by(vz, "gmail"));
	assert_false(isp_received_by(NULL, "aol"));
	assert_null(isp_by_provider(c, "nope"));
	assert_true(isp_count(c) >= 9);
	assert_non_null(isp_at(c, 0));
	assert_null(isp_at(c, isp_count(c)));
}

static const struct {
	const char *text;
	const char *says;
} broken[] = {
#define ONE(body) "isp {\n a {\n" body "}\n}\n"
	{ ONE("name = A\ndomains = a.example\nsmtp.host = h\nsmtp.port = 25\nsmtp.security = TLS\n"), "isp.a" },
	{ "isp {\n a {\nname = A\ndomains = a.example\n}\n b {\nname = B\ndomains = A.example\n}\n}\n", "a.example" },
	{ ONE("name = A\n"), "no domains" },
	{ ONE("domains = a.example\n"), "name" },
	{ "isp {\n Bad-Id {\nname = A\ndomains = a.example\n}\n}\n", "Bad-Id" },
	{ ONE("name = A\ndomains = not_a_domain\n"), "not_a_domain" },
	{ ONE("name = A\nrisky = yes\ndomains = a.example\n"), "risky" },
	{ ONE("name = A\ndomains = a.example\nsmtp.host = h\nsmtp.port = 99999\nsmtp.security = SSL\n"), "port" },
	{ "other {\n}\n", "no isp" },
};

static void test_broken(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		struct isp_catalogue *c = NULL;
		char err[256] = "";
		enum perr rc = isp_catalogue_parse(broken[i].text, &c, err, sizeof err);
		isp_catalogue_free(c);
		if (rc == PERR_OK || strstr(err, broken[i].says) == NULL)
			fail_msg("case %lu: rc=%d err=%s", (unsigned long)i, rc, err);
	}
	struct isp_catalogue *c = NULL;
	char err[256];
	assert_int_equal(isp_catalogue_parse("isp {\n x {\nname = X\nrisky = 0\ndomains = x.example, y.example\n}\n}\n",
					     &c, err, sizeof err), PERR_OK);
	assert_false(isp_lookup_domain(c, "y.example")->risky);
	assert_int_equal(isp_lookup_domain(c, "y.example")->smtp.host[0], '\0');
	isp_catalogue_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_providers),
		cmocka_unit_test(test_broken),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
