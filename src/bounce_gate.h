/* Literal gates for the bounce patterns: from a regex source, the set of
 * lower-case literals one of which every match must contain. The analyzer
 * runs a pattern only when one of its literals occurs in the text (a
 * memmem per literal instead of a regex pass), which is what makes
 * ~100 patterns per message affordable. Derived automatically so that
 * the knowledge files stay plain regexes. */
#ifndef PORTAL_BOUNCE_GATE_H
#define PORTAL_BOUNCE_GATE_H

#include <stddef.h>

#define BOUNCE_GATE_MAX   24   /* literals per pattern; more = no gate */
#define BOUNCE_GATE_LEN   24   /* longest literal kept (prefix is enough) */

struct bounce_gate {
	int n;                                   /* 0 = no gate: always run */
	char lit[BOUNCE_GATE_MAX][BOUNCE_GATE_LEN + 1];
	unsigned char len[BOUNCE_GATE_MAX];
	unsigned char anchor[BOUNCE_GATE_MAX];  /* rarest byte of the literal: memchr for it */
};

/* Derives the gate of pattern src. When some way through the pattern has
 * no literal of 3+ bytes, g->n is 0 (the pattern always runs). */
void bounce_gate_derive(const char *src, struct bounce_gate *g);

/* True when lower-cased text s (n bytes) contains one of g's literals, or
 * when g has none. */
int bounce_gate_pass(const struct bounce_gate *g, const char *s, size_t n);

#endif
