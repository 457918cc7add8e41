/* Literal gates for the bounce patterns: from a regex source, the set of
 * lower-case literals one of which every match must contain. The analyzer
 * runs a pattern only when one of its literals occurs in the text (a
 * memmem per literal instead of a regex pass), which is what makes
 * ~100 patterns per message affordable. Derived automatically so that
 * the knowledge files stay plain regexes. */
#ifndef PORTAL_BOUNCE_GATE_H
#define PORTAL_BOUNCE_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOUNCE_GATE_MAX   24   /* literals per pattern; more = no gate */
#define BOUNCE_GATE_LEN   24   /* longest literal kept (prefix is enough) */
#define BOUNCE_GATE_MIN   2    /* shortest literal a "gate =" line may give */
#define BOUNCE_LITS_MAX   1024 /* distinct literals of all patterns together */
#define BOUNCE_LITS_WORDS (BOUNCE_LITS_MAX / 64)

struct bounce_gate {
	int n;                                   /* 0 = no gate: always run */
	char lit[BOUNCE_GATE_MAX][BOUNCE_GATE_LEN + 1];
	unsigned char len[BOUNCE_GATE_MAX];
	unsigned char anchor[BOUNCE_GATE_MAX];  /* rarest byte of the literal: memchr for it */
	/* the most bytes a match can have before the literal starts (-1:
	 * not known, then maxlen bounds it) */
	int pre[BOUNCE_GATE_MAX];
	/* filled by bounce_litset_add: the literals as ids of the set */
	uint16_t id[BOUNCE_GATE_MAX];
	bool in_set;                             /* false: run without the set's help */
	uint64_t mask[BOUNCE_LITS_WORDS];        /* bit i: literal id i is one of ours */
	int maxlen;                              /* longest match in bytes, -1 unbounded */
};

/* Every gate literal of the knowledge, for one pass over a text that
 * finds all of them at once (a 3-byte hash of each position, 2-byte
 * literals in a side table) instead of one search per literal. */
struct bounce_litset {
	size_t n;                                /* distinct literals */
	size_t words;                            /* (n + 63) / 64 */
	char lit[BOUNCE_LITS_MAX][BOUNCE_GATE_LEN + 1];
	unsigned char len[BOUNCE_LITS_MAX];
	uint64_t filter3[4096 / 64];             /* bucket non-empty */
	uint16_t bstart[4096 + 1];               /* bucket -> range of bids */
	uint16_t bids[BOUNCE_LITS_MAX];          /* 3+ byte literal ids by bucket */
	uint32_t bkey[BOUNCE_LITS_MAX];          /* ... and their first 3 bytes */
	uint64_t filter2[4096 / 64];             /* some 2-byte literal hashes here */
	uint16_t ids2[BOUNCE_LITS_MAX];          /* 2-byte literal ids */
	size_t n2;
};

#define BOUNCE_OCC_NONE UINT32_MAX

/* One occurrence of a literal in a scanned region. */
struct bounce_occ {
	uint32_t pos;
	uint32_t next;                           /* next occurrence of this literal, or NONE */
	uint16_t lit;
};

/* What one scan of a region [from, to) of a text found: which literals
 * occur (wholly inside the region) and where, in position order. */
struct bounce_occs {
	size_t from, to;
	bool valid;
	bool oom;                                /* occ incomplete: present still is */
	uint64_t present[BOUNCE_LITS_WORDS];
	struct bounce_occ *occ;                  /* in position order */
	size_t nocc, cap;
	uint32_t first[BOUNCE_LITS_MAX];         /* per present literal: its first occurrence */
};

/* Derives the gate of pattern src. When some way through the pattern has
 * no literal of 3+ bytes, g->n is 0 (the pattern always runs). */
void bounce_gate_derive(const char *src, struct bounce_gate *g);

/* Derivation steps shared by bounce_gate.c and bounce_gate_set.c: adds
 * one literal (0, or -1 when g is full), and derives the literals of one
 * alternative [p, end) by text sets (0, or -1 when it has none). */
int bounce_gate_add(struct bounce_gate *g, const char *lit, size_t n, int pre);
int bounce_gate_texts(const char *p, const char *end, struct bounce_gate *g, int base);

/* The longest text regex src can match, in bytes (non-UTF mode), or -1
 * when it is unbounded or the source uses something not understood here
 * (then no bound is assumed). */
int bounce_gate_maxlen(const char *src);

/* Gives g's literals ids in set (and g->mask). A gate whose literals do
 * not fit stays out of the set (the pattern then always runs). */
void bounce_litset_add(struct bounce_litset *set, struct bounce_gate *g);
/* Builds the hash tables once every gate was added. */
void bounce_litset_finish(struct bounce_litset *set);

/* Scans s[from, to) for every literal of set (ASCII case-insensitively)
 * into out (its occ storage is reused; free with bounce_occs_free). */
void bounce_litset_scan(const struct bounce_litset *set, const char *s, size_t from, size_t to,
                        struct bounce_occs *out);
void bounce_occs_free(struct bounce_occs *o);

/* True when one of g's literals occurs in the scanned region (always
 * true for a gate outside the set or without literals). */
static inline bool bounce_gate_any(const struct bounce_litset *set, const struct bounce_gate *g,
                                   const struct bounce_occs *o)
{
	if (g->n == 0 || !g->in_set)
		return true;
	for (size_t w = 0; w < set->words; w++)
		if (g->mask[w] & o->present[w])
			return true;
	return false;
}

static inline bool bounce_gate_has(const struct bounce_gate *g, unsigned lit)
{
	return (g->mask[lit / 64] >> (lit % 64)) & 1;
}

#endif
