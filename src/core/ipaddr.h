/* IP addresses as the DNSBL checker needs them: strict parsing of untrusted
 * text, canonical formatting, DNSBL query-name reversal (RFC 5782 §2.1 for
 * IPv4, §2.4 nibbles for IPv6) and classification of special-purpose
 * ranges (RFC 6890) that must not be sent to public lists.
 *
 * Pure code, no I/O, no allocation: safe to fuzz (tests/fuzz/fuzz_ipaddr.c). */
#ifndef PORTAL_IPADDR_H
#define PORTAL_IPADDR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Longest text ipaddr_parse() accepts (an IPv6 with an embedded IPv4). */
#define IPADDR_TEXT_MAX 45
/* Buffer sizes: canonical text, and reversed query prefix without zone
 * (IPv6: 32 nibbles and 31 dots). */
#define IPADDR_STR_LEN 46
#define IPADDR_REV_LEN 64

struct ipaddr {
	int family;          /* 4 or 6 */
	uint8_t b[16];       /* network order; IPv4 uses b[0..3] */
};

/* Special-purpose ranges. IPADDR_PUBLIC is the only class sent to public
 * lists unless the caller allows reserved addresses (tests). */
enum ipaddr_class {
	IPADDR_PUBLIC = 0,
	IPADDR_UNSPECIFIED,    /* 0.0.0.0/8 "this network", :: */
	IPADDR_LOOPBACK,       /* 127.0.0.0/8, ::1 */
	IPADDR_PRIVATE,        /* RFC 1918, fc00::/7 unique local */
	IPADDR_SHARED,         /* 100.64.0.0/10 carrier-grade NAT */
	IPADDR_LINKLOCAL,      /* 169.254.0.0/16, fe80::/10 */
	IPADDR_DOCUMENTATION,  /* 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32 */
	IPADDR_BENCHMARK,      /* 198.18.0.0/15, 2001:2::/48 */
	IPADDR_MULTICAST,      /* 224.0.0.0/4, ff00::/8 */
	IPADDR_RESERVED,       /* 240.0.0.0/4, broadcast, 192.0.0.0/24, other IETF ranges */
	IPADDR_CLASS__MAX
};

/* Parses exactly len bytes of s as an IPv4 dotted quad (four decimal
 * octets 0-255, no leading zeros, no other forms) or an IPv6 address
 * (RFC 4291 text, optional trailing dotted quad, no zone index, no
 * brackets). ::ffff:a.b.c.d stays an IPv6 address. Returns PERR_OK, or
 * PERR_INVALID with *why (if why != NULL) pointing at a static reason. */
enum perr ipaddr_parse(const char *s, size_t len, struct ipaddr *out, const char **why);

/* Writes the canonical text (dotted quad, or RFC 5952 IPv6) into buf.
 * Returns the length, or 0 when len is too small. */
size_t ipaddr_format(const struct ipaddr *ip, char *buf, size_t len);

/* Writes the network an address belongs to for rate limits and throttles:
 * IPv4 "a.b.c.d" (one host), IPv6 its first v6_bits bits as "prefix/len"
 * (one customer line is a /64, a site a /48). IPv4-mapped IPv6 counts as
 * IPv4. Returns the length, or 0 when len is too small. */
size_t ipaddr_network(const struct ipaddr *ip, unsigned v6_bits, char *buf, size_t len);

/* Writes the DNSBL query prefix ("4.3.2.1", or 32 dot-separated nibbles
 * lowest first) into buf, without a trailing dot. Returns the length, or 0
 * when len is too small. */
size_t ipaddr_reverse(const struct ipaddr *ip, char *buf, size_t len);

/* The special-purpose class of ip. IPv4-mapped IPv6 (::ffff:0:0/96) and
 * NAT64 (64:ff9b::/96) addresses are classified by their embedded IPv4. */
enum ipaddr_class ipaddr_classify(const struct ipaddr *ip);

/* Short machine name ("documentation") and the sentence shown to users
 * ("documentation address: not sent to public lists"). */
const char *ipaddr_class_str(enum ipaddr_class c);
const char *ipaddr_class_note(enum ipaddr_class c);

#endif
