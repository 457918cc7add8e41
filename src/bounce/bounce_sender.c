/* Who sent it: the receiving servers' addresses (never reported) and the
 * sending server's address, strongest evidence first. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal/bounce_ctx.h"
#include "internal/bounce_header.h"

#define IPCTX_BEFORE  160  /* context read before an address outside the rejection */
#define IPCTX_AFTER   80   /* ... and after it */
#define IPCTX_MAX_IPS 6    /* addresses outside the rejection looked at */

static bool excluded(const struct bounce_ctx *c, const char *ip)
{
	for (size_t i = 0; i < c->nexcluded; i++)
		if (strcmp(c->excluded[i], ip) == 0)
			return true;
	return false;
}

/* Runs receiver pattern rc over scan[from, n): each address it names is
 * excluded from the senders; the first host name it names is the
 * receiving host. */
static void exclude_receiver_matches(struct bounce_ctx *c, const struct kb_ipctx *rc, size_t from,
                                     size_t n)
{
	const char *s = c->scan.p ? c->scan.p : "";
	size_t start = from;
	long off;
	while (c->nexcluded < MAX_EXCLUDED && (off = bounce_match_from(c, &rc->pat, from, start, n)) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
		start = ov[1] > (size_t)off ? ov[1] : (size_t)off + 1;
		char ip[128], canon[BOUNCE_IP_STRLEN];
		if (!bounce_capture(c, s, rc->pat.g_ip, ip, sizeof ip) || !bounce_capture_ip(ip, canon))
			continue;
		if (!c->remote_host[0]) {
			uint32_t g = (uint32_t)pcre2_substring_number_from_name(rc->pat.re, (PCRE2_SPTR) "host");
			if ((int)g > 0)
				bounce_capture(c, s, g, c->remote_host, sizeof c->remote_host);
		}
		if (!excluded(c, canon)) {
			memcpy(c->excluded[c->nexcluded++], canon, sizeof canon);
			bounce_evidence(c, "%s: receiving server %s is not the sender", rc->id, canon);
		}
	}
}

/* Remote-MTA: dns; mx.example.com [192.0.2.1]. One address there is the
 * remote server's; several (Messaging Server's
 * "(TCP|client|port|server|port)") are left to the Receiver patterns. */
static void exclude_remote_mta(struct bounce_ctx *c)
{
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

/* Collects the receiving MX's addresses, which must never be reported as
 * the sender, and the receiving host's name for the provider. */
void bounce_find_receivers(struct bounce_ctx *c, size_t from, size_t n)
{
	for (size_t i = 0; i < c->k->nreceivers; i++)
		exclude_receiver_matches(c, &c->k->receivers[i], from, n);
	if (from == 0 && c->dsn.remote_mta[0])
		exclude_remote_mta(c);
}

bool bounce_sender_usable(const struct bounce_ctx *c, const char *ip)
{
	return ip[0] && !bounce_ip_is_special(ip) && !excluded(c, ip);
}

/* Private addresses are fine in a rejection text (the customer's own
 * relay may say so) but never a Received: fallback. */
bool bounce_ip_is_private(const char *ip)
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
static const char *ipctx_in(struct bounce_ctx *c, const struct kb_ipctx *x, size_t from, size_t n,
                            char canon[BOUNCE_IP_STRLEN])
{
	const char *s = c->scan.p ? c->scan.p : "";
	size_t start = from;
	long off;
	while ((off = bounce_match_from(c, &x->pat, from, start, n)) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
		start = ov[1] > (size_t)off ? ov[1] : (size_t)off + 1;
		char tmp[128];
		if (bounce_capture(c, s, x->pat.g_ip, tmp, sizeof tmp) && bounce_capture_ip(tmp, canon) &&
		    bounce_sender_usable(c, canon)) {
			bounce_evidence(c, "%s: sending IP %s (%s)", x->id, canon, x->description ? x->description : "");
			return canon;
		}
	}
	return NULL;
}

/* The address the decisive (or a later) rule captured. */
static const char *ip_from_hits(struct bounce_ctx *c)
{
	for (size_t i = 0; i < c->nhits; i++)
		if (bounce_sender_usable(c, c->hits[i].ip)) {
			bounce_evidence(c, "ip:%s: sending IP %s named by this rule", c->hits[i].rule->id,
			                c->hits[i].ip);
			return c->hits[i].ip;
		}
	return NULL;
}

/* The window of scan around address a: IPCTX_BEFORE bytes before it (not
 * before the reach) to IPCTX_AFTER after it (not past the text). */
static void ip_window(const struct bounce_ctx *c, const struct bounce_ip *a, size_t *from, size_t *to)
{
	*from = a->off > c->reach + IPCTX_BEFORE ? a->off - IPCTX_BEFORE : c->reach;
	size_t z = a->off + a->len + IPCTX_AFTER;
	*to = z < c->scan.len ? z : c->scan.len;
}

/* The rest of the notification, but only around the addresses it holds:
 * each context pattern reads a window before and after each address
 * instead of the whole text. The receivers of those windows go first. */
static const char *ip_near_addresses(struct bounce_ctx *c, char canon[BOUNCE_IP_STRLEN])
{
	const char *s = c->scan.p ? c->scan.p : "";
	struct bounce_ip ips[IPCTX_MAX_IPS];
	size_t k = bounce_ip_find(s + c->reach, c->scan.len - c->reach, ips, IPCTX_MAX_IPS);
	size_t a, z;
	for (size_t j = 0; j < k; j++) {
		ips[j].off += c->reach;
		ip_window(c, &ips[j], &a, &z);
		bounce_find_receivers(c, a, z);
	}
	for (size_t i = 0; i < c->k->nipctx; i++)
		for (size_t j = 0; j < k; j++) {
			if (!bounce_sender_usable(c, ips[j].text))
				continue;
			ip_window(c, &ips[j], &a, &z);
			const char *ip = ipctx_in(c, &c->k->ipctx[i], a, z, canon);
			if (ip)
				return ip;
		}
	return NULL;
}

/* True when the word before s[off] makes the dotted number there a
 * rule, version or reference number ("policy rule 3.2.1.1", "v1.2.3.4"),
 * not an address. */
static bool numbered_thing(const char *s, size_t off)
{
	static const char *const words[] = {"rule", "version", "ver", "v", "policy", "build", "release",
	                                    "ref", "id", "section", "rfc", "no", "#"};
	size_t e = off;
	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '.' || s[e - 1] == ':'))
		e--;
	size_t b = e;
	while (b > 0 && (isalpha((unsigned char)s[b - 1]) || s[b - 1] == '#'))
		b--;
	if (b == e && e == off)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == e - b && strncasecmp(s + b, words[i], e - b) == 0)
			return true;
	return false;
}

/* The first usable address of the rejection itself. */
static const char *ip_in_diagnostic(struct bounce_ctx *c, char canon[BOUNCE_IP_STRLEN])
{
	struct bounce_ip ips[8];
	size_t k = bounce_ip_find(c->diag, c->diaglen, ips, 8);
	for (size_t i = 0; i < k; i++)
		if (bounce_sender_usable(c, ips[i].text) && !numbered_thing(c->diag, ips[i].off)) {
			memcpy(canon, ips[i].text, BOUNCE_IP_STRLEN);
			bounce_evidence(c, "ip:diagnostic: the only other address in the rejection: %s", canon);
			return canon;
		}
	return NULL;
}

/* The returned message's first Received: line names the client that
 * handed the message to the reporting server. That is the sender only
 * when the reporting server is the one that refused it, i.e. no remote
 * server is quoted (the caller checks). */
static const char *ip_from_received(struct bounce_ctx *c, char canon[BOUNCE_IP_STRLEN])
{
	const char *h = c->doc.rethdr.len ? c->doc.rethdr.p : c->embedded_hdr;
	size_t hl = c->doc.rethdr.len ? c->doc.rethdr.len : c->embedded_hdrlen;
	const char *end = h ? h + hl : NULL;
	struct bounce_hdr f;
	while (h && (h = bounce_hdr_next(h, end, &f)) != NULL) {
		if (!bounce_hdr_is(&f, "Received"))
			continue;
		char v[1024];
		size_t vl = bounce_hdr_unfold(f.val, f.vallen, v, sizeof v);
		if (bounce_received_is_submission(v))
			return NULL; /* a mail program's address, not a server's */
		const char *by = strstr(v, " by ");
		struct bounce_ip ips[4];
		size_t k = bounce_ip_find(v, by ? (size_t)(by - v) : vl, ips, 4);
		for (size_t i = 0; i < k; i++)
			if (bounce_sender_usable(c, ips[i].text) && !bounce_ip_is_private(ips[i].text)) {
				memcpy(canon, ips[i].text, BOUNCE_IP_STRLEN);
				bounce_evidence(c, "ip:received: from the returned message's Received: line");
				return canon;
			}
		return NULL; /* only the topmost one */
	}
	return NULL;
}

/* The sending server's address, strongest evidence first: a rule's
 * capture, the context patterns over the rejection, our server named by
 * its host name, the bounce writer's own address when it is the sending
 * side, around the other addresses of the notification, any other
 * address of the rejection, the returned message's Received: line. */
void bounce_find_sending_ip(struct bounce_ctx *c)
{
	char canon[BOUNCE_IP_STRLEN];
	const char *ip = ip_from_hits(c);
	for (size_t i = 0; i < c->k->nipctx && ip == NULL; i++)
		ip = ipctx_in(c, &c->k->ipctx[i], 0, c->reach, canon);
	bounce_find_reporting_host(c);
	if (ip == NULL)
		ip = bounce_ip_of_our_server(c);
	if (ip == NULL)
		ip = bounce_ip_of_reporting_host(c, canon);
	if (ip == NULL && c->reach < c->scan.len)
		ip = ip_near_addresses(c, canon);
	if (ip == NULL && c->diaglen)
		ip = ip_in_diagnostic(c, canon);
	/* the returned message's client is the sender only when the bounce
	 * was written by the side that received it from that client */
	if (ip == NULL && c->nexcluded == 0 && !c->remote_host[0] && !c->dsn.remote_mta[0] &&
	    bounce_reporter_side(c) != REPORTER_SENDER)
		ip = ip_from_received(c, canon);
	if (ip)
		c->r->sending_ip = bounce_ctx_dup_str(c, ip);
}
