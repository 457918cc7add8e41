/* Checks in progress: see store_pending.h. */
#include <stdio.h>
#include <string.h>

#include "internal/store_internal.h"
#include "store_pending.h"

enum perr store_pending_start(struct store *st, const struct pending_check *p, const uint8_t key[32],
			      long long since)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM pending_checks WHERE created < ?1");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, p->created - PENDING_KEEP_S);
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return store_fail(st, "pending prune");
	/* an older start with this key is out of the window: it keeps its
	 * row, not the key */
	s = store_stmt(st, "UPDATE pending_checks SET key_hash = NULL WHERE key_hash = ?1 AND created < ?2");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_blob(s, 1, key, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since);
	step = sqlite3_step(s);
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return store_fail(st, "pending rekey");
	s = store_stmt(st, "INSERT INTO pending_checks (token, key_hash, created, ip, zones) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, p->token);
	sqlite3_bind_blob(s, 2, key, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, p->created);
	store_bind_text(s, 4, p->ip[0] ? p->ip : NULL);
	store_bind_text(s, 5, p->zones);
	step = sqlite3_step(s);
	int ext = sqlite3_extended_errcode(store_db(st));
	sqlite3_reset(s);
	if (step == SQLITE_CONSTRAINT && ext == SQLITE_CONSTRAINT_UNIQUE)
		return PERR_LIMITED; /* the same submission, started a moment ago */
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "pending start");
}

enum perr store_pending_find(struct store *st, const uint8_t key[32], long long since,
			     char token[REPORT_TOKEN_CHARS + 1])
{
	sqlite3_stmt *s = store_stmt(st, "SELECT token FROM pending_checks WHERE key_hash = ?1 AND created >= ?2"
					 " AND (state = 'checking' OR EXISTS (SELECT 1 FROM reports r WHERE r.token = pending_checks.token))"
					 " ORDER BY created DESC LIMIT 1");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_blob(s, 1, key, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since);
	return store_one_text(st, s, token, REPORT_TOKEN_CHARS + 1, "pending find");
}

enum perr store_pending_get(struct store *st, const char *token, struct pending_check *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, "SELECT token, created, ip, zones, state FROM pending_checks WHERE token = ?1");
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, token);
	enum perr rc = PERR_NOT_FOUND;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		store_col_text(s, 0, out->token, sizeof out->token);
		out->created = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, out->ip, sizeof out->ip);
		store_col_text(s, 3, out->zones, sizeof out->zones);
		store_col_text(s, 4, out->state, sizeof out->state);
		rc = PERR_OK;
	} else if (step != SQLITE_DONE) {
		rc = store_fail(st, "pending get");
	}
	sqlite3_reset(s);
	return rc;
}

enum perr store_pending_end(struct store *st, const char *token, int failed)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE pending_checks SET state = ?2 WHERE token = ?1");
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, token);
	store_bind_text(s, 2, failed ? "failed" : "done");
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "pending end");
}
