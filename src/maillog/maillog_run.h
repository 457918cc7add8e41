/* `portalctl maillog`: log lines in, refused and deferred deliveries
 * stored per customer and server. The ingester parses and joins each line
 * (maillog.h), runs the bounce analyzer and the report wording on each
 * refusal and stores it (store_deliveries.h); the reader feeds it a file
 * or stdin and, with follow, survives rotation and truncation. */
#ifndef PORTAL_MAILLOG_RUN_H
#define PORTAL_MAILLOG_RUN_H

#include <signal.h>
#include <stddef.h>

#include "core/config.h"
#include "core/err.h"
#include "store/store.h"

struct bounce_knowledge;
struct explain_knowledge;

/* What the ingester works with; every handle is borrowed. */
struct maillog_env {
	struct store *st;
	const struct bounce_knowledge *bounce;
	const struct explain_knowledge *explain;
	const struct outgoing_servers *servers;   /* host name -> our IP */
	const char *default_host;                 /* Exim's logs name no host */
	size_t join_entries;                      /* 0 = MAILLOG_JOIN_DEFAULT */
};

struct maillog_counts {
	unsigned long long lines, malformed, deliveries, stored, duplicates, orphans, evicted;
};

struct maillog_ingest;

/* A new ingester; free with maillog_ingest_free (which flushes). */
enum perr maillog_ingest_new(const struct maillog_env *env, struct maillog_ingest **out);
void maillog_ingest_free(struct maillog_ingest *in);

/* One line (len bytes, a trailing newline allowed). A malformed line is
 * counted and skipped; only a store failure is an error. Writes are
 * grouped in transactions: call maillog_ingest_flush to commit them. */
enum perr maillog_ingest_line(struct maillog_ingest *in, const char *line, size_t len);
enum perr maillog_ingest_flush(struct maillog_ingest *in);
void maillog_ingest_counts(const struct maillog_ingest *in, struct maillog_counts *c);

/* Reads path ("-" = stdin) line by line into in. Without follow it stops
 * at the end of the input; with follow it waits for more, reopens path
 * when it is replaced (another inode: rotation) or shrinks (truncation),
 * and stops when *stop becomes non-zero. PERR_IO when path cannot be
 * opened or read. */
enum perr maillog_read(struct maillog_ingest *in, const char *path, int follow, volatile sig_atomic_t *stop);

/* The whole command: `maillog [--follow] [--host NAME] [FILE|-]` with the
 * knowledge loaded from cfg's data directory; prints a summary line.
 * Returns the exit status (0, 1 failure, 2 usage). */
int maillog_command(const struct config *cfg, struct store *st, int argc, char **argv);

#endif
