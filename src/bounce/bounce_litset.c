/* Every gate literal of the knowledge in one set, found in a text by one
 * pass (bounce_gate.h): a 3-byte hash of each position, 2-byte literals
 * in a side table. */
#include "internal/bounce_gate.h"

#include <stdlib.h>
#include <string.h>

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
