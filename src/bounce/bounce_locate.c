/* Where the rejection is: the notification without the returned message,
 * the rejection text (Diagnostic-Code or the quoted SMTP reply), and the
 * rules that fire over them. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal/bounce_ctx.h"
#include "internal/bounce_decode.h"
#include "internal/bounce_header.h"

#define DIAG_BONUS    100  /* a rule that fires inside the rejection itself wins */

/* Lines that begin the copy of the original message in plain-text
 * bounces: the notification ends there. */
#define MARKER(s) {s, sizeof s - 1}
static const struct {
	const char *text;
	size_t len;
} copy_markers[] = {
	MARKER("------ This is a copy of the message"), MARKER("--- Below this line is a copy of the message"),
	MARKER("----- Original message -----"), MARKER("------ Original message"),
	MARKER("Original message headers:"), MARKER("--- The header of the original message"),
	MARKER("----- Unsent message below -----"), MARKER("------=_Original"),
	MARKER("--- Original message follows"), MARKER("   ----- Original message follows"),
	MARKER("----- The following addresses had permanent"), MARKER("------ Forwarded message"),
};
#undef MARKER

/* Splits doc.text into the notification and an embedded returned message
 * (non-MIME bounces carry it inline). */
void bounce_find_notice(struct bounce_ctx *c)
{
	const char *s = c->doc.text.p ? c->doc.text.p : "";
	size_t n = c->doc.text.len;
	c->notice = s;
	c->noticelen = n;
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		/* every marker starts with '-', ' ' or 'O'; the header block with 'R' */
		char first = (char)(*p | 0x20);
		if (first != '-' && first != ' ' && first != 'o' && first != 'r') {
			p = nl ? nl + 1 : end;
			continue;
		}
		for (size_t m = 0; m < sizeof copy_markers / sizeof copy_markers[0]; m++) {
			size_t ml = copy_markers[m].len;
			if ((size_t)(le - p) >= ml && (p[1] | 0x20) == (copy_markers[m].text[1] | 0x20) &&
			    strncasecmp(p, copy_markers[m].text, ml) == 0 &&
			    strncasecmp(copy_markers[m].text, "----- The following", 19) != 0) {
				c->noticelen = (size_t)(p - s);
				const char *h = nl ? nl + 1 : end;
				while (h < end && *h == '\n')
					h++;
				c->embedded_hdr = h;
				c->embedded_hdrlen = (size_t)(bounce_hdr_block_end(h, end) - h);
				return;
			}
		}
		/* a Received:/Return-Path: header block also starts a copy */
		if ((le - p > 10 && strncasecmp(p, "Received: ", 10) == 0) ||
		    (le - p > 13 && strncasecmp(p, "Return-Path: ", 13) == 0)) {
			struct bounce_hdr h;
			const char *q = bounce_hdr_next(p, end, &h);
			if (q && bounce_hdr_next(q, end, &h) != NULL) {
				c->noticelen = (size_t)(p - s);
				c->embedded_hdr = p;
				c->embedded_hdrlen = (size_t)(bounce_hdr_block_end(p, end) - p);
				return;
			}
		}
		p = nl ? nl + 1 : end;
	}
}

/* Chooses the diagnostic: the DSN Diagnostic-Code, else the SMTP reply
 * paragraph of the notification (or of the DSN text of a paste). */
void bounce_find_diagnostic(struct bounce_ctx *c)
{
	if (c->dsn.diag[0]) {
		c->diaglen = bounce_hdr_unfold(c->dsn.diag, strlen(c->dsn.diag), c->diag, sizeof c->diag);
		bounce_evidence(c, "diagnostic:dsn: from the Diagnostic-Code field");
		return;
	}
	size_t off, len;
	if (bounce_reply_find(c->notice, c->noticelen, &off, &len)) {
		c->diaglen = bounce_hdr_unfold(c->notice + off, len, c->diag, sizeof c->diag);
		bounce_evidence(c, "diagnostic:text: SMTP reply quoted in the notification");
	}
}

/* Runs every rule over scan[0, end) from start and keeps what matched. */
static void run_rules(struct bounce_ctx *c, size_t start, size_t end)
{
	const char *s = c->scan.p ? c->scan.p : "";
	for (size_t i = 0; i < c->k->nrules && c->nhits < MAX_HITS; i++) {
		const struct kb_rule *rule = &c->k->rules[i];
		long off = bounce_match_scan(c, &rule->pat, start, end);
		if (off < 0)
			continue;
		struct bounce_hit *h = &c->hits[c->nhits++];
		memset(h, 0, sizeof *h);
		h->rule = rule;
		h->off = (size_t)off;
		h->in_diag = (size_t)off < c->diaglen;
		h->score = rule->priority + (h->in_diag ? DIAG_BONUS : 0);
		char ip[128];
		if (bounce_capture(c, s, rule->pat.g_ip, ip, sizeof ip) && !bounce_capture_ip(ip, h->ip))
			h->ip[0] = '\0';
		bounce_capture(c, s, rule->pat.g_list, h->list, sizeof h->list);
		bounce_capture(c, s, rule->pat.g_code, h->code, sizeof h->code);
		if (!h->code[0] && rule->code)
			snprintf(h->code, sizeof h->code, "%s", rule->code);
	}
}

/* The rules read the rejection itself when one was found, and the whole
 * notification only when none was (a paste without a reply code). The
 * rejection is what the receiving server said; the prose around it is
 * the sending MTA's boilerplate. This also keeps the work per message
 * near the size of the rejection, not of the notification. */
void bounce_find_hits(struct bounce_ctx *c)
{
	c->reach = c->diaglen;
	if (c->diaglen) {
		run_rules(c, 0, c->diaglen);
	} else {
		c->reach = c->scan.len;
		run_rules(c, 0, c->scan.len);
	}
	/* best first; stable on file order for equal scores */
	for (size_t i = 1; i < c->nhits; i++)
		for (size_t j = i; j > 0 && c->hits[j].score > c->hits[j - 1].score; j--) {
			struct bounce_hit t = c->hits[j];
			c->hits[j] = c->hits[j - 1];
			c->hits[j - 1] = t;
		}
}

/* When the rejection was not found as a reply, the paragraph of the
 * decisive rule's match is the best diagnostic there is. */
void bounce_diagnostic_from_hit(struct bounce_ctx *c)
{
	if (c->diaglen || c->nhits == 0)
		return;
	const char *s = c->scan.p;
	size_t off = c->hits[0].off, a = off, z = off;
	while (a > 0 && s[a - 1] != '\n')
		a--;
	while (z < c->scan.len && s[z] != '\n')
		z++;
	c->diaglen = bounce_hdr_unfold(s + a, z - a, c->diag, sizeof c->diag);
	bounce_evidence(c, "diagnostic:rule: the line the decisive rule matched");
}
