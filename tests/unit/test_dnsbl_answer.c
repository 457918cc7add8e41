/* dnsbl_answer_parse: A, TXT, negative TTL from the SOA, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dnsbl/dnsbl_answer.h"

struct msg {
	uint8_t b[1024];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put16(struct msg *m, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(m, b, 2);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static void header(struct msg *m, int rcode, unsigned an, unsigned ns)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, 0x8180 | (unsigned)rcode);
	put16(m, 1);
	put16(m, an);
	put16(m, ns);
	put16(m, 0);
	/* question: 2.0.0.127.bl.test A IN */
	put(m, "\0012\0010\0010\003127\002bl\004test\0", 19);
	put16(m, 1);
	put16(m, 1);
}

static void rr_a(struct msg *m, uint32_t ttl, uint32_t addr)
{
	put16(m, 0xc00c);   /* pointer to the question name */
	put16(m, 1);
	put16(m, 1);
	put32(m, ttl);
	put16(m, 4);
	put32(m, addr);
}

static void rr_txt(struct msg *m, uint32_t ttl, const char *a, const char *b)
{
	put16(m, 0xc00c);
	put16(m, 16);
	put16(m, 1);
	put32(m, ttl);
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	put16(m, (unsigned)(1 + la + (b ? 1 + lb : 0)));
	uint8_t l = (uint8_t)la;
	put(m, &l, 1);
	put(m, a, la);
	if (b) {
		l = (uint8_t)lb;
		put(m, &l, 1);
		put(m, b, lb);
	}
}

static void rr_soa(struct msg *m, uint32_t ttl, uint32_t minimum)
{
	put16(m, 0xc018);   /* "bl.test" inside the question */
	put16(m, 6);
	put16(m, 1);
	put32(m, ttl);
	put16(m, 2 + 2 + 20);
	put16(m, 0xc018);   /* mname */
	put16(m, 0xc018);   /* rname */
	put32(m, 1);
	put32(m, 600);
	put32(m, 300);
	put32(m, 86400);
	put32(m, minimum);
}

static void test_a_records(void **state)
{
	(void)state;
	struct msg m;
	struct dnsbl_answer a;
	header(&m, 0, 2, 0);
	rr_a(&m, 900, 0x7f000002);
	rr_a(&m, 600, 0x7f000004);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_OK);
	assert_int_equal(a.rcode, 0);
	assert_int_equal(a.na, 2);
	assert_int_equal(a.a[0], 0x7f000002);
	assert_int_equal(a.a[1], 0x7f000004);
	assert_int_equal(a.ttl, 600);
	assert_true(a.has_ttl);
}

static void test_txt(void **state)
{
	(void)state;
	struct msg m;
	struct dnsbl_answer a;
	header(&m, 0, 2, 0);
	rr_txt(&m, 300, "Listed: ", "see http://x/?1.2.3.4");
	rr_txt(&m, 300, "ctl\x01\x7f\xc3\xa9", NULL);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_OK);
	assert_int_equal(a.ntxt, 2);
	assert_string_equal(a.txt, "Listed: see http://x/?1.2.3.4 | ctl????");
}

static void test_negative_ttl(void **state)
{
	(void)state;
	struct msg m;
	struct dnsbl_answer a;
	header(&m, 3, 0, 1);
	rr_soa(&m, 3600, 300);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_OK);
	assert_int_equal(a.rcode, 3);
	assert_int_equal(a.na, 0);
	assert_int_equal(a.ttl, 300);
	header(&m, 3, 0, 1);
	rr_soa(&m, 60, 300);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_OK);
	assert_int_equal(a.ttl, 60);
}

static void test_huge_ttl_is_zero(void **state)
{
	(void)state;
	struct msg m;
	struct dnsbl_answer a;
	header(&m, 0, 1, 0);
	rr_a(&m, 0x80000000u, 0x7f000002);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_OK);
	assert_int_equal(a.ttl, 0);
}

static void test_many_a_records_are_bounded(void **state)
{
	(void)state;
	struct msg m;
	struct dnsbl_answer a;
	header(&m, 0, 40, 0);
	for (int i = 0; i < 40; i++)
		rr_a(&m, 60, 0x7f000000u + (uint32_t)i);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_OK);
	assert_int_equal(a.na, DNSBL_ANSWER_A_MAX);
}

static void test_malformed(void **state)
{
	(void)state;
	struct msg m;
	struct dnsbl_answer a;
	assert_int_equal(dnsbl_answer_parse(NULL, 0, &a), PERR_INVALID);
	assert_int_equal(dnsbl_answer_parse((const uint8_t *)"short", 5, &a), PERR_INVALID);
	header(&m, 0, 1, 0);
	rr_a(&m, 60, 0x7f000002);
	/* Every truncation of a valid message fails cleanly. */
	for (size_t cut = 12; cut < m.n; cut++)
		assert_int_equal(dnsbl_answer_parse(m.b, cut, &a), PERR_INVALID);
	/* Claims more records than there are. */
	header(&m, 0, 5, 0);
	rr_a(&m, 60, 0x7f000002);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_INVALID);
	assert_int_equal(a.na, 0);
	/* A record with the wrong RDATA length. */
	header(&m, 0, 1, 0);
	put16(&m, 0xc00c);
	put16(&m, 1);
	put16(&m, 1);
	put32(&m, 60);
	put16(&m, 3);
	put(&m, "\x7f\0\0", 3);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_INVALID);
	/* Reserved label type 0x40. */
	m.n = 0;
	put16(&m, 1);
	put16(&m, 0x8180);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 0);
	put(&m, "\x41", 1);
	assert_int_equal(dnsbl_answer_parse(m.b, m.n, &a), PERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_records),
		cmocka_unit_test(test_txt),
		cmocka_unit_test(test_negative_ttl),
		cmocka_unit_test(test_huge_ttl_is_zero),
		cmocka_unit_test(test_many_a_records_are_bounded),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
