/* The check pipeline, the heart of the product: analyse the bounce, look
 * the sending IP up on every list, explain, store the snapshot as a report
 * with an unguessable token. It takes plain inputs (the store and knowledge
 * handles, settings, who made the check) and knows nothing of HTTP: the
 * web program (cgi-bin/check_web.c), the CLIs and the unit tests drive it. */
#ifndef PORTAL_CHECK_H
#define PORTAL_CHECK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store_reports.h"

struct bounce_knowledge;
struct dnsbl_catalogue;
struct dnsbl_checker;
struct explain_knowledge;

/* What a check runs with; every handle is borrowed, none is freed here. */
struct outgoing_servers;

struct check_env {
	struct store *store;
	const struct bounce_knowledge *bounce;
	struct dnsbl_checker *dnsbl;
	const struct dnsbl_catalogue *catalogue;
	const struct explain_knowledge *explain;
	size_t bounce_limit;           /* limits.bounce_bytes */
	const char *outgoing_ips;      /* site.outgoing_ips: "ours" addresses */
	const struct outgoing_servers *outgoing_servers; /* site.outgoing_servers, or NULL */
};

struct check_input {
	const char *bounce;        /* pasted bounce, or NULL */
	size_t bounce_len;
	const char *ip;            /* validated IP the customer typed, or NULL */
	const char *host;          /* the server name typed that resolved to ip, or NULL */
	const char *ticket;        /* validated ticket reference, or NULL */
	const char *source;        /* bounce | ip | link | recheck | api */
	json_t *analysis;          /* re-check: the earlier report (analysis reused), or NULL */
	long long previous_id;     /* re-check: the earlier report's id */
	unsigned dns_flags;        /* DNSBL_F_NOCACHE for a re-check */
	/* who holds the new report: a logged-in user, or else whoever has the
	 * secret whose SHA-256 this is (32 bytes; NULL: nobody) */
	long long user_id;
	const uint8_t *holder_hash;
};

#define CHECK_IP_MAX 64   /* bytes of the address a check looks up */

/* The first half of a check, without DNS: analyses the bounce (or takes
 * the typed address) into *doc (new reference) and the address to look
 * up into ip ("" when there is none). PERR_TOO_LARGE as check_run(). */
enum perr check_prepare(const struct check_env *env, const struct check_input *in, json_t **doc,
			char ip[CHECK_IP_MAX]);

/* The second half: the live lookups of ip, the explanation, and the
 * report stored under token. Takes doc over (freed on failure); on
 * PERR_OK *out is the report JSON as check_run() gives it. The strings
 * of in must stay valid until it returns. */
enum perr check_finish(const struct check_env *env, const struct check_input *in, json_t *doc, const char *ip,
		       const char *token, json_t **out);

/* Runs the check and stores it. On PERR_OK *doc is the report JSON (new
 * reference, the caller frees it; includes token, created, ticket and the
 * recipient) and token holds the report's token. PERR_TOO_LARGE for a
 * bounce above env->bounce_limit; other errors from the store or DNS. */
enum perr check_run(const struct check_env *env, const struct check_input *in, json_t **doc,
		    char token[REPORT_TOKEN_CHARS + 1]);

/* How many times the per-address limit a whole IPv6 /48 (a site: one
 * customer of an ISP holds many /64s) may check in a minute. */
#define CHECK_RATE_SITE_FACTOR 4

/* Counts one check by client in the current minute against limit (0 = no
 * limit): an IPv4 address, or an IPv6 /64, may check limit times; an IPv6
 * /48 CHECK_RATE_SITE_FACTOR x limit times; everyone together
 * global_limit times (0 = none). Returns 0 when allowed, else the seconds
 * until the next minute (for Retry-After). A failing counter allows the
 * check. */
int check_rate_wait(struct store *st, const char *client, unsigned limit, unsigned global_limit, long long now);

/* 1 when the report belongs to user_id (non-zero), or when holder_secret
 * (the holder cookie, or NULL) hashes to the report's holder hash. */
int check_is_holder(const struct report_stored *r, long long user_id, const char *holder_secret);

/* 1 when ip (any text form) is one of outgoing_ips (comma/space list). */
int check_ip_is_ours(const char *outgoing_ips, const char *ip);

#endif
