/* Removing mail addresses from a refusal for viewers who do not hold the
 * report (see explain.h): the refusal quotes the recipient and often other
 * correspondents. */
#include <stdio.h>
#include <string.h>

#include "explain/explain.h"

#define REDACTED "[address removed]"

static int local_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static int domain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
	       c >= 0x80;
}

/* The length of the domain after an '@' at at (0 when it is not one: it
 * needs a dot inside it, not at its ends). */
static size_t domain_len(const char *at)
{
	size_t n = 0;
	while (domain_char((unsigned char)at[1 + n]))
		n++;
	while (n > 0 && at[n] == '.')   /* a sentence's full stop is not part of it */
		n--;
	const char *dot = memchr(at + 1, '.', n);
	return dot && dot != at + 1 ? n : 0;
}

int explain_redact_addresses(const char *text, char *out, size_t len)
{
	if (len == 0)
		return 0;
	size_t o = 0;
	int removed = 0;
	const char *p = text ? text : "";
	while (*p && o + 1 < len) {
		const char *at = strchr(p, '@');
		size_t dl = at ? domain_len(at) : 0;
		const char *start = at;
		while (start && start > p && local_char((unsigned char)start[-1]))
			start--;
		if (at == NULL || dl == 0 || start == at) {
			/* no address starts before the next '@': copy through it */
			size_t n = at ? (size_t)(at - p) + 1 : strlen(p);
			n = n < len - 1 - o ? n : len - 1 - o;
			memcpy(out + o, p, n);
			o += n;
			p += n;
			continue;
		}
		size_t n = (size_t)(start - p);
		n = n < len - 1 - o ? n : len - 1 - o;
		memcpy(out + o, p, n);
		o += n;
		int w = snprintf(out + o, len - o, "%s", REDACTED);
		o = w > 0 && (size_t)w < len - o ? o + (size_t)w : len - 1;
		p = at + 1 + dl;
		removed++;
	}
	out[o] = '\0';
	return removed;
}
