/* The file Postfix reads (postfix.db_path): forwards only, no accounts.
 *
 * Postfix's sqlite: lookup table used to read the portal's own database,
 * which meant the postfix user could read password hashes and sessions and
 * needed write access to the directory (WAL). Now the portal attaches a
 * second SQLite file that holds one table, postfix_virtual_forwards
 * (address, destination, active) with the active rows only, under the same
 * name and columns as the view in the main database, so the shipped
 * virtual_forwards.cf query works against either. The file uses a rollback
 * journal, not WAL: a reader needs no write access anywhere, and every
 * change lands in one transaction, so Postfix sees the old forwards or the
 * new ones, never half. */
#include <string.h>

#include "core/log.h"
#include "internal/store_internal.h"
#include "store_postfix.h"

static const char copy_sql[] =
	"DELETE FROM postfix.postfix_virtual_forwards;"
	"INSERT INTO postfix.postfix_virtual_forwards (address, destination, active)"
	" SELECT address, destination, 1 FROM main.postfix_virtual_forwards WHERE active = 1;";

static enum perr exec_sql(struct store *st, const char *sql, const char *where)
{
	return sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) == SQLITE_OK ? PERR_OK
									     : store_fail(st, where);
}

enum perr store_postfix_refresh(struct store *st)
{
	if (!store_postfix_attached(st))
		return PERR_OK;
	return exec_sql(st, copy_sql, "postfix copy");
}

enum perr store_postfix_attach(struct store *st, const char *path)
{
	if (path == NULL || path[0] == '\0')
		return PERR_OK;
	if (store_make_private(path) != PERR_OK)
		return PERR_DB;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(store_db(st), "ATTACH DATABASE ?1 AS postfix", -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, "postfix attach");
	sqlite3_bind_text(s, 1, path, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(s);
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return store_fail(st, "postfix attach");
	enum perr rc = exec_sql(st,
		"PRAGMA postfix.journal_mode = DELETE;"
		"CREATE TABLE IF NOT EXISTS postfix.postfix_virtual_forwards ("
		" address TEXT NOT NULL, destination TEXT NOT NULL, active INTEGER NOT NULL,"
		" PRIMARY KEY (address, destination)) WITHOUT ROWID;", "postfix schema");
	if (rc != PERR_OK)
		return rc;
	store_set_postfix_attached(st, 1);
	/* A full copy at every start: the file follows even changes made
	 * while it was not configured, or by an older version. */
	if ((rc = store_begin(st)) != PERR_OK)
		return rc;
	if ((rc = store_postfix_refresh(st)) != PERR_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

enum perr store_open_with_postfix(const char *db_path, const char *postfix_path, struct store **out)
{
	enum perr rc = store_open(db_path, out);
	if (rc != PERR_OK)
		return rc;
	if ((rc = store_postfix_attach(*out, postfix_path)) != PERR_OK) {
		log_event(LOG_ERROR, NULL, "cannot write Postfix's file %s: %s", postfix_path, perr_str(rc));
		store_close(*out);
		*out = NULL;
	}
	return rc;
}
