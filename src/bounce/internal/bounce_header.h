/* RFC 5322 header fields over a buffer with LF line ends (the MIME layer
 * normalises CRLF and CR first). Nothing is copied: fields are spans into
 * the caller's buffer. Also used on DSN field blocks (RFC 3464), which
 * have the same syntax. */
#ifndef PORTAL_BOUNCE_HEADER_H
#define PORTAL_BOUNCE_HEADER_H

#include <stdbool.h>
#include <stddef.h>

struct bounce_hdr {
	const char *name;   /* field name, not terminated */
	size_t namelen;
	const char *val;    /* raw value after the colon, folds included */
	size_t vallen;
};

/* Reads the field at p into *h. Returns the position after the field and
 * its continuation lines, or NULL when p is at the end of the block (blank
 * line, end of buffer, or a line that is not a field). */
const char *bounce_hdr_next(const char *p, const char *end, struct bounce_hdr *h);

/* Returns where the body starts: after the blank line that ends the header
 * block at p, or at the first line that is not a field. */
const char *bounce_hdr_block_end(const char *p, const char *end);

/* True when the n bytes at a equal those at b, ASCII case-insensitively. */
bool bounce_hdr_name_eq(const char *a, const char *b, size_t n);

/* True when h's name equals name (ASCII case-insensitive). Inline so that
 * the length of a literal name is known at compile time and most fields
 * are told apart by their length alone. */
static inline bool bounce_hdr_is(const struct bounce_hdr *h, const char *name)
{
	size_t n = __builtin_strlen(name);
	return h->namelen == n && bounce_hdr_name_eq(h->name, name, n);
}

/* Copies v (n bytes) to out (outsz > 0), folding every run of whitespace
 * (line breaks included) to one space and trimming both ends. Returns the
 * length written; out is always NUL-terminated. */
size_t bounce_hdr_unfold(const char *v, size_t n, char *out, size_t outsz);

/* Finds parameter param (e.g. "boundary") of a structured value such as a
 * Content-Type and copies its value, unquoted, to out. Returns true when
 * found and non-empty. */
bool bounce_hdr_param(const char *v, size_t n, const char *param, char *out, size_t outsz);

#endif
