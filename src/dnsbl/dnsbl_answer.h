/* Decoding of raw DNS answers to DNSBL queries (A and TXT), without
 * c-ares: the engine hands the bytes c-ares received to this parser, so it
 * can be fuzzed on its own (tests/fuzz/fuzz_dnsbl_answer.c). */
#ifndef PORTAL_DNSBL_ANSWER_H
#define PORTAL_DNSBL_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define DNSBL_ANSWER_A_MAX 16    /* A records kept from one answer */
#define DNSBL_TXT_MAX 512        /* TXT text kept (joined, sanitised) */

struct dnsbl_answer {
	int rcode;                     /* DNS RCODE from the header (0 NOERROR, 3 NXDOMAIN, ...) */
	size_t na;                     /* A records in the answer section */
	uint32_t a[DNSBL_ANSWER_A_MAX];  /* their addresses, host order */
	size_t ntxt;                   /* TXT records in the answer section */
	char txt[DNSBL_TXT_MAX];       /* their text joined by " | ": printable ASCII only */
	int has_ttl;                   /* 1 when ttl below came from the message */
	uint32_t ttl;                  /* lowest TTL of the A/TXT records used, or for a
	                                  negative answer min(SOA TTL, SOA MINIMUM) */
};

/* Parses one DNS response message of len bytes. Only class IN A and TXT
 * records of the answer section and the SOA of the authority section are
 * read; everything else is skipped. Compression pointers are skipped,
 * never followed. Bytes outside printable ASCII in TXT are replaced by
 * '?' (so the text is always valid UTF-8 for JSON and HTML). Returns
 * PERR_OK, or PERR_INVALID for a truncated or malformed message (*out is
 * then zeroed). */
enum perr dnsbl_answer_parse(const uint8_t *buf, size_t len, struct dnsbl_answer *out);

#endif
