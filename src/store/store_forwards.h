/* Domains, mailboxes, forwards and their audit log in the store. Every
 * function that a customer's request reaches takes the customer's id and
 * scopes its query by it: a forward of another customer is PERR_NOT_FOUND,
 * exactly like one that does not exist. */
#ifndef PORTAL_STORE_FORWARDS_H
#define PORTAL_STORE_FORWARDS_H

#include <stddef.h>

#include "accounts/forwards_import.h"
#include "store.h"

struct isp_catalogue;

#define FWD_CUSTOMER_MAX 128
#define FWD_AUDIT_DETAIL_MAX 600

/* One forward (mailbox -> destination) with its owner. */
struct fwd_row {
	long long id;                          /* forward id (the toggle route's <id>) */
	long long mailbox_id;
	long long customer_id;
	char customer[FWD_CUSTOMER_MAX];
	char address[FWD_ADDR_MAX + 1];        /* the mailbox */
	char destination[FWD_ADDR_MAX + 1];
	int active;
	int keep_copy;                         /* the mailbox keeps its own copy */
	long long changed;                     /* unix time of the last change */
};

/* Who makes a change, for the audit log. */
struct fwd_actor {
	long long user_id;                     /* 0 = not a portal user (CLI) */
	const char *login;                     /* or "portalctl" */
	const char *client;                    /* client address, or "cli" */
};

struct fwd_audit_row {
	long long at;
	char actor[72];
	char action[8];                        /* "on", "off", "import" */
	char detail[FWD_AUDIT_DETAIL_MAX];
	char client[64];
};

struct fwd_import_stats {
	size_t entries;                        /* keys in the file */
	size_t mailboxes_added;
	size_t forwards_added;
	size_t forwards_kept;                  /* already there: state left as it was */
};

/* Callbacks return 0 to go on, non-zero to stop. */
typedef int (*fwd_row_cb)(void *ctx, const struct fwd_row *row);
typedef int (*fwd_audit_cb)(void *ctx, const struct fwd_audit_row *row);

/* Adds domain (lower-cased, validated) for customer_id. PERR_OK also when
 * the customer already owns it; PERR_DENIED when another customer does;
 * PERR_INVALID for a malformed name. *id may be NULL. */
enum perr store_domain_add(struct store *st, const char *domain, long long customer_id, long long *id);

/* The owner of a domain. PERR_NOT_FOUND when it is not hosted here. */
enum perr store_domain_owner(struct store *st, const char *domain, long long *customer_id,
			     long long *domain_id);

/* Every forward of customer_id (0 = of every customer, for the CLI and
 * admins), ordered by mailbox then destination. */
enum perr store_forwards_list(struct store *st, long long customer_id, fwd_row_cb cb, void *ctx);

/* One forward of customer_id; PERR_NOT_FOUND when absent or not theirs. */
enum perr store_forward_get(struct store *st, long long customer_id, long long forward_id,
			    struct fwd_row *out);

/* Turns a forward of customer_id on (active = 1) or off (0) and writes the
 * audit line, in one transaction. A forward already in that state is left
 * alone and nothing is logged (*changed = 0). PERR_NOT_FOUND when absent or
 * not theirs. out and changed may be NULL. */
enum perr store_forward_set_active(struct store *st, long long customer_id, long long forward_id,
				   int active, const struct fwd_actor *who, struct fwd_row *out,
				   int *changed);

/* Imports a parsed virtual map in one transaction: every key's domain must
 * be hosted here (its owner becomes the mailbox's customer); mailboxes and
 * forwards are added, forwards already present keep their on/off state.
 * On any error nothing is written and *err names the line. */
enum perr store_forwards_import(struct store *st, const struct fwd_map *map,
				const struct fwd_actor *who, struct fwd_import_stats *stats,
				struct fwd_error *err);

/* The newest audit lines of customer_id (0 = all), at most limit. */
enum perr store_audit_list(struct store *st, long long customer_id, size_t limit,
			   fwd_audit_cb cb, void *ctx);

/* Counts customer_id's forwards whose destination is received by
 * provider_id's servers (see isp_received_by): for the report page's
 * "you forward to the provider that bounced you" notice. */
enum perr store_forwards_to_provider(struct store *st, const struct isp_catalogue *isp,
				     long long customer_id, const char *provider_id,
				     size_t *active, size_t *total);

/* Deletes audit lines older than before (unix time). */
enum perr store_audit_purge(struct store *st, long long before, long long *removed);

#endif
