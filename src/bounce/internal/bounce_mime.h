/* The MIME layer of the bounce analyzer: turns a raw message (or pasted
 * text) into the three texts the analysis reads. Hand-written rather than
 * GMime: see docs/bounce.md for the measurements behind that choice.
 *
 * Line endings are normalised to LF first (CRLF and CR-only alike), then
 * the MIME tree is walked with a depth and part limit, decoding base64 and
 * quoted-printable and converting charsets to UTF-8. */
#ifndef PORTAL_BOUNCE_MIME_H
#define PORTAL_BOUNCE_MIME_H

#include <stdbool.h>
#include <stddef.h>

#include "bounce_buf.h"
#include "core/err.h"

#define BOUNCE_MIME_MAX_DEPTH  8    /* nested multiparts followed */
#define BOUNCE_MIME_MAX_PARTS  64   /* body parts looked at in one message */

struct bounce_doc {
	struct bounce_buf text;    /* notification text: text/plain, HTML as text, plain bodies */
	struct bounce_buf dsn;     /* message/delivery-status bodies (RFC 3464 fields) */
	struct bounce_buf rethdr;  /* header block(s) of the returned message */
	struct bounce_buf tophdr;  /* top-level header block, LF line ends */
	bool is_message;           /* input began with real message headers */
	bool is_mime;              /* a multipart structure was walked */
	unsigned parts;
};

/* Parses len bytes into doc (zero it first). Returns PERR_OK, or
 * PERR_NOMEM (doc may then hold partial buffers: free it anyway).
 * Release with bounce_doc_free(). */
enum perr bounce_mime_parse(const char *in, size_t len, struct bounce_doc *doc);

/* Frees the buffers of doc. */
void bounce_doc_free(struct bounce_doc *doc);

/* Copies in (len bytes) to out with CRLF and lone CR turned into LF.
 * Exposed for the fuzz target and tests. */
void bounce_mime_normalize_eol(const char *in, size_t len, struct bounce_buf *out);

#endif
