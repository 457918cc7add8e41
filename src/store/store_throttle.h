/* Failure counters with lock-out, kept in the store so every worker sees
 * the same counts (login throttling per account and per client address). */
#ifndef PORTAL_STORE_THROTTLE_H
#define PORTAL_STORE_THROTTLE_H

#include "store.h"

/* *retry_after = seconds key stays locked (0 = not locked). */
enum perr store_throttle_check(struct store *st, const char *key, long long now,
			       long long *retry_after);

/* How failures of one key are answered: the limit-th failure within
 * window_s seconds locks the key for lock_s, and every failure after it
 * for twice as long as the one before, up to max_lock_s (lock_s ==
 * max_lock_s gives a flat lock). A window that has run out starts the
 * count again. */
struct throttle_rule {
	unsigned limit;
	unsigned window_s;
	unsigned lock_s;
	unsigned max_lock_s;
};

/* Counts one failure for key under rule; *retry_after is the lock it
 * caused (0 = none). */
enum perr store_throttle_fail(struct store *st, const char *key, long long now,
			      const struct throttle_rule *rule, long long *retry_after);

/* Forgets key (after a successful login). */
enum perr store_throttle_clear(struct store *st, const char *key);

/* Deletes counters whose window and lock are both over by now. */
enum perr store_throttle_purge(struct store *st, long long now, unsigned window_s, long long *removed);

#endif
