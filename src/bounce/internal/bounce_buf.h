/* A growable byte buffer for the bounce analyzer's decoded text. Appends
 * never fail loudly: an allocation failure sets .oom and later appends are
 * dropped, so callers check once at the end instead of after every call. */
#ifndef PORTAL_BOUNCE_BUF_H
#define PORTAL_BOUNCE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct bounce_buf {
	char *p;       /* always NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
	size_t limit;  /* 0 = no limit; appends past it are truncated */
	bool oom;
};

/* Appends n bytes of s. */
void bounce_buf_put(struct bounce_buf *b, const char *s, size_t n);
/* Appends one byte. */
void bounce_buf_putc(struct bounce_buf *b, char c);
/* Appends a NUL-terminated string. */
void bounce_buf_puts(struct bounce_buf *b, const char *s);
/* Makes sure room for n more bytes exists (returns false when not). */
bool bounce_buf_reserve(struct bounce_buf *b, size_t n);
/* Frees the storage and zeroes b. */
void bounce_buf_free(struct bounce_buf *b);

#endif
