/* Unit tests of the web foundation's pure parts: the field validator table,
 * configuration loading, template escaping (golden checks with hostile
 * values) and the report explanation. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../cgi-bin/fields.h"
#include "core/config.h"
#include "explain/explain.h"
#include "../../cgi-bin/render.h"

struct field_case {
	enum field f;
	const char *value;
	enum field_state want;
};

static const struct field_case field_cases[] = {
	{ FIELD_IP, "203.0.113.25", FIELD_VALID },
	{ FIELD_IP, "2001:db8::25", FIELD_VALID },
	{ FIELD_IP, "::ffff:192.0.2.1", FIELD_VALID },
	{ FIELD_IP, "203.0.113.025", FIELD_INVALID },     /* leading zero */
	{ FIELD_IP, "256.1.1.1", FIELD_INVALID },
	{ FIELD_IP, "mail.example.com", FIELD_INVALID },
	{ FIELD_IP, "1.2.3", FIELD_INVALID },
	{ FIELD_IP, "", FIELD_ABSENT },
	{ FIELD_TICKET, "48121", FIELD_VALID },
	{ FIELD_TICKET, "ABC-123-x", FIELD_VALID },
	{ FIELD_TICKET, "abcdefghijklmnopqrstuvwxyz012345", FIELD_VALID },   /* 32 */
	{ FIELD_TICKET, "abcdefghijklmnopqrstuvwxyz0123456", FIELD_INVALID }, /* 33 */
	{ FIELD_TICKET, "a b", FIELD_INVALID },
	{ FIELD_TICKET, "<script>", FIELD_INVALID },
	{ FIELD_BOUNCE, "550 5.7.1 blocked", FIELD_VALID },
	{ FIELD_BOUNCE, "caf\xc3\xa9 550", FIELD_VALID },
	{ FIELD_BOUNCE, "bad \xff\xfe bytes", FIELD_INVALID },
	{ FIELD_BOUNCE, "overlong \xc0\xaf", FIELD_INVALID },
	{ FIELD_BOUNCE, "surrogate \xed\xa0\x80", FIELD_INVALID },
	{ FIELD_CSRF, "AQ8MGrHdKEVkyaT6TL0_e10FiLvIi0itD8DLGPoiIeA", FIELD_VALID },
	{ FIELD_CSRF, "not a token", FIELD_INVALID },
	{ FIELD_NEXT, "/forwards", FIELD_VALID },
	{ FIELD_NEXT, "//evil.example/", FIELD_INVALID },
	{ FIELD_NEXT, "https://evil.example/", FIELD_INVALID },
	{ FIELD_NEXT, "/\\evil.example", FIELD_INVALID },
	{ FIELD_FROM, "2026-11-27", FIELD_VALID },
	{ FIELD_FROM, "2026-13-01", FIELD_INVALID },
	{ FIELD_FROM, "27.11.2026", FIELD_INVALID },
	{ FIELD_PAGE, "3", FIELD_VALID },
	{ FIELD_PAGE, "0", FIELD_INVALID },
	{ FIELD_PAGE, "-1", FIELD_INVALID },
	{ FIELD_PAGE, "1e9", FIELD_INVALID },
};

static void test_field_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof field_cases / sizeof field_cases[0]; i++) {
		const struct field_case *c = &field_cases[i];
		struct field_value v = field_validate(c->f, c->value, strlen(c->value), 0);
		if (v.state != c->want)
			fail_msg("%s=\"%s\": state %d, want %d", field_name(c->f), c->value, v.state, c->want);
		if (v.state == FIELD_INVALID)
			assert_non_null(v.message);
	}
}

static void test_field_limits_and_nul(void **state)
{
	(void)state;
	char big[300];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(field_validate(FIELD_BOUNCE, big, strlen(big), 100).state, FIELD_INVALID);
	assert_int_equal(field_validate(FIELD_BOUNCE, big, strlen(big), 1000).state, FIELD_VALID);
	assert_int_equal(field_validate(FIELD_BOUNCE, "a\0b", 3, 0).state, FIELD_INVALID);
	struct field_value v = field_validate(FIELD_IP, "<b>", 3, 0);
	assert_int_equal(v.state, FIELD_INVALID);
	assert_null(strstr(v.message, "<b>"));   /* messages never echo input */
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* What customers paste into the IP field: the address inside is found,
 * anything else is not an address. */
static void test_ip_inner(void **state)
{
	(void)state;
	static const struct { const char *in, *want; } rows[] = {
		{" 203.0.113.25 ", "203.0.113.25"}, {"[203.0.113.25]", "203.0.113.25"},
		{"\t[ 203.0.113.25 ]\n", NULL},       /* spaces inside the brackets: not our form */
		{"IPv6:2001:db8::25", "2001:db8::25"}, {"[IPv6:2001:db8::25]", "2001:db8::25"},
		{"ipv6:2001:db8::25", "2001:db8::25"}, {"203.0.113.25", "203.0.113.25"},
		{"[]", NULL}, {"  ", NULL}, {"mail3.example.net", NULL}, {"203.0.113.256", NULL},
		{"[203.0.113.25", NULL}, {"IPv6:", NULL},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t off = 0, n = 0;
		int ok = field_ip_inner(rows[i].in, strlen(rows[i].in), &off, &n);
		if (rows[i].want == NULL) {
			assert_int_equal(ok, 0);
			continue;
		}
		assert_int_equal(ok, 1);
		assert_int_equal(n, strlen(rows[i].want));
		assert_memory_equal(rows[i].in + off, rows[i].want, n);
	}
}

static void test_config(void **state)
{
	(void)state;
	struct config cfg;
	char err[256] = "";
	assert_int_equal(config_load(&cfg, "conf/portal.hdf.example", err, sizeof err), PERR_OK);
	assert_int_equal(cfg.dns_timeout_ms, 3000);
	assert_int_equal(cfg.checks_per_minute, 20);
	assert_string_equal(cfg.site_outgoing_ips, "203.0.113.25, 203.0.113.26");
	assert_int_equal(cfg.demo_seed, 0);

	char path[] = "/tmp/blhd-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "dns.timeout_ms = 10\n");
	assert_int_equal(config_load(&cfg, path, err, sizeof err), PERR_CONFIG);
	assert_non_null(strstr(err, "dns.timeout_ms"));
	write_file(path, "checks.per_minute = -5\n");
	assert_int_equal(config_load(&cfg, path, err, sizeof err), PERR_CONFIG);
	write_file(path, "limits.body_bytes = 99999999999\n");
	assert_int_equal(config_load(&cfg, path, err, sizeof err), PERR_CONFIG);
	write_file(path, "this is not = [ hdf\n{{{\n");
	assert_int_equal(config_load(&cfg, path, err, sizeof err), PERR_CONFIG);
	unlink(path);
	assert_int_equal(config_load(&cfg, "/nonexistent/portal.hdf", err, sizeof err), PERR_CONFIG);
}

/* Golden checks: hostile values come out escaped in every page. */
static void test_templates_escape(void **state)
{
	(void)state;
	struct render *r = NULL;
	assert_int_equal(render_open("templates", &r), PERR_OK);
	const char *evil = "<script>alert(1)</script>\"'&";
	assert_int_equal(render_site(r, "site.company", evil), PERR_OK);
	struct view *v = view_new();
	view_set(v, "form.bounce", evil);
	view_set(v, "form.ip", evil);
	view_set(v, "form.errors.ip", evil);
	view_set(v, "page.csrf", evil);
	view_set(v, "error.title", evil);
	view_set(v, "error.ref", evil);
	view_set(v, "report.sentence", evil);
	view_set(v, "report.diagnostic", evil);
	view_set(v, "report.checks.0.name", evil);
	view_set(v, "report.checks.0.status", "listed");
	view_set(v, "report.checks.0.txt", evil);
	view_set(v, "report.checked_count", "1");
	view_set(v, "report.ticket", evil);
	static const enum page pages[] = { PAGE_HOME, PAGE_ERROR, PAGE_REPORT };
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		char *html = NULL;
		size_t len = 0;
		assert_int_equal(render_page(r, pages[i], v, &html, &len), PERR_OK);
		assert_true(len > 100);
		assert_null(strstr(html, "<script>alert"));
		assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
		free(html);
	}
	view_free(v);
	render_close(r);
}

static json_t *doc_for(const char *input, const char *category, const char *provider,
		       const char *listed_zone, const char *code)
{
	json_t *checks = json_array();
	if (listed_zone)
		json_array_append_new(checks, json_pack("{s:s, s:s, s:[s], s:s}", "zone", listed_zone,
							"status", "listed", "codes", code, "duration", "a while"));
	json_array_append_new(checks, json_pack("{s:s, s:s, s:[]}", "zone", "bl.mailspike.net", "status", "clean", "codes"));
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:b, s:b, s:[], s:o}", "input", input, "category", category,
			 "provider", provider, "blacklist", !strcmp(category, "blacklist") || !strcmp(category, "reputation"),
			 "ip", "203.0.113.25", "ip_is_ours", 1, "sent", 1, "lists", "checks", checks);
}

static void test_explain(void **state)
{
	(void)state;
	struct explain_knowledge *k = NULL;
	char err[256] = "";
	assert_int_equal(explain_knowledge_load("db/knowledge/report.hdf", &k, err, sizeof err), PERR_OK);

	json_t *d = doc_for("bounce", "reputation", "aol", "bl.spamcop.net", "127.0.0.2");
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	assert_string_equal(json_string_value(json_object_get(d, "verdict")), "reputation");
	assert_string_equal(json_string_value(json_object_get(d, "cause")), "selfreport");
	assert_non_null(strstr(json_string_value(json_object_get(d, "sentence")), "Your mail to AOL bounced"));
	assert_non_null(strstr(json_string_value(json_object_get(d, "expiry")), "72 hours"));
	/* AOL's own lists come first */
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(d, "checks"), 0), "zone")),
			    "bl.spamcop.net");
	json_decref(d);

	d = doc_for("ip", "other", "other", "zen.spamhaus.org", "127.0.0.4");
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	assert_string_equal(json_string_value(json_object_get(d, "verdict")), "listed");
	assert_string_equal(json_string_value(json_object_get(d, "cause")), "exploit");
	json_decref(d);

	d = doc_for("ip", "other", "other", "zen.spamhaus.org", "127.0.0.10");
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	assert_string_equal(json_string_value(json_object_get(d, "cause")), "policy");
	json_decref(d);

	d = doc_for("bounce", "recipient", "gmail", NULL, NULL);
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	assert_string_equal(json_string_value(json_object_get(d, "verdict")), "not_blacklist");
	assert_int_equal(json_array_size(json_object_get(d, "causes")), 0);
	char sentence[512];
	explain_sentence(json_string_value(json_object_get(d, "sentence")), NULL, sentence, sizeof sentence);
	assert_non_null(strstr(sentence, "the recipient's address does not exist"));
	explain_sentence(json_string_value(json_object_get(d, "sentence")), "bob@example.com", sentence, sizeof sentence);
	assert_non_null(strstr(sentence, "bob@example.com does not exist"));
	json_decref(d);

	d = doc_for("ip", "other", "other", NULL, NULL);
	assert_int_equal(explain_report(k, NULL, d), PERR_OK);
	assert_string_equal(json_string_value(json_object_get(d, "verdict")), "clean");
	json_decref(d);

	struct explain_knowledge *bad = NULL;
	assert_int_equal(explain_knowledge_parse("Kind {\n complaints {\n why = x\n causes = nope\n }\n}\n",
						 &bad, err, sizeof err), PERR_CONFIG);
	assert_null(bad);
	explain_knowledge_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_field_limits_and_nul),
		cmocka_unit_test(test_ip_inner),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_templates_escape),
		cmocka_unit_test(test_explain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
