#include "internal/bounce_buf.h"

#include <stdlib.h>
#include <string.h>

/* Grows b so that n more bytes plus a NUL fit. Returns false (and sets
 * oom) when memory runs out or the size would overflow. */
bool bounce_buf_reserve(struct bounce_buf *b, size_t n)
{
	if (b->oom)
		return false;
	if (n > (size_t)-1 / 2 - b->len - 1) {
		b->oom = true;
		return false;
	}
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (p == NULL) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

/* Appends n bytes of s, truncating at b->limit when one is set. */
void bounce_buf_put(struct bounce_buf *b, const char *s, size_t n)
{
	if (b->limit && b->len + n > b->limit)
		n = b->len < b->limit ? b->limit - b->len : 0;
	if (n == 0 || !bounce_buf_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Appends one byte. */
void bounce_buf_putc(struct bounce_buf *b, char c)
{
	bounce_buf_put(b, &c, 1);
}

/* Appends a NUL-terminated string. */
void bounce_buf_puts(struct bounce_buf *b, const char *s)
{
	bounce_buf_put(b, s, strlen(s));
}

/* Frees the storage and zeroes b (the limit is kept). */
void bounce_buf_free(struct bounce_buf *b)
{
	size_t limit = b->limit;
	free(b->p);
	memset(b, 0, sizeof *b);
	b->limit = limit;
}
