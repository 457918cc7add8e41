/* What the admin dashboard reads from the store: submissions per day and
 * the top tables (from the report_stats rollup of 005_monitor.sql, so a
 * dashboard reads a few thousand rows whatever the number of reports),
 * the filtered submissions list and its CSV export (driven by the reports
 * indexes of 003_reports.sql), and the forwards turned off after a report.
 *
 * Days are UTC day numbers (unix time / 86400), as in reports.day. */
#ifndef PORTAL_STORE_ADMIN_H
#define PORTAL_STORE_ADMIN_H

#include <stddef.h>

#include "core/err.h"
#include "store.h"

#define ADMIN_KEY_MAX 254          /* zone names, IPs, provider ids */
#define ADMIN_SUB_MAX 64           /* provider codes */
#define ADMIN_TOKEN_MAX 64

/* The dimensions of the top tables. */
enum admin_dim {
	ADMIN_DIM_IP,                  /* key = sending IP */
	ADMIN_DIM_LIST,                /* key = zone */
	ADMIN_DIM_PROVIDER,            /* key = provider id, sub = provider code ("" = none) */
	ADMIN_DIM_CAUSE,               /* key = cause id */
	ADMIN_DIM__MAX
};

/* "ip", "list", "provider", "cause" (the rollup's dim names). */
const char *admin_dim_str(enum admin_dim d);

/* The chart's series: verdicts grouped for people. */
enum admin_series {
	ADMIN_SERIES_BLACKLIST,        /* verdict blacklist or listed */
	ADMIN_SERIES_REPUTATION,       /* verdict reputation */
	ADMIN_SERIES_NOT_BLACKLIST,    /* verdict not_blacklist */
	ADMIN_SERIES_OTHER,            /* clean, unknown, anything else */
	ADMIN_SERIES__MAX
};

/* The series a report verdict belongs to. */
enum admin_series admin_series_of(const char *verdict);

/* Per-day counts of days [first_day, last_day]: counts[(day - first_day)
 * * ADMIN_SERIES__MAX + series] += n. counts must hold (last_day -
 * first_day + 1) * ADMIN_SERIES__MAX entries, zeroed by the caller. */
enum perr store_admin_per_day(struct store *st, long long first_day, long long last_day,
			      long long *counts);

struct admin_top_row {
	char key[ADMIN_KEY_MAX + 1];
	char sub[ADMIN_SUB_MAX + 1];
	long long n;
	char latest_token[ADMIN_TOKEN_MAX];   /* newest report in the range ("" if gone) */
	long long latest_created;
};

typedef int (*admin_top_cb)(void *ctx, const struct admin_top_row *row);

/* The limit most frequent keys of dim in [first_day, last_day], most
 * frequent first, each with its newest report in the range. */
enum perr store_admin_top(struct store *st, enum admin_dim dim, long long first_day,
			  long long last_day, size_t limit, admin_top_cb cb, void *ctx);

/* A filter of the submissions list: NULL strings match anything. The
 * time range is [from, to) in unix seconds. cause "none" is an ordinary
 * value, as the report code stores it. */
struct admin_filter {
	const char *ip;                /* canonical text */
	const char *list;              /* zone, lower case */
	const char *provider;
	const char *code;              /* provider code */
	const char *cause;
	const char *ticket;            /* support ticket, any case; leads the query when given */
	long long from, to;
};

struct admin_submission {
	long long id, created;
	char token[ADMIN_TOKEN_MAX];
	char source[16];
	char ticket[48];
	char ip[48];
	int ip_is_ours;
	char verdict[24];
	char category[24];
	char provider[ADMIN_SUB_MAX + 1];
	char code[ADMIN_SUB_MAX + 1];
	char cause[24];
	int listed;                    /* lists that listed the IP live */
	char lists[1024];              /* zones involved, space separated */
};

typedef int (*admin_submission_cb)(void *ctx, const struct admin_submission *s);

/* The submissions matching f, newest first: limit rows (-1 = all) after
 * skipping offset. The callback returns non-zero to stop. */
enum perr store_admin_submissions(struct store *st, const struct admin_filter *f,
				  long long offset, long long limit, admin_submission_cb cb, void *ctx);

/* How many submissions match f, counting at most cap (*n = cap then means
 * "cap or more"). With at most one of ip, list, provider (+ code), cause
 * and a range of whole UTC days (and no ticket), the count is exact
 * whatever its size: it comes from the rollup. */
/* The list key submissions were counted under that equals typed ignoring
 * case ("cloudmark csi" -> "Cloudmark CSI", a name a bounce gave), into
 * out. PERR_NOT_FOUND when no submission ever named such a list. */
enum perr store_admin_list_key(struct store *st, const char *typed, char *out, size_t outlen);

enum perr store_admin_count(struct store *st, const struct admin_filter *f, long long cap,
			    long long *n);

/* Submissions of one key of dim (sub = provider code, NULL = any) on the
 * days of [from, to), from the rollup. dim ADMIN_DIM__MAX = all. */
enum perr store_admin_key_count(struct store *st, enum admin_dim dim, const char *key,
				const char *sub, long long from, long long to, long long *n);

/* One forward turned off (audit action "off") since a given time, with
 * whether a report by one of the same customer's users came first. */
struct admin_turned_off {
	long long forward_id;          /* 0 when the forward was deleted since */
	char destination[256];         /* "" when deleted */
	long long at;
	int after_report;              /* a report by the customer within the window before */
	int after_selfreport;          /* ... whose likely cause was self-reporting */
};

typedef int (*admin_turned_off_cb)(void *ctx, const struct admin_turned_off *t);

/* Every forward turned off at or after since (each forward once, its
 * latest switch-off), with report links over the window_s seconds before
 * the switch-off. */
enum perr store_admin_turned_off(struct store *st, long long since, long long window_s,
				 admin_turned_off_cb cb, void *ctx);

/* The queries of the dashboard and the submissions list, for checking
 * their plans (tests, bench). */
enum admin_query {
	ADMIN_Q_PER_DAY,
	ADMIN_Q_TOP,
	ADMIN_Q_LATEST_IP,
	ADMIN_Q_LATEST_LIST,
	ADMIN_Q_LATEST_PROVIDER,
	ADMIN_Q_LATEST_PROVIDER_NOCODE,
	ADMIN_Q_LATEST_CAUSE,
	ADMIN_Q_ROWS_ALL,
	ADMIN_Q_ROWS_IP,
	ADMIN_Q_ROWS_LIST,
	ADMIN_Q_ROWS_PROVIDER,
	ADMIN_Q_ROWS_PROVIDER_CODE,
	ADMIN_Q_ROWS_CAUSE,
	ADMIN_Q_COUNT_ALL,
	ADMIN_Q_COUNT_IP,
	ADMIN_Q_COUNT_LIST,
	ADMIN_Q_COUNT_PROVIDER,
	ADMIN_Q_COUNT_PROVIDER_CODE,
	ADMIN_Q_COUNT_CAUSE,
	ADMIN_Q_ROWS_TICKET,
	ADMIN_Q_LIST_KEY,
	ADMIN_Q_COUNT_TICKET,
	ADMIN_Q_TURNED_OFF,
	ADMIN_Q_KEY_COUNT,
	ADMIN_Q_KEY_COUNT_SUB,
	ADMIN_Q_ALL_COUNT,
	ADMIN_Q__MAX
};

/* Writes the EXPLAIN QUERY PLAN of query q, one step per line, into buf. */
enum perr store_admin_plan(struct store *st, enum admin_query q, char *buf, size_t len);

#endif
