/* Private to src/dnsbl/: the checker's state and the parts of one check,
 * shared by the files that split the engine by job:
 *   dnsbl.c        public API: checker set-up, the check itself, verdicts
 *   dnsbl_ares.c   the c-ares channel and wait loop (the only ares.h user)
 *   dnsbl_query.c  query names, the batch's query table, answer shapes
 *   dnsbl_judge.c  turning answers into results
 *   dnsbl_health.c RFC 5782 test points and list health
 *   dnsbl_cache.c  the SQLite answer cache glue, one lookup per address
 *   dnsbl_live.c   learning from live failures (back-off), query budgets
 *   dnsbl_json.c   JSON output */
#ifndef PORTAL_DNSBL_INTERNAL_H
#define PORTAL_DNSBL_INTERNAL_H

#include <stdint.h>

#include "core/limits.h"
#include "dnsbl/dnsbl.h"

#define DNS_NAME_MAX 253
#define DNSBL_HEALTH_DEFAULT_S 3600
#define DNSBL_INFLIGHT_DEFAULT 64
#define DNSBL_BACKOFF_AFTER_DEFAULT 3
#define DNSBL_BACKOFF_S_DEFAULT 300
#define DNSBL_BACKOFF_MAX_SHIFT 4      /* back-off grows to 16 times the first */
#define DNSBL_BUDGET_STOP_PCT 95       /* stop asking at 95% of a daily budget */
#define DNSBL_COALESCE_POLL_MS 20    /* wait step on another worker's lookup */

enum health_state { HEALTH_UNKNOWN = -1, HEALTH_BAD = 0, HEALTH_OK = 1 };

struct health {
	int state;                        /* enum health_state */
	int64_t checked_at;
	char detail[DNSBL_DETAIL_MAX];
};

/* Live failures of one list and family (memory copy of the store's). */
struct livefail {
	unsigned fails;                   /* consecutive checks without any answer */
	int64_t skip_until;               /* back-off: not asked before (unix s) */
	char detail[DNSBL_DETAIL_MAX];
};

struct dnsbl_net;                     /* the c-ares side (dnsbl_ares.c) */

struct dnsbl_checker {
	const struct dnsbl_catalogue *cat;
	struct dnsbl_net *net;
	size_t nlists;
	const struct dnsbl_list *lists[LIMIT_DNS_LISTS_MAX];
	struct health health[LIMIT_DNS_LISTS_MAX][2];   /* [list][v4, v6] */
	unsigned timeout_ms;
	int allow_reserved;
	char dqs_key[DNSBL_DQS_KEY_MAX];
	unsigned cache_max_s;
	unsigned health_interval_s;
	struct store *store;
	int64_t pruned_at;          /* last cache prune (at most once a minute) */
	unsigned max_inflight;
	unsigned backoff_after, backoff_s;
	int coalesce;
	struct livefail live[LIMIT_DNS_LISTS_MAX][2];
	int64_t budget[LIMIT_DNS_LISTS_MAX];     /* queries a day; 0 = no budget */
	int64_t used[LIMIT_DNS_LISTS_MAX];       /* without a store: today's count */
	int64_t used_day;                        /* the UTC day of used[] */
};

enum qkind { Q_A, Q_TXT, Q_POS, Q_NEG };

/* Outcome of one query, independent of c-ares. */
enum qstat {
	QS_OK,          /* an answer with records */
	QS_NOTFOUND,    /* NXDOMAIN or NODATA */
	QS_TIMEOUT,     /* not answered (yet) */
	QS_CANCELLED,   /* cancelled at the deadline */
	QS_ERROR        /* SERVFAIL, REFUSED, network, bad name: see err */
};

struct batch;

struct query {
	struct batch *b;
	enum qkind kind;
	size_t li;                  /* index into chk->lists */
	int family;                 /* health queries: which family */
	struct dnsbl_result *res;   /* check queries: where the verdict goes */
	struct ipaddr ip;           /* check queries: the address (for TXT) */
	int sent, done;
	int queued;                 /* waits for a free slot (max_inflight) */
	enum qstat status;
	const char *err;            /* QS_ERROR: static text of the failure */
	struct dnsbl_answer ans;
	int64_t t_sent, t_done;
};

struct batch {
	struct dnsbl_checker *chk;
	struct query *q;
	size_t nq, cap;
	int pending;                /* queries not done: in flight or queued */
	int inflight;               /* sent and not answered */
	int cancelling;
	int pumping;                /* dnsbl_pump is running (no re-entry) */
	size_t next_queued;         /* first query that may still be queued */
	int64_t t0;
	/* per list and family: why it is not asked (NULL = asked), and the
	 * outcome of its test points in this round trip (enum health_state) */
	const char *skip[LIMIT_DNS_LISTS_MAX][2];
	int proven[LIMIT_DNS_LISTS_MAX][2];
	int asked[LIMIT_DNS_LISTS_MAX][2];      /* 1 = a check query was sent */
	char skip_text[LIMIT_DNS_LISTS_MAX][2][DNSBL_DETAIL_MAX];
};

/* dnsbl_ares.c: creates chk->net pointed at servers ("" = system). Returns
 * PERR_OK, PERR_DNS or PERR_CONFIG (message in errbuf). */
enum perr dnsbl_net_new(struct dnsbl_checker *chk, const char *servers, char *errbuf,
			size_t errlen);
/* Frees chk->net (NULL is fine). */
void dnsbl_net_free(struct dnsbl_net *net);
/* Sends q for ip (the name built by dnsbl_query_name), or queues it while
 * max_inflight queries are in flight; a name too long for DNS makes q
 * done with QS_ERROR at once. */
void dnsbl_send(struct batch *b, struct query *q, const struct ipaddr *ip);
/* Runs the channel until nothing is pending or deadline (mono ms) passes,
 * then cancels what is left (QS_CANCELLED). */
void dnsbl_wait(struct batch *b, int64_t deadline);
/* Cancels every query in flight (their callbacks run at once). */
void dnsbl_cancel(struct batch *b);

/* Looks up the A and AAAA records of name (no search list), waiting at
 * most timeout_ms; up to max distinct addresses into out (*n). Returns
 * PERR_OK with at least one, PERR_NOT_FOUND when the name has none,
 * PERR_DNS when the resolver failed or did not answer in time. */
enum perr dnsbl_net_resolve(struct dnsbl_net *net, const char *name, unsigned timeout_ms, struct ipaddr *out,
			    size_t max, size_t *n);

/* Sends queued queries while there is room (called as answers arrive). */
void dnsbl_pump(struct batch *b);

/* dnsbl_query.c */
int64_t dnsbl_mono_ms(void);
/* "127.0.0.2" for a host-order code. */
void dnsbl_code_text(uint32_t c, char *buf, size_t len);
/* 1 for a DQS key that is one DNS label of letters and digits. */
int dnsbl_dqs_key_valid(const char *k);
/* The query name of list l for ip; 0, or -1 when too long for DNS. */
int dnsbl_query_name(const struct dnsbl_checker *chk, const struct dnsbl_list *l,
		     const struct ipaddr *ip, char *buf, size_t len);
/* Empties b for chk (no verdicts yet). */
void dnsbl_batch_init(struct batch *b, struct dnsbl_checker *chk);
/* The next free query of b (zeroed, QS_TIMEOUT), or NULL when b is full. */
struct query *dnsbl_new_query(struct batch *b, enum qkind kind, size_t li);
/* 1 when the answer lists; *refused set when any code is a refusal. */
int dnsbl_answer_listed(const struct dnsbl_list *l, const struct dnsbl_answer *a, int *refused);
/* Family of the address q asks about (4 or 6). */
int dnsbl_query_family(const struct query *q);

/* dnsbl_judge.c */
void dnsbl_set_listed(struct dnsbl_result *res);
/* Turns the A query (and its TXT, may be NULL) into res's verdict. */
void dnsbl_judge_check(struct dnsbl_checker *chk, struct query *q, struct query *txt, int64_t t0);
/* Marks a listed/clean res untrusted when list li failed its self-test. */
void dnsbl_apply_health(struct dnsbl_checker *chk, struct dnsbl_result *res, size_t li, int family);

/* dnsbl_health.c */
int dnsbl_fam_index(int family);
/* 1 when list i's health for family is usable without a new test (loads
 * it from the store when memory has nothing fresh). */
int dnsbl_health_fresh(struct dnsbl_checker *chk, size_t i, int family, int64_t now);
/* 1 when list i has test points for family. */
int dnsbl_needs_test(const struct dnsbl_checker *chk, size_t i, int family);
/* Adds and sends the two test-point queries of list i. */
void dnsbl_add_health_queries(struct batch *b, size_t i, int family);
/* Turns the batch's test-point answers into health records and
 * b->proven[][]. */
void dnsbl_record_health(struct batch *b);

/* dnsbl_cache.c */
/* Fills res from the cache; 0 when it did, -1 when there is nothing usable. */
int dnsbl_cache_read(struct dnsbl_checker *chk, struct dnsbl_result *res, const char *ip,
		     int64_t now);
/* 1 when res is a fresh, definite answer worth caching. */
int dnsbl_cacheable(const struct dnsbl_checker *chk, const struct dnsbl_result *res);
/* Stores res (when cacheable) for ip. */
void dnsbl_cache_write(struct dnsbl_checker *chk, const char *ip, const struct dnsbl_result *res,
		       int64_t now);
/* One lookup per address: when another worker is looking up ip right now,
 * waits (until deadline, mono ms) for its marker to go, then returns 0;
 * claims ip for this caller and returns 1 when nobody else has it. */
int dnsbl_coalesce_claim(struct dnsbl_checker *chk, const char *ip, int64_t deadline);
void dnsbl_coalesce_release(struct dnsbl_checker *chk, const char *ip);

/* dnsbl_live.c */
/* Parses "zone=N,..." into chk->budget[]; 0, or -1 with errbuf filled. */
int dnsbl_budgets_parse(struct dnsbl_checker *chk, const char *spec, char *errbuf, size_t errlen);
/* Fills b->skip[][] for lists in back-off or near their budget (nq_per_list:
 * queries one list will need in this batch). */
void dnsbl_live_plan(struct batch *b, int64_t now, size_t nq_per_list);
/* Reads every list's live-failure state (back-off) from the store, for
 * reports of health outside a check. */
void dnsbl_live_load_all(struct dnsbl_checker *chk);
/* After the round trip: counts queries against budgets, and failures
 * (no answer at all) towards back-off. */
void dnsbl_live_record(struct batch *b, int64_t now);
/* Back-off state of list i for family: 1 skipped (detail, *until), else 0. */
int dnsbl_backoff_state(const struct dnsbl_checker *chk, size_t i, int family, char *detail,
			size_t len, int64_t *until);

#endif
