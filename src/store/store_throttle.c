/* login_throttle rows: one per key, upserted on each failure. */
#include <stddef.h>

#include "internal/store_internal.h"
#include "store_throttle.h"

enum perr store_throttle_check(struct store *st, const char *key, long long now,
			       long long *retry_after)
{
	static const char sql[] = "SELECT locked_until FROM login_throttle WHERE key = ?1";
	*retry_after = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		long long until = sqlite3_column_int64(s, 0);
		if (until > now)
			*retry_after = until - now;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "throttle check");
	return PERR_OK;
}

enum perr store_throttle_fail(struct store *st, const char *key, long long now, unsigned limit,
			      unsigned window_s, unsigned lock_s, long long *retry_after)
{
	/* A failure outside the current window starts a new one. */
	static const char count[] =
		"INSERT INTO login_throttle(key, failures, window_start, locked_until) "
		"VALUES (?1, 1, ?2, 0) ON CONFLICT(key) DO UPDATE SET "
		"failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END, "
		"window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END "
		"RETURNING failures";
	static const char lock[] =
		"UPDATE login_throttle SET locked_until = ?2, failures = 0, window_start = ?3 WHERE key = ?1";
	*retry_after = 0;
	sqlite3_stmt *s = store_stmt(st, count);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, window_s);
	int rc = sqlite3_step(s);
	long long failures = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);   /* finish the statement so the write completes */
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "throttle count");
	if (failures < (long long)limit)
		return PERR_OK;
	if ((s = store_stmt(st, lock)) == NULL)
		return PERR_DB;
	store_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, now + lock_s);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "throttle lock");
	*retry_after = lock_s;
	return PERR_OK;
}

enum perr store_throttle_clear(struct store *st, const char *key)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM login_throttle WHERE key = ?1");
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, "throttle clear");
}

enum perr store_throttle_purge(struct store *st, long long now, unsigned window_s, long long *removed)
{
	static const char sql[] =
		"DELETE FROM login_throttle WHERE locked_until <= ?1 AND window_start + ?2 <= ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, window_s);
	int rc = sqlite3_step(s);
	if (removed)
		*removed = sqlite3_changes(store_db(st));
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, "throttle purge");
}
