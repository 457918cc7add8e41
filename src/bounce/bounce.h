/* Bounce analyzer: reads a bounce (a whole raw DSN, or a few lines pasted
 * out of a mail client) and says whether the sending server was refused by
 * a block list or a provider's reputation system, with the evidence.
 *
 * Pure C, no I/O: bytes in, a struct out. The patterns, provider codes and
 * list names come from data (db/knowledge/bounce_*.hdf), loaded once per
 * process with bounce_knowledge_load() and shared read-only afterwards.
 *
 * Typical use:
 *	struct bounce_knowledge *k;
 *	if (bounce_knowledge_load(PORTAL_DATADIR "/db/knowledge", &k) != PERR_OK) ...
 *	struct bounce_result r;
 *	if (bounce_analyze(k, buf, len, &r) == PERR_OK) {
 *		json_t *j = bounce_result_to_json(&r);
 *		...
 *		json_decref(j);
 *		bounce_result_free(&r);
 *	}
 *	bounce_knowledge_free(k);
 */
#ifndef PORTAL_BOUNCE_H
#define PORTAL_BOUNCE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

/* What kind of failure the bounce reports (DESIGN §4 names). */
enum bounce_category {
	BOUNCE_CAT_OTHER = 0,
	BOUNCE_CAT_BLACKLIST,   /* a named public DNSBL lists the sending IP */
	BOUNCE_CAT_REPUTATION,  /* the provider's own reputation/rate block */
	BOUNCE_CAT_POLICY,      /* PTR/HELO/dynamic-IP/relay policy */
	BOUNCE_CAT_CONTENT,     /* a domain/URL in the message is listed, spam content */
	BOUNCE_CAT_AUTH,        /* SPF, DKIM, DMARC */
	BOUNCE_CAT_RECIPIENT,   /* unknown/disabled user, unknown domain */
	BOUNCE_CAT_MAILBOX,     /* mailbox full, message too large */
	BOUNCE_CAT__MAX
};

/* The receiving provider is data, not a C enum: the name of a Provider
 * entry of the knowledge files ("aol"), or NULL when it cannot be told
 * (JSON "other"). */
#define BOUNCE_PROV_OTHER NULL

#define BOUNCE_MAX_LISTS     16  /* lists kept in one result */
#define BOUNCE_MAX_EVIDENCE  32  /* evidence lines kept in one result */

/* One analysis. Every string is NUL-terminated, valid UTF-8, owned by the
 * result and released by bounce_result_free(); NULL when not found. */
struct bounce_result {
	bool blacklist;                 /* sending server blocked by a list or reputation */
	enum bounce_category category;
	const char *provider;           /* a Provider entry's name, owned by the
					   knowledge; BOUNCE_PROV_OTHER when unknown */
	char *sending_ip;               /* validated IPv4/IPv6, canonical form */
	char *provider_code;            /* RTR:BB, BL000001, S3150, TSS04, ... */
	char *provider_code_meaning;    /* from the knowledge files */
	char *advice;                   /* what it means for the customer */
	char *lists[BOUNCE_MAX_LISTS];  /* zones or names, bit flags decoded */
	size_t nlists;
	int smtp_code;                  /* 550, 421, ...; 0 when none */
	char *status;                   /* enhanced status "5.7.1" */
	char *recipient;
	char *diagnostic;               /* the rejection text, unfolded */
	char *evidence[BOUNCE_MAX_EVIDENCE]; /* "rule:id: description" lines */
	size_t nevidence;
};

struct bounce_knowledge;

/* Loads every bounce_*.hdf file of dir and compiles the patterns (PCRE2
 * JIT). On success *out owns the knowledge (free with
 * bounce_knowledge_free). Returns PERR_NOT_FOUND if dir has no file,
 * PERR_CONFIG if an entry is malformed or a pattern does not compile (the
 * message is written to err/errlen when err is not NULL), PERR_NOMEM. */
enum perr bounce_knowledge_load(const char *dir, struct bounce_knowledge **out);
enum perr bounce_knowledge_load_err(const char *dir, struct bounce_knowledge **out,
                                    char *err, size_t errlen);

/* Frees what bounce_knowledge_load() returned; NULL is fine. */
void bounce_knowledge_free(struct bounce_knowledge *k);

/* Number of knowledge entries (rules, providers, codes, lists, bit-flag
 * tables), and the id of entry i as used in evidence ("rule:x", "code:x",
 * ...). The pointer lives as long as k. For the "every entry is exercised"
 * test and for admins. */
size_t bounce_knowledge_count(const struct bounce_knowledge *k);
const char *bounce_knowledge_entry_id(const struct bounce_knowledge *k, size_t i);

/* Analyses len bytes (any line endings, may contain NULs). Inputs above
 * max_bytes (clamped to LIMIT_BOUNCE_MAX; 0 means LIMIT_BOUNCE_DEFAULT) are
 * refused with PERR_TOO_LARGE before any work. On PERR_OK *out is filled
 * and must be released with bounce_result_free(); on error *out is zeroed
 * and holds nothing. Empty or unreadable input is not an error: it yields
 * category "other" and no fields. Thread-safe for a shared k. */
enum perr bounce_analyze_max(const struct bounce_knowledge *k, const char *bytes, size_t len,
                             size_t max_bytes, struct bounce_result *out);

struct outgoing_servers;
/* bounce_analyze_max() knowing our outgoing servers by name
 * (site.outgoing_servers, core/servers.h; NULL = none): a bounce that
 * names one of them, as its writer or as the client of the returned
 * message's first hop, reports that server's address. ours must outlive
 * the call only. */
enum perr bounce_analyze_ours(const struct bounce_knowledge *k, const char *bytes, size_t len,
                              size_t max_bytes, const struct outgoing_servers *ours,
                              struct bounce_result *out);

/* bounce_analyze_max() with LIMIT_BOUNCE_DEFAULT. */
enum perr bounce_analyze(const struct bounce_knowledge *k, const char *bytes, size_t len,
                         struct bounce_result *out);

/* Releases the strings of r and zeroes it; safe to call twice. */
void bounce_result_free(struct bounce_result *r);

/* The DESIGN §4 JSON object of r (new reference, NULL on ENOMEM): blacklist,
 * category, sending_ip, provider, provider_code, provider_code_meaning,
 * advice, lists, smtp_code, status, recipient, diagnostic, evidence. */
json_t *bounce_result_to_json(const struct bounce_result *r);

/* Name of a category ("blacklist"); "other" when out of range.
 * _from_str returns -1 for an unknown name. */
const char *bounce_category_str(enum bounce_category c);
int bounce_category_from_str(const char *s);
/* The provider as the JSON names it: p itself, "other" for NULL. */
const char *bounce_provider_str(const char *p);

#endif
