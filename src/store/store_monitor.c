/* Monitoring of our outgoing servers in the store: typed queries, every
 * value bound (db/migrations/005_monitor.sql). */
#include <string.h>

#include "internal/store_internal.h"
#include "store_monitor.h"

#define LISTING_COLUMNS "id, ip, zone, since, last_seen, coalesce(cleared, 0), codes, txt "

static void fill_listing(sqlite3_stmt *s, struct monitor_listing *l)
{
	memset(l, 0, sizeof *l);
	l->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, l->ip, sizeof l->ip);
	store_col_text(s, 2, l->zone, sizeof l->zone);
	l->since = sqlite3_column_int64(s, 3);
	l->last_seen = sqlite3_column_int64(s, 4);
	l->cleared = sqlite3_column_int64(s, 5);
	store_col_text(s, 6, l->codes, sizeof l->codes);
	store_col_text(s, 7, l->txt, sizeof l->txt);
}

/* Runs an UPDATE ... RETURNING since; *found = 1 and *since set when a row
 * changed. */
static enum perr update_returning(struct store *st, sqlite3_stmt *s, const char *where,
				  int *found, long long *since)
{
	*found = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*found = 1;
		*since = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);   /* the one row: runs to SQLITE_DONE */
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, where);
}

enum perr store_monitor_record(struct store *st, long long now, const struct monitor_answer *a,
			       enum monitor_event *event, long long *since)
{
	static const char seen[] =
		"UPDATE monitor_listings SET last_seen = ?3, codes = ?4, txt = ?5 "
		"WHERE ip = ?1 AND zone = ?2 AND cleared IS NULL RETURNING since";
	static const char open_listing[] =
		"INSERT INTO monitor_listings (ip, zone, since, last_seen, codes, txt) "
		"VALUES (?1, ?2, ?3, ?3, ?4, ?5)";
	static const char clear[] =
		"UPDATE monitor_listings SET cleared = max(?3, since) "
		"WHERE ip = ?1 AND zone = ?2 AND cleared IS NULL RETURNING since";
	static const char status[] =
		"INSERT INTO monitor_status (ip, zone, status, checked_at) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT (ip, zone) DO UPDATE SET status = excluded.status, checked_at = excluded.checked_at";
	long long start = 0;
	int found = 0;
	enum perr rc = PERR_OK;
	*event = MONITOR_NO_CHANGE;
	if (a->ip == NULL || a->zone == NULL || a->status == NULL)
		return PERR_INVALID;
	sqlite3_stmt *s;
	if (strcmp(a->status, "listed") == 0) {
		if ((s = store_stmt(st, seen)) == NULL)
			return PERR_DB;
		store_bind_text(s, 1, a->ip);
		store_bind_text(s, 2, a->zone);
		sqlite3_bind_int64(s, 3, now);
		store_bind_text(s, 4, a->codes ? a->codes : "");
		store_bind_text(s, 5, a->txt ? a->txt : "");
		if ((rc = update_returning(st, s, "monitor seen", &found, &start)) != PERR_OK)
			return rc;
		if (found) {
			*event = MONITOR_STILL_LISTED;
		} else {
			if ((s = store_stmt(st, open_listing)) == NULL)
				return PERR_DB;
			store_bind_text(s, 1, a->ip);
			store_bind_text(s, 2, a->zone);
			sqlite3_bind_int64(s, 3, now);
			store_bind_text(s, 4, a->codes ? a->codes : "");
			store_bind_text(s, 5, a->txt ? a->txt : "");
			int step = sqlite3_step(s);
			sqlite3_reset(s);
			if (step != SQLITE_DONE)
				return store_fail(st, "monitor open");
			*event = MONITOR_LISTED;
			start = now;
		}
	} else if (strcmp(a->status, "clean") == 0) {
		if ((s = store_stmt(st, clear)) == NULL)
			return PERR_DB;
		store_bind_text(s, 1, a->ip);
		store_bind_text(s, 2, a->zone);
		sqlite3_bind_int64(s, 3, now);
		if ((rc = update_returning(st, s, "monitor clear", &found, &start)) != PERR_OK)
			return rc;
		if (found)
			*event = MONITOR_CLEARED;
	}
	if (since != NULL)
		*since = start;

	if ((s = store_stmt(st, status)) == NULL)
		return PERR_DB;
	store_bind_text(s, 1, a->ip);
	store_bind_text(s, 2, a->zone);
	store_bind_text(s, 3, a->status);
	sqlite3_bind_int64(s, 4, now);
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "monitor status");
}

enum perr store_monitor_run_add(struct store *st, const struct monitor_run *r)
{
	static const char sql[] =
		"INSERT INTO monitor_runs (started, finished, ips, lists, listed, unknown, status) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, r->started);
	sqlite3_bind_int64(s, 2, r->finished);
	sqlite3_bind_int(s, 3, r->ips);
	sqlite3_bind_int(s, 4, r->lists);
	sqlite3_bind_int(s, 5, r->listed);
	sqlite3_bind_int(s, 6, r->unknown);
	store_bind_text(s, 7, r->status);
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "monitor run");
}

enum perr store_monitor_last_run(struct store *st, struct monitor_run *out)
{
	static const char sql[] =
		"SELECT started, finished, ips, lists, listed, unknown, status FROM monitor_runs "
		"ORDER BY started DESC, id DESC LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	memset(out, 0, sizeof *out);
	enum perr rc = PERR_NOT_FOUND;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		out->started = sqlite3_column_int64(s, 0);
		out->finished = sqlite3_column_int64(s, 1);
		out->ips = sqlite3_column_int(s, 2);
		out->lists = sqlite3_column_int(s, 3);
		out->listed = sqlite3_column_int(s, 4);
		out->unknown = sqlite3_column_int(s, 5);
		store_col_text(s, 6, out->status, sizeof out->status);
		rc = PERR_OK;
	} else if (step != SQLITE_DONE) {
		rc = store_fail(st, "monitor last run");
	}
	sqlite3_reset(s);
	return rc;
}

enum perr store_monitor_current(struct store *st, const char *ip, struct monitor_listing *out,
				size_t max, size_t *n)
{
	static const char sql[] =
		"SELECT " LISTING_COLUMNS "FROM monitor_listings "
		"WHERE cleared IS NULL AND (?1 IS NULL OR ip = ?1) ORDER BY since, ip, zone";
	*n = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, ip);
	int step;
	while (*n < max && (step = sqlite3_step(s)) == SQLITE_ROW)
		fill_listing(s, &out[(*n)++]);
	enum perr rc = PERR_OK;
	if (*n < max && step != SQLITE_DONE)
		rc = store_fail(st, "monitor current");
	sqlite3_reset(s);
	return rc;
}

enum perr store_monitor_history(struct store *st, const char *ip, size_t limit,
				monitor_listing_cb cb, void *ctx)
{
	static const char sql[] =
		"SELECT " LISTING_COLUMNS "FROM monitor_listings "
		"WHERE ?1 IS NULL OR ip = ?1 ORDER BY since DESC, id DESC LIMIT ?2";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, ip);
	sqlite3_bind_int64(s, 2, (long long)limit);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct monitor_listing l;
		fill_listing(s, &l);
		if (cb(ctx, &l) != 0) {
			step = SQLITE_DONE;
			break;
		}
	}
	enum perr rc = step == SQLITE_DONE ? PERR_OK : store_fail(st, "monitor history");
	sqlite3_reset(s);
	return rc;
}

enum perr store_monitor_status(struct store *st, const char *ip, monitor_status_cb cb, void *ctx)
{
	static const char sql[] =
		"SELECT ip, zone, status, checked_at FROM monitor_status "
		"WHERE ?1 IS NULL OR ip = ?1 ORDER BY ip, zone";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, ip);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct monitor_status_row r;
		memset(&r, 0, sizeof r);
		store_col_text(s, 0, r.ip, sizeof r.ip);
		store_col_text(s, 1, r.zone, sizeof r.zone);
		store_col_text(s, 2, r.status, sizeof r.status);
		r.checked_at = sqlite3_column_int64(s, 3);
		if (cb(ctx, &r) != 0) {
			step = SQLITE_DONE;
			break;
		}
	}
	enum perr rc = step == SQLITE_DONE ? PERR_OK : store_fail(st, "monitor status list");
	sqlite3_reset(s);
	return rc;
}
