/* The /metrics counters on a real temporary database: each request
 * duration lands in the right latency bucket (bounds inclusive, +Inf past
 * the last), outcome counters add up per zone, outcome and cache flag,
 * and checks in flight count only fresh markers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/store.h"
#include "store/store_dnsbl.h"
#include "store/store_metrics.h"

struct db {
	char path[64];
	struct store *st;
};

static int setup(void **state)
{
	struct db *d = calloc(1, sizeof *d);
	snprintf(d->path, sizeof d->path, "/tmp/test-store-metrics-XXXXXX");
	int fd = mkstemp(d->path);
	if (fd < 0)
		return -1;
	close(fd);
	if (store_open(d->path, &d->st) != PERR_OK)
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct db *d = *state;
	store_close(d->st);
	char p[80];
	unlink(d->path);
	snprintf(p, sizeof p, "%s-wal", d->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", d->path);
	unlink(p);
	free(d);
	return 0;
}

static void test_latency_buckets(void **state)
{
	struct db *d = *state;
	static const struct { int64_t us; int bucket; } cases[] = {
		{ 0, 0 }, { 5000, 0 }, { 5001, 1 }, { 10000, 1 }, { 99999, 4 },
		{ 100000, 4 }, { 1000000, 7 }, { 10000000, 10 }, { 10000001, 11 },
		{ 600000000, 11 }, { -5, 0 },
	};
	long long want[STORE_LATENCY_BOUNDS + 1] = { 0 };
	long long sum = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(store_latency_observe(d->st, cases[i].us), PERR_OK);
		want[cases[i].bucket]++;
		sum += cases[i].us > 0 ? cases[i].us : 0;
	}
	struct store_latency l;
	assert_int_equal(store_latency_read(d->st, &l), PERR_OK);
	for (int b = 0; b <= STORE_LATENCY_BOUNDS; b++)
		assert_int_equal(l.n[b], want[b]);
	assert_int_equal(l.sum_us, sum);
}

struct seen { char line[8][96]; size_t n; };

static int collect(void *ctx, const struct store_outcome *o)
{
	struct seen *s = ctx;
	if (s->n < 8)
		snprintf(s->line[s->n++], sizeof s->line[0], "%s %s %d %lld", o->zone, o->outcome,
			 o->cached, o->n);
	return 0;
}

static void test_outcomes(void **state)
{
	struct db *d = *state;
	static const struct { const char *zone, *outcome; int cached; } adds[] = {
		{ "zen.spamhaus.org", "listed", 0 }, { "zen.spamhaus.org", "listed", 0 },
		{ "zen.spamhaus.org", "listed", 1 }, { "bl.spamcop.net", "timeout", 0 },
		{ "zen.spamhaus.org", "clean", 0 },
	};
	for (size_t i = 0; i < sizeof adds / sizeof adds[0]; i++)
		assert_int_equal(store_dnsbl_outcome_add(d->st, adds[i].zone, adds[i].outcome,
							 adds[i].cached), PERR_OK);
	struct seen s = { .n = 0 };
	assert_int_equal(store_dnsbl_outcomes(d->st, collect, &s), PERR_OK);
	static const char *const want[] = {
		"bl.spamcop.net timeout 0 1", "zen.spamhaus.org clean 0 1",
		"zen.spamhaus.org listed 0 2", "zen.spamhaus.org listed 1 1",
	};
	assert_int_equal(s.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < s.n; i++)
		assert_string_equal(s.line[i], want[i]);
}

static void test_inflight_and_reports(void **state)
{
	struct db *d = *state;
	long long n = -1;
	assert_int_equal(store_dnsbl_inflight_claim(d->st, "192.0.2.1", 1000000, 5000), PERR_OK);
	assert_int_equal(store_dnsbl_inflight_claim(d->st, "192.0.2.2", 1100000, 5000), PERR_OK);
	assert_int_equal(store_dnsbl_inflight_count(d->st, 1050000, &n), PERR_OK);
	assert_int_equal(n, 1);   /* the older marker is stale */
	assert_int_equal(store_dnsbl_inflight_release(d->st, "192.0.2.2"), PERR_OK);
	assert_int_equal(store_dnsbl_inflight_count(d->st, 1050000, &n), PERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_reports_stored(d->st, &n), PERR_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_latency_buckets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outcomes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inflight_and_reports, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
