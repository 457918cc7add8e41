/* Reading the raw Cookie header where the CGI kit's parsed view hides
 * something the front line must see. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cookie_header.h"

/* 1 when the cookie called name (compared after %XX decoding, as the CGI
 * kit decodes) appears more than once in the Cookie header: the kit would
 * keep the last, so a planted duplicate could shadow the real one. */
int cookie_repeated(const char *header, const char *name)
{
	int seen = 0;
	for (const char *p = header; *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		size_t n = strcspn(p, "=;");
		char got[32];
		size_t k = 0;
		for (size_t i = 0; i < n && k + 1 < sizeof got; i++, k++) {
			if (p[i] == '%' && i + 2 < n && isxdigit((unsigned char)p[i + 1]) &&
			    isxdigit((unsigned char)p[i + 2])) {
				char hex[3] = { p[i + 1], p[i + 2], '\0' };
				got[k] = (char)strtol(hex, NULL, 16);
				i += 2;
			} else {
				got[k] = p[i];
			}
		}
		while (k > 0 && got[k - 1] == ' ')
			k--;
		got[k] = '\0';
		if (n > 0 && strcmp(got, name) == 0 && ++seen > 1)
			return 1;
		p += n;
		p += strcspn(p, ";");
	}
	return 0;
}
