/* Explains a report: the verdict in one sentence, the causes that fit the
 * evidence with the reasoning shown, and which lists matter most for the
 * provider that bounced. Works on the report JSON (the snapshot that is
 * stored and served by the API), so page and API say the same thing.
 * Wording and list kinds are data: db/knowledge/report.hdf. */
#ifndef PORTAL_EXPLAIN_H
#define PORTAL_EXPLAIN_H

#include <stddef.h>
#include <jansson.h>
#include "core/err.h"

struct explain_knowledge;
struct dnsbl_catalogue;

enum explain_cause {
	CAUSE_SELFREPORT,
	CAUSE_COMPLAINTS,
	CAUSE_EXPLOIT,
	CAUSE_NEWSLETTER,
	CAUSE_POLICY,
	CAUSE_OWN_NETWORK,      /* not our address: a machine on the customer's own network */
	CAUSE_OTHER_PROVIDER,   /* not our address: another provider's server */
	CAUSE__MAX
};

/* Loads report.hdf at path and the Provider entries of bounce_providers.hdf
 * beside it. Returns PERR_CONFIG with a message in err on a bad entry. Free with explain_knowledge_free(). */
enum perr explain_knowledge_load(const char *path, struct explain_knowledge **out,
				 char *err, size_t errlen);
enum perr explain_knowledge_parse(const char *text, struct explain_knowledge **out,
				  char *err, size_t errlen);
void explain_knowledge_free(struct explain_knowledge *k);

/* "selfreport", "complaints", ...; explain_cause_from_id returns -1 when unknown. */
const char *explain_cause_id(enum explain_cause c);
int explain_cause_from_id(const char *id);
/* The title of a cause (never NULL). */
const char *explain_cause_title(const struct explain_knowledge *k, enum explain_cause c);

/* The provider's display name ("AOL"); "the receiving server" when unknown. */
const char *explain_provider_name(const struct explain_knowledge *k, const char *provider_id);
/* 1 when the provider's users press "report spam" (consumer mailboxes). */
int explain_provider_consumer(const struct explain_knowledge *k, const char *provider_id);

/* Adds to doc (a report with the analyzer's fields, "input", "ip",
 * "ip_is_ours" and "checks"; "deferred": true for a mail-log deferral,
 * which the sentence calls held back and retried, not bounced): "verdict" (blacklist | reputation | listed |
 * clean | unknown | not_blacklist), "sentence" (may hold $RECIPIENT, see
 * explain_sentence), "cause" (most likely cause id or "none"), "causes"
 * ([{id, title, text, todo, why, likely}]), "outcome", "heading" and
 * "next_step" (the customer's verdict, see explain_outcome_id), "expiry" (what is known about how long
 * the listings last), and sorts "checks" so the provider's important lists
 * come first, then the listed ones. cat may be NULL (names from checks). */
enum perr explain_report(const struct explain_knowledge *k, const struct dnsbl_catalogue *cat,
			 json_t *doc);

/* The outcome ids, the customer's verdict (docs/report-document.md):
 * our_server_listed, server_listed, provider_filter, your_address_listed,
 * not_blocklist, could_not_tell, could_not_check. */
#define EXPLAIN_OUTCOMES 7
const char *explain_outcome_id(int i);

/* A stored verdict (blacklist, reputation, listed, clean, not_blacklist,
 * unknown) in a few words for people ("on a block list"); "report" for
 * anything else. Never NULL. */
const char *explain_verdict_words(const char *verdict);

/* Copies text into out with every mail address in it replaced by
 * "[address removed]": what a viewer who does not hold the report sees of
 * the refusal. Truncates to len. Returns the number of addresses removed. */
int explain_redact_addresses(const char *text, char *out, size_t len);

/* The sentence of doc with $RECIPIENT replaced by recipient (the holder
 * sees the address) or "the recipient's address". Writes into buf. */
void explain_sentence(const char *sentence, const char *recipient, char *buf, size_t len);

#endif
