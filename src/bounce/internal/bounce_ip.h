/* Finding and validating IP addresses in bounce text. Only what
 * inet_pton() accepts is an address; the canonical text form (inet_ntop)
 * is what the analyzer reports. */
#ifndef PORTAL_BOUNCE_IP_H
#define PORTAL_BOUNCE_IP_H

#include <stdbool.h>
#include <stddef.h>

#define BOUNCE_IP_STRLEN 46  /* INET6_ADDRSTRLEN */

/* One address found in text: where it is and its canonical form. */
struct bounce_ip {
	size_t off;                 /* offset of the token in the text */
	size_t len;                 /* token length */
	char text[BOUNCE_IP_STRLEN];
	bool v6;
};

/* Validates s (n bytes, optionally in [brackets] or with an "IPv6:"
 * prefix) and writes its canonical form to out. Returns false when s is
 * not exactly one IPv4 or IPv6 address. */
bool bounce_ip_parse(const char *s, size_t n, char out[BOUNCE_IP_STRLEN], bool *v6);

/* Finds up to max addresses in s (n bytes), in order. A token glued to
 * letters, digits or dots ("host1.2.3.4.example", "4.16.55.1.7") is not an
 * address, and neither is an invalid one ("1:2:3:4:192.0.2.1"). Returns
 * the number found. */
size_t bounce_ip_find(const char *s, size_t n, struct bounce_ip *ips, size_t max);

/* True for addresses that can never be a sending server: 0/8, 127/8
 * (DNSBL answers such as 127.0.0.2 appear in rejection texts), ::, ::1,
 * and multicast. */
bool bounce_ip_is_special(const char *canon);

#endif
