/* The literal gate of a pattern (bounce_gate.h): from the regex source,
 * the literals one of which every match contains, and how far into a
 * match each can start. */
#include "internal/bounce_gate.h"
#include "internal/bounce_resyntax.h"

#include <stdlib.h>
#include <string.h>

#define MIN_LIT 3

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

/* Adds literal lit (n bytes, lower case) to g with its bound pre (the
 * most bytes a match can have before it; -1 unknown). 0, or -1 when g
 * is full. */
int bounce_gate_add(struct bounce_gate *g, const char *lit, size_t n, int pre)
{
	if (n > BOUNCE_GATE_LEN)
		n = BOUNCE_GATE_LEN;
	for (int i = 0; i < g->n; i++)
		if (g->len[i] == n && memcmp(g->lit[i], lit, n) == 0) {
			/* the same literal in another alternative: the larger bound */
			if (g->pre[i] >= 0 && (pre < 0 || pre > g->pre[i]))
				g->pre[i] = pre;
			return 0;
		}
	if (g->n >= BOUNCE_GATE_MAX)
		return -1;
	g->pre[g->n] = pre;
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

static int seq_lits(const char *p, const char *end, struct bounce_gate *g, int base);

/* One alternative (no top-level '|'): its longest mandatory literal run,
 * else the literals of its first mandatory group, else text sets
 * (bounce_gate_set.c). 0 on success, -1 when
 * it has no usable literal. base is the most bytes a match can have
 * before the alternative starts (-1 unbounded); each literal records the
 * most bytes a match can have before it. */
static int alt_lits(const char *p, const char *end, struct bounce_gate *g, int base)
{
	const char *start = p;
	char run[64], best[64];
	size_t rl = 0, bl = 0;
	const char *grp = NULL, *grpend = NULL;
	int pre = 0, run_pre = 0, best_pre = 0, grp_pre = 0; /* bytes before, within the alternative */
	while (p < end) {
		const char *atom = p;
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
			const char *q = bounce_re_class_end(p, end);
			p = q < end ? q + 1 : end;
		} else if (*p == '(') {
			const char *e = bounce_re_group_end(p, end);
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
		const char *atom_end = p, *qp = p;
		int optional, repeat;
		p = quant(p, end, &optional, &repeat);
		int before = pre; /* bytes a match can have before this atom */
		pre = bounce_len_add(pre, bounce_len_mul(bounce_re_alt_maxlen(atom, atom_end), bounce_re_quant_max(&qp, end)));
		if (zero_width && !gs)
			optional = 1;
		if (gs && zero_width)
			optional = 1;
		if (lit >= 0 && !optional) {
			if (lit >= 'A' && lit <= 'Z')
				lit += 32;
			if (rl == 0)
				run_pre = before;
			if (rl < sizeof run)
				run[rl++] = (char)lit;
			if (!repeat)
				continue;
		} else if (gs && !optional && grp == NULL) {
			grp = gs;
			grpend = ge;
			grp_pre = before;
		}
		if (zero_width && !gs && !optional)
			continue;
		if (rl > bl) {
			memcpy(best, run, rl);
			bl = rl;
			best_pre = run_pre;
		}
		rl = 0;
	}
	if (rl > bl) {
		memcpy(best, run, rl);
		bl = rl;
		best_pre = run_pre;
	}
	if (bl >= MIN_LIT)
		return bounce_gate_add(g, best, bl, bounce_len_add(base, best_pre));
	int had = g->n;
	if (grp && seq_lits(grp, grpend, g, bounce_len_add(base, grp_pre)) == 0)
		return 0;
	g->n = had;
	return bounce_gate_texts(start, end, g, base);
}

/* A sequence with top-level alternatives: every one must give literals. */
static int seq_lits(const char *p, const char *end, struct bounce_gate *g, int base)
{
	for (const char *a = p;;) {
		const char *q = bounce_re_alt_end(a, end);
		if (alt_lits(a, q, g, base) != 0)
			return -1;
		if (q >= end)
			return 0;
		a = q + 1;
	}
}

void bounce_gate_derive(const char *src, struct bounce_gate *g)
{
	memset(g, 0, sizeof *g);
	if (seq_lits(src, src + strlen(src), g, 0) != 0)
		memset(g, 0, sizeof *g);
}
