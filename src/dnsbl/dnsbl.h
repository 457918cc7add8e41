/* The DNSBL checker: checks an address against every configured block list
 * at once (one c-ares channel, all queries in flight together), within a
 * total deadline, and never says "not listed" when it does not know.
 *
 * Use, per process / worker:
 *
 *   struct dnsbl_catalogue *cat;            once per process
 *   dnsbl_catalogue_load(path, &cat, err, sizeof err);     (knowledge_dnsbl.h)
 *
 *   struct dnsbl_options o;                 once per worker
 *   dnsbl_options_from_config(&o, &cfg, store);            (store may be NULL)
 *   struct dnsbl_checker *chk;
 *   dnsbl_checker_new(cat, &o, &chk, err, sizeof err);
 *
 *   struct dnsbl_report *r;                 per check
 *   if (dnsbl_check(chk, "203.0.113.7", 0, &r) == PERR_OK) {
 *       json_t *a = dnsbl_results_to_json(r);   blcheck's "results" array
 *       ...
 *       dnsbl_report_free(r);
 *   }
 *
 *   dnsbl_checker_free(chk); dnsbl_catalogue_free(cat);
 *
 * Statuses (stable, used in JSON): listed, clean (NXDOMAIN/NODATA),
 * timeout (no answer by the deadline), error (SERVFAIL, REFUSED, network),
 * refused (the list answered with an error code such as Spamhaus
 * 127.255.255.254, or with an address outside 127.0.0.0/8), untrusted
 * (the answer was listed/clean but the list fails its RFC 5782 self-test:
 * it lists everything, nothing, or answers errors), skipped (not asked:
 * the list is in back-off after failing dns.backoff_after checks in a row,
 * or its daily query budget from dns.budgets is nearly used).
 *
 * Health: each list is proven with its test points (127.0.0.2 listed,
 * 127.0.0.1 not; ::ffff:7f00:2 / ::ffff:7f00:1 for IPv6 lists). Whenever
 * a check asks a list, its test queries are sent in the same round trip,
 * so a list that turned bad is caught by the very check that would use
 * it; lists not asked are re-tested when their health is older than
 * health_interval_s. The outcome is recorded (in the store when there is
 * one, else in memory). Answers are cached only from a list that passed
 * its test in the same round trip.
 *
 * Politeness: at most max_inflight queries are in flight at once (the
 * rest wait in a queue), SERVFAIL and REFUSED are not re-sent, A and TXT
 * are asked together, and per-list daily query counts are kept (in the
 * store) against the budgets of dns.budgets.
 *
 * Spamhaus DQS: with a dqs_key, lists that have a dqs_zone in the
 * catalogue are queried as <ip>.<key>.<dqs_zone>. The key never appears in
 * results, JSON or logs (TXT answers are scrubbed of it too).
 *
 * Only dnsbl_ares.c includes ares.h. Not thread-safe: one checker per thread. */
#ifndef PORTAL_DNSBL_H
#define PORTAL_DNSBL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsbl_answer.h"
#include "core/err.h"
#include "core/ipaddr.h"
#include "knowledge_dnsbl.h"

struct config;
struct store;

enum dnsbl_status {
	DNSBL_LISTED = 0,
	DNSBL_CLEAN,
	DNSBL_TIMEOUT,
	DNSBL_ERROR,
	DNSBL_REFUSED,
	DNSBL_UNTRUSTED,
	DNSBL_SKIPPED,
	DNSBL_STATUS__MAX
};

/* "listed", "clean", "timeout", "error", "refused", "untrusted", "skipped". */
const char *dnsbl_status_str(enum dnsbl_status s);

/* Flags of dnsbl_check(). */
#define DNSBL_F_NOCACHE 0x1   /* re-check: do not read the cache (still write it) */

#define DNSBL_DQS_KEY_MAX 64
#define DNSBL_MEANING_MAX 768
#define DNSBL_DETAIL_MAX 192

struct dnsbl_options {
	const char *servers;          /* "host:port,..."; NULL/"" = system resolver */
	unsigned timeout_ms;          /* total deadline of one check; 0 = default */
	const char *lists;            /* zones, comma/space separated; NULL/"" = catalogue defaults */
	int allow_reserved;           /* 1 = also query documentation/private addresses */
	const char *dqs_key;          /* Spamhaus DQS key or NULL; copied, never logged */
	unsigned cache_max_s;         /* upper bound of cached answers' life; 0 = no cache */
	unsigned health_interval_s;   /* re-test lists older than this; 0 = default (3600) */
	struct store *store;          /* cache + health; NULL = no cache, health in memory */
	unsigned max_inflight;        /* queries in flight at once; 0 = default (64) */
	unsigned backoff_after;       /* failing checks in a row before back-off; 0 = default (3) */
	unsigned backoff_s;           /* first back-off period; 0 = default (300), doubles */
	const char *budgets;          /* "zone=N,zone=N": daily query budgets; NULL/"" = none */
	int coalesce;                 /* 1 = wait for another worker's lookup of the same IP */
};

/* Fills o from the portal configuration (dns.* keys) and the store. The
 * strings point into cfg, which must outlive the checker's creation. */
void dnsbl_options_from_config(struct dnsbl_options *o, const struct config *cfg,
			       struct store *st);

/* One list's answer for one address. Strings are always NUL-terminated
 * ("" when absent). */
struct dnsbl_result {
	const struct dnsbl_list *list;  /* catalogue entry: zone, name, duration,
	                                   self_service, lookup_url, ... */
	enum dnsbl_status status;
	size_t ncodes;
	uint32_t codes[DNSBL_ANSWER_A_MAX];  /* A answers, host order (127.0.0.x) */
	char meaning[DNSBL_MEANING_MAX];     /* decoded codes, or why there is no verdict */
	enum dnsbl_severity severity;        /* DNSBL_SEV_NONE unless listed */
	int policy;                          /* a policy listing, not a spam verdict */
	int self_service;                    /* the listed party can delist itself (for
	                                        a listing: every listed code allows it) */
	char txt[DNSBL_TXT_MAX];             /* the list's TXT reason (listed only) */
	unsigned ttl;                        /* seconds the answer stays valid */
	unsigned ms;                         /* time to the answer; 0 from cache */
	int cached;                          /* 1 = from the SQLite cache */
	char delist_url[DNSBL_URL_MAX];      /* from the catalogue pattern */
	char lookup_url[DNSBL_URL_MAX];
};

struct dnsbl_report {
	char ip[IPADDR_STR_LEN];        /* canonical text of the checked address */
	int family;                     /* 4 or 6 */
	enum ipaddr_class ip_class;
	int sent;                       /* 0 = nothing was sent (see note) */
	char note[256];                 /* e.g. "documentation address: not sent to
	                                   public lists"; "" when none */
	unsigned ms;                    /* wall time of the whole check */
	size_t n;
	struct dnsbl_result *results;   /* n entries, in catalogue order */
};

struct dnsbl_checker;

/* Creates a checker: one c-ares channel pointed at o->servers, the list
 * set resolved against the catalogue (unknown, dead or duplicate zones and
 * an empty set fail with PERR_CONFIG and a message in errbuf). cat must
 * outlive the checker. Free with dnsbl_checker_free(). */
enum perr dnsbl_checker_new(const struct dnsbl_catalogue *cat, const struct dnsbl_options *o,
			    struct dnsbl_checker **out, char *errbuf, size_t errlen);
void dnsbl_checker_free(struct dnsbl_checker *chk);

/* The lists this checker queries, in order. */
size_t dnsbl_checker_lists(const struct dnsbl_checker *chk, const struct dnsbl_list *const **lists);

/* Checks one address (text, strict: see ipaddr_parse). Returns PERR_OK with
 * a report (free with dnsbl_report_free), PERR_INVALID for an address that
 * does not parse (nothing is sent), PERR_NOMEM. The call returns by the
 * deadline whatever the servers do. */
enum perr dnsbl_check(struct dnsbl_checker *chk, const char *ip, unsigned flags,
		      struct dnsbl_report **out);

/* Checks n addresses at once, all sharing one deadline (the CLI batches
 * stdin this way). out[i] is NULL where ips[i] is invalid. Returns PERR_OK
 * or PERR_NOMEM. */
enum perr dnsbl_check_many(struct dnsbl_checker *chk, const char *const *ips, size_t n,
			   unsigned flags, struct dnsbl_report **out);

void dnsbl_report_free(struct dnsbl_report *r);

#define DNSBL_HOST_ADDRS_MAX 8   /* addresses of one host name kept */

/* The addresses of a host name a customer typed ("mail.example.com"):
 * its A and AAAA records through the checker's resolver (dns.servers),
 * within the checker's deadline; canonical text into addrs (up to max).
 * Returns PERR_OK with *n >= 1, PERR_NOT_FOUND when the name has none,
 * PERR_DNS when the resolver failed or was silent, PERR_INVALID for text
 * that is not a host name (nothing is sent). */
enum perr dnsbl_resolve_host(struct dnsbl_checker *chk, const char *name, char addrs[][IPADDR_STR_LEN],
			     size_t max, size_t *n);

/* Runs the RFC 5782 test points of every configured list (IPv4, and IPv6
 * where the list has it), all at once within the deadline, and records
 * the outcome. Lists that did not answer in time keep their old health.
 * Also reads the back-off state, so that dnsbl_health_to_json() says
 * "skipped" for a list that live checks stopped asking. */
enum perr dnsbl_health_refresh(struct dnsbl_checker *chk);

/* Health of configured list i for family 4 or 6: 1 ok, 0 untrusted,
 * -1 unknown. detail (may be NULL) gets why it failed; *checked_at the
 * unix time of the test (0 when unknown). */
int dnsbl_health(const struct dnsbl_checker *chk, size_t i, int family,
		 char *detail, size_t detaillen, int64_t *checked_at);

/* blcheck's "results" array: one object per list with zone, status, codes
 * (["127.0.0.2", ...]), meaning, txt, ttl, ms, delist_url, and also name,
 * severity, policy, cached, lookup_url, duration, self_service. NULL on
 * allocation failure. */
json_t *dnsbl_results_to_json(const struct dnsbl_report *r);

/* {"ip": ..., "results": [...]} plus "note" when the report has one. */
json_t *dnsbl_report_to_json(const struct dnsbl_report *r);

/* Health of every configured list as a JSON array of {zone, family,
 * status ("ok"|"untrusted"|"unknown"), detail, checked_at}. */
json_t *dnsbl_health_to_json(const struct dnsbl_checker *chk);

/* Overall verdict helpers for CLIs and pages: 1 when any result is
 * listed; 1 when every result is clean (and something was checked). */
int dnsbl_report_listed(const struct dnsbl_report *r);
int dnsbl_report_all_clean(const struct dnsbl_report *r);

#endif
