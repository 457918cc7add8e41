/* Failure counters with lock-out, kept in the store so every worker sees
 * the same counts (login throttling per account and per client address). */
#ifndef PORTAL_STORE_THROTTLE_H
#define PORTAL_STORE_THROTTLE_H

#include "store.h"

/* *retry_after = seconds key stays locked (0 = not locked). */
enum perr store_throttle_check(struct store *st, const char *key, long long now,
			       long long *retry_after);

/* Counts one failure for key. Once limit failures fall within window_s
 * seconds the key is locked for lock_s seconds and the count starts over;
 * *retry_after is then lock_s, else 0. */
enum perr store_throttle_fail(struct store *st, const char *key, long long now, unsigned limit,
			      unsigned window_s, unsigned lock_s, long long *retry_after);

/* Forgets key (after a successful login). */
enum perr store_throttle_clear(struct store *st, const char *key);

/* Deletes counters whose window and lock are both over by now. */
enum perr store_throttle_purge(struct store *st, long long now, unsigned window_s, long long *removed);

#endif
