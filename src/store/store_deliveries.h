/* Refused and deferred deliveries from the mail servers' logs
 * (db/migrations/008_deliveries.sql): what `portalctl maillog` stores,
 * what GET /deliveries shows a customer, and the admin dashboard's
 * refusals by provider and server. */
#ifndef PORTAL_STORE_DELIVERIES_H
#define PORTAL_STORE_DELIVERIES_H

#include <stddef.h>

#include "core/err.h"
#include "store.h"

#define DELIVERY_SERVER_MAX 254
#define DELIVERY_ADDR_MAX   255
#define DELIVERY_RELAY_MAX  301
#define DELIVERY_REPLY_MAX  2048
#define DELIVERY_WORD_MAX   64      /* provider, code, category, verdict, status, dsn */
#define DELIVERY_SENTENCE_MAX 1024

/* One delivery to store. Strings may be NULL only where noted. */
struct delivery_row {
	long long at;
	const char *server;
	const char *server_ip;          /* NULL = not one of site.outgoing_servers */
	const char *queue_id;
	const char *sender;
	long long customer_id;          /* 0 = nobody we host */
	const char *recipient, *relay, *dsn;
	const char *status;             /* bounced | deferred */
	const char *reply;
	const char *provider;           /* "other" when unknown */
	const char *provider_code;      /* NULL when none */
	const char *category, *verdict, *sentence;
	int blacklist;
};

/* Stores r unless the same (server, queue id, recipient, time, status) is
 * there already; *inserted gets 1 or 0. */
enum perr store_delivery_insert(struct store *st, const struct delivery_row *r, int *inserted);

/* The customer hosting domain (lower case), 0 when none. */
enum perr store_domain_customer(struct store *st, const char *domain, long long *customer_id);

/* Deletes deliveries logged before `before`; *removed gets the count. */
enum perr store_delivery_purge(struct store *st, long long before, long long *removed);

/* One stored delivery, as the pages show it. */
struct delivery_view {
	long long id, at, customer_id;
	char customer[128];
	char server[DELIVERY_SERVER_MAX], server_ip[64], sender[DELIVERY_ADDR_MAX], recipient[DELIVERY_ADDR_MAX];
	char relay[DELIVERY_RELAY_MAX], dsn[DELIVERY_WORD_MAX], status[DELIVERY_WORD_MAX];
	char reply[DELIVERY_REPLY_MAX];
	char provider[DELIVERY_WORD_MAX], provider_code[DELIVERY_WORD_MAX], category[DELIVERY_WORD_MAX];
	char verdict[DELIVERY_WORD_MAX], sentence[DELIVERY_SENTENCE_MAX];
	int blacklist;
};

/* Calls cb for the deliveries logged at or after since, newest first,
 * grouped by provider (provider order, then time), at most limit: of
 * customer_id only, or of everyone when customer_id is 0 (admins only:
 * the caller decides). cb returns non-zero to stop. */
typedef int (*delivery_cb)(void *ctx, const struct delivery_view *v);
enum perr store_delivery_list(struct store *st, long long customer_id, long long since, size_t limit,
			      delivery_cb cb, void *ctx);

/* Refusals per provider x server and time bucket (the admin chart). */
struct delivery_bucket {
	char provider[DELIVERY_WORD_MAX];
	char server[DELIVERY_SERVER_MAX];
	long long bucket;               /* start of the bucket, unix time */
	long long messages;
};
typedef int (*delivery_bucket_cb)(void *ctx, const struct delivery_bucket *b);
enum perr store_delivery_buckets(struct store *st, long long since, long long bucket_s,
				 delivery_bucket_cb cb, void *ctx);

/* A provider x server pair's refusals since a time: how many, from how
 * many customers, the first one and the code seen most. */
struct delivery_pair {
	char provider[DELIVERY_WORD_MAX];
	char server[DELIVERY_SERVER_MAX];
	char code[DELIVERY_WORD_MAX];   /* most frequent provider code, "" when none */
	long long first, messages, customers;
	long long before;               /* refusals of the pair in the baseline window */
};
typedef int (*delivery_pair_cb)(void *ctx, const struct delivery_pair *p);
/* Pairs refused at or after since (bounced, or blacklist verdicts), with
 * their count in [base_since, since) in before; most messages first. */
enum perr store_delivery_pairs(struct store *st, long long base_since, long long since,
			       delivery_pair_cb cb, void *ctx);

#endif
