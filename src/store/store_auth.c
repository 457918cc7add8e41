/* Users and sessions: typed queries over the users/sessions tables. */
#include <string.h>

#include "store_auth.h"
#include "internal/store_internal.h"

static void fill_user(sqlite3_stmt *s, int col, struct auth_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, col);
	u->customer_id = sqlite3_column_int64(s, col + 1);
	store_col_text(s, col + 2, u->login, sizeof u->login);
	store_col_text(s, col + 3, u->role, sizeof u->role);
	store_col_text(s, col + 4, u->customer_name, sizeof u->customer_name);
	u->disabled = sqlite3_column_int(s, col + 5);
}

/* Steps a bound statement whose row is (text, then fill_user's columns):
 * copies the text into first and the user into *user, then resets it.
 * PERR_NOT_FOUND when there is no row. */
static enum perr user_row(struct store *st, sqlite3_stmt *s, char *first, size_t firstlen,
			  struct auth_user *user, const char *where)
{
	int rc = sqlite3_step(s);
	enum perr out = PERR_NOT_FOUND;
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, first, firstlen);
		fill_user(s, 1, user);
		out = PERR_OK;
	} else if (rc != SQLITE_DONE) {
		out = store_fail(st, where);
	}
	sqlite3_reset(s);
	return out;
}

enum perr store_session_lookup(struct store *st, const uint8_t id_hash[32], long long now,
			       struct auth_user *user, char *csrf, size_t csrflen)
{
	static const char sql[] =
		"SELECT s.csrf, u.id, coalesce(u.customer_id, 0), u.login, u.role, "
		"coalesce(c.name, ''), u.disabled "
		"FROM sessions s JOIN users u ON u.id = s.user_id "
		"LEFT JOIN customers c ON c.id = u.customer_id "
		"WHERE s.id_hash = ?1 AND s.expires > ?2 AND u.disabled = 0";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_blob(s, 1, id_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	return user_row(st, s, csrf, csrflen, user, "session lookup");
}

enum perr store_customer_ensure(struct store *st, const char *name, long long *id)
{
	static const char ins[] = "INSERT INTO customers(name) VALUES (?1) ON CONFLICT(name) DO NOTHING";
	static const char sel[] = "SELECT id FROM customers WHERE name = ?1";
	sqlite3_stmt *s = store_stmt(st, ins);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, name);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "customer insert");
	if ((s = store_stmt(st, sel)) == NULL)
		return PERR_DB;
	store_bind_text(s, 1, name);
	enum perr out = PERR_DB;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		out = PERR_OK;
	}
	sqlite3_reset(s);
	return out;
}

enum perr store_user_add(struct store *st, const char *login, const char *password_hash,
			 const char *role, long long customer_id, long long *id)
{
	static const char sql[] =
		"INSERT INTO users(login, password_hash, role, customer_id) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, login);
	store_bind_text(s, 2, password_hash);
	store_bind_text(s, 3, role);
	if (customer_id > 0)
		sqlite3_bind_int64(s, 4, customer_id);
	else
		sqlite3_bind_null(s, 4);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT)
		return PERR_INVALID;
	if (rc != SQLITE_DONE)
		return store_fail(st, "user insert");
	if (id)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return PERR_OK;
}

int store_user_exists(struct store *st, const char *login)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM users WHERE login = ?1");
	if (s == NULL)
		return 0;
	store_bind_text(s, 1, login);
	int found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

/* --- accounts and sessions (issue 6) --- */

enum perr store_user_by_login(struct store *st, const char *login, struct auth_user *user,
			      char *hash, size_t hashlen)
{
	static const char sql[] =
		"SELECT u.password_hash, u.id, coalesce(u.customer_id, 0), u.login, u.role, "
		"coalesce(c.name, ''), u.disabled "
		"FROM users u LEFT JOIN customers c ON c.id = u.customer_id WHERE u.login = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, login);
	return user_row(st, s, hash, hashlen, user, "user lookup");
}

static enum perr end_user_sessions(struct store *st, const char *login)
{
	static const char sql[] =
		"DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE login = ?1)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, login);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, "end sessions");
}

/* Runs a one-row UPDATE of users keyed by login (?1), then ends the
 * user's sessions, in one transaction. */
static enum perr update_user(struct store *st, sqlite3_stmt *s, const char *login)
{
	enum perr rc = PERR_OK;
	int step = sqlite3_step(s);
	int n = sqlite3_changes(store_db(st));
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		rc = store_fail(st, "user update");
	else if (n == 0)
		rc = PERR_NOT_FOUND;
	else
		rc = end_user_sessions(st, login);
	return rc;
}

enum perr store_user_set_password(struct store *st, const char *login, const char *password_hash)
{
	static const char sql[] = "UPDATE users SET password_hash = ?2 WHERE login = ?1";
	enum perr rc = store_begin(st);
	if (rc != PERR_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL) {
		store_rollback(st);
		return PERR_DB;
	}
	store_bind_text(s, 1, login);
	store_bind_text(s, 2, password_hash);
	if ((rc = update_user(st, s, login)) != PERR_OK || (rc = store_commit(st)) != PERR_OK)
		store_rollback(st);
	return rc;
}

enum perr store_user_set_disabled(struct store *st, const char *login, int disabled)
{
	static const char sql[] = "UPDATE users SET disabled = ?2 WHERE login = ?1";
	enum perr rc = store_begin(st);
	if (rc != PERR_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL) {
		store_rollback(st);
		return PERR_DB;
	}
	store_bind_text(s, 1, login);
	sqlite3_bind_int(s, 2, disabled ? 1 : 0);
	if ((rc = update_user(st, s, login)) != PERR_OK || (rc = store_commit(st)) != PERR_OK)
		store_rollback(st);
	return rc;
}

enum perr store_session_create(struct store *st, const uint8_t id_hash[32], long long user_id,
			       const char *csrf, const char *client, long long expires)
{
	static const char sql[] =
		"INSERT INTO sessions(id_hash, user_id, csrf, client, expires) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_blob(s, 1, id_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, user_id);
	store_bind_text(s, 3, csrf);
	store_bind_text(s, 4, client);
	sqlite3_bind_int64(s, 5, expires);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, "session insert");
}

enum perr store_session_delete(struct store *st, const uint8_t id_hash[32])
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM sessions WHERE id_hash = ?1");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_blob(s, 1, id_hash, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, "session delete");
}

enum perr store_sessions_purge(struct store *st, long long now, long long *removed)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM sessions WHERE expires <= ?1");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, now);
	int rc = sqlite3_step(s);
	if (removed)
		*removed = sqlite3_changes(store_db(st));
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, "session purge");
}

enum perr store_customer_find(struct store *st, const char *name, long long *id)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id FROM customers WHERE name = ?1");
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, name);
	int rc = sqlite3_step(s);
	enum perr out = PERR_NOT_FOUND;
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		out = PERR_OK;
	} else if (rc != SQLITE_DONE) {
		out = store_fail(st, "customer find");
	}
	sqlite3_reset(s);
	return out;
}
