/* Running a check: analyse the bounce, check the IP on every list, explain,
 * store the snapshot as a report with an unguessable token. Used by the
 * form, the ticket link, the re-check button and the JSON API. */
#ifndef PORTAL_CHECK_H
#define PORTAL_CHECK_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"
#include "store/store_reports.h"

struct request;

struct check_input {
	const char *bounce;        /* pasted bounce, or NULL */
	size_t bounce_len;
	const char *ip;            /* validated IP the customer typed, or NULL */
	const char *ticket;        /* validated ticket reference, or NULL */
	const char *source;        /* bounce | ip | link | recheck | api */
	json_t *analysis;          /* re-check: the earlier report (analysis reused), or NULL */
	long long previous_id;     /* re-check: the earlier report's id */
	unsigned dns_flags;        /* DNSBL_F_NOCACHE for a re-check */
};

/* Runs the check and stores it. On PERR_OK *doc is the report JSON (new
 * reference, includes token, created, ticket; recipient removed) and
 * token holds the report's token. */
enum perr check_run(struct request *req, const struct check_input *in, json_t **doc,
		    char token[REPORT_TOKEN_CHARS + 1]);

/* Applies checks.per_minute for this client. Returns 0 when allowed, else
 * the seconds until the next minute (for Retry-After). */
int check_rate_limited(struct request *req);

/* 1 when the visitor holds the report (made it, logged in or by cookie). */
int check_is_holder(struct request *req, const struct report_stored *r);

/* 1 when ip (any text form) is one of site.outgoing_ips. */
int check_ip_is_ours(const char *outgoing_ips, const char *ip);

#endif
