/* The bounce analyzer proper: MIME layer -> where the rejection is ->
 * knowledge patterns -> verdict. No I/O; everything it knows about
 * providers and lists comes from struct bounce_knowledge. This file owns
 * the working state and the result strings; the steps live in
 * bounce_locate.c, bounce_sender.c and bounce_verdict.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal/bounce_ctx.h"
#include "internal/bounce_decode.h"

/* Duplicates s (n bytes) as valid UTF-8. NULL for empty input (not an
 * error) or ENOMEM (sets c->oom). */
char *bounce_ctx_dup(struct bounce_ctx *c, const char *s, size_t n)
{
	if (s == NULL || n == 0)
		return NULL;
	char *o = malloc(n + 1);
	if (o == NULL) {
		c->oom = true;
		return NULL;
	}
	bounce_utf8_sanitize(s, n, o);
	return o;
}

char *bounce_ctx_dup_str(struct bounce_ctx *c, const char *s)
{
	return s ? bounce_ctx_dup(c, s, strlen(s)) : NULL;
}

/* Adds a line of evidence ("kind:id: text"). */
void bounce_evidence(struct bounce_ctx *c, const char *fmt, ...)
{
	struct bounce_result *r = c->r;
	if (r->nevidence >= BOUNCE_MAX_EVIDENCE)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *s = bounce_ctx_dup(c, buf, strlen(buf));
	if (s)
		r->evidence[r->nevidence++] = s;
}

/* Adds a list name unless present (case-insensitive). */
void bounce_add_list(struct bounce_ctx *c, const char *name)
{
	struct bounce_result *r = c->r;
	if (name == NULL || name[0] == '\0')
		return;
	for (size_t i = 0; i < r->nlists; i++)
		if (strcasecmp(r->lists[i], name) == 0)
			return;
	if (r->nlists >= BOUNCE_MAX_LISTS)
		return;
	char *s = bounce_ctx_dup_str(c, name);
	if (s)
		r->lists[r->nlists++] = s;
}

/* A working state for one analysis of knowledge k into out, or NULL on
 * ENOMEM. Free with ctx_free(). */
static struct bounce_ctx *ctx_new(const struct bounce_knowledge *k, struct bounce_result *out)
{
	/* the hit array (most of the struct) is filled as used */
	struct bounce_ctx *c = malloc(sizeof *c);
	if (c == NULL)
		return NULL;
	memset(c, 0, offsetof(struct bounce_ctx, hits));
	for (size_t i = 0; i < NREGIONS; i++) {
		c->regions[i].valid = false;
		c->regions[i].occ = NULL;
		c->regions[i].nocc = c->regions[i].cap = 0;
	}
	c->k = k;
	c->r = out;
	return c;
}

/* Releases c and everything it holds (not the result). */
static void ctx_free(struct bounce_ctx *c)
{
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mctx);
	for (size_t i = 0; i < NREGIONS; i++)
		bounce_occs_free(&c->regions[i]);
	bounce_doc_free(&c->doc);
	bounce_buf_free(&c->scan);
	free(c);
}

/* Parses the message and builds what the rules read: the rejection
 * first, then the notification. */
static enum perr prepare_scan(struct bounce_ctx *c, const char *bytes, size_t len)
{
	c->md = pcre2_match_data_create(c->k->max_groups ? c->k->max_groups : 1, NULL);
	c->mctx = pcre2_match_context_create(NULL);
	if (c->md == NULL || c->mctx == NULL)
		return PERR_NOMEM;
	enum perr e = bounce_mime_parse(bytes ? bytes : "", len, &c->doc);
	if (e != PERR_OK)
		return e;
	bounce_find_notice(c);
	if (c->doc.dsn.len)
		bounce_dsn_read(c->doc.dsn.p, c->doc.dsn.len, &c->dsn);
	else
		bounce_dsn_read(c->notice, c->noticelen, &c->dsn);
	bounce_find_diagnostic(c);
	c->scan.limit = LIMIT_DIAGNOSTIC_BYTES + LIMIT_BOUNCE_SCAN_BYTES;
	bounce_buf_put(&c->scan, c->diag, c->diaglen);
	bounce_buf_puts(&c->scan, "\n\n");
	bounce_buf_put(&c->scan, c->notice, c->noticelen);
	return c->scan.oom ? PERR_NOMEM : PERR_OK;
}

/* The analysis proper, over a prepared scan. */
static enum perr analyze(struct bounce_ctx *c)
{
	bounce_find_hits(c);
	bounce_diagnostic_from_hit(c);
	bounce_find_receivers(c, 0, c->reach);
	bounce_find_sending_ip(c);
	bounce_find_codes(c);
	bounce_verdict(c);
	if (c->diaglen)
		c->r->diagnostic = bounce_ctx_dup(c, c->diag, c->diaglen);
	return c->oom ? PERR_NOMEM : PERR_OK;
}

enum perr bounce_analyze_ours(const struct bounce_knowledge *k, const char *bytes, size_t len,
                              size_t max_bytes, const struct outgoing_servers *ours,
                              struct bounce_result *out)
{
	memset(out, 0, sizeof *out);
	if (k == NULL || (bytes == NULL && len > 0))
		return PERR_INVALID;
	if (max_bytes == 0)
		max_bytes = LIMIT_BOUNCE_DEFAULT;
	if (max_bytes > LIMIT_BOUNCE_MAX)
		max_bytes = LIMIT_BOUNCE_MAX;
	if (len > max_bytes)
		return PERR_TOO_LARGE;
	struct bounce_ctx *c = ctx_new(k, out);
	if (c == NULL)
		return PERR_NOMEM;
	c->ours = ours;
	enum perr e = prepare_scan(c, bytes, len);
	if (e == PERR_OK)
		e = analyze(c);
	ctx_free(c);
	if (e != PERR_OK)
		bounce_result_free(out);
	return e;
}

enum perr bounce_analyze_max(const struct bounce_knowledge *k, const char *bytes, size_t len,
                             size_t max_bytes, struct bounce_result *out)
{
	return bounce_analyze_ours(k, bytes, len, max_bytes, NULL, out);
}

enum perr bounce_analyze(const struct bounce_knowledge *k, const char *bytes, size_t len,
                         struct bounce_result *out)
{
	return bounce_analyze_max(k, bytes, len, LIMIT_BOUNCE_DEFAULT, out);
}
