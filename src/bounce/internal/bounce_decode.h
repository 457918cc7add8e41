/* Content decoders of the bounce MIME layer: transfer encodings, HTML to
 * text, charsets to UTF-8. Each appends to a bounce_buf and never reads
 * past the span it is given; malformed input is decoded as far as it goes
 * (a bounce is evidence, not a contract). */
#ifndef PORTAL_BOUNCE_DECODE_H
#define PORTAL_BOUNCE_DECODE_H

#include <stddef.h>

#include "bounce_buf.h"

/* Base64: skips bytes outside the alphabet, stops at '='. */
void bounce_decode_base64(const char *s, size_t n, struct bounce_buf *out);

/* Quoted-printable: "=XX" and soft line breaks ("=\n"), so an IP split by
 * a soft break comes out whole. */
void bounce_decode_qp(const char *s, size_t n, struct bounce_buf *out);

/* HTML to plain text: drops tags, comments, <style>/<script> bodies; block
 * tags become line breaks; common entities decoded. */
void bounce_decode_html(const char *s, size_t n, struct bounce_buf *out);

/* Converts s from charset to UTF-8 (iconv). Pure ASCII and "utf-8" are
 * copied; unknown charsets are treated as ISO-8859-1 so that the ASCII
 * SMTP text inside survives. Unconvertible bytes become '?'. */
void bounce_decode_charset(const char *s, size_t n, const char *charset,
                           struct bounce_buf *out);

/* Copies s to out as valid UTF-8: invalid sequences and control bytes
 * other than \n and \t become '?'. Returns the new length. out must hold
 * n + 1 bytes. */
size_t bounce_utf8_sanitize(const char *s, size_t n, char *out);

#endif
