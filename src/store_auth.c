/* Users and sessions: typed queries over the users/sessions tables. */
#include <string.h>

#include "store_auth.h"
#include "store_internal.h"

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
	int rc = sqlite3_step(s);
	enum perr out = PERR_NOT_FOUND;
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, csrf, csrflen);
		fill_user(s, 1, user);
		out = PERR_OK;
	} else if (rc != SQLITE_DONE) {
		out = store_fail(st, "session lookup");
	}
	sqlite3_reset(s);
	return out;
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
