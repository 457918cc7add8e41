/* Fuzz target: ipaddr_parse and friends on arbitrary bytes.
 * Properties: never crashes; what it accepts formats to text that parses
 * back to the same address; it agrees with glibc's inet_pton (which is
 * also strict: no leading zeros, no short forms) on which inputs are
 * addresses, except where we are deliberately stricter. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct ipaddr ip;
	const char *why = NULL;
	int ok = ipaddr_parse(s, size, &ip, &why) == PERR_OK;
	if (!ok && why == NULL)
		abort();

	/* Differential check against inet_pton on a NUL-terminated copy. */
	if (size <= 64 && memchr(data, 0, size) == NULL) {
		char buf[65];
		uint8_t bin[16];
		memcpy(buf, data, size);
		buf[size] = '\0';
		int v4 = inet_pton(AF_INET, buf, bin) == 1;
		int v6 = !v4 && inet_pton(AF_INET6, buf, bin) == 1;
		if (ok != (v4 || v6))
			abort();
		if (ok && memcmp(ip.b, bin, ip.family == 4 ? 4 : 16) != 0)
			abort();
		if (ok && ip.family != (v4 ? 4 : 6))
			abort();
	}
	if (!ok)
		return 0;

	char text[IPADDR_STR_LEN], rev[IPADDR_REV_LEN];
	size_t n = ipaddr_format(&ip, text, sizeof text);
	if (n == 0 || n != strlen(text))
		abort();
	struct ipaddr again;
	if (ipaddr_parse(text, n, &again, NULL) != PERR_OK || memcmp(&ip, &again, sizeof ip) != 0)
		abort();
	size_t r = ipaddr_reverse(&ip, rev, sizeof rev);
	if (r == 0 || r != strlen(rev) || (ip.family == 6 && r != 63))
		abort();
	enum ipaddr_class c = ipaddr_classify(&ip);
	if ((unsigned)c >= IPADDR_CLASS__MAX || ipaddr_class_note(c) == NULL)
		abort();
	return 0;
}
