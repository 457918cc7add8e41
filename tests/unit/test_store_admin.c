/* The admin store on a real temporary database: the daily rollup follows
 * inserts and purges, the top tables and their newest reports, every
 * filter path of the submissions list with counts and pages, the
 * "turned off after a report" definition, every dashboard query uses an
 * index (no full scan of reports), and the monitoring records (listing,
 * still listed, cleared; unknown answers change nothing). */
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

#include "store/store.h"
#include "store/store_admin.h"
#include "store/store_monitor.h"
#include "store/store_reports.h"

#define DAY 86400LL
#define D0 20000LL                /* a day number: 2024-10-04 */

struct db {
	char path[64];
	struct store *st;
	sqlite3 *raw;                 /* a second connection for fixtures */
};

static int setup(void **state)
{
	struct db *d = calloc(1, sizeof *d);
	snprintf(d->path, sizeof d->path, "/tmp/test-store-admin-XXXXXX");
	int fd = mkstemp(d->path);
	if (fd < 0)
		return -1;
	close(fd);
	if (store_open(d->path, &d->st) != PERR_OK)
		return -1;
	if (sqlite3_open(d->path, &d->raw) != SQLITE_OK)
		return -1;
	sqlite3_exec(d->raw, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct db *d = *state;
	sqlite3_close(d->raw);
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

static void exec_sql(struct db *d, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(d->raw, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : "?");
}

static long long one_int(struct db *d, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(d->raw, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* One report through the report store (so its triggers run as in use). */
static void add_report(struct db *d, int n, long long created, const char *ip, const char *verdict,
		       const char *provider, const char *code, const char *cause,
		       const char *named, const char *live, long long user_id)
{
	char token[40];
	snprintf(token, sizeof token, "tok%029d", n);
	const char *zn[1] = { named }, *zl[1] = { live };
	struct report_row r = {
		.token = token, .created = created, .source = "bounce", .ip = ip,
		.category = "blacklist", .verdict = verdict, .provider = provider,
		.provider_code = code, .cause = cause, .doc = "{}", .user_id = user_id,
		.zones_named = zn, .nnamed = named ? 1 : 0, .zones_live = zl, .nlive = live ? 1 : 0,
	};
	long long id;
	enum perr rc = store_report_insert(d->st, &r, &id);
	if (rc != PERR_OK)
		fail_msg("report insert %d: %s", n, perr_str(rc));
}

/* A small fixed data set over three days. */
static void fixture(struct db *d)
{
	add_report(d, 1, D0 * DAY + 100, "203.0.113.7", "blacklist", "aol", "RTR:BB", "complaints",
		   "zen.spamhaus.org", "zen.spamhaus.org", 0);
	add_report(d, 2, D0 * DAY + 200, "203.0.113.7", "listed", NULL, NULL, NULL,
		   NULL, "bl.spamcop.net", 0);
	add_report(d, 3, D0 * DAY + 300, "198.51.100.9", "not_blacklist", "gmail", NULL, "none",
		   NULL, NULL, 0);
	add_report(d, 4, (D0 + 1) * DAY + 50, "203.0.113.7", "reputation", "aol", "RTR:BB", "selfreport",
		   "bl.spamcop.net", NULL, 0);
	add_report(d, 5, (D0 + 2) * DAY + 60, NULL, "clean", "aol", "RTR:RP", "complaints",
		   NULL, NULL, 0);
	add_report(d, 6, (D0 + 2) * DAY + 70, "2001:db8::25", "unknown", NULL, NULL, NULL, NULL, NULL, 0);
}

static void test_per_day(void **state)
{
	struct db *d = *state;
	fixture(d);
	long long counts[4 * ADMIN_SERIES__MAX];
	memset(counts, 0, sizeof counts);
	assert_int_equal(store_admin_per_day(d->st, D0 - 1, D0 + 2, counts), PERR_OK);
	long long *day0 = &counts[1 * ADMIN_SERIES__MAX], *day1 = &counts[2 * ADMIN_SERIES__MAX],
		  *day2 = &counts[3 * ADMIN_SERIES__MAX];
	assert_int_equal(counts[0] + counts[1] + counts[2] + counts[3], 0);
	assert_int_equal(day0[ADMIN_SERIES_BLACKLIST], 2);    /* blacklist + listed */
	assert_int_equal(day0[ADMIN_SERIES_NOT_BLACKLIST], 1);
	assert_int_equal(day1[ADMIN_SERIES_REPUTATION], 1);
	assert_int_equal(day2[ADMIN_SERIES_OTHER], 2);        /* clean + unknown */
	assert_int_equal(admin_series_of("listed"), ADMIN_SERIES_BLACKLIST);
	assert_int_equal(admin_series_of(NULL), ADMIN_SERIES_OTHER);
}

struct rows {
	int n;
	struct admin_top_row r[16];
};

static int collect_top(void *ctx, const struct admin_top_row *row)
{
	struct rows *rs = ctx;
	if (rs->n < 16)
		rs->r[rs->n++] = *row;
	return 0;
}

static void test_top(void **state)
{
	struct db *d = *state;
	fixture(d);
	struct rows rs = { 0 };
	assert_int_equal(store_admin_top(d->st, ADMIN_DIM_IP, D0, D0 + 2, 10, collect_top, &rs), PERR_OK);
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.r[0].key, "203.0.113.7");
	assert_int_equal(rs.r[0].n, 3);
	assert_string_equal(rs.r[0].latest_token, "tok00000000000000000000000000004");

	memset(&rs, 0, sizeof rs);
	assert_int_equal(store_admin_top(d->st, ADMIN_DIM_IP, D0, D0, 10, collect_top, &rs), PERR_OK);
	assert_int_equal(rs.r[0].n, 2);
	assert_string_equal(rs.r[0].latest_token, "tok00000000000000000000000000002");

	memset(&rs, 0, sizeof rs);
	assert_int_equal(store_admin_top(d->st, ADMIN_DIM_LIST, D0, D0 + 2, 10, collect_top, &rs), PERR_OK);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.r[0].key, "bl.spamcop.net");   /* 2 reports; zen has 1 (named + live once) */
	assert_int_equal(rs.r[0].n, 2);
	assert_string_equal(rs.r[0].latest_token, "tok00000000000000000000000000004");
	assert_int_equal(rs.r[1].n, 1);

	memset(&rs, 0, sizeof rs);
	assert_int_equal(store_admin_top(d->st, ADMIN_DIM_PROVIDER, D0, D0 + 2, 10, collect_top, &rs), PERR_OK);
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.r[0].key, "aol");
	assert_string_equal(rs.r[0].sub, "RTR:BB");
	assert_int_equal(rs.r[0].n, 2);
	int gmail = rs.r[1].key[0] == 'g' ? 1 : 2;
	assert_string_equal(rs.r[gmail].sub, "");
	assert_string_equal(rs.r[gmail].latest_token, "tok00000000000000000000000000003");

	memset(&rs, 0, sizeof rs);
	assert_int_equal(store_admin_top(d->st, ADMIN_DIM_CAUSE, D0, D0 + 2, 1, collect_top, &rs), PERR_OK);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].key, "complaints");
	assert_int_equal(rs.r[0].n, 2);
	assert_string_equal(rs.r[0].latest_token, "tok00000000000000000000000000005");
}

struct subs {
	int n;
	char tokens[16][40];
	char lists[16][64];
};

static int collect_sub(void *ctx, const struct admin_submission *s)
{
	struct subs *x = ctx;
	if (x->n < 16) {
		snprintf(x->tokens[x->n], sizeof x->tokens[0], "%.39s", s->token);
		snprintf(x->lists[x->n], sizeof x->lists[0], "%.63s", s->lists);
		x->n++;
	}
	return 0;
}

static int count_and_list(struct db *d, const struct admin_filter *f, struct subs *x)
{
	long long n = -1;
	memset(x, 0, sizeof *x);
	assert_int_equal(store_admin_count(d->st, f, 1000, &n), PERR_OK);
	assert_int_equal(store_admin_submissions(d->st, f, 0, -1, collect_sub, x), PERR_OK);
	assert_int_equal(n, x->n);
	return x->n;
}

static void test_filters(void **state)
{
	struct db *d = *state;
	fixture(d);
	struct subs x;
	struct admin_filter all = { .from = D0 * DAY, .to = (D0 + 3) * DAY };
	assert_int_equal(count_and_list(d, &all, &x), 6);
	assert_string_equal(x.tokens[0], "tok00000000000000000000000000006");   /* newest first */
	assert_string_equal(x.tokens[5], "tok00000000000000000000000000001");
	assert_string_equal(x.lists[5], "zen.spamhaus.org");

	struct admin_filter f = all;
	f.ip = "203.0.113.7";
	assert_int_equal(count_and_list(d, &f, &x), 3);
	f.list = "bl.spamcop.net";
	assert_int_equal(count_and_list(d, &f, &x), 2);
	f.provider = "aol";
	assert_int_equal(count_and_list(d, &f, &x), 1);
	assert_string_equal(x.tokens[0], "tok00000000000000000000000000004");

	f = all;
	f.list = "zen.spamhaus.org";
	assert_int_equal(count_and_list(d, &f, &x), 1);
	f = all;
	f.provider = "aol";
	assert_int_equal(count_and_list(d, &f, &x), 3);
	f.code = "RTR:BB";
	assert_int_equal(count_and_list(d, &f, &x), 2);
	f = all;
	f.cause = "complaints";
	assert_int_equal(count_and_list(d, &f, &x), 2);
	f.ip = "203.0.113.7";
	assert_int_equal(count_and_list(d, &f, &x), 1);
	f = all;
	f.cause = "none";
	assert_int_equal(count_and_list(d, &f, &x), 1);
	/* the time range is half-open: [from, to) */
	f = all;
	f.from = (D0 + 1) * DAY;
	f.to = (D0 + 2) * DAY;
	assert_int_equal(count_and_list(d, &f, &x), 1);
	f.ip = "198.51.100.9";
	assert_int_equal(count_and_list(d, &f, &x), 0);
	f = all;
	f.ip = "192.0.2.1";
	assert_int_equal(count_and_list(d, &f, &x), 0);

	/* ranges inside a day are counted row by row, not from the rollup */
	f = all;
	f.from = D0 * DAY + 150;
	f.to = D0 * DAY + 250;
	assert_int_equal(count_and_list(d, &f, &x), 1);
	assert_string_equal(x.tokens[0], "tok00000000000000000000000000002");
	/* a capped count stops at the cap */
	long long n = 0;
	f = all;
	f.ip = "203.0.113.7";
	f.cause = "complaints";
	f.provider = "aol";
	assert_int_equal(store_admin_count(d->st, &f, 1000, &n), PERR_OK);
	assert_int_equal(n, 1);
	f = all;
	f.from = D0 * DAY + 1;
	assert_int_equal(store_admin_count(d->st, &f, 2, &n), PERR_OK);
	assert_int_equal(n, 2);
	/* rollup counts per key */
	assert_int_equal(store_admin_key_count(d->st, ADMIN_DIM_PROVIDER, "aol", NULL, all.from, all.to, &n), PERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_admin_key_count(d->st, ADMIN_DIM_PROVIDER, "aol", "RTR:RP", all.from, all.to, &n), PERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_admin_key_count(d->st, ADMIN_DIM__MAX, NULL, NULL, all.from, all.to, &n), PERR_OK);
	assert_int_equal(n, 6);

	/* pages */
	memset(&x, 0, sizeof x);
	assert_int_equal(store_admin_submissions(d->st, &all, 2, 2, collect_sub, &x), PERR_OK);
	assert_int_equal(x.n, 2);
	assert_string_equal(x.tokens[0], "tok00000000000000000000000000004");
	assert_string_equal(x.tokens[1], "tok00000000000000000000000000003");
}

static void test_rollup_follows_deletes(void **state)
{
	struct db *d = *state;
	fixture(d);
	assert_int_equal(one_int(d, "SELECT sum(n) FROM report_stats WHERE dim = 'verdict'"), 6);
	assert_int_equal(one_int(d, "SELECT sum(n) FROM report_stats WHERE dim = 'list'"), 3);
	long long deleted = 0;
	assert_int_equal(store_report_purge(d->st, (D0 + 1) * DAY, &deleted), PERR_OK);
	assert_int_equal(deleted, 3);
	assert_int_equal(one_int(d, "SELECT sum(n) FROM report_stats WHERE dim = 'verdict'"), 3);
	assert_int_equal(one_int(d, "SELECT count(*) FROM report_stats WHERE day = 20000"), 0);
	assert_int_equal(one_int(d, "SELECT sum(n) FROM report_stats WHERE dim = 'list'"), 1);
	assert_int_equal(one_int(d, "SELECT count(*) FROM report_stats WHERE n <= 0"), 0);
	/* the rollup equals a recount from scratch */
	assert_int_equal(one_int(d,
		"SELECT count(*) FROM (SELECT day, ip, count(*) c FROM reports WHERE ip IS NOT NULL "
		"GROUP BY day, ip) g LEFT JOIN report_stats s ON s.dim = 'ip' AND s.day = g.day "
		"AND s.key = g.ip WHERE s.n IS NOT g.c"), 0);
	/* an update moves the counts */
	exec_sql(d, "UPDATE reports SET verdict = 'not_blacklist' WHERE token = 'tok00000000000000000000000000004'");
	assert_int_equal(one_int(d, "SELECT n FROM report_stats WHERE dim = 'verdict' AND key = 'not_blacklist'"), 1);
	assert_int_equal(one_int(d, "SELECT count(*) FROM report_stats WHERE dim = 'verdict' AND key = 'reputation'"), 0);
}

struct offs {
	int n, after_report, after_selfreport;
};

static int collect_off(void *ctx, const struct admin_turned_off *t)
{
	struct offs *o = ctx;
	o->n++;
	o->after_report += t->after_report;
	o->after_selfreport += t->after_selfreport;
	return 0;
}

static void test_turned_off(void **state)
{
	struct db *d = *state;
	exec_sql(d,
		"INSERT INTO customers (id, name) VALUES (1, 'acme'), (2, 'other');"
		"INSERT INTO users (id, login, password_hash, role, customer_id) VALUES "
		" (10, 'a', 'x', 'customer', 1), (20, 'b', 'x', 'customer', 2);"
		"INSERT INTO domains (id, customer_id, name) VALUES (1, 1, 'acme.example'), (2, 2, 'other.example');"
		"INSERT INTO mailboxes (id, domain_id, address) VALUES (1, 1, 'info@acme.example'), (2, 2, 'x@other.example');"
		"INSERT INTO forwards (id, mailbox_id, destination, active) VALUES "
		" (1, 1, 'me@aol.com', 0), (2, 2, 'x@gmail.com', 0), (3, 1, 'you@yahoo.com', 0);");
	/* acme made a report (self-reporting) an hour before turning forward 1
	 * off; forward 3 was turned off 30 days later; "other" made none */
	add_report(d, 1, 1700000000 - 3600, "203.0.113.7", "blacklist", "aol", NULL, "selfreport",
		   NULL, NULL, 10);
	exec_sql(d,
		"INSERT INTO forward_audit (customer_id, forward_id, actor, action, detail, client, at) VALUES "
		" (1, 1, 'a', 'off', 'info@acme.example -> me@aol.com', '::1', 1700000000),"
		" (2, 2, 'b', 'off', 'x@other.example -> x@gmail.com', '::1', 1700000100),"
		" (1, 3, 'a', 'off', 'info@acme.example -> you@yahoo.com', '::1', 1700000000 + 30 * 86400),"
		" (1, 1, 'a', 'on', 'info@acme.example -> me@aol.com', '::1', 1700000050);");
	struct offs o = { 0 };
	assert_int_equal(store_admin_turned_off(d->st, 1600000000, 7 * DAY, collect_off, &o), PERR_OK);
	assert_int_equal(o.n, 3);
	assert_int_equal(o.after_report, 1);
	assert_int_equal(o.after_selfreport, 1);
	memset(&o, 0, sizeof o);
	assert_int_equal(store_admin_turned_off(d->st, 1700000050, 7 * DAY, collect_off, &o), PERR_OK);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.after_report, 0);
}

static void test_plans_use_indexes(void **state)
{
	struct db *d = *state;
	for (int q = 0; q < ADMIN_Q__MAX; q++) {
		char plan[4096];
		assert_int_equal(store_admin_plan(d->st, (enum admin_query)q, plan, sizeof plan), PERR_OK);
		/* "SCAN t" without an index is a full table scan; report_stats
		 * and the big tables must always be searched by key. */
		if (strstr(plan, "SCAN r\n") || strstr(plan, "SCAN l\n") || strstr(plan, "SCAN x\n") ||
		    strstr(plan, "SCAN reports") || strstr(plan, "SCAN report_lists") ||
		    strstr(plan, "SCAN report_stats") || strstr(plan, "SCAN a\n") || strstr(plan, "SCAN u\n") ||
		    strstr(plan, "SCAN rp\n"))
			fail_msg("query %d scans a table:\n%s", q, plan);
		if (strstr(plan, "USING") == NULL)
			fail_msg("query %d uses no index:\n%s", q, plan);
		/* pages come straight off an index in order: no sort of the range */
		if (q >= ADMIN_Q_ROWS_ALL && q <= ADMIN_Q_ROWS_CAUSE && strstr(plan, "TEMP B-TREE"))
			fail_msg("query %d sorts:\n%s", q, plan);
	}
}

static void test_monitor_records(void **state)
{
	struct db *d = *state;
	struct monitor_answer listed = { "203.0.113.25", "zen.spamhaus.org", "listed", "127.0.0.2", "SBL" };
	struct monitor_answer clean = { "203.0.113.25", "zen.spamhaus.org", "clean", NULL, NULL };
	struct monitor_answer timeout = { "203.0.113.25", "zen.spamhaus.org", "timeout", NULL, NULL };
	struct monitor_answer other = { "203.0.113.26", "bl.spamcop.net", "listed", "127.0.0.2", "" };
	enum monitor_event ev;
	long long since = -1;

	assert_int_equal(store_monitor_record(d->st, 1000, &clean, &ev, &since), PERR_OK);
	assert_int_equal(ev, MONITOR_NO_CHANGE);
	assert_int_equal(store_monitor_record(d->st, 2000, &listed, &ev, &since), PERR_OK);
	assert_int_equal(ev, MONITOR_LISTED);
	assert_int_equal(since, 2000);
	assert_int_equal(store_monitor_record(d->st, 3000, &listed, &ev, &since), PERR_OK);
	assert_int_equal(ev, MONITOR_STILL_LISTED);
	assert_int_equal(since, 2000);
	/* not knowing is not "delisted" */
	assert_int_equal(store_monitor_record(d->st, 4000, &timeout, &ev, &since), PERR_OK);
	assert_int_equal(ev, MONITOR_NO_CHANGE);
	assert_int_equal(store_monitor_record(d->st, 4000, &other, &ev, &since), PERR_OK);
	assert_int_equal(ev, MONITOR_LISTED);

	struct monitor_listing cur[4];
	size_t n = 0;
	assert_int_equal(store_monitor_current(d->st, "203.0.113.25", cur, 4, &n), PERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(cur[0].zone, "zen.spamhaus.org");
	assert_int_equal(cur[0].since, 2000);
	assert_int_equal(cur[0].last_seen, 3000);
	assert_int_equal(cur[0].cleared, 0);
	assert_string_equal(cur[0].txt, "SBL");
	assert_int_equal(store_monitor_current(d->st, NULL, cur, 4, &n), PERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_monitor_current(d->st, NULL, cur, 1, &n), PERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_monitor_current(d->st, "192.0.2.1", cur, 4, &n), PERR_OK);
	assert_int_equal(n, 0);

	assert_int_equal(store_monitor_record(d->st, 5000, &clean, &ev, &since), PERR_OK);
	assert_int_equal(ev, MONITOR_CLEARED);
	assert_int_equal(since, 2000);
	assert_int_equal(store_monitor_current(d->st, "203.0.113.25", cur, 4, &n), PERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(one_int(d, "SELECT cleared FROM monitor_listings WHERE ip = '203.0.113.25'"), 5000);
	assert_int_equal(one_int(d, "SELECT checked_at FROM monitor_status WHERE ip = '203.0.113.25'"), 5000);
	/* a new listing of the same pair is a new row */
	assert_int_equal(store_monitor_record(d->st, 6000, &listed, &ev, &since), PERR_OK);
	assert_int_equal(ev, MONITOR_LISTED);
	assert_int_equal(one_int(d, "SELECT count(*) FROM monitor_listings"), 3);

	struct monitor_run run = { 6000, 6001, 2, 16, 2, 0, "listed" }, last;
	assert_int_equal(store_monitor_last_run(d->st, &last), PERR_NOT_FOUND);
	assert_int_equal(store_monitor_run_add(d->st, &run), PERR_OK);
	assert_int_equal(store_monitor_last_run(d->st, &last), PERR_OK);
	assert_int_equal(last.listed, 2);
	assert_string_equal(last.status, "listed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_per_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollup_follows_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_turned_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plans_use_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_monitor_records, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
