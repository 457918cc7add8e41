/* Aggregates and lists for the admin dashboard. Every query is a literal
 * in queries[] below (prepared once per connection by store_stmt), every
 * value bound. The submissions list picks the statement whose leading
 * condition has an index (ticket, list, ip, provider, cause, else time) and
 * applies the other filters as "?N IS NULL OR column = ?N". */
#include <stdio.h>
#include <string.h>

#include "store_admin.h"
#include "internal/store_internal.h"
#include "core/time_span.h"

/* Parameters of the submissions statements:
 *   ?1 ip  ?2 list  ?3 provider  ?4 code  ?5 cause  ?6 from  ?7 to  ?8 limit  ?9 offset
 *   ?10 ticket */
#define SUB_COLUMNS \
	"SELECT r.id, r.created, r.token, r.source, r.ticket, r.ip, r.ip_is_ours, r.verdict, " \
	"r.category, r.provider, r.provider_code, r.cause, r.listed, " \
	"(SELECT group_concat(x.zone, ' ') FROM report_lists x WHERE x.report_id = r.id) "
#define SUB_REST \
	"AND (?1 IS NULL OR r.ip = ?1) AND (?3 IS NULL OR r.provider = ?3) " \
	"AND (?4 IS NULL OR r.provider_code = ?4) AND (?5 IS NULL OR r.cause = ?5) " \
	"AND (?10 IS NULL OR r.ticket = ?10 COLLATE NOCASE) "
#define SUB_LIST \
	"AND (?2 IS NULL OR EXISTS (SELECT 1 FROM report_lists x " \
	"WHERE x.report_id = r.id AND x.zone = ?2)) "
#define SUB_RANGE "r.created >= ?6 AND r.created < ?7 "
#define SUB_ORDER "ORDER BY r.created DESC, r.id DESC "
#define SUB_PAGE "LIMIT ?8 OFFSET ?9"
#define FROM_LIST \
	"FROM report_lists l CROSS JOIN reports r ON r.id = l.report_id " \
	"WHERE l.zone = ?2 AND l.created >= ?6 AND l.created < ?7 "

/* A count that stops at ?8 rows: a broad combination of filters costs at
 * most that many index steps past the first non-match. */
#define COUNT(from_where) "SELECT count(*) FROM (SELECT 1 " from_where "LIMIT ?8)"

#define LATEST(where) \
	"SELECT token, created FROM reports WHERE " where \
	" AND created >= ?3 AND created < ?4 ORDER BY created DESC LIMIT 1"

/* "Turned off after a report": any report by a user of the same customer
 * created in the window (?2 seconds) before the switch-off. The unary +
 * keeps the cause test off the cause index: the user's reports are few. */
#define CUSTOMER_REPORT(extra) \
	"EXISTS (SELECT 1 FROM users u JOIN reports rp ON rp.user_id = u.id " \
	"WHERE u.customer_id = a.customer_id AND rp.created <= a.at " \
	"AND rp.created >= a.at - ?2" extra ")"

static const char *const queries[ADMIN_Q__MAX] = {
	[ADMIN_Q_PER_DAY] =
		"SELECT day, key, sum(n) FROM report_stats "
		"WHERE dim = 'verdict' AND day >= ?1 AND day <= ?2 GROUP BY day, key",
	[ADMIN_Q_TOP] =
		"SELECT key, sub, sum(n) AS total FROM report_stats "
		"WHERE dim = ?3 AND day >= ?1 AND day <= ?2 "
		"GROUP BY key, sub ORDER BY total DESC, key, sub LIMIT ?4",
	[ADMIN_Q_LATEST_IP] = LATEST("ip = ?1"),
	[ADMIN_Q_LATEST_LIST] =
		"SELECT r.token, l.created FROM report_lists l CROSS JOIN reports r ON r.id = l.report_id "
		"WHERE l.zone = ?1 AND l.created >= ?3 AND l.created < ?4 "
		"ORDER BY l.created DESC, l.report_id DESC LIMIT 1",
	[ADMIN_Q_LATEST_PROVIDER] = LATEST("provider = ?1 AND provider_code = ?2"),
	[ADMIN_Q_LATEST_PROVIDER_NOCODE] = LATEST("provider = ?1 AND provider_code IS NULL"),
	[ADMIN_Q_LATEST_CAUSE] = LATEST("cause = ?1"),
	[ADMIN_Q_ROWS_ALL] = SUB_COLUMNS "FROM reports r WHERE " SUB_RANGE SUB_REST SUB_LIST
		SUB_ORDER SUB_PAGE,
	[ADMIN_Q_ROWS_IP] = SUB_COLUMNS "FROM reports r WHERE r.ip = ?1 AND " SUB_RANGE SUB_REST
		SUB_LIST SUB_ORDER SUB_PAGE,
	[ADMIN_Q_ROWS_LIST] = SUB_COLUMNS FROM_LIST SUB_REST
		"ORDER BY l.created DESC, l.report_id DESC " SUB_PAGE,
	[ADMIN_Q_ROWS_PROVIDER] = SUB_COLUMNS "FROM reports r WHERE r.provider = ?3 AND " SUB_RANGE
		SUB_REST SUB_LIST SUB_ORDER SUB_PAGE,
	[ADMIN_Q_ROWS_PROVIDER_CODE] = SUB_COLUMNS "FROM reports r WHERE r.provider = ?3 AND "
		"r.provider_code = ?4 AND " SUB_RANGE SUB_REST SUB_LIST SUB_ORDER SUB_PAGE,
	[ADMIN_Q_ROWS_CAUSE] = SUB_COLUMNS "FROM reports r WHERE r.cause = ?5 AND " SUB_RANGE
		SUB_REST SUB_LIST SUB_ORDER SUB_PAGE,
	[ADMIN_Q_COUNT_ALL] = COUNT("FROM reports r WHERE " SUB_RANGE SUB_REST SUB_LIST),
	[ADMIN_Q_COUNT_IP] = COUNT("FROM reports r WHERE r.ip = ?1 AND " SUB_RANGE SUB_REST SUB_LIST),
	[ADMIN_Q_COUNT_LIST] = COUNT(FROM_LIST SUB_REST),
	[ADMIN_Q_COUNT_PROVIDER] = COUNT("FROM reports r WHERE r.provider = ?3 AND " SUB_RANGE
		SUB_REST SUB_LIST),
	[ADMIN_Q_COUNT_PROVIDER_CODE] = COUNT("FROM reports r WHERE r.provider = ?3 AND "
		"r.provider_code = ?4 AND " SUB_RANGE SUB_REST SUB_LIST),
	[ADMIN_Q_COUNT_CAUSE] = COUNT("FROM reports r WHERE r.cause = ?5 AND " SUB_RANGE
		SUB_REST SUB_LIST),
	[ADMIN_Q_ROWS_TICKET] = SUB_COLUMNS "FROM reports r WHERE r.ticket = ?10 COLLATE NOCASE AND "
		SUB_RANGE SUB_REST SUB_LIST SUB_ORDER SUB_PAGE,
	[ADMIN_Q_COUNT_TICKET] = COUNT("FROM reports r WHERE r.ticket = ?10 COLLATE NOCASE AND " SUB_RANGE
		SUB_REST SUB_LIST),
	/* the rollup's list keys are few (one per list and day): a scan of them
	 * is cheap, report_lists would not be */
	[ADMIN_Q_LIST_KEY] = "SELECT key FROM report_stats WHERE dim = 'list' AND key = ?1 COLLATE NOCASE LIMIT 1",
	[ADMIN_Q_TURNED_OFF] =
		"SELECT coalesce(a.forward_id, 0), coalesce(f.destination, ''), a.at, "
		CUSTOMER_REPORT("") ", " CUSTOMER_REPORT(" AND +rp.cause = 'selfreport'") " "
		"FROM forward_audit a LEFT JOIN forwards f ON f.id = a.forward_id "
		"WHERE a.action = 'off' AND a.at >= ?1 ORDER BY a.at",
	[ADMIN_Q_KEY_COUNT] =
		"SELECT coalesce(sum(n), 0) FROM report_stats INDEXED BY report_stats_key "
		"WHERE dim = ?1 AND key = ?2 AND day >= ?4 AND day <= ?5",
	[ADMIN_Q_KEY_COUNT_SUB] =
		"SELECT coalesce(sum(n), 0) FROM report_stats INDEXED BY report_stats_key "
		"WHERE dim = ?1 AND key = ?2 AND sub = ?3 AND day >= ?4 AND day <= ?5",
	[ADMIN_Q_ALL_COUNT] =
		"SELECT coalesce(sum(n), 0) FROM report_stats WHERE dim = 'verdict' AND day >= ?4 AND day <= ?5",
};

static const char *const dim_names[ADMIN_DIM__MAX] = {
	[ADMIN_DIM_IP] = "ip",
	[ADMIN_DIM_LIST] = "list",
	[ADMIN_DIM_PROVIDER] = "provider",
	[ADMIN_DIM_CAUSE] = "cause",
};

const char *admin_dim_str(enum admin_dim d)
{
	return (unsigned)d < ADMIN_DIM__MAX ? dim_names[d] : "?";
}

enum admin_series admin_series_of(const char *verdict)
{
	if (verdict == NULL)
		return ADMIN_SERIES_OTHER;
	if (strcmp(verdict, "blacklist") == 0 || strcmp(verdict, "listed") == 0)
		return ADMIN_SERIES_BLACKLIST;
	if (strcmp(verdict, "reputation") == 0)
		return ADMIN_SERIES_REPUTATION;
	if (strcmp(verdict, "not_blacklist") == 0)
		return ADMIN_SERIES_NOT_BLACKLIST;
	return ADMIN_SERIES_OTHER;
}

static sqlite3_stmt *query(struct store *st, enum admin_query q)
{
	return (unsigned)q < ADMIN_Q__MAX ? store_stmt(st, queries[q]) : NULL;
}

enum perr store_admin_per_day(struct store *st, long long first_day, long long last_day,
			      long long *counts)
{
	sqlite3_stmt *s = query(st, ADMIN_Q_PER_DAY);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, first_day);
	sqlite3_bind_int64(s, 2, last_day);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		long long day = sqlite3_column_int64(s, 0);
		const char *verdict = (const char *)sqlite3_column_text(s, 1);
		if (day < first_day || day > last_day)
			continue;
		counts[(day - first_day) * ADMIN_SERIES__MAX + admin_series_of(verdict)] +=
			sqlite3_column_int64(s, 2);
	}
	enum perr rc = step == SQLITE_DONE ? PERR_OK : store_fail(st, "admin per day");
	sqlite3_reset(s);
	return rc;
}

/* Fills row->latest_* with the newest report behind a top row. */
static enum perr latest_of(struct store *st, enum admin_dim dim, struct admin_top_row *row,
			   long long from, long long to)
{
	enum admin_query q;
	switch (dim) {
	case ADMIN_DIM_IP: q = ADMIN_Q_LATEST_IP; break;
	case ADMIN_DIM_LIST: q = ADMIN_Q_LATEST_LIST; break;
	case ADMIN_DIM_PROVIDER:
		q = row->sub[0] ? ADMIN_Q_LATEST_PROVIDER : ADMIN_Q_LATEST_PROVIDER_NOCODE;
		break;
	case ADMIN_DIM_CAUSE: q = ADMIN_Q_LATEST_CAUSE; break;
	default: return PERR_INTERNAL;
	}
	sqlite3_stmt *s = query(st, q);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, row->key);
	if (q == ADMIN_Q_LATEST_PROVIDER)
		store_bind_text(s, 2, row->sub);
	sqlite3_bind_int64(s, 3, from);
	sqlite3_bind_int64(s, 4, to);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		store_col_text(s, 0, row->latest_token, sizeof row->latest_token);
		row->latest_created = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return step == SQLITE_ROW || step == SQLITE_DONE ? PERR_OK : store_fail(st, "admin latest");
}

#define ADMIN_TOP_MAX 100

enum perr store_admin_top(struct store *st, enum admin_dim dim, long long first_day,
			  long long last_day, size_t limit, admin_top_cb cb, void *ctx)
{
	if ((unsigned)dim >= ADMIN_DIM__MAX)
		return PERR_INVALID;
	if (limit > ADMIN_TOP_MAX)
		limit = ADMIN_TOP_MAX;
	struct admin_top_row rows[ADMIN_TOP_MAX];
	size_t n = 0;
	sqlite3_stmt *s = query(st, ADMIN_Q_TOP);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, first_day);
	sqlite3_bind_int64(s, 2, last_day);
	store_bind_text(s, 3, dim_names[dim]);
	sqlite3_bind_int64(s, 4, (long long)limit);
	int step;
	/* Collected first: the latest-report lookups use other statements. */
	while (n < limit && (step = sqlite3_step(s)) == SQLITE_ROW) {
		struct admin_top_row *r = &rows[n++];
		memset(r, 0, sizeof *r);
		store_col_text(s, 0, r->key, sizeof r->key);
		store_col_text(s, 1, r->sub, sizeof r->sub);
		r->n = sqlite3_column_int64(s, 2);
	}
	enum perr rc = PERR_OK;
	if (n < limit && step != SQLITE_DONE)
		rc = store_fail(st, "admin top");
	sqlite3_reset(s);
	for (size_t i = 0; i < n && rc == PERR_OK; i++) {
		rc = latest_of(st, dim, &rows[i], first_day * SECONDS_PER_DAY, (last_day + 1) * SECONDS_PER_DAY);
		if (rc == PERR_OK && cb(ctx, &rows[i]) != 0)
			break;
	}
	return rc;
}

enum perr store_admin_key_count(struct store *st, enum admin_dim dim, const char *key,
				const char *sub, long long from, long long to, long long *n)
{
	*n = 0;
	enum admin_query q = dim == ADMIN_DIM__MAX ? ADMIN_Q_ALL_COUNT
			   : sub != NULL ? ADMIN_Q_KEY_COUNT_SUB : ADMIN_Q_KEY_COUNT;
	if ((unsigned)dim > ADMIN_DIM__MAX || (dim != ADMIN_DIM__MAX && key == NULL))
		return PERR_INVALID;
	sqlite3_stmt *s = query(st, q);
	if (s == NULL)
		return PERR_DB;
	if (dim != ADMIN_DIM__MAX) {
		store_bind_text(s, 1, dim_names[dim]);
		store_bind_text(s, 2, key);
		if (sub != NULL)
			store_bind_text(s, 3, sub);
	}
	/* the days the range touches */
	sqlite3_bind_int64(s, 4, from > 0 ? from / SECONDS_PER_DAY : 0);
	sqlite3_bind_int64(s, 5, to > 0 ? (to - 1) / SECONDS_PER_DAY : -1);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return step == SQLITE_ROW ? PERR_OK : store_fail(st, "admin key count");
}

/* 1 when the range is made of whole UTC days (the rollup's unit). */
static int whole_days(const struct admin_filter *f)
{
	return f->from % SECONDS_PER_DAY == 0 && f->to % SECONDS_PER_DAY == 0;
}

/* The filters present: each with its dimension, for estimates. */
static int filter_dims(const struct admin_filter *f, enum admin_dim *dims)
{
	int n = 0;
	if (f->list)
		dims[n++] = ADMIN_DIM_LIST;
	if (f->ip)
		dims[n++] = ADMIN_DIM_IP;
	if (f->provider)
		dims[n++] = ADMIN_DIM_PROVIDER;
	if (f->cause)
		dims[n++] = ADMIN_DIM_CAUSE;
	return n;
}

static const char *dim_key(const struct admin_filter *f, enum admin_dim d, const char **sub)
{
	*sub = NULL;
	switch (d) {
	case ADMIN_DIM_IP: return f->ip;
	case ADMIN_DIM_LIST: return f->list;
	case ADMIN_DIM_PROVIDER: *sub = f->code; return f->provider;
	case ADMIN_DIM_CAUSE: return f->cause;
	default: return NULL;
	}
}

/* The statement for f: the filter that matches the fewest submissions
 * (by the rollup) leads with its index; the others are checked per row. */
static enum perr pick(struct store *st, const struct admin_filter *f, int count, enum admin_query *q)
{
	if (f->ticket) {   /* a ticket has a handful of submissions: its index always leads */
		*q = count ? ADMIN_Q_COUNT_TICKET : ADMIN_Q_ROWS_TICKET;
		return PERR_OK;
	}
	enum admin_dim dims[ADMIN_DIM__MAX], best = ADMIN_DIM__MAX;
	int n = filter_dims(f, dims);
	long long fewest = -1;
	for (int i = 0; i < n && n > 1; i++) {
		const char *sub, *key = dim_key(f, dims[i], &sub);
		long long c;
		enum perr rc = store_admin_key_count(st, dims[i], key, sub, f->from, f->to, &c);
		if (rc != PERR_OK)
			return rc;
		if (fewest < 0 || c < fewest) {
			fewest = c;
			best = dims[i];
		}
	}
	if (n == 1)
		best = dims[0];
	switch (best) {
	case ADMIN_DIM_LIST: *q = count ? ADMIN_Q_COUNT_LIST : ADMIN_Q_ROWS_LIST; break;
	case ADMIN_DIM_IP: *q = count ? ADMIN_Q_COUNT_IP : ADMIN_Q_ROWS_IP; break;
	case ADMIN_DIM_PROVIDER:
		if (f->code)
			*q = count ? ADMIN_Q_COUNT_PROVIDER_CODE : ADMIN_Q_ROWS_PROVIDER_CODE;
		else
			*q = count ? ADMIN_Q_COUNT_PROVIDER : ADMIN_Q_ROWS_PROVIDER;
		break;
	case ADMIN_DIM_CAUSE: *q = count ? ADMIN_Q_COUNT_CAUSE : ADMIN_Q_ROWS_CAUSE; break;
	default: *q = count ? ADMIN_Q_COUNT_ALL : ADMIN_Q_ROWS_ALL; break;
	}
	return PERR_OK;
}

static void bind_filter(sqlite3_stmt *s, const struct admin_filter *f)
{
	store_bind_text(s, 1, f->ip);
	store_bind_text(s, 2, f->list);
	store_bind_text(s, 3, f->provider);
	store_bind_text(s, 4, f->code);
	store_bind_text(s, 5, f->cause);
	sqlite3_bind_int64(s, 6, f->from);
	sqlite3_bind_int64(s, 7, f->to);
	store_bind_text(s, 10, f->ticket);
}

enum perr store_admin_submissions(struct store *st, const struct admin_filter *f,
				  long long offset, long long limit, admin_submission_cb cb, void *ctx)
{
	enum admin_query q;
	enum perr rc = pick(st, f, 0, &q);
	if (rc != PERR_OK)
		return rc;
	sqlite3_stmt *s = query(st, q);
	if (s == NULL)
		return PERR_DB;
	bind_filter(s, f);
	sqlite3_bind_int64(s, 8, limit < 0 ? -1 : limit);
	sqlite3_bind_int64(s, 9, offset < 0 ? 0 : offset);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct admin_submission r;
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(s, 0);
		r.created = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, r.token, sizeof r.token);
		store_col_text(s, 3, r.source, sizeof r.source);
		store_col_text(s, 4, r.ticket, sizeof r.ticket);
		store_col_text(s, 5, r.ip, sizeof r.ip);
		r.ip_is_ours = sqlite3_column_int(s, 6);
		store_col_text(s, 7, r.verdict, sizeof r.verdict);
		store_col_text(s, 8, r.category, sizeof r.category);
		store_col_text(s, 9, r.provider, sizeof r.provider);
		store_col_text(s, 10, r.code, sizeof r.code);
		store_col_text(s, 11, r.cause, sizeof r.cause);
		r.listed = sqlite3_column_int(s, 12);
		store_col_text(s, 13, r.lists, sizeof r.lists);
		if (cb(ctx, &r) != 0) {
			step = SQLITE_DONE;
			break;
		}
	}
	rc = step == SQLITE_DONE ? PERR_OK : store_fail(st, "admin submissions");
	sqlite3_reset(s);
	return rc;
}

enum perr store_admin_list_key(struct store *st, const char *typed, char *out, size_t outlen)
{
	sqlite3_stmt *s = query(st, ADMIN_Q_LIST_KEY);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, typed);
	return store_one_text(st, s, out, outlen, "admin list key");
}

enum perr store_admin_count(struct store *st, const struct admin_filter *f, long long cap,
			    long long *n)
{
	*n = 0;
	enum admin_dim dims[ADMIN_DIM__MAX];
	int nd = filter_dims(f, dims);
	if (whole_days(f) && nd <= 1 && (f->code == NULL || f->provider != NULL) && f->ticket == NULL) {
		const char *sub = NULL, *key = nd ? dim_key(f, dims[0], &sub) : NULL;
		return store_admin_key_count(st, nd ? dims[0] : ADMIN_DIM__MAX, key, sub, f->from, f->to, n);
	}
	enum admin_query q;
	enum perr rc = pick(st, f, 1, &q);
	if (rc != PERR_OK)
		return rc;
	sqlite3_stmt *s = query(st, q);
	if (s == NULL)
		return PERR_DB;
	bind_filter(s, f);
	sqlite3_bind_int64(s, 8, cap > 0 ? cap : -1);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return step == SQLITE_ROW ? PERR_OK : store_fail(st, "admin count");
}

enum perr store_admin_turned_off(struct store *st, long long since, long long window_s,
				 admin_turned_off_cb cb, void *ctx)
{
	sqlite3_stmt *s = query(st, ADMIN_Q_TURNED_OFF);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, window_s);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct admin_turned_off t;
		memset(&t, 0, sizeof t);
		t.forward_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, t.destination, sizeof t.destination);
		t.at = sqlite3_column_int64(s, 2);
		t.after_report = sqlite3_column_int(s, 3);
		t.after_selfreport = sqlite3_column_int(s, 4);
		if (cb(ctx, &t) != 0) {
			step = SQLITE_DONE;
			break;
		}
	}
	enum perr rc = step == SQLITE_DONE ? PERR_OK : store_fail(st, "admin turned off");
	sqlite3_reset(s);
	return rc;
}

enum perr store_admin_plan(struct store *st, enum admin_query q, char *buf, size_t len)
{
	if ((unsigned)q >= ADMIN_Q__MAX || len == 0)
		return PERR_INVALID;
	buf[0] = '\0';
	char sql[4096];
	int w = snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", queries[q]);
	if (w < 0 || (size_t)w >= sizeof sql)
		return PERR_TOO_LARGE;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, "admin plan");
	size_t off = 0;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *detail = sqlite3_column_text(s, 3);
		int n = snprintf(buf + off, len - off, "%s\n", detail ? (const char *)detail : "");
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	sqlite3_finalize(s);
	return step == SQLITE_DONE || step == SQLITE_ROW ? PERR_OK : PERR_DB;
}
