#include "bounce_gate.h"

#include <string.h>

#define MIN_LIT 3

/* End of the group starting at p ('('), or NULL if unbalanced. */
static const char *group_end(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '[') {
			p++;
			if (p < end && *p == '^')
				p++;
			if (p < end && *p == ']')
				p++;
			while (p < end && *p != ']') {
				if (*p == '\\')
					p++;
				p++;
			}
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
	}
	return NULL;
}

/* Reads a quantifier at p; sets *optional when it allows zero repeats
 * and *repeat when it allows more than one. Returns the position after. */
static const char *quant(const char *p, const char *end, int *optional, int *repeat)
{
	*optional = *repeat = 0;
	if (p >= end)
		return p;
	if (*p == '?' || *p == '*' || *p == '+') {
		*optional = *p != '+';
		*repeat = *p != '?';
		p++;
	} else if (*p == '{') {
		const char *q = p + 1;
		int lo = 0, digits = 0;
		while (q < end && *q >= '0' && *q <= '9') {
			lo = lo * 10 + (*q - '0');
			q++;
			digits++;
		}
		if (!digits || q >= end || (*q != '}' && *q != ','))
			return p; /* a literal '{' */
		while (q < end && *q != '}')
			q++;
		*optional = lo == 0;
		*repeat = 1;
		p = q < end ? q + 1 : end;
	} else {
		return p;
	}
	if (p < end && (*p == '?' || *p == '+'))
		p++; /* lazy / possessive */
	return p;
}

/* How common a byte is in bounce prose (higher = more common), so that
 * the search anchors on the rarest byte of each literal. */
static int commonness(unsigned char c)
{
	static const char order[] = " etaoinsrhldcumfpgwybvk.xjqz";
	const char *p = c ? strchr(order, c) : NULL;
	return p ? (int)(sizeof order - (size_t)(p - order)) : 0;
}

static int add(struct bounce_gate *g, const char *lit, size_t n)
{
	if (n > BOUNCE_GATE_LEN)
		n = BOUNCE_GATE_LEN;
	for (int i = 0; i < g->n; i++)
		if (g->len[i] == n && memcmp(g->lit[i], lit, n) == 0)
			return 0;
	if (g->n >= BOUNCE_GATE_MAX)
		return -1;
	memcpy(g->lit[g->n], lit, n);
	g->lit[g->n][n] = '\0';
	size_t a = 0;
	for (size_t i = 1; i < n; i++)
		if (commonness((unsigned char)lit[i]) < commonness((unsigned char)lit[a]))
			a = i;
	g->anchor[g->n] = (unsigned char)a;
	g->len[g->n++] = (unsigned char)n;
	return 0;
}

static int seq_lits(const char *p, const char *end, struct bounce_gate *g);

/* One alternative (no top-level '|'): its longest mandatory literal run,
 * else the literals of its first mandatory group. 0 on success, -1 when
 * it has no usable literal. */
static int alt_lits(const char *p, const char *end, struct bounce_gate *g)
{
	char run[64], best[64];
	size_t rl = 0, bl = 0;
	const char *grp = NULL, *grpend = NULL;
	while (p < end) {
		int lit = -1; /* the literal byte of this atom, or -1 */
		const char *gs = NULL, *ge = NULL;
		int zero_width = 0;
		if (*p == '\\' && p + 1 < end) {
			char c = p[1];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
				zero_width = c == 'b' || c == 'B';
			else
				lit = c;
			p += 2;
		} else if (*p == '[') {
			const char *q = p + 1;
			if (q < end && *q == '^')
				q++;
			if (q < end && *q == ']')
				q++;
			while (q < end && *q != ']') {
				if (*q == '\\')
					q++;
				q++;
			}
			p = q < end ? q + 1 : end;
		} else if (*p == '(') {
			const char *e = group_end(p, end);
			if (e == NULL)
				return -1;
			const char *in = p + 1;
			if (in < end && *in == '?') {
				if (in + 1 < end && (in[1] == '=' || in[1] == '!' ||
				                     (in[1] == '<' && in + 2 < end && (in[2] == '=' || in[2] == '!'))))
					zero_width = 1; /* lookaround */
				else if (in + 1 < end && (in[1] == ':' || in[1] == '|'))
					in += 2;
				else if (in + 1 < end && (in[1] == '<' || in[1] == 'P' || in[1] == '\'')) {
					const char *c = memchr(in, in[1] == '\'' ? '\'' : '>', (size_t)(e - in));
					in = c ? c + 1 : e;
				} else
					zero_width = 1; /* option setting such as (?i) */
			}
			gs = in;
			ge = e;
			p = e + 1;
		} else if (*p == '.' || *p == '^' || *p == '$') {
			zero_width = *p != '.';
			p++;
		} else if (*p == '|') {
			return -1; /* caller splits alternatives */
		} else {
			lit = *p;
			p++;
		}
		int optional, repeat;
		p = quant(p, end, &optional, &repeat);
		if (zero_width && !gs)
			optional = 1;
		if (gs && zero_width)
			optional = 1;
		if (lit >= 0 && !optional) {
			if (lit >= 'A' && lit <= 'Z')
				lit += 32;
			if (rl < sizeof run)
				run[rl++] = (char)lit;
			if (!repeat)
				continue;
		} else if (gs && !optional && grp == NULL) {
			grp = gs;
			grpend = ge;
		}
		if (zero_width && !gs && !optional)
			continue;
		if (rl > bl) {
			memcpy(best, run, rl);
			bl = rl;
		}
		rl = 0;
	}
	if (rl > bl) {
		memcpy(best, run, rl);
		bl = rl;
	}
	if (bl >= MIN_LIT)
		return add(g, best, bl);
	if (grp)
		return seq_lits(grp, grpend, g);
	return -1;
}

/* A sequence with top-level alternatives: every one must give literals. */
static int seq_lits(const char *p, const char *end, struct bounce_gate *g)
{
	const char *a = p;
	int depth = 0;
	for (const char *q = p; q <= end; q++) {
		if (q < end && *q == '\\') {
			q++;
			continue;
		}
		if (q < end && *q == '[') {
			q++;
			if (q < end && *q == '^')
				q++;
			if (q < end && *q == ']')
				q++;
			while (q < end && *q != ']') {
				if (*q == '\\')
					q++;
				q++;
			}
			continue;
		}
		if (q < end && *q == '(')
			depth++;
		else if (q < end && *q == ')')
			depth--;
		else if (q == end || (*q == '|' && depth == 0)) {
			if (alt_lits(a, q, g) != 0)
				return -1;
			a = q + 1;
		}
	}
	return 0;
}

void bounce_gate_derive(const char *src, struct bounce_gate *g)
{
	memset(g, 0, sizeof *g);
	if (seq_lits(src, src + strlen(src), g) != 0)
		memset(g, 0, sizeof *g);
}

/* memchr for the literal's rarest byte, then compare around it: glibc's
 * memchr is vectorised, memmem has a large per-call cost for the short
 * subjects (a rejection line) that dominate here. */
static int has_lit(const char *s, size_t n, const char *lit, size_t len, size_t a)
{
	if (n < len)
		return 0;
	const char *p = s + a, *end = s + (n - len) + a + 1;
	while (p < end && (p = memchr(p, lit[a], (size_t)(end - p))) != NULL) {
		if (memcmp(p - a, lit, len) == 0)
			return 1;
		p++;
	}
	return 0;
}

int bounce_gate_pass(const struct bounce_gate *g, const char *s, size_t n)
{
	if (g->n == 0)
		return 1;
	for (int i = 0; i < g->n; i++)
		if (has_lit(s, n, g->lit[i], g->len[i], g->anchor[i]))
			return 1;
	return 0;
}
