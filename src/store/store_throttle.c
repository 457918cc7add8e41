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

/* The lock after `failures` failures under rule (0 = none). */
static long long lock_for(const struct throttle_rule *rule, long long failures)
{
	if (failures < (long long)rule->limit)
		return 0;
	long long lock = rule->lock_s;
	for (long long i = rule->limit; i < failures && lock < (long long)rule->max_lock_s; i++)
		lock *= 2;
	return lock < (long long)rule->max_lock_s ? lock : (long long)rule->max_lock_s;
}

enum perr store_throttle_fail(struct store *st, const char *key, long long now,
			      const struct throttle_rule *rule, long long *retry_after)
{
	/* A failure outside the current window starts a new one. */
	static const char count[] =
		"INSERT INTO login_throttle(key, failures, window_start, locked_until) "
		"VALUES (?1, 1, ?2, 0) ON CONFLICT(key) DO UPDATE SET "
		"failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END, "
		"window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END "
		"RETURNING failures";
	static const char lock[] = "UPDATE login_throttle SET locked_until = ?2 WHERE key = ?1";
	*retry_after = 0;
	sqlite3_stmt *s = store_stmt(st, count);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, rule->window_s);
	int rc = sqlite3_step(s);
	long long failures = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);   /* finish the statement so the write completes */
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "throttle count");
	long long wait = lock_for(rule, failures);
	if (wait == 0)
		return PERR_OK;
	if ((s = store_stmt(st, lock)) == NULL)
		return PERR_DB;
	store_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, now + wait);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "throttle lock");
	*retry_after = wait;
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
