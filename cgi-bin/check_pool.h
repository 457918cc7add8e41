/* Threads of a worker that run the DNS half of web checks (check_pool.c),
 * so that the worker answers other requests while lists are slow. */
#ifndef PORTAL_CHECK_POOL_H
#define PORTAL_CHECK_POOL_H

#include <jansson.h>

#include "check/check.h"

struct app;

/* Prepares a pool of up to app->cfg.check_threads threads (none for 0),
 * started on demand, each with its own store connection and DNSBL
 * checker. Call in the worker, after fork and after the modules are
 * loaded. 0, or -1 when out of memory. */
int check_pool_start(struct app *app);

/* Queues check_finish(in, doc, ip, token) for a thread; the thread then
 * marks the pending row of token done or failed. Takes doc over on
 * PERR_OK. PERR_LIMITED (doc stays the caller's) when there is no pool or
 * its queue is full: the caller runs the check itself. */
enum perr check_pool_submit(struct app *app, const struct check_input *in, json_t *doc, const char *ip,
			    const char *token);

/* Lets the threads finish every queued check, then frees them. */
void check_pool_stop(struct app *app);

#endif
