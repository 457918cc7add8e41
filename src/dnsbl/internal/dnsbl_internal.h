/* Private to src/dnsbl/: the checker's state and the parts of one check,
 * shared by the files that split the engine by job:
 *   dnsbl.c        public API: checker set-up, the check itself, verdicts
 *   dnsbl_ares.c   the c-ares channel and wait loop (the only ares.h user)
 *   dnsbl_query.c  query names, the batch's query table, answer shapes
 *   dnsbl_judge.c  turning answers into results
 *   dnsbl_health.c RFC 5782 test points and list health
 *   dnsbl_cache.c  the SQLite answer cache glue
 *   dnsbl_json.c   JSON output */
#ifndef PORTAL_DNSBL_INTERNAL_H
#define PORTAL_DNSBL_INTERNAL_H

#include <stdint.h>

#include "core/limits.h"
#include "dnsbl/dnsbl.h"

#define DNS_NAME_MAX 253
#define DNSBL_HEALTH_DEFAULT_S 3600

enum health_state { HEALTH_UNKNOWN = -1, HEALTH_BAD = 0, HEALTH_OK = 1 };

struct health {
	int state;                        /* enum health_state */
	int64_t checked_at;
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
	enum qstat status;
	const char *err;            /* QS_ERROR: static text of the failure */
	struct dnsbl_answer ans;
	int64_t t_done;
};

struct batch {
	struct dnsbl_checker *chk;
	struct query *q;
	size_t nq, cap;
	int pending;
	int cancelling;
	int64_t t0;
};

/* dnsbl_ares.c: creates chk->net pointed at servers ("" = system). Returns
 * PERR_OK, PERR_DNS or PERR_CONFIG (message in errbuf). */
enum perr dnsbl_net_new(struct dnsbl_checker *chk, const char *servers, char *errbuf,
			size_t errlen);
/* Frees chk->net (NULL is fine). */
void dnsbl_net_free(struct dnsbl_net *net);
/* Sends q for ip (the name built by dnsbl_query_name); a name too long for
 * DNS makes q done with QS_ERROR at once. */
void dnsbl_send(struct batch *b, struct query *q, const struct ipaddr *ip);
/* Runs the channel until nothing is pending or deadline (mono ms) passes,
 * then cancels what is left (QS_CANCELLED). */
void dnsbl_wait(struct batch *b, int64_t deadline);
/* Cancels every query in flight (their callbacks run at once). */
void dnsbl_cancel(struct batch *b);

/* dnsbl_query.c */
int64_t dnsbl_mono_ms(void);
/* "127.0.0.2" for a host-order code. */
void dnsbl_code_text(uint32_t c, char *buf, size_t len);
/* 1 for a DQS key that is one DNS label of letters and digits. */
int dnsbl_dqs_key_valid(const char *k);
/* The query name of list l for ip; 0, or -1 when too long for DNS. */
int dnsbl_query_name(const struct dnsbl_checker *chk, const struct dnsbl_list *l,
		     const struct ipaddr *ip, char *buf, size_t len);
/* The next free query of b (zeroed, QS_TIMEOUT), or NULL when b is full. */
struct query *dnsbl_new_query(struct batch *b, enum qkind kind, size_t li);
/* 1 when the answer lists; *refused set when any code is a refusal. */
int dnsbl_answer_listed(const struct dnsbl_list *l, const struct dnsbl_answer *a, int *refused);
/* Called by dnsbl_ares.c when q got its outcome: sends follow-ups (TXT). */
void dnsbl_query_done(struct query *q);

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
/* Turns the batch's test-point answers into health records. */
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

#endif
