/* Monitoring records of the host's own outgoing servers
 * (db/migrations/005_monitor.sql): listings with the time they were first
 * and last seen and when they cleared, the last answer of every list for
 * every address, and one line per run of `portalctl monitor`.
 *
 * A listing opens when a list answers "listed" and no listing of that
 * address on that list is open; it clears at the first run in which the
 * list answers "not listed". Any other answer (timeout, error, refused,
 * untrusted) changes nothing: not knowing is not "delisted". */
#ifndef PORTAL_STORE_MONITOR_H
#define PORTAL_STORE_MONITOR_H

#include <stddef.h>

#include "core/err.h"
#include "store.h"

#define MONITOR_IP_MAX 46          /* canonical IPv4/IPv6 text + NUL */
#define MONITOR_ZONE_MAX 160
#define MONITOR_STATUS_MAX 16
#define MONITOR_CODES_MAX 272
#define MONITOR_TXT_MAX 512

/* One listing of one of our addresses on one list. */
struct monitor_listing {
	long long id;
	char ip[MONITOR_IP_MAX];
	char zone[MONITOR_ZONE_MAX];
	long long since;           /* unix time of the first run that saw it */
	long long last_seen;       /* the last run that saw it listed */
	long long cleared;         /* the run that saw it gone; 0 = still listed */
	char codes[MONITOR_CODES_MAX];   /* "127.0.0.2,127.0.0.4" */
	char txt[MONITOR_TXT_MAX];       /* the list's TXT reason */
};

/* One list's answer for one address, as a run records it. */
struct monitor_answer {
	const char *ip;            /* canonical text */
	const char *zone;
	const char *status;        /* dnsbl_status_str(): listed, clean, timeout, ... */
	const char *codes;         /* listed only; may be NULL */
	const char *txt;           /* listed only; may be NULL */
};

enum monitor_event {
	MONITOR_NO_CHANGE = 0,
	MONITOR_LISTED,            /* a new listing opened */
	MONITOR_STILL_LISTED,      /* an open listing seen again */
	MONITOR_CLEARED,           /* an open listing closed */
};

/* One run of portalctl monitor. */
struct monitor_run {
	long long started, finished;
	int ips, lists, listed, unknown;
	char status[MONITOR_STATUS_MAX];   /* clean | listed | incomplete */
};

/* The last answer of one list for one address. */
struct monitor_status_row {
	char ip[MONITOR_IP_MAX];
	char zone[MONITOR_ZONE_MAX];
	char status[MONITOR_STATUS_MAX];
	long long checked_at;
};

typedef int (*monitor_listing_cb)(void *ctx, const struct monitor_listing *l);
typedef int (*monitor_status_cb)(void *ctx, const struct monitor_status_row *s);

/* Records answer a at time now: opens, refreshes or clears the listing and
 * stores the answer as the pair's current status. *event says what
 * happened; *since (may be NULL) gets the listing's start time for
 * MONITOR_STILL_LISTED and MONITOR_CLEARED. Call inside store_begin /
 * store_commit to record a whole run at once. */
enum perr store_monitor_record(struct store *st, long long now, const struct monitor_answer *a,
			       enum monitor_event *event, long long *since);

/* Appends one run line. */
enum perr store_monitor_run_add(struct store *st, const struct monitor_run *r);

/* The newest run. PERR_NOT_FOUND when monitoring never ran. */
enum perr store_monitor_last_run(struct store *st, struct monitor_run *out);

/* The report page's hook: the open listings of ip (canonical text; NULL =
 * of every address), oldest first. Fills at most max entries of out and
 * sets *n to how many it filled. An address that is not ours, or is not
 * listed, gives *n = 0 and PERR_OK. */
enum perr store_monitor_current(struct store *st, const char *ip, struct monitor_listing *out,
				size_t max, size_t *n);

/* Listings (open and cleared) of ip (NULL = every address), newest first,
 * at most limit. The callback returns non-zero to stop. */
enum perr store_monitor_history(struct store *st, const char *ip, size_t limit,
				monitor_listing_cb cb, void *ctx);

/* The current status of every list for ip (NULL = every address), by
 * address then zone. */
enum perr store_monitor_status(struct store *st, const char *ip, monitor_status_cb cb, void *ctx);

#endif
