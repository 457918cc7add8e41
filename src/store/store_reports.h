/* Reports (check snapshots) and the per-client check rate in the store. */
#ifndef PORTAL_STORE_REPORTS_H
#define PORTAL_STORE_REPORTS_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"

#define REPORT_TOKEN_BYTES 24          /* 192 bits from the OS CSPRNG */
#define REPORT_TOKEN_CHARS 32          /* as unpadded base64url */

/* What one new report stores. Strings may be NULL (stored as NULL). */
struct report_row {
	const char *token;
	long long created;
	const char *source;                /* bounce | ip | link | recheck | api */
	const char *ticket;
	long long previous_id;             /* 0 = none */
	long long user_id;                 /* 0 = anonymous */
	const uint8_t *holder_hash;        /* 32 bytes, or NULL */
	const char *ip;
	int ip_is_ours;
	int blacklist;
	const char *category;
	const char *verdict;
	const char *provider;
	const char *provider_code;
	const char *cause;
	int listed;
	const char *recipient;
	const char *doc;                   /* the report JSON */
	const char *const *zones_named;    /* lists named in the bounce */
	size_t nnamed;
	const char *const *zones_live;     /* lists that listed the IP live */
	size_t nlive;
};

/* Inserts r and its list rows in one transaction; *id gets the row id. */
enum perr store_report_insert(struct store *st, const struct report_row *r, long long *id);

struct report_stored {
	long long id, created, previous_id, user_id;
	int has_holder;
	uint8_t holder_hash[32];
	char ticket[40];
	char ip[64];                                  /* the checked IP, "" when none */
	int ip_is_ours;
	char recipient[512];
	char previous_token[REPORT_TOKEN_CHARS + 1];  /* the snapshot this re-checks */
	char newer_token[REPORT_TOKEN_CHARS + 1];     /* the latest re-check of this one */
	char *doc;                                    /* malloc'd JSON: free() it */
};

/* Loads the report with this token; with want_doc 0 everything but the
 * document (enough to serve a cached page). PERR_NOT_FOUND when there is none. */
enum perr store_report_get(struct store *st, const char *token, int want_doc, struct report_stored *out);

/* The newest report made by a ticket link (source "link") for ip
 * (canonical text) and ticket (NULL = none) created at or after since:
 * a repeated visit of the same link reuses it. PERR_NOT_FOUND when none. */
enum perr store_report_find_link(struct store *st, const char *ip, const char *ticket, long long since,
				  char token[REPORT_TOKEN_CHARS + 1]);

/* One of a user's own reports, for their list. */
struct report_mine {
	char token[REPORT_TOKEN_CHARS + 1];
	long long created;
	char ip[64];          /* "" when none was checked */
	char verdict[32];
	char ticket[64];
};
typedef int (*report_mine_cb)(void *ctx, const struct report_mine *r);

/* The newest `limit` reports user_id made, newest first, each given to
 * cb (a non-zero return stops). */
enum perr store_reports_of_user(struct store *st, long long user_id, int limit, report_mine_cb cb, void *ctx);

/* Frees the calling thread's report compressor (one per thread, kept
 * between reports); a thread that stored reports calls it before it ends. */
void store_reports_thread_end(void);

/* Deletes reports created before `before`; *deleted gets the count. */
enum perr store_report_purge(struct store *st, long long before, long long *deleted);

/* Counts one check by client in minute (unix time / 60) and returns the
 * count so far in *count; old minutes are dropped as it goes. */
enum perr store_check_rate_hit(struct store *st, const char *client, long long minute, unsigned *count);

#endif
