/* The SQLite connection: open, pragmas, migrations, statement cache. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "internal/store_internal.h"
#include "internal/store_migrations.h"

#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_MAX_STMTS 128
#define STORE_PAGE_SIZE "2048"
/* Owner read-write, group read: the database holds password hashes,
 * sessions, hidden recipients and forwards. */
#define STORE_FILE_MODE 0640

struct cached_stmt {
	const char *sql;   /* the literal's address is the key */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	int version;
	int postfix_attached;   /* postfix.db_path is attached as "postfix" */
	size_t nstmts;
	struct cached_stmt stmts[STORE_MAX_STMTS];
};

enum perr store_fail(struct store *st, const char *where)
{
	log_event(LOG_ERROR, NULL, "sqlite %s: %s", where, sqlite3_errmsg(st->db));
	return PERR_DB;
}

static enum perr exec(struct store *st, const char *sql, const char *where)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_event(LOG_ERROR, NULL, "sqlite %s: %s", where, msg ? msg : "?");
		sqlite3_free(msg);
		return PERR_DB;
	}
	return PERR_OK;
}

/* 1 when migration version v is recorded as applied. */
static int applied(struct store *st, int v)
{
	sqlite3_stmt *s = NULL;
	int found = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM schema_migrations WHERE version = ?1",
			       -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_int(s, 1, v);
		found = sqlite3_step(s) == SQLITE_ROW;
	}
	sqlite3_finalize(s);
	return found;
}

/* Applies every embedded migration not yet recorded in schema_migrations
 * (so steps merged out of order still run), all in one IMMEDIATE
 * transaction: workers starting together serialise here and each step runs
 * exactly once. */
static enum perr migrate(struct store *st)
{
	enum perr rc = exec(st, "BEGIN IMMEDIATE;"
			    "CREATE TABLE IF NOT EXISTS schema_migrations ("
			    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
			    " applied INTEGER NOT NULL DEFAULT (unixepoch()))", "migrate begin");
	if (rc != PERR_OK)
		return rc;
	int latest = 0;
	for (const struct store_migration *m = store_migrations; m->version != 0; m++) {
		if (m->version > latest)
			latest = m->version;
		if (applied(st, m->version))
			continue;
		if ((rc = exec(st, m->sql, m->name)) != PERR_OK)
			goto fail;
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(st->db, "INSERT INTO schema_migrations(version, name) VALUES (?1, ?2)",
				       -1, &s, NULL) != SQLITE_OK) {
			rc = store_fail(st, "migrate record");
			goto fail;
		}
		sqlite3_bind_int(s, 1, m->version);
		sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
		int step = sqlite3_step(s);
		sqlite3_finalize(s);
		if (step != SQLITE_DONE) {
			rc = store_fail(st, "migrate record");
			goto fail;
		}
	}
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", latest);
	if ((rc = exec(st, sql, "migrate version")) != PERR_OK)
		goto fail;
	if ((rc = exec(st, "COMMIT", "migrate commit")) != PERR_OK)
		goto fail;
	st->version = latest;
	return PERR_OK;
fail:
	exec(st, "ROLLBACK", "migrate rollback");
	return rc;
}

/* Tightens one file to STORE_FILE_MODE if it grants more; a missing file
 * is fine. Returns PERR_OK or PERR_DB (logged). */
static enum perr tighten(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return PERR_OK;
	if ((sb.st_mode & 07777 & ~STORE_FILE_MODE) == 0)
		return PERR_OK;
	if (chmod(path, sb.st_mode & STORE_FILE_MODE) != 0) {
		log_event(LOG_ERROR, NULL, "chmod %s: cannot make it private", path);
		return PERR_DB;
	}
	return PERR_OK;
}

enum perr store_make_private(const char *path)
{
	/* Only a missing file is created here. Never open and close an
	 * existing one: closing any descriptor of a file drops every POSIX
	 * lock this process holds on it, those of its other SQLite
	 * connections included (a second connection of a worker would then
	 * let other processes checkpoint under the first). */
	struct stat sb;
	if (lstat(path, &sb) != 0) {
		int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, STORE_FILE_MODE);
		if (fd < 0 && errno != EEXIST) {
			log_event(LOG_ERROR, NULL, "open %s: cannot create the database file", path);
			return PERR_DB;
		}
		if (fd >= 0)
			close(fd);
	}
	char side[4096];
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		if ((size_t)snprintf(side, sizeof side, "%s%s", path, suffix[i]) >= sizeof side)
			return PERR_DB;
		if (tighten(side) != PERR_OK)
			return PERR_DB;
	}
	return PERR_OK;
}

enum perr store_open(const char *path, struct store **out)
{
	*out = NULL;
	struct store *st = calloc(1, sizeof *st);
	if (st == NULL)
		return PERR_NOMEM;
	enum perr rc = PERR_DB;
	if (store_make_private(path) != PERR_OK)
		goto fail;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		log_event(LOG_ERROR, NULL, "sqlite open %s: %s", path,
			  st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	/* A new database gets 2 KiB pages: a report insert touches a dozen
	 * b-trees, and smaller pages make its WAL commit about 30% cheaper
	 * (measured with the full schema); an existing file keeps its size. */
	if ((rc = exec(st, "PRAGMA page_size = " STORE_PAGE_SIZE ";", "page size")) != PERR_OK)
		goto fail;
	if ((rc = exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
			   "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;", "pragmas")) != PERR_OK)
		goto fail;
	if ((rc = migrate(st)) != PERR_OK)
		goto fail;
	*out = st;
	return PERR_OK;
fail:
	store_close(st);
	return rc;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->nstmts; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	sqlite3_close(st->db);
	free(st);
}

int store_postfix_attached(const struct store *st)
{
	return st->postfix_attached;
}

void store_set_postfix_attached(struct store *st, int on)
{
	st->postfix_attached = on;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql)
{
	for (size_t i = 0; i < st->nstmts; i++) {
		if (st->stmts[i].sql == sql) {
			sqlite3_stmt *s = st->stmts[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	if (st->nstmts == STORE_MAX_STMTS) {
		log_event(LOG_ERROR, NULL, "store: statement cache full (raise STORE_MAX_STMTS)");
		return NULL;
	}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		store_fail(st, "prepare");
		return NULL;
	}
	st->stmts[st->nstmts].sql = sql;
	st->stmts[st->nstmts].stmt = s;
	st->nstmts++;
	return s;
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

void store_col_text(sqlite3_stmt *s, int i, char *buf, size_t len)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	snprintf(buf, len, "%s", v ? (const char *)v : "");
}

enum perr store_one_text(struct store *st, sqlite3_stmt *s, char *buf, size_t len, const char *where)
{
	int step = sqlite3_step(s);
	enum perr rc = PERR_NOT_FOUND;
	if (step == SQLITE_ROW) {
		store_col_text(s, 0, buf, len);
		rc = PERR_OK;
	} else if (step != SQLITE_DONE) {
		rc = store_fail(st, where);
	}
	sqlite3_reset(s);
	return rc;
}

enum perr store_begin(struct store *st)
{
	return exec(st, "BEGIN IMMEDIATE", "begin");
}

enum perr store_commit(struct store *st)
{
	return exec(st, "COMMIT", "commit");
}

void store_rollback(struct store *st)
{
	exec(st, "ROLLBACK", "rollback");
}

enum perr store_read_begin(struct store *st)
{
	return exec(st, "BEGIN DEFERRED", "read begin");
}

void store_read_end(struct store *st)
{
	exec(st, "COMMIT", "read end");
}

int store_schema_version(struct store *st)
{
	return st->version;
}

int store_ping(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1");
	if (s == NULL)
		return 0;
	int ok = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return ok;
}
