/* The web side of a check (src/check/check.h does the work): the
 * worker's handles and settings as the check's environment, the visitor
 * as its maker (logged-in user, or the "holder" cookie), the per-client
 * rate limit. Used by the form, the ticket link, the re-check button and
 * the JSON API. */
#ifndef PORTAL_CHECK_WEB_H
#define PORTAL_CHECK_WEB_H

#include "check/check.h"

struct request;

/* Runs in (its maker filled in from the visitor) and stores it; queues the
 * holder cookie for an anonymous visitor who has none, once the report is
 * stored. Same results as check_run(). */
/* What a check needs from the worker: its knowledge and settings, with
 * the store connection and DNS checker of whoever runs it (the request's,
 * or a check thread's own). */
struct app;
struct check_env check_web_env(const struct app *app, struct store *store, struct dnsbl_checker *dnsbl);

enum perr check_web_run(struct request *req, struct check_input *in, json_t **doc,
			char token[REPORT_TOKEN_CHARS + 1]);

/* A form sent again by the same visitor within this many seconds gets
 * the first one's report. */
#define CHECK_SAME_SUBMISSION_S 10

/* Starts in (its maker filled in from the visitor) without waiting for
 * DNS: analyses it, records it as pending under a new token, and hands
 * the lookups to a check thread (or, when none is free, runs them here).
 * The report page shows "checking" until the report is stored under
 * token. The same submission within CHECK_SAME_SUBMISSION_S gives the
 * same token and starts nothing. PERR_TOO_LARGE as check_run(). */
enum perr check_web_start(struct request *req, struct check_input *in, char token[REPORT_TOKEN_CHARS + 1]);

/* Applies checks.per_minute for this client. Returns 0 when allowed, else
 * the seconds until the next minute (for Retry-After). */
int check_web_rate_limited(struct request *req);

/* 1 when the visitor holds the report (made it, logged in or by cookie). */
int check_web_is_holder(struct request *req, const struct report_stored *r);

#endif
