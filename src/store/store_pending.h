/* Checks in progress (db/migrations/009_pending_checks.sql): the report's
 * token exists before its report does, so its page can say "checking" and
 * refresh itself; and the same submission made twice within a few seconds
 * is answered with the first one's token. */
#ifndef PORTAL_STORE_PENDING_H
#define PORTAL_STORE_PENDING_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"
#include "store/store_reports.h"

#define PENDING_ZONES_MAX 2048   /* bytes of the comma-separated zone list */
#define PENDING_KEEP_S    3600   /* rows older than this are deleted */

struct pending_check {
	char token[REPORT_TOKEN_CHARS + 1];
	long long created;
	char ip[64];                    /* "" when the bounce named none */
	char zones[PENDING_ZONES_MAX];  /* the lists being asked */
	char state[16];                 /* checking | done | failed */
};

/* Records a check that has started under p->token, made by who-and-what
 * key (32 bytes). Deletes rows older than PENDING_KEEP_S first. A start
 * with the same key at or after since makes it PERR_LIMITED (the same
 * submission, sent twice at once: store_pending_find() names the first). */
enum perr store_pending_start(struct store *st, const struct pending_check *p, const uint8_t key[32],
			      long long since);

/* The token of a check started at or after since with the same key
 * (PERR_NOT_FOUND when none): the same submission made again. */
enum perr store_pending_find(struct store *st, const uint8_t key[32], long long since,
			     char token[REPORT_TOKEN_CHARS + 1]);

/* The pending row of token, or PERR_NOT_FOUND. */
enum perr store_pending_get(struct store *st, const char *token, struct pending_check *out);

/* Marks token's check done (its report is stored) or failed. */
enum perr store_pending_end(struct store *st, const char *token, int failed);

#endif
