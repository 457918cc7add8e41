/* Monitoring of the host's own outgoing mail servers (site.outgoing_ips):
 * one run checks every address against every configured list at once,
 * with a fresh query (never the cache), and records listing and
 * delisting events in the store (store_monitor.h). `portalctl monitor`
 * runs it from cron or the systemd timer in conf/systemd/. */
#ifndef PORTAL_MONITOR_H
#define PORTAL_MONITOR_H

#include <stddef.h>

#include "core/err.h"
#include "store/store_monitor.h"

struct dnsbl_checker;
struct store;

#define MONITOR_IPS_MAX 256        /* addresses in site.outgoing_ips */

/* What one run saw for one address and list, for the caller's output.
 * Strings are valid during the callback only. */
struct monitor_change {
	const char *ip;
	const char *zone;
	const char *list_name;         /* the catalogue's display name */
	const char *status;            /* dnsbl_status_str() */
	enum monitor_event event;
	long long since;               /* listing start (listed, still listed, cleared) */
	const char *codes;             /* listed only */
	const char *txt;
	const char *meaning;           /* decoded codes, or why there is no verdict */
	const char *duration;          /* how long such listings usually last */
};

typedef void (*monitor_change_cb)(void *ctx, const struct monitor_change *c);

struct monitor_summary {
	int ips;                       /* valid addresses checked */
	int lists;                     /* lists per address */
	int listed;                    /* open listings after the run */
	int opened, cleared;           /* events of this run */
	int unknown;                   /* address/list pairs without a verdict */
	int unsent;                    /* addresses not sent (reserved ranges) */
	char status[MONITOR_STATUS_MAX];   /* clean | listed | incomplete */
};

/* Splits a comma/space separated address list into canonical texts
 * (ips[i] has MONITOR_IP_MAX bytes). Returns PERR_INVALID with *bad
 * pointing at a static copy of the offending word (cut to 60 bytes) when
 * one does not parse, PERR_TOO_LARGE past max, PERR_OK otherwise. */
enum perr monitor_parse_ips(const char *list, char (*ips)[MONITOR_IP_MAX], size_t max,
			    size_t *n, const char **bad);

/* One run at time now: checks ips with chk, records every answer and the
 * run in one transaction, calls cb (may be NULL) for every address/list
 * pair whose answer is not "clean without change", and fills *sum. */
enum perr monitor_run(struct store *st, struct dnsbl_checker *chk, const char *const *ips,
		      size_t n, long long now, monitor_change_cb cb, void *ctx,
		      struct monitor_summary *sum);

#endif
