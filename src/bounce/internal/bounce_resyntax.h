/* Reading a PCRE2 pattern's source (bounce_resyntax.c), for the gate
 * derivation. Lengths are in bytes; -1 means unbounded or not understood,
 * and saturates: any sum or product with -1 is -1. */
#ifndef PORTAL_BOUNCE_RESYNTAX_H
#define PORTAL_BOUNCE_RESYNTAX_H

/* The ']' closing the character class that starts at p ('['); end when
 * unclosed. */
const char *bounce_re_class_end(const char *p, const char *end);
/* The ')' closing the group that starts at p ('('), or NULL if
 * unbalanced. */
const char *bounce_re_group_end(const char *p, const char *end);
/* The end of the top-level alternative starting at p: the next '|'
 * outside groups and classes, or end. */
const char *bounce_re_alt_end(const char *p, const char *end);
/* Reads a quantifier at *pp (advancing past it): the most repeats it
 * allows, -1 unbounded, 1 when there is none. */
int bounce_re_quant_max(const char **pp, const char *end);
/* Longest match of [p, end), a sequence without top-level '|'. */
int bounce_re_alt_maxlen(const char *p, const char *end);
/* a + b and a * m, saturating at -1. */
int bounce_len_add(int a, int b);
int bounce_len_mul(int a, int m);

#endif
