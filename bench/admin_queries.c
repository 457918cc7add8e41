/* Times the admin dashboard's query set on a database (bench/admin.sh):
 * the calls page_admin.c makes to the store for a 30- and a 90-day view,
 * and the submissions list's first page and count with and without
 * filters. Prints one line per step: median and max of RUNS runs, ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "store/store_admin.h"
#include "store/store_dnsbl.h"
#include "store/store_monitor.h"

#define RUNS 15

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int top_cb(void *ctx, const struct admin_top_row *r) { (void)ctx; (void)r; return 0; }
static int sub_cb(void *ctx, const struct admin_submission *s) { (*(long *)ctx)++; (void)s; return 0; }
static int off_cb(void *ctx, const struct admin_turned_off *t) { (void)ctx; (void)t; return 0; }
static int hist_cb(void *ctx, const struct monitor_listing *l) { (void)ctx; (void)l; return 0; }
static int stat_cb(void *ctx, const struct monitor_status_row *s) { (void)ctx; (void)s; return 0; }

static long long g_today;
static const char *g_ip = "203.0.113.25";

static int dashboard(struct store *st, int days)
{
	static long long counts[90 * ADMIN_SERIES__MAX];
	memset(counts, 0, sizeof counts);
	long long first = g_today - days + 1;
	if (store_admin_per_day(st, first, g_today, counts) != PERR_OK)
		return 1;
	for (int d = 0; d < ADMIN_DIM__MAX; d++)
		if (store_admin_top(st, (enum admin_dim)d, first, g_today, 10, top_cb, NULL) != PERR_OK)
			return 1;
	if (store_admin_turned_off(st, first * 86400, 7 * 86400, off_cb, NULL) != PERR_OK)
		return 1;
	struct monitor_listing open[16];
	size_t n;
	struct store_dnsbl_health h;
	for (int i = 0; i < 8; i++) {
		char ip[32];
		snprintf(ip, sizeof ip, "203.0.113.%d", 25 + i);
		if (store_monitor_current(st, ip, open, 16, &n) != PERR_OK ||
		    store_monitor_status(st, ip, stat_cb, NULL) != PERR_OK)
			return 1;
	}
	for (int i = 0; i < 16; i++)
		(void)store_dnsbl_health_get(st, "zen.spamhaus.org", 4, &h);
	return store_monitor_history(st, NULL, 20, hist_cb, NULL) != PERR_OK;
}

static int submissions(struct store *st, const struct admin_filter *f)
{
	long long total;
	long rows = 0;
	if (store_admin_count(st, f, 10000, &total) != PERR_OK)
		return 1;
	return store_admin_submissions(st, f, 0, 50, sub_cb, &rows) != PERR_OK;
}

static void timed(const char *name, struct store *st, int (*fn)(struct store *, const void *), const void *arg)
{
	double t[RUNS];
	for (int i = 0; i < RUNS; i++) {
		double t0 = now_ms();
		if (fn(st, arg) != 0) {
			fprintf(stderr, "%s failed\n", name);
			exit(1);
		}
		t[i] = now_ms() - t0;
	}
	qsort(t, RUNS, sizeof t[0], cmp);
	printf("| %s | %.1f | %.1f |\n", name, t[RUNS / 2], t[RUNS - 1]);
}

static int run_dash30(struct store *st, const void *a) { (void)a; return dashboard(st, 30); }
static int run_dash90(struct store *st, const void *a) { (void)a; return dashboard(st, 90); }
static int run_subs(struct store *st, const void *a) { return submissions(st, a); }

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: admin_queries DB\n");
		return 2;
	}
	struct store *st;
	if (store_open(argv[1], &st) != PERR_OK)
		return 1;
	g_today = (long long)time(NULL) / 86400;
	struct admin_filter all = { .from = 0, .to = (g_today + 1) * 86400 };
	struct admin_filter last90 = { .from = (g_today - 89) * 86400, .to = (g_today + 1) * 86400 };
	struct admin_filter ip = all, list = all, prov = all, combo = last90;
	ip.ip = g_ip;
	list.list = "bl.spamcop.net";
	prov.provider = "aol";
	prov.code = "RTR:BB";
	combo.ip = g_ip;
	combo.cause = "complaints";
	combo.list = "zen.spamhaus.org";
	printf("| step | median ms | max ms |\n|---|---:|---:|\n");
	timed("dashboard query set, 30 days", st, run_dash30, NULL);
	timed("dashboard query set, 90 days", st, run_dash90, NULL);
	timed("submissions: count + first page, all time", st, run_subs, &all);
	timed("submissions: last 90 days", st, run_subs, &last90);
	timed("submissions: ip=203.0.113.25", st, run_subs, &ip);
	timed("submissions: list=bl.spamcop.net", st, run_subs, &list);
	timed("submissions: provider=aol code=RTR:BB", st, run_subs, &prov);
	timed("submissions: ip + cause + list, 90 days", st, run_subs, &combo);
	store_close(st);
	return 0;
}
