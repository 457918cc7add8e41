#include "internal/bounce_gate.h"

#include <stdlib.h>
#include <string.h>

#define MIN_LIT 3

static int alt_maxlen(const char *p, const char *end);
static int quant_max(const char **pp, const char *end);
static int len_add(int a, int b);
static int len_mul(int a, int m);

/* The ']' closing the character class that starts at p ('['), stepping
 * over escapes and POSIX classes such as [:alpha:]; end when unclosed. */
static const char *class_end(const char *p, const char *end)
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
static const char *group_end(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '[') {
			p = class_end(p, end);
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

static int add(struct bounce_gate *g, const char *lit, size_t n, int pre)
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
 * else the literals of its first mandatory group. 0 on success, -1 when
 * it has no usable literal. base is the most bytes a match can have
 * before the alternative starts (-1 unbounded); each literal records the
 * most bytes a match can have before it. */
static int alt_lits(const char *p, const char *end, struct bounce_gate *g, int base)
{
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
			const char *q = class_end(p, end);
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
		const char *atom_end = p, *qp = p;
		int optional, repeat;
		p = quant(p, end, &optional, &repeat);
		int before = pre; /* bytes a match can have before this atom */
		pre = len_add(pre, len_mul(alt_maxlen(atom, atom_end), quant_max(&qp, end)));
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
		return add(g, best, bl, len_add(base, best_pre));
	if (grp)
		return seq_lits(grp, grpend, g, len_add(base, grp_pre));
	return -1;
}

/* The end of the top-level alternative of a regex that starts at p: the
 * next '|' outside groups and classes, or end. */
static const char *alt_end(const char *p, const char *end)
{
	int depth = 0;
	for (const char *q = p; q < end; q++) {
		if (*q == '\\') {
			q++;
			continue;
		}
		if (*q == '[') {
			q = class_end(q, end);
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

/* A sequence with top-level alternatives: every one must give literals. */
static int seq_lits(const char *p, const char *end, struct bounce_gate *g, int base)
{
	for (const char *a = p;;) {
		const char *q = alt_end(a, end);
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

/* ---- longest match of a regex ---- */

#define MAXLEN_CAP 100000

/* Adds with saturation at "unbounded" (-1). */
static int len_add(int a, int b)
{
	if (a < 0 || b < 0 || a + b > MAXLEN_CAP)
		return -1;
	return a + b;
}

static int len_mul(int a, int m)
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
static int quant_max(const char **pp, const char *end)
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
static int alt_maxlen(const char *p, const char *end)
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
			const char *q = class_end(p, end);
			if (q >= end)
				return -1;
			p = q + 1;
			atom = 1;
		} else if (*p == '(') {
			const char *e = group_end(p, end);
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
		int m = quant_max(&p, end);
		total = len_add(total, len_mul(atom, m));
		if (total < 0)
			return -1;
	}
	return total;
}

static int seq_maxlen(const char *p, const char *end)
{
	int best = 0;
	for (const char *a = p;;) {
		const char *q = alt_end(a, end);
		int l = alt_maxlen(a, q);
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

/* ---- all literals in one pass ---- */

static const unsigned char lower_tab[256] = {
#define L4(i) L1(i), L1(i + 1), L1(i + 2), L1(i + 3)
#define L1(i) (unsigned char)((i) >= 'A' && (i) <= 'Z' ? (i) + 32 : (i))
#define L16(i) L4(i), L4(i + 4), L4(i + 8), L4(i + 12)
#define L64(i) L16(i), L16(i + 16), L16(i + 32), L16(i + 48)
	L64(0), L64(64), L64(128), L64(192)
#undef L64
#undef L16
#undef L4
#undef L1
};

static inline unsigned hash3(unsigned a, unsigned b, unsigned c)
{
	return (((a | b << 8 | c << 16) * 2654435761u) >> 20) & 4095;
}

static inline unsigned hash2(unsigned a, unsigned b)
{
	return (((a | b << 8) * 2654435761u) >> 20) & 4095;
}

void bounce_litset_add(struct bounce_litset *set, struct bounce_gate *g)
{
	uint16_t ids[BOUNCE_GATE_MAX];
	g->in_set = false;
	memset(g->mask, 0, sizeof g->mask);
	if (g->n == 0)
		return;
	for (int i = 0; i < g->n; i++) {
		size_t l = g->len[i], j;
		if (l < 2)
			return;
		for (j = 0; j < set->n; j++)
			if (set->len[j] == l && memcmp(set->lit[j], g->lit[i], l) == 0)
				break;
		if (j == set->n) {
			if (set->n >= BOUNCE_LITS_MAX)
				return;
			memcpy(set->lit[j], g->lit[i], l + 1);
			set->len[j] = (unsigned char)l;
			set->n++;
		}
		ids[i] = (uint16_t)j;
	}
	for (int i = 0; i < g->n; i++) {
		g->id[i] = ids[i];
		g->mask[ids[i] / 64] |= (uint64_t)1 << (ids[i] % 64);
	}
	g->in_set = true;
	set->words = (set->n + 63) / 64;
}

void bounce_litset_finish(struct bounce_litset *set)
{
	uint16_t count[4096] = {0};
	memset(set->filter3, 0, sizeof set->filter3);
	memset(set->filter2, 0, sizeof set->filter2);
	set->n2 = 0;
	for (size_t i = 0; i < set->n; i++) {
		const unsigned char *l = (const unsigned char *)set->lit[i];
		if (set->len[i] == 2) {
			unsigned h = hash2(l[0], l[1]);
			set->filter2[h / 64] |= (uint64_t)1 << (h % 64);
			set->ids2[set->n2++] = (uint16_t)i;
			continue;
		}
		count[hash3(l[0], l[1], l[2])]++;
	}
	set->bstart[0] = 0;
	for (unsigned h = 0; h < 4096; h++) {
		set->bstart[h + 1] = (uint16_t)(set->bstart[h] + count[h]);
		if (count[h])
			set->filter3[h / 64] |= (uint64_t)1 << (h % 64);
		count[h] = 0;
	}
	for (size_t i = 0; i < set->n; i++) {
		const unsigned char *l = (const unsigned char *)set->lit[i];
		if (set->len[i] == 2)
			continue;
		unsigned h = hash3(l[0], l[1], l[2]);
		set->bkey[set->bstart[h] + count[h]] = (uint32_t)(l[0] | l[1] << 8 | l[2] << 16);
		set->bids[set->bstart[h] + count[h]++] = (uint16_t)i;
	}
	set->words = (set->n + 63) / 64;
}

static void occ_add(struct bounce_occs *o, size_t pos, unsigned lit)
{
	o->present[lit / 64] |= (uint64_t)1 << (lit % 64);
	if (o->oom)
		return;
	if (o->nocc == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct bounce_occ *p = realloc(o->occ, cap * sizeof *p);
		if (p == NULL) {
			o->oom = true;
			return;
		}
		o->occ = p;
		o->cap = cap;
	}
	o->occ[o->nocc].pos = (uint32_t)pos;
	o->occ[o->nocc].lit = (uint16_t)lit;
	o->nocc++;
}

/* Chains the occurrences of each literal (first[] and next). */
static void occ_link(struct bounce_occs *o, size_t words)
{
	for (size_t w = 0; w < words; w++)
		for (uint64_t m = o->present[w]; m; m &= m - 1)
			o->first[w * 64 + (size_t)__builtin_ctzll(m)] = BOUNCE_OCC_NONE;
	for (size_t k = o->nocc; k-- > 0;) {
		unsigned lit = o->occ[k].lit;
		o->occ[k].next = o->first[lit];
		o->first[lit] = (uint32_t)k;
	}
}

/* Case-insensitive compare of s with lower-case literal l (n bytes). */
static inline bool lit_eq(const unsigned char *s, const char *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower_tab[s[i]] != (unsigned char)l[i])
			return false;
	return true;
}

/* The literals of bucket h that start at s[i] (whose first bytes are a b c). */
static inline void scan_bucket(const struct bounce_litset *set, const unsigned char *s, size_t i,
                               size_t to, unsigned h, unsigned a, unsigned b, unsigned c,
                               struct bounce_occs *o)
{
	uint32_t key = (uint32_t)(a | b << 8 | c << 16);
	for (unsigned k = set->bstart[h]; k < set->bstart[h + 1]; k++) {
		if (set->bkey[k] != key)
			continue;
		unsigned id = set->bids[k];
		size_t l = set->len[id];
		if (l <= to - i && lit_eq(s + i + 3, set->lit[id] + 3, l - 3))
			occ_add(o, i, id);
	}
}

void bounce_litset_scan(const struct bounce_litset *set, const char *text, size_t from, size_t to,
                        struct bounce_occs *o)
{
	const unsigned char *s = (const unsigned char *)text;
	o->from = from;
	o->to = to;
	o->valid = true;
	o->oom = false;
	o->nocc = 0;
	memset(o->present, 0, sizeof o->present);
	if ((uint64_t)to > UINT32_MAX) {
		/* positions would not fit: every gate passes, regexes search it all */
		memset(o->present, 0xff, sizeof o->present);
		o->oom = true;
		return;
	}
	if (to <= from || to - from < 2)
		return;
	unsigned a = lower_tab[s[from]], b = lower_tab[s[from + 1]];
	if (set->n2 == 0) {
		/* the common case: 3-byte hash only */
		for (size_t i = from; i + 3 <= to; i++) {
			unsigned c = lower_tab[s[i + 2]];
			unsigned h = hash3(a, b, c);
			if ((set->filter3[h / 64] >> (h % 64)) & 1)
				scan_bucket(set, s, i, to, h, a, b, c, o);
			a = b;
			b = c;
		}
		occ_link(o, set->words);
		return;
	}
	for (size_t i = from; i + 2 <= to; i++) {
		if (set->n2) {
			unsigned h2 = hash2(a, b);
			if ((set->filter2[h2 / 64] >> (h2 % 64)) & 1)
				for (size_t k = 0; k < set->n2; k++) {
					unsigned id = set->ids2[k];
					if ((unsigned char)set->lit[id][0] == a && (unsigned char)set->lit[id][1] == b)
						occ_add(o, i, id);
				}
		}
		if (i + 3 > to)
			break;
		unsigned c = lower_tab[s[i + 2]];
		unsigned h = hash3(a, b, c);
		if ((set->filter3[h / 64] >> (h % 64)) & 1)
			scan_bucket(set, s, i, to, h, a, b, c, o);
		a = b;
		b = c;
	}
	occ_link(o, set->words);
}

void bounce_occs_free(struct bounce_occs *o)
{
	free(o->occ);
	o->occ = NULL;
	o->nocc = o->cap = 0;
	o->valid = false;
}
