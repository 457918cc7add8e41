/* Where a bounce states its failure: the RFC 3464 delivery-status fields,
 * and the SMTP reply quoted in prose (Postfix, Exim, Sendmail, qmail,
 * Exchange, Gmail wrappers, or a customer's paste). */
#ifndef PORTAL_BOUNCE_DSN_H
#define PORTAL_BOUNCE_DSN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/limits.h"

/* The per-recipient fields of the first failed recipient (or of the first
 * recipient when none says "failed"), plus Reporting-MTA. Values unfolded,
 * type prefixes ("rfc822;", "smtp;", "dns;") removed. Empty when absent. */
struct bounce_dsn {
	char final_rcpt[256];
	char orig_rcpt[256];
	char action[32];
	char status[32];
	char remote_mta[256];
	char reporting_mta[256];
	char diag[LIMIT_DIAGNOSTIC_BYTES];
	bool found;       /* at least one per-recipient field was seen */
};

/* Reads DSN fields from s (n bytes, LF line ends). Lines that are not
 * fields are skipped, so pasted text works too. */
void bounce_dsn_read(const char *s, size_t n, struct bounce_dsn *d);

/* Finds the SMTP rejection in prose: the line with a 4xx/5xx reply, in a
 * context such as "said:", "<<<", "Remote host said:", "SMTP error", and
 * the paragraph it belongs to. Returns true and the span [*off, *off+*len)
 * when found. */
bool bounce_reply_find(const char *s, size_t n, size_t *off, size_t *len);

/* Reads the first SMTP reply code (e.g. 550) and enhanced status (e.g.
 * "5.7.1", into status[16]) of a diagnostic. Either may be absent (0 / ""). */
void bounce_reply_parse(const char *s, size_t n, int *code, char status[16]);

#endif
