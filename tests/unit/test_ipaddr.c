/* ipaddr: strict parsing, canonical text, reversal, classification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/ipaddr.h"

struct good {
	const char *in;
	int family;
	const char *canon;
	const char *rev;
	enum ipaddr_class cls;
};

static const struct good goods[] = {
	{ "1.2.3.4", 4, "1.2.3.4", "4.3.2.1", IPADDR_PUBLIC },
	{ "0.0.0.0", 4, "0.0.0.0", "0.0.0.0", IPADDR_UNSPECIFIED },
	{ "255.255.255.255", 4, "255.255.255.255", "255.255.255.255", IPADDR_RESERVED },
	{ "8.8.8.8", 4, "8.8.8.8", "8.8.8.8", IPADDR_PUBLIC },
	{ "192.0.2.7", 4, "192.0.2.7", "7.2.0.192", IPADDR_DOCUMENTATION },
	{ "198.51.100.1", 4, "198.51.100.1", "1.100.51.198", IPADDR_DOCUMENTATION },
	{ "203.0.113.255", 4, "203.0.113.255", "255.113.0.203", IPADDR_DOCUMENTATION },
	{ "10.0.0.1", 4, "10.0.0.1", "1.0.0.10", IPADDR_PRIVATE },
	{ "172.16.0.1", 4, "172.16.0.1", "1.0.16.172", IPADDR_PRIVATE },
	{ "172.32.0.1", 4, "172.32.0.1", "1.0.32.172", IPADDR_PUBLIC },
	{ "192.168.1.1", 4, "192.168.1.1", "1.1.168.192", IPADDR_PRIVATE },
	{ "100.64.0.1", 4, "100.64.0.1", "1.0.64.100", IPADDR_SHARED },
	{ "100.128.0.1", 4, "100.128.0.1", "1.0.128.100", IPADDR_PUBLIC },
	{ "127.0.0.2", 4, "127.0.0.2", "2.0.0.127", IPADDR_LOOPBACK },
	{ "169.254.3.4", 4, "169.254.3.4", "4.3.254.169", IPADDR_LINKLOCAL },
	{ "198.18.0.1", 4, "198.18.0.1", "1.0.18.198", IPADDR_BENCHMARK },
	{ "224.0.0.1", 4, "224.0.0.1", "1.0.0.224", IPADDR_MULTICAST },
	{ "240.0.0.1", 4, "240.0.0.1", "1.0.0.240", IPADDR_RESERVED },
	{ "2001:db8::1", 6, "2001:db8::1",
	  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2", IPADDR_DOCUMENTATION },
	{ "2001:DB8:0:0:0:0:0:1", 6, "2001:db8::1", NULL, IPADDR_DOCUMENTATION },
	{ "2001:0db8:0000::0001", 6, "2001:db8::1", NULL, IPADDR_DOCUMENTATION },
	{ "2a00:1450:4001:81c::200e", 6, "2a00:1450:4001:81c::200e",
	  "e.0.0.2.0.0.0.0.0.0.0.0.0.0.0.0.c.1.8.0.1.0.0.4.0.5.4.1.0.0.a.2", IPADDR_PUBLIC },
	{ "::", 6, "::", NULL, IPADDR_UNSPECIFIED },
	{ "::1", 6, "::1", NULL, IPADDR_LOOPBACK },
	{ "1::", 6, "1::", NULL, IPADDR_RESERVED },
	{ "1:2:3:4:5:6:7::", 6, "1:2:3:4:5:6:7:0", NULL, IPADDR_RESERVED },
	{ "::2:3:4:5:6:7:8", 6, "0:2:3:4:5:6:7:8", NULL, IPADDR_RESERVED },
	{ "1:2:3:4:5:6:7:8", 6, "1:2:3:4:5:6:7:8", NULL, IPADDR_RESERVED },
	{ "::ffff:7f00:2", 6, "::ffff:127.0.0.2",
	  "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0", IPADDR_LOOPBACK },
	{ "::ffff:192.0.2.2", 6, "::ffff:192.0.2.2", NULL, IPADDR_DOCUMENTATION },
	{ "::ffff:8.8.8.8", 6, "::ffff:8.8.8.8", NULL, IPADDR_PUBLIC },
	{ "64:ff9b::10.1.1.1", 6, "64:ff9b::a01:101", NULL, IPADDR_PRIVATE },
	{ "1:2:3:4:5:6:1.2.3.4", 6, "1:2:3:4:5:6:102:304", NULL, IPADDR_RESERVED },
	{ "fe80::1", 6, "fe80::1", NULL, IPADDR_LINKLOCAL },
	{ "fd00::1", 6, "fd00::1", NULL, IPADDR_PRIVATE },
	{ "ff02::1", 6, "ff02::1", NULL, IPADDR_MULTICAST },
	{ "2001:2::1", 6, "2001:2::1", NULL, IPADDR_BENCHMARK },
	{ "2001:2:1::1", 6, "2001:2:1::1", NULL, IPADDR_PUBLIC },
	{ "3fff::1", 6, "3fff::1", NULL, IPADDR_DOCUMENTATION },
	{ "100::1", 6, "100::1", NULL, IPADDR_RESERVED },
	{ "100:0:0:1::1", 6, "100:0:0:1::1", NULL, IPADDR_PUBLIC },
};

struct bad {
	const char *in;
	const char *why;    /* substring of the reason */
};

static const struct bad bads[] = {
	{ "", "empty" },
	{ "1.2.3.04", "leading zero" },
	{ "01.2.3.4", "leading zero" },
	{ "00.0.0.0", "leading zero" },
	{ "256.1.1.1", "out of range" },
	{ "1.2.3.1000", "out of range" },
	{ "1.2.3", "four numbers" },
	{ "1.2.3.4.5", "four numbers" },
	{ "1..2.3", "four numbers" },
	{ "1.2.3.", "four numbers" },
	{ ".1.2.3", "four numbers" },
	{ "1.2.3.4 ", "not an IP" },
	{ " 1.2.3.4", "not an IP" },
	{ "example.com", "not an IP" },
	{ "1234", "not an IP" },
	{ "0x7f.0.0.1", "not an IP" },
	{ "1.2.3.-4", "not an IP" },
	{ "+1.2.3.4", "not an IP" },
	{ "abc", "not an IP" },
	{ ":", "single colon" },
	{ ":1::", "single colon" },
	{ ":::", "group" },
	{ "1:::2", "group" },
	{ "1::2::3", "more than one" },
	{ "1:2:3:4:5:6:7:8:9", "too many" },
	{ "1:2:3:4:5:6:7:8::", "too many" },
	{ "::1:2:3:4:5:6:7:8", "too many" },
	{ "1:2:3:4:5:6:7", "too few" },
	{ "1:", "single colon" },
	{ "12345::1", "longer than four" },
	{ "g::1", "not an IP" },
	{ "fe80::1%eth0", "zone index" },
	{ "[2001:db8::1]", "not an IP" },
	{ "::ffff:1.2.3.04", "leading zero" },
	{ "::ffff:1.2.3", "four numbers" },
	{ "1:2:3:4:5:6:7:1.2.3.4", "too many" },
	{ "::1.2.3.4:5", "four numbers" },
	{ "1.2.3.4::", "four numbers" },
	{ "2001:db8::1/64", "not an IP" },
	{ "0000000000000000000000000000000000000000000000000000", "too long" },
};

static void test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof goods / sizeof goods[0]; i++) {
		const struct good *g = &goods[i];
		struct ipaddr ip;
		const char *why = "unset";
		char buf[IPADDR_STR_LEN], rev[IPADDR_REV_LEN];
		if (ipaddr_parse(g->in, strlen(g->in), &ip, &why) != PERR_OK)
			fail_msg("%s: rejected: %s", g->in, why);
		assert_null(why);
		assert_int_equal(ip.family, g->family);
		assert_true(ipaddr_format(&ip, buf, sizeof buf) > 0);
		if (strcmp(buf, g->canon) != 0)
			fail_msg("%s: canonical %s, expected %s", g->in, buf, g->canon);
		assert_true(ipaddr_reverse(&ip, rev, sizeof rev) > 0);
		if (g->rev != NULL && strcmp(rev, g->rev) != 0)
			fail_msg("%s: reversed %s, expected %s", g->in, rev, g->rev);
		if (ipaddr_classify(&ip) != g->cls)
			fail_msg("%s: class %s, expected %s", g->in, ipaddr_class_str(ipaddr_classify(&ip)),
				 ipaddr_class_str(g->cls));
		/* The canonical text parses back to the same address. */
		struct ipaddr again;
		assert_int_equal(ipaddr_parse(buf, strlen(buf), &again, NULL), PERR_OK);
		assert_memory_equal(&ip, &again, sizeof ip);
	}
}

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		struct ipaddr ip;
		memset(&ip, 0xaa, sizeof ip);
		const char *why = NULL;
		if (ipaddr_parse(bads[i].in, strlen(bads[i].in), &ip, &why) != PERR_INVALID)
			fail_msg("%s: accepted", bads[i].in);
		assert_non_null(why);
		if (strstr(why, bads[i].why) == NULL)
			fail_msg("%s: reason '%s', expected '%s'", bads[i].in, why, bads[i].why);
		assert_int_equal(ip.family, (int)0xaaaaaaaa);   /* untouched on failure */
	}
}

static void test_length_is_respected(void **state)
{
	(void)state;
	struct ipaddr ip;
	/* Only the first len bytes count: no reliance on NUL termination. */
	assert_int_equal(ipaddr_parse("1.2.3.45", 7, &ip, NULL), PERR_OK);
	assert_int_equal(ip.b[3], 4);
	assert_int_equal(ipaddr_parse("1.2.3.4\0junk", 12, &ip, NULL), PERR_INVALID);
	assert_int_equal(ipaddr_parse(NULL, 0, &ip, NULL), PERR_INVALID);
}

static void test_small_buffers(void **state)
{
	(void)state;
	struct ipaddr ip;
	char small[8];
	assert_int_equal(ipaddr_parse("2001:db8::1", 11, &ip, NULL), PERR_OK);
	assert_int_equal(ipaddr_format(&ip, small, sizeof small), 0);
	assert_int_equal(ipaddr_reverse(&ip, small, sizeof small), 0);
	assert_int_equal(ipaddr_parse("255.255.255.255", 15, &ip, NULL), PERR_OK);
	assert_int_equal(ipaddr_reverse(&ip, small, sizeof small), 0);
}

/* The network key of rate limits and throttles. */
static void test_network(void **state)
{
	(void)state;
	static const struct { const char *in; unsigned bits; const char *want; } cases[] = {
		{ "192.0.2.7", 64, "192.0.2.7" },
		{ "2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64" },
		{ "2001:db8:1:2:ffff::1", 64, "2001:db8:1:2::/64" },
		{ "2001:db8:1:2:3:4:5:6", 48, "2001:db8:1::/48" },
		{ "2001:db8:1:ff00::1", 52, "2001:db8:1:f000::/52" },
		{ "::ffff:198.51.100.9", 64, "198.51.100.9" },
		{ "::1", 128, "::1/128" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ipaddr ip;
		assert_int_equal(ipaddr_parse(cases[i].in, strlen(cases[i].in), &ip, NULL), PERR_OK);
		char buf[IPADDR_STR_LEN + 5];
		assert_true(ipaddr_network(&ip, cases[i].bits, buf, sizeof buf) > 0);
		assert_string_equal(buf, cases[i].want);
	}
	struct ipaddr ip;
	assert_int_equal(ipaddr_parse("2001:db8::1", 11, &ip, NULL), PERR_OK);
	char tiny[8];
	assert_int_equal(ipaddr_network(&ip, 64, tiny, sizeof tiny), 0);
}

static void test_notes(void **state)
{
	(void)state;
	assert_string_equal(ipaddr_class_note(IPADDR_DOCUMENTATION),
			    "documentation address: not sent to public lists");
	assert_string_equal(ipaddr_class_note(IPADDR_PUBLIC), "");
	for (int c = 0; c < IPADDR_CLASS__MAX; c++)
		assert_non_null(ipaddr_class_str((enum ipaddr_class)c));
	assert_string_equal(ipaddr_class_str(IPADDR_CLASS__MAX), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_length_is_respected),
		cmocka_unit_test(test_small_buffers),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_network),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
