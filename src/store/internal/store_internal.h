/* For store*.c files only: the connection and the prepared-statement cache. */
#ifndef PORTAL_STORE_INTERNAL_H
#define PORTAL_STORE_INTERNAL_H

#include <sqlite3.h>
#include "../store.h"

/* Returns the statement for sql, prepared on first use and kept for the
 * life of the connection; it is reset and its bindings cleared, ready to
 * bind. sql must be a string literal (the cache keys on its address). NULL
 * on a prepare error (logged). Never finalize the result. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);

/* The raw connection, for the few places that need it. */
sqlite3 *store_db(struct store *st);

/* Binds a C string or NULL (as SQL NULL) at index i. */
int store_bind_text(sqlite3_stmt *s, int i, const char *v);

/* Copies column i as text into buf (empty string for NULL). */
void store_col_text(sqlite3_stmt *s, int i, char *buf, size_t len);

/* Steps a bound statement once and resets it: its first row's column 0
 * as text into buf. PERR_OK, PERR_NOT_FOUND when there is no row, or the
 * failure logged at where. */
enum perr store_one_text(struct store *st, sqlite3_stmt *s, char *buf, size_t len, const char *where);

/* Creates path 0640 if missing, before SQLite sees it (SQLite gives the
 * -wal, -shm and -journal files the mode of the database file), and
 * tightens it and those files if an older version left them readable by
 * everyone. Returns PERR_OK or PERR_DB (logged). */
enum perr store_make_private(const char *path);

/* Whether postfix.db_path is attached (src/store/store_postfix.c). */
int store_postfix_attached(const struct store *st);
void store_set_postfix_attached(struct store *st, int on);

/* Brings Postfix's copy up to date, inside the caller's transaction; a
 * no-op when no postfix.db_path is attached. */
enum perr store_postfix_refresh(struct store *st);

/* Logs sqlite's message for a failing call at the given place. */
enum perr store_fail(struct store *st, const char *where);

#endif
