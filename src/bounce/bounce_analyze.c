/* The bounce analyzer proper: MIME layer -> where the rejection is ->
 * knowledge patterns -> verdict. No I/O; everything it knows about
 * providers and lists comes from struct bounce_knowledge. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bounce.h"
#include "internal/bounce_decode.h"
#include "internal/bounce_dsn.h"
#include "internal/bounce_header.h"
#include "internal/bounce_ip.h"
#include "internal/bounce_mime.h"
#include "internal/knowledge_bounce.h"
#include "core/limits.h"

#define MAX_HITS      48
#define MAX_EXCLUDED  16
#define DIAG_BONUS    100  /* a rule that fires inside the rejection itself wins */
#define IPCTX_BEFORE  160  /* context read before an address outside the rejection */
#define IPCTX_AFTER   80   /* ... and after it */
#define IPCTX_MAX_IPS 6    /* addresses outside the rejection looked at */
#define NREGIONS      8    /* literal scans kept: the rejection + the IP windows */

/* One rule that matched. */
struct hit {
	const struct kb_rule *rule;
	size_t off;
	bool in_diag;
	int score;
	char ip[BOUNCE_IP_STRLEN];
	char list[128];
	char code[64];
};

/* Working state of one analysis. */
struct ctx {
	const struct bounce_knowledge *k;
	struct bounce_result *r;
	pcre2_match_data *md;
	struct bounce_doc doc;
	struct bounce_dsn dsn;
	const char *notice;          /* notification text without the returned message */
	size_t noticelen;
	const char *embedded_hdr;    /* header block of a returned message inside the text */
	size_t embedded_hdrlen;
	char diag[LIMIT_DIAGNOSTIC_BYTES];
	size_t diaglen;
	struct bounce_buf scan;      /* diag + notice: what the rules read */
	size_t reach;                /* scan[0, reach) is what the verdict rests on */
	pcre2_match_context *mctx;   /* carries the offset limit */
	unsigned next_region;
	unsigned last_region;        /* the region asked for last */
	size_t nhits;
	char excluded[MAX_EXCLUDED][BOUNCE_IP_STRLEN];
	size_t nexcluded;
	char remote_host[256];
	bool oom;
	/* not zeroed: filled as used */
	struct hit hits[MAX_HITS];
	struct bounce_occs regions[NREGIONS]; /* gate literals found per region of scan */
};

/* Duplicates s (n bytes) as valid UTF-8. NULL for empty input (not an
 * error) or ENOMEM (sets c->oom). */
static char *dup_utf8(struct ctx *c, const char *s, size_t n)
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

static char *dup_str(struct ctx *c, const char *s)
{
	return s ? dup_utf8(c, s, strlen(s)) : NULL;
}

/* Adds a line of evidence ("kind:id: text"). */
static void evidence(struct ctx *c, const char *fmt, ...)
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
	char *s = dup_utf8(c, buf, strlen(buf));
	if (s)
		r->evidence[r->nevidence++] = s;
}

/* Adds a list name unless present (case-insensitive). */
static void add_list(struct ctx *c, const char *name)
{
	struct bounce_result *r = c->r;
	if (name == NULL || name[0] == '\0')
		return;
	for (size_t i = 0; i < r->nlists; i++)
		if (strcasecmp(r->lists[i], name) == 0)
			return;
	if (r->nlists >= BOUNCE_MAX_LISTS)
		return;
	char *s = dup_str(c, name);
	if (s)
		r->lists[r->nlists++] = s;
}

/* Copies capture group g of the last match into out; false if unset. */
static bool group(struct ctx *c, const char *subj, uint32_t g, char *out, size_t outsz)
{
	if (g == 0)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g])
		return false;
	size_t n = ov[2 * g + 1] - ov[2 * g];
	if (n == 0 || n >= outsz)
		return false;
	memcpy(out, subj + ov[2 * g], n);
	out[n] = '\0';
	return true;
}

/* Parses a captured address, dropping the sentence punctuation that
 * a greedy [0-9a-f.:] class takes along. */
static bool capture_ip(const char *cap, char out[BOUNCE_IP_STRLEN])
{
	size_t n = strlen(cap);
	while (n > 0 && (cap[n - 1] == '.' || (cap[n - 1] == ':' && !(n >= 2 && cap[n - 2] == ':'))))
		n--;
	return bounce_ip_parse(cap, n, out, NULL);
}

/* The gate literals found in scan[from, to): one pass over the region
 * for all patterns, kept for the next patterns that read it. */
static const struct bounce_occs *region(struct ctx *c, size_t from, size_t to)
{
	struct bounce_occs *o = &c->regions[c->last_region];
	if (o->valid && o->from == from && o->to == to)
		return o;
	for (unsigned i = 0; i < NREGIONS; i++)
		if (c->regions[i].valid && c->regions[i].from == from && c->regions[i].to == to) {
			c->last_region = i;
			return &c->regions[i];
		}
	c->last_region = c->next_region++ % NREGIONS;
	o = &c->regions[c->last_region];
	bounce_litset_scan(c->k->lits, c->scan.p ? c->scan.p : "", from, to, o);
	return o;
}

/* pcre2_match over s[0, n) for a match starting in [start, limit]. */
static long run_re(struct ctx *c, const pcre2_code *re, const char *s, size_t n, size_t start,
                   PCRE2_SIZE limit)
{
	pcre2_set_offset_limit(c->mctx, limit);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, start, 0, c->md, c->mctx);
	if (rc < 0)
		return -1;
	return (long)pcre2_get_ovector_pointer(c->md)[0];
}

/* First match of pattern p in scan[0, n) that starts at or after start,
 * reading the gate literals of region [from, n) (from <= start).
 *
 * Every match holds one of the pattern's literals, and starts at most
 * pre bytes before it (pre: the longest the regex can match before that
 * literal, else its longest match, else unbounded; bounce_gate.c). So a
 * match can only start in a window [occurrence - pre, occurrence] of an
 * occurrence at or after start. The regex is tried from those windows
 * alone (PCRE2's offset limit ends each), merged, in text order: the
 * same first match as one search over the whole text, without walking
 * the text between the windows. */
static long match_from(struct ctx *c, const struct kb_pattern *p, size_t from, size_t start,
                       size_t n)
{
	if (p->re == NULL || start > n || from > start)
		return -1;
	const char *s = c->scan.p ? c->scan.p : "";
	const struct bounce_gate *g = &p->gate;
	if (g->n == 0 || !g->in_set)
		return run_re(c, p->re, s, n, start, PCRE2_UNSET);
	const struct bounce_occs *o = region(c, from, n);
	if (!bounce_gate_any(c->k->lits, g, o))
		return -1;
	if (o->oom)
		return run_re(c, p->re, s, n, start, PCRE2_UNSET);
	/* a cursor into the occurrence list of each of our literals present,
	 * with the most bytes a match can have before that literal */
	uint32_t cur[BOUNCE_GATE_MAX];
	int pre[BOUNCE_GATE_MAX];
	size_t nc = 0;
	for (size_t w = 0; w < c->k->lits->words; w++) {
		uint64_t m = g->mask[w] & o->present[w];
		while (m && nc < BOUNCE_GATE_MAX) {
			unsigned lit = (unsigned)(w * 64 + (size_t)__builtin_ctzll(m));
			m &= m - 1;
			uint32_t k = o->first[lit];
			while (k != BOUNCE_OCC_NONE && o->occ[k].pos < start)
				k = o->occ[k].next;
			if (k == BOUNCE_OCC_NONE)
				continue;
			int b = g->maxlen;
			for (int i = 0; i < g->n; i++)
				if (g->id[i] == lit) {
					b = g->pre[i] >= 0 ? g->pre[i] : g->maxlen;
					break;
				}
			pre[nc] = b;
			cur[nc++] = k;
		}
	}
	size_t ws = 0, we = 0;
	bool open = false;
	while (nc > 0) {
		/* the window that starts first: [occurrence - pre, occurrence] */
		size_t j = 0, a = 0;
		for (size_t i = 0; i < nc; i++) {
			size_t pos = o->occ[cur[i]].pos;
			size_t ai = pre[i] < 0 || pos < start + (size_t)pre[i] ? start : pos - (size_t)pre[i];
			if (i == 0 || ai < a) {
				a = ai;
				j = i;
			}
		}
		const struct bounce_occ *x = &o->occ[cur[j]];
		if (x->next == BOUNCE_OCC_NONE) {
			cur[j] = cur[--nc];
			pre[j] = pre[nc];
		} else {
			cur[j] = x->next;
		}
		if (open && a <= we + 1) {
			if (x->pos > we)
				we = x->pos;
			continue;
		}
		if (open) {
			long r = run_re(c, p->re, s, n, ws, we);
			if (r >= 0)
				return r;
		}
		ws = a;
		we = x->pos;
		open = true;
	}
	return open ? run_re(c, p->re, s, n, ws, we) : -1;
}

/* Runs pattern p over scan[start, n); returns the match offset or -1. */
static long match_scan(struct ctx *c, const struct kb_pattern *p, size_t start, size_t n)
{
	return match_from(c, p, start, start, n);
}

/* Runs re over s from start; returns the match offset or -1. */
static long match(struct ctx *c, const pcre2_code *re, const char *s, size_t n, size_t start)
{
	if (re == NULL || start > n)
		return -1;
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, start, 0, c->md, NULL);
	if (rc < 0)
		return -1;
	return (long)pcre2_get_ovector_pointer(c->md)[0];
}

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
static void find_notice(struct ctx *c)
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
static void find_diagnostic(struct ctx *c)
{
	if (c->dsn.diag[0]) {
		c->diaglen = bounce_hdr_unfold(c->dsn.diag, strlen(c->dsn.diag), c->diag, sizeof c->diag);
		evidence(c, "diagnostic:dsn: from the Diagnostic-Code field");
		return;
	}
	size_t off, len;
	if (bounce_reply_find(c->notice, c->noticelen, &off, &len)) {
		c->diaglen = bounce_hdr_unfold(c->notice + off, len, c->diag, sizeof c->diag);
		evidence(c, "diagnostic:text: SMTP reply quoted in the notification");
	}
}

/* Runs every rule over scan[0, end) from start and keeps what matched. */
static void run_rules(struct ctx *c, size_t start, size_t end)
{
	const char *s = c->scan.p ? c->scan.p : "";
	for (size_t i = 0; i < c->k->nrules && c->nhits < MAX_HITS; i++) {
		const struct kb_rule *rule = &c->k->rules[i];
		long off = match_scan(c, &rule->pat, start, end);
		if (off < 0)
			continue;
		struct hit *h = &c->hits[c->nhits++];
		memset(h, 0, sizeof *h);
		h->rule = rule;
		h->off = (size_t)off;
		h->in_diag = (size_t)off < c->diaglen;
		h->score = rule->priority + (h->in_diag ? DIAG_BONUS : 0);
		char ip[128];
		if (group(c, s, rule->pat.g_ip, ip, sizeof ip) && !capture_ip(ip, h->ip))
			h->ip[0] = '\0';
		group(c, s, rule->pat.g_list, h->list, sizeof h->list);
		group(c, s, rule->pat.g_code, h->code, sizeof h->code);
		if (!h->code[0] && rule->code)
			snprintf(h->code, sizeof h->code, "%s", rule->code);
	}
}

/* The rules read the rejection itself when one was found, and the whole
 * notification only when none was (a paste without a reply code). The
 * rejection is what the receiving server said; the prose around it is
 * the sending MTA's boilerplate. This also keeps the work per message
 * near the size of the rejection, not of the notification. */
static void find_hits(struct ctx *c)
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
			struct hit t = c->hits[j];
			c->hits[j] = c->hits[j - 1];
			c->hits[j - 1] = t;
		}
}

static bool excluded(const struct ctx *c, const char *ip)
{
	for (size_t i = 0; i < c->nexcluded; i++)
		if (strcmp(c->excluded[i], ip) == 0)
			return true;
	return false;
}

/* Collects the receiving MX's addresses, which must never be reported as
 * the sender, and the receiving host's name for the provider. */
static void find_receivers(struct ctx *c, size_t from, size_t n)
{
	const char *s = c->scan.p ? c->scan.p : "";
	for (size_t i = 0; i < c->k->nreceivers; i++) {
		const struct kb_ipctx *rc = &c->k->receivers[i];
		size_t start = from;
		long off;
		while (c->nexcluded < MAX_EXCLUDED && (off = match_from(c, &rc->pat, from, start, n)) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
			start = ov[1] > (size_t)off ? ov[1] : (size_t)off + 1;
			char ip[128], canon[BOUNCE_IP_STRLEN];
			if (!group(c, s, rc->pat.g_ip, ip, sizeof ip) || !capture_ip(ip, canon))
				continue;
			if (!c->remote_host[0]) {
				uint32_t g = (uint32_t)pcre2_substring_number_from_name(rc->pat.re, (PCRE2_SPTR) "host");
				if ((int)g > 0)
					group(c, s, g, c->remote_host, sizeof c->remote_host);
			}
			if (!excluded(c, canon)) {
				memcpy(c->excluded[c->nexcluded++], canon, sizeof canon);
				evidence(c, "%s: receiving server %s is not the sender", rc->id, canon);
			}
		}
	}
	/* Remote-MTA: dns; mx.example.com [192.0.2.1] */
	if (from == 0 && c->dsn.remote_mta[0]) {
		/* one address there is the remote server's; several (Messaging
		 * Server's "(TCP|client|port|server|port)") are left to the
		 * Receiver patterns */
		struct bounce_ip ips[2];
		size_t k = bounce_ip_find(c->dsn.remote_mta, strlen(c->dsn.remote_mta), ips, 2);
		if (k == 1 && c->nexcluded < MAX_EXCLUDED && !excluded(c, ips[0].text))
			memcpy(c->excluded[c->nexcluded++], ips[0].text, BOUNCE_IP_STRLEN);
		if (!c->remote_host[0]) {
			size_t hl = strcspn(c->dsn.remote_mta, " [(");
			if (hl < sizeof c->remote_host) {
				memcpy(c->remote_host, c->dsn.remote_mta, hl);
				c->remote_host[hl] = '\0';
			}
		}
	}
}

static bool usable_sender(const struct ctx *c, const char *ip)
{
	return ip[0] && !bounce_ip_is_special(ip) && !excluded(c, ip);
}

/* True for RFC 1918 / ULA / link-local: fine in a rejection text (the
 * customer's own relay may say so) but never a Received: fallback. */
static bool is_private(const char *ip)
{
	unsigned a = 0, b = 0;
	if (strchr(ip, ':'))
		return strncasecmp(ip, "fc", 2) == 0 || strncasecmp(ip, "fd", 2) == 0 ||
		       strncasecmp(ip, "fe80", 4) == 0;
	if (sscanf(ip, "%u.%u", &a, &b) != 2)
		return true;
	return a == 10 || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168) ||
	       (a == 169 && b == 254) || (a == 100 && b >= 64 && b < 128);
}

/* Runs one sending-IP context pattern over scan[from, n); returns canon
 * (filled) for the first usable address, else NULL. */
static const char *ipctx_in(struct ctx *c, const struct kb_ipctx *x, size_t from, size_t n,
                            char canon[BOUNCE_IP_STRLEN])
{
	const char *s = c->scan.p ? c->scan.p : "";
	size_t start = from;
	long off;
	while ((off = match_from(c, &x->pat, from, start, n)) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
		start = ov[1] > (size_t)off ? ov[1] : (size_t)off + 1;
		char tmp[128];
		if (group(c, s, x->pat.g_ip, tmp, sizeof tmp) && capture_ip(tmp, canon) &&
		    usable_sender(c, canon)) {
			evidence(c, "%s: sending IP %s (%s)", x->id, canon, x->description ? x->description : "");
			return canon;
		}
	}
	return NULL;
}

/* The sending server's address, strongest evidence first. */
static void find_sending_ip(struct ctx *c)
{
	const char *s = c->scan.p ? c->scan.p : "";
	const char *ip = NULL;
	for (size_t i = 0; i < c->nhits && ip == NULL; i++)
		if (usable_sender(c, c->hits[i].ip)) {
			ip = c->hits[i].ip;
			evidence(c, "ip:%s: sending IP %s named by this rule", c->hits[i].rule->id, ip);
		}
	char canon[BOUNCE_IP_STRLEN];
	for (size_t i = 0; i < c->k->nipctx && ip == NULL; i++)
		ip = ipctx_in(c, &c->k->ipctx[i], 0, c->reach, canon);
	/* Then the rest of the notification, but only around the addresses
	 * it holds: each context pattern reads a window before and after
	 * each address instead of the whole text. */
	if (ip == NULL && c->reach < c->scan.len) {
		struct bounce_ip ips[IPCTX_MAX_IPS];
		size_t k = bounce_ip_find(s + c->reach, c->scan.len - c->reach, ips, IPCTX_MAX_IPS);
		for (size_t j = 0; j < k; j++) {
			ips[j].off += c->reach;
			size_t a = ips[j].off > c->reach + IPCTX_BEFORE ? ips[j].off - IPCTX_BEFORE : c->reach;
			size_t z = ips[j].off + ips[j].len + IPCTX_AFTER;
			find_receivers(c, a, z < c->scan.len ? z : c->scan.len);
		}
		for (size_t i = 0; i < c->k->nipctx && ip == NULL; i++)
			for (size_t j = 0; j < k && ip == NULL; j++) {
				if (!usable_sender(c, ips[j].text))
					continue;
				size_t a = ips[j].off > c->reach + IPCTX_BEFORE ? ips[j].off - IPCTX_BEFORE : c->reach;
				size_t z = ips[j].off + ips[j].len + IPCTX_AFTER;
				ip = ipctx_in(c, &c->k->ipctx[i], a, z < c->scan.len ? z : c->scan.len, canon);
			}
	}
	if (ip == NULL && c->diaglen) {
		struct bounce_ip ips[8];
		size_t k = bounce_ip_find(c->diag, c->diaglen, ips, 8);
		for (size_t i = 0; i < k && ip == NULL; i++)
			if (usable_sender(c, ips[i].text)) {
				memcpy(canon, ips[i].text, sizeof canon);
				ip = canon;
				evidence(c, "ip:diagnostic: the only other address in the rejection: %s", ip);
			}
	}
	/* The returned message's first Received: line names the client that
	 * handed the message to the reporting server. That is the sender only
	 * when the reporting server is the one that refused it, i.e. no remote
	 * server is quoted. */
	if (ip == NULL && c->nexcluded == 0 && !c->remote_host[0] && !c->dsn.remote_mta[0]) {
		const char *h = c->doc.rethdr.len ? c->doc.rethdr.p : c->embedded_hdr;
		size_t hl = c->doc.rethdr.len ? c->doc.rethdr.len : c->embedded_hdrlen;
		struct bounce_hdr f;
		const char *end = h ? h + hl : NULL;
		while (h && (h = bounce_hdr_next(h, end, &f)) != NULL) {
			if (!bounce_hdr_is(&f, "Received"))
				continue;
			char v[1024];
			size_t vl = bounce_hdr_unfold(f.val, f.vallen, v, sizeof v);
			const char *by = strstr(v, " by ");
			size_t lim = by ? (size_t)(by - v) : vl;
			struct bounce_ip ips[4];
			size_t k = bounce_ip_find(v, lim, ips, 4);
			for (size_t i = 0; i < k && ip == NULL; i++)
				if (usable_sender(c, ips[i].text) && !is_private(ips[i].text)) {
					memcpy(canon, ips[i].text, sizeof canon);
					ip = canon;
					evidence(c, "ip:received: from the returned message's Received: line");
				}
			break; /* only the topmost one */
		}
	}
	if (ip)
		c->r->sending_ip = dup_str(c, ip);
}

/* True when host (or an e-mail address's domain) ends in domain at a
 * label boundary. */
static bool domain_match(const char *host, const char *domain)
{
	const char *at = strrchr(host, '@');
	if (at)
		host = at + 1;
	size_t hl = strlen(host), dl = strlen(domain);
	while (hl > 0 && (host[hl - 1] == '.' || host[hl - 1] == '>'))
		hl--;
	if (hl < dl || strncasecmp(host + hl - dl, domain, dl) != 0)
		return false;
	return hl == dl || host[hl - dl - 1] == '.' || host[hl - dl - 1] == '@';
}

static const struct kb_provider *provider_by_domain(const struct ctx *c, const char *host)
{
	if (host == NULL || host[0] == '\0')
		return NULL;
	/* the last letter of the host, for a cheap first test */
	const char *at = strrchr(host, '@');
	const char *h = at ? at + 1 : host;
	size_t hl = strlen(h);
	while (hl > 0 && (h[hl - 1] == '.' || h[hl - 1] == '>'))
		hl--;
	if (hl == 0)
		return NULL;
	char last = (char)(h[hl - 1] | 0x20);
	for (size_t i = 0; i < c->k->nproviders; i++)
		for (size_t j = 0; j < c->k->providers[i].ndomains; j++) {
			const char *d = c->k->providers[i].domains[j];
			size_t dl = c->k->providers[i].domlen[j];
			if (dl > 0 && dl <= hl && (d[dl - 1] | 0x20) == last && domain_match(host, d))
				return &c->k->providers[i];
		}
	return NULL;
}

/* Receiving provider: a rule that knows it, the receiving host's name,
 * the provider's own words, then the recipient's domain. */
static void find_provider(struct ctx *c, const struct hit *best)
{
	if (best && best->rule->has_provider) {
		c->r->provider = best->rule->provider;
		for (size_t i = 0; i < c->k->nproviders; i++)
			if (c->k->providers[i].provider == best->rule->provider) {
				evidence(c, "%s: named by %s", c->k->providers[i].id, best->rule->id);
				break;
			}
		return;
	}
	const struct kb_provider *p = provider_by_domain(c, c->remote_host);
	const char *why = "receiving host";
	if (p == NULL) {
		for (size_t i = 0; i < c->k->nproviders && p == NULL; i++)
			if (match_scan(c, &c->k->providers[i].pat, 0, c->reach) >= 0) {
				p = &c->k->providers[i];
				why = "provider's wording";
			}
	}
	if (p == NULL && c->r->recipient) {
		p = provider_by_domain(c, c->r->recipient);
		why = "recipient domain";
	}
	if (p) {
		c->r->provider = p->provider;
		evidence(c, "%s: %s", p->id, why);
	}
}

/* Decodes a bit-flag code such as BL000011 or IPBL0101 into its lists.
 * Returns true when code belongs to table b. */
static bool decode_bits(struct ctx *c, const struct kb_bitflag *b, const char *code)
{
	size_t pl = strlen(b->prefix);
	if (strncasecmp(code, b->prefix, pl) != 0 || strlen(code + pl) != (size_t)b->digits)
		return false;
	unsigned v = 0;
	for (int i = 0; i < b->digits; i++) {
		char d = code[pl + (size_t)i];
		if (d != '0' && d != '1')
			return false;
		v = v << 1 | (unsigned)(d - '0');
	}
	if (v == 0)
		return false; /* all-zero codes have their own meaning: a Code entry */
	char names[256] = "";
	size_t nl = 0;
	for (int i = 0; i < b->digits; i++) {
		if (!(v & (1u << i)) || b->bit[i] == NULL)
			continue;
		add_list(c, b->bit[i]);
		int w = snprintf(names + nl, sizeof names - nl, "%s%s", nl ? ", " : "", b->bit[i]);
		if (w > 0 && (size_t)w < sizeof names - nl)
			nl += (size_t)w;
	}
	char meaning[400];
	snprintf(meaning, sizeof meaning, "%s%s", b->meaning ? b->meaning : "Listed on: ", names);
	c->r->provider_code_meaning = dup_str(c, meaning);
	c->r->advice = dup_str(c, b->advice);
	c->r->category = b->category;
	evidence(c, "%s: %s decoded as %s", b->id, code, names);
	return true;
}

/* Looks the provider code up: its meaning, advice, category and lists. */
static void explain_code(struct ctx *c, const char *code, const char *prov)
{
	for (size_t i = 0; i < c->k->ncodes; i++) {
		const struct kb_code *k = &c->k->codes[i];
		if (strcasecmp(k->code, code) != 0 || (k->has_provider && prov != BOUNCE_PROV_OTHER &&
		                                       k->provider != prov))
			continue;
		c->r->provider_code_meaning = dup_str(c, k->meaning);
		c->r->advice = dup_str(c, k->advice);
		if (k->has_category)
			c->r->category = k->category;
		if (k->has_provider && c->r->provider == BOUNCE_PROV_OTHER)
			c->r->provider = k->provider;
		for (size_t j = 0; j < k->nlists; j++)
			add_list(c, k->lists[j]);
		evidence(c, "%s: %s", k->id, k->meaning);
		return;
	}
	for (size_t i = 0; i < c->k->nbitflags; i++)
		if ((prov == BOUNCE_PROV_OTHER || c->k->bitflags[i].provider == prov) &&
		    decode_bits(c, &c->k->bitflags[i], code)) {
			if (c->r->provider == BOUNCE_PROV_OTHER)
				c->r->provider = c->k->bitflags[i].provider;
			return;
		}
}

/* Canonical name of a list named in the text, via the List patterns. */
static const struct kb_list *list_alias(struct ctx *c, const char *name)
{
	for (size_t i = 0; i < c->k->nlists; i++)
		if (match(c, c->k->lists[i].pat.re, name, strlen(name), 0) >= 0)
			return &c->k->lists[i];
	return NULL;
}

static void find_lists(struct ctx *c)
{
	for (size_t i = 0; i < c->nhits; i++) {
		const struct hit *h = &c->hits[i];
		if (h->rule->category != BOUNCE_CAT_BLACKLIST && h->rule->category != BOUNCE_CAT_CONTENT)
			continue;
		if (h->rule->list)
			add_list(c, h->rule->list);
		if (h->list[0]) {
			const struct kb_list *a = list_alias(c, h->list);
			add_list(c, a ? a->name : h->list);
		}
	}
	for (size_t i = 0; i < c->k->nlists; i++)
		if (match_scan(c, &c->k->lists[i].pat, 0, c->reach) >= 0) {
			add_list(c, c->k->lists[i].name);
			evidence(c, "%s: %s named", c->k->lists[i].id, c->k->lists[i].name);
		}
}

/* First e-mail address in s, into out. */
static bool first_address(const char *s, size_t n, char *out, size_t outsz)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '@' || i == 0)
			continue;
		size_t a = i, z = i + 1;
		while (a > 0 && strchr(" \t\n<>()[]\"',;:", s[a - 1]) == NULL)
			a--;
		while (z < n && strchr(" \t\n<>()[]\"',;:", s[z]) == NULL)
			z++;
		while (z > i + 1 && s[z - 1] == '.')
			z--;
		if (a == i || z <= i + 1 || z - a >= outsz || memchr(s + i + 1, '.', z - i - 1) == NULL)
			continue;
		memcpy(out, s + a, z - a);
		out[z - a] = '\0';
		return true;
	}
	return false;
}

static void find_recipient(struct ctx *c)
{
	char buf[256];
	const char *v = c->dsn.final_rcpt[0] ? c->dsn.final_rcpt : c->dsn.orig_rcpt[0] ? c->dsn.orig_rcpt : NULL;
	if (v == NULL && c->doc.tophdr.len) {
		const char *p = c->doc.tophdr.p, *end = p + c->doc.tophdr.len;
		struct bounce_hdr h;
		while ((p = bounce_hdr_next(p, end, &h)) != NULL)
			if (bounce_hdr_is(&h, "X-Failed-Recipients")) {
				bounce_hdr_unfold(h.val, h.vallen, buf, sizeof buf);
				buf[strcspn(buf, ", ")] = '\0';
				v = buf;
				break;
			}
	}
	if (v == NULL && c->diaglen && first_address(c->diag, c->diaglen, buf, sizeof buf))
		v = buf;
	if (v == NULL && first_address(c->notice, c->noticelen, buf, sizeof buf))
		v = buf;
	if (v == NULL)
		return;
	while (*v == '<')
		v++;
	size_t n = strcspn(v, "> ");
	c->r->recipient = dup_utf8(c, v, n);
}

static void find_codes(struct ctx *c)
{
	int code = 0;
	char st[16];
	bounce_reply_parse(c->diag, c->diaglen, &code, st);
	if (!st[0] && c->dsn.status[0]) {
		int dummy;
		bounce_reply_parse(c->dsn.status, strlen(c->dsn.status), &dummy, st);
	}
	c->r->smtp_code = code;
	if (st[0])
		c->r->status = dup_str(c, st);
}

/* Category from the enhanced status when no rule spoke: longest prefix. */
static void category_from_status(struct ctx *c)
{
	if (c->r->status == NULL)
		return;
	const struct kb_status *best = NULL;
	for (size_t i = 0; i < c->k->nstatuses; i++) {
		const struct kb_status *s = &c->k->statuses[i];
		size_t l = strlen(s->status);
		if (strncmp(c->r->status, s->status, l) == 0 &&
		    (c->r->status[l] == '\0' || s->status[l - 1] == '.') &&
		    (best == NULL || l > strlen(best->status)))
			best = s;
	}
	if (best) {
		c->r->category = best->category;
		evidence(c, "%s: status %s means %s", best->id, c->r->status,
		         bounce_category_str(best->category));
	}
}

static void verdict(struct ctx *c)
{
	const struct hit *best = c->nhits ? &c->hits[0] : NULL;
	struct bounce_result *r = c->r;
	if (best) {
		r->category = best->rule->category;
		for (size_t i = 0; i < c->nhits; i++)
			evidence(c, "%s: %s%s", c->hits[i].rule->id, c->hits[i].rule->description,
			         i == 0 ? " (decisive)" : "");
	} else {
		category_from_status(c);
	}
	find_recipient(c);
	find_provider(c, best);
	const char *code = NULL;
	for (size_t i = 0; i < c->nhits && code == NULL; i++)
		if (c->hits[i].code[0])
			code = c->hits[i].code;
	if (code) {
		r->provider_code = dup_str(c, code);
		explain_code(c, code, r->provider);
	}
	if (r->advice == NULL && best && best->rule->advice)
		r->advice = dup_str(c, best->rule->advice);
	if (r->advice == NULL)
		r->advice = dup_str(c, c->k->cat_advice[r->category]);
	find_lists(c);
	r->blacklist = r->category == BOUNCE_CAT_BLACKLIST || r->category == BOUNCE_CAT_REPUTATION;
}

/* When the rejection was not found as a reply, the paragraph of the
 * decisive rule's match is the best diagnostic there is. */
static void diagnostic_from_hit(struct ctx *c)
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
	evidence(c, "diagnostic:rule: the line the decisive rule matched");
}

enum perr bounce_analyze_max(const struct bounce_knowledge *k, const char *bytes, size_t len,
                             size_t max_bytes, struct bounce_result *out)
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
	/* the hit array (most of the struct) is filled as used */
	struct ctx *c = malloc(sizeof *c);
	if (c == NULL)
		return PERR_NOMEM;
	memset(c, 0, offsetof(struct ctx, hits));
	for (size_t i = 0; i < NREGIONS; i++) {
		c->regions[i].valid = false;
		c->regions[i].occ = NULL;
		c->regions[i].nocc = c->regions[i].cap = 0;
	}
	enum perr e = PERR_OK;
	c->k = k;
	c->r = out;
	c->md = pcre2_match_data_create(k->max_groups ? k->max_groups : 1, NULL);
	c->mctx = pcre2_match_context_create(NULL);
	if (c->md == NULL || c->mctx == NULL) {
		e = PERR_NOMEM;
		goto out;
	}
	e = bounce_mime_parse(bytes ? bytes : "", len, &c->doc);
	if (e != PERR_OK)
		goto out;
	find_notice(c);
	if (c->doc.dsn.len)
		bounce_dsn_read(c->doc.dsn.p, c->doc.dsn.len, &c->dsn);
	else
		bounce_dsn_read(c->notice, c->noticelen, &c->dsn);
	find_diagnostic(c);
	/* the rules read the rejection first, then the notification */
	c->scan.limit = LIMIT_DIAGNOSTIC_BYTES + LIMIT_BOUNCE_SCAN_BYTES;
	bounce_buf_put(&c->scan, c->diag, c->diaglen);
	bounce_buf_puts(&c->scan, "\n\n");
	bounce_buf_put(&c->scan, c->notice, c->noticelen);
	if (c->scan.oom) {
		e = PERR_NOMEM;
		goto out;
	}
	find_hits(c);
	diagnostic_from_hit(c);
	find_receivers(c, 0, c->reach);
	find_sending_ip(c);
	find_codes(c);
	verdict(c);
	if (c->diaglen)
		out->diagnostic = dup_utf8(c, c->diag, c->diaglen);
	if (c->oom)
		e = PERR_NOMEM;
out:
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mctx);
	for (size_t i = 0; i < NREGIONS; i++)
		bounce_occs_free(&c->regions[i]);
	bounce_doc_free(&c->doc);
	bounce_buf_free(&c->scan);
	free(c);
	if (e != PERR_OK)
		bounce_result_free(out);
	return e;
}

enum perr bounce_analyze(const struct bounce_knowledge *k, const char *bytes, size_t len,
                         struct bounce_result *out)
{
	return bounce_analyze_max(k, bytes, len, LIMIT_BOUNCE_DEFAULT, out);
}
