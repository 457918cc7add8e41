/* Reading the raw Cookie header where the CGI kit's parsed view hides
 * something the front line must see. */
#include <ctype.h>
#include <string.h>

#include "cookie_header.h"

/* As the CGI kit reads the header: pairs split at ';', name and value
 * trimmed of white space, names taken as they are (no %XX decoding), a
 * pair without a value skipped. */
int cookie_repeated(const char *header, const char *name)
{
	size_t want = strlen(name);
	int seen = 0;
	for (const char *p = header; *p;) {
		size_t len = strcspn(p, ";");
		const char *end = p + len, *eq = memchr(p, '=', len);
		const char *n0 = p, *n1 = eq ? eq : end;
		while (n0 < n1 && isspace((unsigned char)*n0))
			n0++;
		while (n1 > n0 && isspace((unsigned char)n1[-1]))
			n1--;
		const char *v = eq ? eq + 1 : end;
		while (v < end && isspace((unsigned char)*v))
			v++;
		if (v < end && (size_t)(n1 - n0) == want && memcmp(n0, name, want) == 0 && ++seen > 1)
			return 1;
		p = *end ? end + 1 : end;
	}
	return 0;
}
