/* Reading a PCRE2 pattern's source: where its classes, groups and
 * alternatives end, what its quantifiers allow, and the longest text it
 * can match. Shared by the gate derivation (bounce_gate.c); only the
 * subset of the syntax the knowledge files use is understood, and
 * anything else yields "unbounded" (never a wrong bound). */
#include "internal/bounce_gate.h"
#include "internal/bounce_resyntax.h"

#include <stdbool.h>
#include <string.h>

/* The ']' closing the character class that starts at p ('['), stepping
 * over escapes and POSIX classes such as [:alpha:]; end when unclosed. */
const char *bounce_re_class_end(const char *p, const char *end)
{
	const char *q = p + 1;
	if (q < end && *q == '^')
		q++;
	if (q < end && *q == ']')
		q++;
	while (q < end && *q != ']') {
		if (*q == '\\') {
			q++;
		} else if (*q == '[' && q + 1 < end && q[1] == ':') {
			const char *e = memmem(q + 2, (size_t)(end - q - 2), ":]", 2);
			if (e == NULL)
				return end;
			q = e + 1;
		}
		q++;
	}
	return q < end ? q : end;
}

/* End of the group starting at p ('('), or NULL if unbalanced. */
const char *bounce_re_group_end(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '[') {
			p = bounce_re_class_end(p, end);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
	}
	return NULL;
}

/* The end of the top-level alternative of a regex that starts at p: the
 * next '|' outside groups and classes, or end. */
const char *bounce_re_alt_end(const char *p, const char *end)
{
	int depth = 0;
	for (const char *q = p; q < end; q++) {
		if (*q == '\\') {
			q++;
			continue;
		}
		if (*q == '[') {
			q = bounce_re_class_end(q, end);
			continue;
		}
		if (*q == '(')
			depth++;
		else if (*q == ')')
			depth--;
		else if (*q == '|' && depth == 0)
			return q;
	}
	return end;
}

#define MAXLEN_CAP 100000

/* Adds with saturation at "unbounded" (-1). */
int bounce_len_add(int a, int b)
{
	if (a < 0 || b < 0 || a + b > MAXLEN_CAP)
		return -1;
	return a + b;
}

int bounce_len_mul(int a, int m)
{
	if (a < 0 || m < 0)
		return -1;
	if (a == 0 || m == 0)
		return 0;
	if (a > MAXLEN_CAP / m)
		return -1;
	return a * m;
}

/* Reads a quantifier at *pp: the most repeats it allows (-1 unbounded),
 * 1 when there is none. */
int bounce_re_quant_max(const char **pp, const char *end)
{
	const char *p = *pp;
	int max = 1;
	if (p >= end)
		return 1;
	if (*p == '?') {
		p++;
	} else if (*p == '*' || *p == '+') {
		max = -1;
		p++;
	} else if (*p == '{') {
		const char *q = p + 1;
		int lo = 0, hi = -1, digits = 0;
		while (q < end && *q >= '0' && *q <= '9' && lo < MAXLEN_CAP) {
			lo = lo * 10 + (*q++ - '0');
			digits++;
		}
		if (q < end && *q == '}' && digits) {
			hi = lo;
		} else if (q < end && *q == ',') {
			q++;
			int d2 = 0, v = 0;
			while (q < end && *q >= '0' && *q <= '9' && v < MAXLEN_CAP) {
				v = v * 10 + (*q++ - '0');
				d2++;
			}
			if (q >= end || *q != '}' || (!digits && !d2))
				return 1; /* not a quantifier: a literal '{' */
			hi = d2 ? v : -1;
		} else {
			return 1;
		}
		max = hi;
		p = q + 1;
	} else {
		return 1;
	}
	if (p < end && (*p == '?' || *p == '+'))
		p++;
	*pp = p;
	return max;
}

static int seq_maxlen(const char *p, const char *end);

/* Longest match of the sequence [p,end) without top-level '|'. */
int bounce_re_alt_maxlen(const char *p, const char *end)
{
	int total = 0;
	while (p < end) {
		int atom;
		if (*p == '\\') {
			if (p + 1 >= end)
				return -1;
			char c = p[1];
			p += 2;
			if (strchr("bBAzZG", c)) {
				atom = 0;
			} else if (strchr("dDwWsShHvVN", c) || strchr("ntrfae", c)) {
				atom = 1;
			} else if (c == 'R') {
				atom = 2;
			} else if (c == 'x') {
				if (p < end && *p == '{') {
					const char *q = memchr(p, '}', (size_t)(end - p));
					if (q == NULL)
						return -1;
					p = q + 1;
				} else {
					for (int k = 0; k < 2 && p < end && strchr("0123456789abcdefABCDEF", *p); k++)
						p++;
				}
				atom = 1;
			} else if (c == '0') {
				for (int k = 0; k < 2 && p < end && *p >= '0' && *p <= '7'; k++)
					p++;
				atom = 1;
			} else if (c == 'c') {
				if (p >= end)
					return -1;
				p++;
				atom = 1;
			} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '1' && c <= '9')) {
				return -1; /* \K, \Q, \p, \X, \C, back references, ...: no bound assumed */
			} else {
				atom = 1; /* an escaped punctuation character */
			}
		} else if (*p == '[') {
			const char *q = bounce_re_class_end(p, end);
			if (q >= end)
				return -1;
			p = q + 1;
			atom = 1;
		} else if (*p == '(') {
			const char *e = bounce_re_group_end(p, end);
			if (e == NULL)
				return -1;
			const char *in = p + 1;
			bool zero = false;
			if (in < e && *in == '?') {
				char c = in + 1 < e ? in[1] : '\0';
				if (c == ':' || c == '|' || c == '>') {
					in += 2;
				} else if (c == '=' || c == '!') {
					zero = true;
				} else if (c == '<' && in + 2 < e && (in[2] == '=' || in[2] == '!')) {
					zero = true;
				} else if (c == '<' || (c == 'P' && in + 2 < e && in[2] == '<')) {
					const char *n = memchr(in, '>', (size_t)(e - in));
					if (n == NULL)
						return -1;
					in = n + 1; /* a named group */
				} else {
					/* option letters: "(?i)" sets, "(?i:" groups; anything
					 * else (comments, conditionals, recursion) is not
					 * understood here */
					const char *q = in + 1;
					while (q < e && ((*q >= 'a' && *q <= 'z') || *q == '-' || *q == '^'))
						q++;
					if (q == in + 1)
						return -1;
					for (const char *o = in + 1; o < q; o++)
						if (*o == 'x')
							return -1; /* extended syntax: white space is not literal */
					if (q == e) {
						zero = true;
					} else if (*q == ':') {
						in = q + 1;
					} else {
						return -1;
					}
				}
			}
			atom = zero ? 0 : seq_maxlen(in, e);
			p = e + 1;
		} else if (*p == '^' || *p == '$') {
			p++;
			atom = 0;
		} else if (*p == ')' || *p == '|') {
			return -1;
		} else {
			p++;
			atom = 1; /* '.' or a literal byte */
		}
		int m = bounce_re_quant_max(&p, end);
		total = bounce_len_add(total, bounce_len_mul(atom, m));
		if (total < 0)
			return -1;
	}
	return total;
}

static int seq_maxlen(const char *p, const char *end)
{
	int best = 0;
	for (const char *a = p;;) {
		const char *q = bounce_re_alt_end(a, end);
		int l = bounce_re_alt_maxlen(a, q);
		if (l < 0)
			return -1;
		if (l > best)
			best = l;
		if (q >= end)
			return best;
		a = q + 1;
	}
}

int bounce_gate_maxlen(const char *src)
{
	return seq_maxlen(src, src + strlen(src));
}
