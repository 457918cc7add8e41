/* The gated pattern matcher: runs a knowledge pattern only where one of
 * its gate literals occurs (bounce_gate.h), with the same first match as
 * one search over the whole text. */
#include <string.h>

#include "internal/bounce_ctx.h"

/* Copies capture group g of the last match into out; false if unset. */
bool bounce_capture(struct bounce_ctx *c, const char *subj, uint32_t g, char *out, size_t outsz)
{
	if (g == 0)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g])
		return false;
	size_t n = ov[2 * g + 1] - ov[2 * g];
	if (n == 0 || n >= outsz)
		return false;
	memcpy(out, subj + ov[2 * g], n);
	out[n] = '\0';
	return true;
}

/* Parses a captured address, dropping the sentence punctuation that
 * a greedy [0-9a-f.:] class takes along. */
bool bounce_capture_ip(const char *cap, char out[BOUNCE_IP_STRLEN])
{
	size_t n = strlen(cap);
	while (n > 0 && (cap[n - 1] == '.' || (cap[n - 1] == ':' && !(n >= 2 && cap[n - 2] == ':'))))
		n--;
	return bounce_ip_parse(cap, n, out, NULL);
}

/* The gate literals found in scan[from, to): one pass over the region
 * for all patterns, kept for the next patterns that read it. */
static const struct bounce_occs *region(struct bounce_ctx *c, size_t from, size_t to)
{
	struct bounce_occs *o = &c->regions[c->last_region];
	if (o->valid && o->from == from && o->to == to)
		return o;
	for (unsigned i = 0; i < NREGIONS; i++)
		if (c->regions[i].valid && c->regions[i].from == from && c->regions[i].to == to) {
			c->last_region = i;
			return &c->regions[i];
		}
	c->last_region = c->next_region++ % NREGIONS;
	o = &c->regions[c->last_region];
	bounce_litset_scan(c->k->lits, c->scan.p ? c->scan.p : "", from, to, o);
	return o;
}

/* pcre2_match over s[0, n) for a match starting in [start, limit]. */
static long run_re(struct bounce_ctx *c, const pcre2_code *re, const char *s, size_t n, size_t start,
                   PCRE2_SIZE limit)
{
	pcre2_set_offset_limit(c->mctx, limit);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, start, 0, c->md, c->mctx);
	if (rc < 0)
		return -1;
	return (long)pcre2_get_ovector_pointer(c->md)[0];
}

/* Where one of a pattern's literals next occurs, and the most bytes a
 * match can have before that literal (-1: unbounded). */
struct cursor {
	uint32_t occ;   /* index into the region's occurrence list */
	int pre;
};

/* The bound of literal id lit in gate g: its own, else the longest
 * match. */
static int literal_pre(const struct bounce_gate *g, unsigned lit)
{
	for (int i = 0; i < g->n; i++)
		if (g->id[i] == lit)
			return g->pre[i] >= 0 ? g->pre[i] : g->maxlen;
	return g->maxlen;
}

/* One cursor per literal of g present in region o, at its first
 * occurrence at or after start. Returns how many. */
static size_t open_cursors(const struct bounce_ctx *c, const struct bounce_gate *g,
                           const struct bounce_occs *o, size_t start,
                           struct cursor cur[BOUNCE_GATE_MAX])
{
	size_t nc = 0;
	for (size_t w = 0; w < c->k->lits->words; w++) {
		uint64_t m = g->mask[w] & o->present[w];
		while (m && nc < BOUNCE_GATE_MAX) {
			unsigned lit = (unsigned)(w * 64 + (size_t)__builtin_ctzll(m));
			m &= m - 1;
			uint32_t k = o->first[lit];
			while (k != BOUNCE_OCC_NONE && o->occ[k].pos < start)
				k = o->occ[k].next;
			if (k == BOUNCE_OCC_NONE)
				continue;
			cur[nc].pre = literal_pre(g, lit);
			cur[nc++].occ = k;
		}
	}
	return nc;
}

/* The cursor whose window [occurrence - pre, occurrence] starts first
 * (not before start); its window start into *a. */
static size_t first_window(const struct bounce_occs *o, const struct cursor *cur, size_t nc,
                           size_t start, size_t *a)
{
	size_t j = 0;
	for (size_t i = 0; i < nc; i++) {
		size_t pos = o->occ[cur[i].occ].pos;
		int pre = cur[i].pre;
		size_t ai = pre < 0 || pos < start + (size_t)pre ? start : pos - (size_t)pre;
		if (i == 0 || ai < *a) {
			*a = ai;
			j = i;
		}
	}
	return j;
}

/* First match of pattern p in scan[0, n) that starts at or after start,
 * reading the gate literals of region [from, n) (from <= start).
 *
 * Every match holds one of the pattern's literals, and starts at most
 * pre bytes before it (pre: the longest the regex can match before that
 * literal, else its longest match, else unbounded; bounce_gate.c). So a
 * match can only start in a window [occurrence - pre, occurrence] of an
 * occurrence at or after start. The regex is tried from those windows
 * alone (PCRE2's offset limit ends each), merged, in text order: the
 * same first match as one search over the whole text, without walking
 * the text between the windows. */
long bounce_match_from(struct bounce_ctx *c, const struct kb_pattern *p, size_t from, size_t start,
                       size_t n)
{
	if (p->re == NULL || start > n || from > start)
		return -1;
	const char *s = c->scan.p ? c->scan.p : "";
	const struct bounce_gate *g = &p->gate;
	if (g->n == 0 || !g->in_set)
		return run_re(c, p->re, s, n, start, PCRE2_UNSET);
	const struct bounce_occs *o = region(c, from, n);
	if (!bounce_gate_any(c->k->lits, g, o))
		return -1;
	if (o->oom)
		return run_re(c, p->re, s, n, start, PCRE2_UNSET);
	struct cursor cur[BOUNCE_GATE_MAX];
	size_t nc = open_cursors(c, g, o, start, cur);
	size_t ws = 0, we = 0;
	bool open = false;
	while (nc > 0) {
		size_t a = 0;
		size_t j = first_window(o, cur, nc, start, &a);
		const struct bounce_occ *x = &o->occ[cur[j].occ];
		if (x->next == BOUNCE_OCC_NONE)
			cur[j] = cur[--nc];
		else
			cur[j].occ = x->next;
		if (open && a <= we + 1) {
			/* overlapping or adjacent: one window */
			if (x->pos > we)
				we = x->pos;
			continue;
		}
		if (open) {
			long r = run_re(c, p->re, s, n, ws, we);
			if (r >= 0)
				return r;
		}
		ws = a;
		we = x->pos;
		open = true;
	}
	return open ? run_re(c, p->re, s, n, ws, we) : -1;
}

/* Runs pattern p over scan[start, n); returns the match offset or -1. */
long bounce_match_scan(struct bounce_ctx *c, const struct kb_pattern *p, size_t start, size_t n)
{
	return bounce_match_from(c, p, start, start, n);
}

/* Runs re over s from start; returns the match offset or -1. */
long bounce_match_text(struct bounce_ctx *c, const pcre2_code *re, const char *s, size_t n, size_t start)
{
	if (re == NULL || start > n)
		return -1;
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, start, 0, c->md, NULL);
	if (rc < 0)
		return -1;
	return (long)pcre2_get_ovector_pointer(c->md)[0];
}
