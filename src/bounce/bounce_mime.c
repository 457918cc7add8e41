#include "internal/bounce_mime.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal/bounce_decode.h"
#include "internal/bounce_header.h"

/* What an entity's headers say about its body. */
struct entity {
	char type[64];       /* "text/plain", lower case */
	char boundary[80];   /* RFC 2046 caps boundaries at 70 */
	char charset[40];
	enum { CTE_IDENTITY, CTE_BASE64, CTE_QP } cte;
};

struct walk {
	struct bounce_doc *doc;
	struct bounce_buf tmp;     /* transfer-decoded body, reused */
	struct bounce_buf tmp2;    /* HTML-stripped body, reused */
};

void bounce_mime_normalize_eol(const char *in, size_t len, struct bounce_buf *out)
{
	if (!bounce_buf_reserve(out, len))
		return;
	char *o = out->p + out->len;
	const char *p = in, *end = in + len;
	while (p < end) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		if (cr == NULL) {
			memcpy(o, p, (size_t)(end - p));
			o += end - p;
			break;
		}
		memcpy(o, p, (size_t)(cr - p));
		o += cr - p;
		*o++ = '\n';
		p = cr + 1;
		if (p < end && *p == '\n')
			p++;
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

static bool is_message_header(const struct bounce_hdr *h);

/* Reads the headers of the entity at [p,end) into *e. Returns the start
 * of its body. Without a Content-Type the default (text/plain, or
 * message/rfc822 inside multipart/digest) applies. When msgfields is not
 * NULL, the fields that only a message has are counted there. */
static const char *read_entity(const char *p, const char *end, const char *deftype,
                               struct entity *e, unsigned *msgfields)
{
	struct bounce_hdr h;
	const char *q;
	memset(e, 0, sizeof *e);
	size_t dl = strlen(deftype);
	memcpy(e->type, deftype, dl < sizeof e->type ? dl + 1 : 1);
	while ((q = bounce_hdr_next(p, end, &h)) != NULL) {
		if (msgfields && *msgfields == 0) /* one is enough */
			*msgfields += is_message_header(&h);
		if (h.namelen < 12 || (h.name[0] | 0x20) != 'c') {
			/* neither Content-Type nor Content-Transfer-Encoding */
		} else if (bounce_hdr_is(&h, "Content-Type")) {
			char v[512];
			size_t vl = bounce_hdr_unfold(h.val, h.vallen, v, sizeof v);
			size_t tl = strcspn(v, "; ");
			if (tl > 0 && tl < sizeof e->type && memchr(v, '/', tl)) {
				memcpy(e->type, v, tl);
				e->type[tl] = '\0';
				lower(e->type);
			}
			bounce_hdr_param(v, vl, "boundary", e->boundary, sizeof e->boundary);
			bounce_hdr_param(v, vl, "charset", e->charset, sizeof e->charset);
		} else if (bounce_hdr_is(&h, "Content-Transfer-Encoding")) {
			char v[64];
			bounce_hdr_unfold(h.val, h.vallen, v, sizeof v);
			if (strncasecmp(v, "base64", 6) == 0)
				e->cte = CTE_BASE64;
			else if (strncasecmp(v, "quoted-printable", 16) == 0)
				e->cte = CTE_QP;
		}
		p = q;
	}
	if (p < end && *p == '\n')
		p++;
	return p;
}

/* Undoes the transfer encoding of [p,end) into w->tmp (reset first).
 * Returns the decoded span. */
static const char *decode_body(struct walk *w, const struct entity *e, const char *p,
                               const char *end, size_t *n)
{
	if (e->cte == CTE_IDENTITY) {
		*n = (size_t)(end - p);
		return p;
	}
	w->tmp.len = 0;
	if (e->cte == CTE_BASE64)
		bounce_decode_base64(p, (size_t)(end - p), &w->tmp);
	else
		bounce_decode_qp(p, (size_t)(end - p), &w->tmp);
	*n = w->tmp.len;
	return w->tmp.p ? w->tmp.p : "";
}

/* Appends a decoded text body to dst in UTF-8 with LF line ends, and makes
 * sure it ends with a newline so parts never run together. */
static void put_text(struct walk *w, struct bounce_buf *dst, const struct entity *e,
                     const char *s, size_t n)
{
	const char *src = s;
	size_t sn = n;
	if (e->cte == CTE_BASE64 && memchr(s, '\r', n)) {
		/* base64 hides CRLF from the first normalisation pass */
		w->tmp2.len = 0;
		bounce_mime_normalize_eol(s, n, &w->tmp2);
		src = w->tmp2.p ? w->tmp2.p : "";
		sn = w->tmp2.len;
	}
	if (strcmp(e->type, "text/html") == 0) {
		struct bounce_buf h = {0};
		bounce_decode_html(src, sn, &h);
		bounce_decode_charset(h.p ? h.p : "", h.len, e->charset, dst);
		dst->oom |= h.oom;
		bounce_buf_free(&h);
	} else {
		bounce_decode_charset(src, sn, e->charset, dst);
	}
	if (dst->len > 0 && dst->p[dst->len - 1] != '\n')
		bounce_buf_putc(dst, '\n');
}

static void walk_entity(struct walk *w, const char *p, const char *end, const char *deftype,
                        int depth);
static void walk_body(struct walk *w, const struct entity *e, const char *body, const char *end,
                      int depth);

/* Finds the next delimiter line "--boundary" at or after p that starts a
 * line. Returns its start or NULL. */
static const char *find_delim(const char *p, const char *end, const char *start,
                              const char *b, size_t bl)
{
	while (p < end) {
		const char *d = memmem(p, (size_t)(end - p), b, bl);
		if (d == NULL)
			return NULL;
		if (d == start || d[-1] == '\n')
			return d;
		p = d + 1;
	}
	return NULL;
}

/* Walks the parts of a multipart body [p,end). A boundary that never
 * closes ends at the end of the input. */
static void walk_multipart(struct walk *w, const struct entity *e, const char *p,
                           const char *end, int depth)
{
	char delim[84];
	int dl = snprintf(delim, sizeof delim, "--%s", e->boundary);
	if (dl <= 2 || (size_t)dl >= sizeof delim)
		return;
	const char *deftype = strcmp(e->type, "multipart/digest") == 0 ? "message/rfc822" : "text/plain";
	/* the parts of an alternative say the same thing: the HTML one is
	 * read only when there is no plain-text one (HTML is the costly one) */
	bool alt = strcmp(e->type, "multipart/alternative") == 0;
	bool have_plain = false;
	struct {
		struct entity e;
		const char *body, *end;
	} html[2];
	size_t nhtml = 0;
	const char *start = p;
	const char *d = find_delim(p, end, start, delim, (size_t)dl);
	if (d == NULL) {
		/* declared multipart, never delimited: read it as text */
		struct entity t = *e;
		snprintf(t.type, sizeof t.type, "text/plain");
		put_text(w, &w->doc->text, &t, p, (size_t)(end - p));
		return;
	}
	while (d != NULL && w->doc->parts < BOUNCE_MIME_MAX_PARTS) {
		const char *after = d + dl;
		if (end - after >= 2 && after[0] == '-' && after[1] == '-')
			break; /* close delimiter */
		const char *nl = memchr(after, '\n', (size_t)(end - after));
		if (nl == NULL)
			break;
		const char *body = nl + 1;
		const char *next = find_delim(body, end, start, delim, (size_t)dl);
		const char *pend = next ? next : end;
		/* the line break before a delimiter belongs to the delimiter */
		if (pend > body && pend[-1] == '\n')
			pend--;
		w->doc->parts++;
		d = next;
		if (!alt) {
			walk_entity(w, body, pend, deftype, depth + 1);
			continue;
		}
		if (depth + 1 > BOUNCE_MIME_MAX_DEPTH)
			continue;
		struct entity pe;
		const char *pb = read_entity(body, pend, deftype, &pe, NULL);
		if (strcmp(pe.type, "text/html") == 0) {
			if (have_plain)
				continue;
			if (nhtml < sizeof html / sizeof html[0]) {
				html[nhtml].e = pe;
				html[nhtml].body = pb;
				html[nhtml].end = pend;
				nhtml++;
				continue;
			}
		} else if (strcmp(pe.type, "text/plain") == 0) {
			have_plain = true;
		}
		walk_body(w, &pe, pb, pend, depth + 1);
	}
	for (size_t i = 0; i < nhtml && !have_plain; i++)
		walk_body(w, &html[i].e, html[i].body, html[i].end, depth + 1);
}

/* A returned message that is itself a report (a forwarded bounce) is read
 * as one; any other one only gives its headers. */
static void walk_message(struct walk *w, const char *p, const char *end, int depth)
{
	struct entity inner;
	const char *body = read_entity(p, end, "text/plain", &inner, NULL);
	if (strcmp(inner.type, "multipart/report") == 0) {
		if (depth + 1 <= BOUNCE_MIME_MAX_DEPTH)
			walk_body(w, &inner, body, end, depth + 1);
		return;
	}
	bounce_buf_put(&w->doc->rethdr, p, (size_t)(body - p));
	bounce_buf_putc(&w->doc->rethdr, '\n');
}

static void walk_entity(struct walk *w, const char *p, const char *end, const char *deftype,
                        int depth)
{
	struct entity e;
	if (depth > BOUNCE_MIME_MAX_DEPTH)
		return;
	const char *body = read_entity(p, end, deftype, &e, NULL);
	walk_body(w, &e, body, end, depth);
}

/* The body [body,end) of an entity whose headers are e. */
static void walk_body(struct walk *w, const struct entity *ep, const char *body, const char *end,
                      int depth)
{
	const struct entity e = *ep;
	size_t n;
	const char *s;
	if (strncmp(e.type, "multipart/", 10) == 0) {
		if (e.boundary[0]) {
			w->doc->is_mime = true;
			walk_multipart(w, &e, body, end, depth);
		} else {
			put_text(w, &w->doc->text, &e, body, (size_t)(end - body));
		}
	} else if (strcmp(e.type, "message/delivery-status") == 0 ||
	           strcmp(e.type, "message/global-delivery-status") == 0) {
		s = decode_body(w, &e, body, end, &n);
		bounce_buf_put(&w->doc->dsn, s, n);
		bounce_buf_putc(&w->doc->dsn, '\n');
	} else if (strcmp(e.type, "message/rfc822") == 0 || strcmp(e.type, "message/global") == 0) {
		s = decode_body(w, &e, body, end, &n);
		if (s == w->tmp.p) {
			/* walk_message may reuse tmp: walk a private copy */
			struct bounce_buf copy = {0};
			bounce_buf_put(&copy, s, n);
			w->doc->rethdr.oom |= copy.oom;
			if (copy.p)
				walk_message(w, copy.p, copy.p + copy.len, depth);
			bounce_buf_free(&copy);
		} else {
			walk_message(w, s, s + n, depth);
		}
	} else if (strcmp(e.type, "text/rfc822-headers") == 0 ||
	           strcmp(e.type, "message/rfc822-headers") == 0 ||
	           strcmp(e.type, "message/global-headers") == 0) {
		s = decode_body(w, &e, body, end, &n);
		bounce_buf_put(&w->doc->rethdr, s, n);
		bounce_buf_putc(&w->doc->rethdr, '\n');
	} else if (strncmp(e.type, "text/", 5) == 0 || strcmp(e.type, "message/feedback-report") == 0) {
		s = decode_body(w, &e, body, end, &n);
		put_text(w, &w->doc->text, &e, s, n);
	}
	/* images, applications, ...: nothing a postmaster reads */
}

/* Message headers that prove the input is a message and not prose that
 * happens to begin with "Something: ...". */
static bool is_message_header(const struct bounce_hdr *h)
{
	/* literal names, so that their lengths are known when compiling */
	return bounce_hdr_is(h, "From") || bounce_hdr_is(h, "To") || bounce_hdr_is(h, "Subject") ||
	       bounce_hdr_is(h, "Date") || bounce_hdr_is(h, "Received") ||
	       bounce_hdr_is(h, "Return-Path") || bounce_hdr_is(h, "Message-ID") ||
	       bounce_hdr_is(h, "Content-Type") || bounce_hdr_is(h, "MIME-Version") ||
	       bounce_hdr_is(h, "Delivered-To") || bounce_hdr_is(h, "X-Failed-Recipients");
}

enum perr bounce_mime_parse(const char *in, size_t len, struct bounce_doc *doc)
{
	struct bounce_buf norm = {0};
	struct walk w = {.doc = doc};
	bounce_mime_normalize_eol(in, len, &norm);
	if (norm.oom) {
		bounce_buf_free(&norm);
		return PERR_NOMEM;
	}
	const char *p = norm.p ? norm.p : "";
	const char *end = p + norm.len;
	/* mbox "From " separator line */
	if (end - p > 5 && memcmp(p, "From ", 5) == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	/* skip leading blank lines of a paste */
	while (p < end && (*p == '\n' || *p == ' ' || *p == '\t')) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q != '\n')
			break;
		p = nl ? nl + 1 : end;
	}
	unsigned msgfields = 0;
	struct entity e;
	const char *body = read_entity(p, end, "text/plain", &e, &msgfields);
	if (msgfields > 0) {
		doc->is_message = true;
		bounce_buf_put(&doc->tophdr, p, (size_t)(body - p));
		walk_body(&w, &e, body, end, 0);
	} else {
		/* pasted text: all of it is notification text, and DSN fields
		 * pasted with it are found there too */
		bounce_buf_put(&doc->text, p, (size_t)(end - p));
		bounce_buf_putc(&doc->text, '\n');
	}
	bounce_buf_free(&w.tmp);
	bounce_buf_free(&w.tmp2);
	bounce_buf_free(&norm);
	if (doc->text.oom || doc->dsn.oom || doc->rethdr.oom || doc->tophdr.oom)
		return PERR_NOMEM;
	return PERR_OK;
}

void bounce_doc_free(struct bounce_doc *doc)
{
	bounce_buf_free(&doc->text);
	bounce_buf_free(&doc->dsn);
	bounce_buf_free(&doc->rethdr);
	bounce_buf_free(&doc->tophdr);
}
