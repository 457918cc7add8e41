/* Host names typed where an address is asked for: resolved through the
 * same c-ares channel (and so the same configured resolver) as the checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl.h"
#include "internal/dnsbl_internal.h"
#include "knowledge_dnsbl.h"

/* IPv4 before IPv6, then by address. */
static int addr_order(const void *a, const void *b)
{
	const struct ipaddr *x = a, *y = b;
	if (x->family != y->family)
		return x->family - y->family;
	return memcmp(x->b, y->b, sizeof x->b);
}

enum perr dnsbl_resolve_host(struct dnsbl_checker *chk, const char *name, char addrs[][IPADDR_STR_LEN],
			     size_t max, size_t *n)
{
	*n = 0;
	char host[DNSBL_ZONE_MAX];
	size_t len = strlen(name);
	if (len > 0 && name[len - 1] == '.')
		len--;   /* "mail.example.com." is the same name */
	if (len >= sizeof host)
		return PERR_INVALID;
	memcpy(host, name, len);
	host[len] = '\0';
	if (!dnsbl_zone_valid(host))   /* the same rule: labels of letters, digits and dashes */
		return PERR_INVALID;
	struct ipaddr found[DNSBL_HOST_ADDRS_MAX];
	size_t got = 0;
	if (max > DNSBL_HOST_ADDRS_MAX)
		max = DNSBL_HOST_ADDRS_MAX;
	enum perr rc = dnsbl_net_resolve(chk->net, host, chk->timeout_ms, found, max, &got);
	qsort(found, got, sizeof found[0], addr_order);   /* the same order on every visit */
	/* a resolver that knows internal zones would otherwise show private
	 * and loopback addresses to anyone who types a name */
	size_t dropped = 0;
	for (size_t i = 0; i < got; i++) {
		if (ipaddr_classify(&found[i]) != IPADDR_PUBLIC && !chk->allow_reserved)
			dropped++;
		else if (ipaddr_format(&found[i], addrs[*n], IPADDR_STR_LEN) > 0)
			(*n)++;
	}
	if (rc == PERR_OK && *n == 0)
		return dropped > 0 ? PERR_NOT_FOUND : PERR_DNS;
	return rc;
}
