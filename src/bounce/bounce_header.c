#include "internal/bounce_header.h"

#include <string.h>
#include <strings.h>

/* Field names may hold any printable ASCII except ':' (RFC 5322 ftext);
 * 76 is far above any real name and keeps "Delivery failed: ..." prose
 * from passing as a field when it has no space (it always has). */
#define HDR_NAME_MAX 76

/* The colon ending the field name at p, or NULL when the line is not a
 * field. */
static const char *field_colon(const char *p, const char *end)
{
	const char *s = p;
	const char *lim = end - p > HDR_NAME_MAX + 1 ? p + HDR_NAME_MAX + 1 : end;
	while (p < lim) {
		unsigned char c = (unsigned char)*p;
		if (c == ':')
			return p > s ? p : NULL;
		if (c <= 32 || c >= 127)
			return NULL;
		p++;
	}
	return NULL;
}

const char *bounce_hdr_next(const char *p, const char *end, struct bounce_hdr *h)
{
	if (p >= end || *p == '\n')
		return NULL;
	const char *colon = field_colon(p, end);
	if (colon == NULL)
		return NULL;
	h->name = p;
	h->namelen = (size_t)(colon - p);
	const char *v = colon + 1;
	const char *q = v;
	for (;;) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		if (nl == NULL) {
			q = end;
			break;
		}
		q = nl + 1;
		/* a continuation line starts with white space */
		if (q >= end || (*q != ' ' && *q != '\t'))
			break;
	}
	h->val = v;
	h->vallen = (size_t)(q - v);
	return q;
}

const char *bounce_hdr_block_end(const char *p, const char *end)
{
	struct bounce_hdr h;
	const char *q;
	while ((q = bounce_hdr_next(p, end, &h)) != NULL)
		p = q;
	if (p < end && *p == '\n')
		p++;
	return p;
}

bool bounce_hdr_name_eq(const char *a, const char *b, size_t n)
{
	return strncasecmp(a, b, n) == 0;
}

static inline bool unfold_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

size_t bounce_hdr_unfold(const char *v, size_t n, char *out, size_t outsz)
{
	size_t o = 0;
	bool space = false;
	size_t i = 0;
	while (i < n && o + 1 < outsz) {
		if (unfold_space((unsigned char)v[i])) {
			space = o > 0;
			i++;
			continue;
		}
		if (space && o + 2 < outsz)
			out[o++] = ' ';
		space = false;
		/* the run of non-space bytes, as far as it fits */
		size_t j = i + 1;
		while (j < n && !unfold_space((unsigned char)v[j]))
			j++;
		size_t k = j - i;
		if (k > outsz - 1 - o)
			k = outsz - 1 - o;
		memcpy(out + o, v + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	return o;
}

bool bounce_hdr_param(const char *v, size_t n, const char *param, char *out, size_t outsz)
{
	size_t plen = strlen(param);
	const char *end = v + n;
	const char *p = v;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			return false;
		p = semi + 1;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		if ((size_t)(end - p) <= plen || strncasecmp(p, param, plen) != 0)
			continue;
		const char *q = p + plen;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q != '=')
			continue;
		q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		size_t o = 0;
		if (q < end && *q == '"') {
			q++;
			while (q < end && *q != '"' && o + 1 < outsz) {
				if (*q == '\\' && q + 1 < end)
					q++;
				if (*q != '\n')
					out[o++] = *q;
				q++;
			}
		} else {
			while (q < end && *q != ';' && *q != ' ' && *q != '\t' &&
			       *q != '\n' && o + 1 < outsz)
				out[o++] = *q++;
		}
		out[o] = '\0';
		return o > 0;
	}
	return false;
}
