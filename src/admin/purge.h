/* `portalctl purge`: retention, as a table of steps. Each step deletes what
 * is past its retention and reports how many rows went. Add a step by
 * adding one entry to purge_steps[] in purge.c (reports retention, ...). */
#ifndef PORTAL_PURGE_H
#define PORTAL_PURGE_H

#include <stddef.h>

#include "core/config.h"
#include "store/store.h"

struct purge_step {
	const char *name;            /* "sessions", "audit", ... */
	enum perr (*run)(struct store *st, const struct config *cfg, long long now, long long *removed);
};

extern const struct purge_step purge_steps[];   /* ended by { NULL, NULL } */

/* Runs every step in order, calling report (may be NULL) after each one.
 * Stops at the first failing step and returns its error. */
enum perr purge_run(struct store *st, const struct config *cfg, long long now,
		    void (*report)(void *ctx, const char *step, long long removed), void *ctx);

#endif
