/* The SQLite store. One connection per process (each FastCGI worker opens
 * its own). Only store*.c files include sqlite3.h; the rest of the portal
 * uses the typed functions declared in store_*.h headers. */
#ifndef PORTAL_STORE_H
#define PORTAL_STORE_H

#include "core/err.h"

struct store;

/* Opens (creating if missing) the database at path, sets WAL, busy timeout
 * and foreign keys, and applies pending migrations in one transaction.
 * *out is freed with store_close(). */
enum perr store_open(const char *path, struct store **out);
void store_close(struct store *st);

/* Transactions for multi-statement changes (import, toggle + audit). */
enum perr store_begin(struct store *st);
enum perr store_commit(struct store *st);
void store_rollback(struct store *st);

/* A read transaction around many SELECTs: one snapshot and one lock
 * instead of one per statement. */
enum perr store_read_begin(struct store *st);
void store_read_end(struct store *st);

/* The schema version after migrations (for /healthz). */
int store_schema_version(struct store *st);
/* A cheap liveness probe: 1 when a SELECT works. */
int store_ping(struct store *st);

#endif
