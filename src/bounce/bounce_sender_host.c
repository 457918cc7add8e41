/* The sending server known by name: the host that wrote the bounce
 * (Reporting-MTA, Mailer-Daemon@HOST, "the mail system at host HOST", the
 * bounce's own "Received: by HOST"), and whether that host sent the mail
 * or received it. Our own servers are known by name from
 * site.outgoing_servers; any other host's address is read from the
 * Received: line that names it as the client of the next hop. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/servers.h"
#include "internal/bounce_ctx.h"
#include "internal/bounce_header.h"

#define RECEIVED_MAX 1024     /* bytes of one unfolded Received: line read */
#define HOST_SEARCH_MAX 4096  /* bytes of a text searched for "at host NAME" */

/* Copies the host name at s (letters, digits, '-', '.', '_') into out,
 * lower case, without a trailing dot; false when there is none or it has
 * no dot (a bare "localhost" names nothing). */
static bool take_host(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i = 0;
	while (i < n && i + 1 < outsz && (isalnum((unsigned char)s[i]) || strchr("-._", s[i]))) {
		out[i] = (char)tolower((unsigned char)s[i]);
		i++;
	}
	while (i > 0 && out[i - 1] == '.')
		i--;
	out[i] = '\0';
	return i > 0 && strchr(out, '.') != NULL;
}

/* The host after "needle" in s (caseless; needle starts with a lower
 * case letter), into out. Only the head of a long text is read: writers
 * say who they are at the top. */
static bool host_after(const char *s, size_t n, const char *needle, char *out, size_t outsz)
{
	size_t nl = strlen(needle);
	if (n > HOST_SEARCH_MAX)
		n = HOST_SEARCH_MAX;
	char lo = needle[0], up = (char)toupper((unsigned char)lo);
	for (size_t i = 0; i + nl <= n; i++)
		if ((s[i] == lo || s[i] == up) && strncasecmp(s + i, needle, nl) == 0)
			return take_host(s + i + nl, n - i - nl, out, outsz);
	return false;
}

/* The value of the first header called name in the block [p, end), unfolded. */
static bool header_value(const char *p, const char *end, const char *name, char *out, size_t outsz)
{
	struct bounce_hdr h;
	while (p && (p = bounce_hdr_next(p, end, &h)) != NULL)
		if (bounce_hdr_is(&h, name)) {
			bounce_hdr_unfold(h.val, h.vallen, out, outsz);
			return true;
		}
	return false;
}

void bounce_find_reporting_host(struct bounce_ctx *c)
{
	char *out = c->reporting_host;
	size_t sz = sizeof c->reporting_host;
	const char *top = c->doc.tophdr.p, *top_end = top ? top + c->doc.tophdr.len : NULL;
	char v[RECEIVED_MAX];
	if (c->dsn.reporting_mta[0] && take_host(c->dsn.reporting_mta, strlen(c->dsn.reporting_mta), out, sz))
		return;
	if (header_value(top, top_end, "From", v, sizeof v) &&
	    (host_after(v, strlen(v), "mailer-daemon@", out, sz) || host_after(v, strlen(v), "postmaster@", out, sz)))
		return;
	if (host_after(c->notice, c->noticelen, "the mail system at host ", out, sz))
		return;
	/* a bounce made by the server itself starts its path with "by HOST" */
	struct bounce_hdr h;
	const char *p = top;
	while (p && (p = bounce_hdr_next(p, top_end, &h)) != NULL)
		if (bounce_hdr_is(&h, "Received")) {
			size_t n = bounce_hdr_unfold(h.val, h.vallen, v, sizeof v);
			if (n > 3 && strncasecmp(v, "by ", 3) == 0 && take_host(v + 3, n - 3, out, sz))
				return;
		}
	out[0] = '\0';
}

/* True when host (or the domain it ends with) belongs to a receiving
 * provider of the knowledge: its bounces come from the receiving side. */
static bool provider_host(const struct bounce_ctx *c, const char *host)
{
	size_t hl = strlen(host);
	for (size_t i = 0; i < c->k->nproviders; i++)
		for (size_t d = 0; d < c->k->providers[i].ndomains; d++) {
			size_t dl = c->k->providers[i].domlen[d];
			const char *dom = c->k->providers[i].domains[d];
			if (hl >= dl && strcasecmp(host + hl - dl, dom) == 0 && (hl == dl || host[hl - dl - 1] == '.'))
				return true;
		}
	return false;
}

/* The "from" part of a Received: value (before " by "), and its length. */
static size_t from_part(const char *v, size_t n)
{
	const char *by = strstr(v, " by ");
	return by ? (size_t)(by - v) : n;
}

bool bounce_received_is_submission(const char *v)
{
	static const char *const marks[] = {"esmtpa", "esmtpsa", "asmtp", "authenticated", "with http",
	                                    "with local", "webmail", "with smtp-auth", "submission"};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strcasestr(v, marks[i]) != NULL)
			return true;
	return false;
}

/* True when the from part of v names host as a whole name. */
static bool from_names(const char *v, size_t fl, const char *host)
{
	size_t hl = strlen(host);
	for (const char *p = v; (p = strcasestr(p, host)) != NULL && (size_t)(p - v) + hl <= fl; p++) {
		char before = p == v ? ' ' : p[-1], after = p[hl];
		if (!isalnum((unsigned char)before) && before != '-' && before != '.' &&
		    !isalnum((unsigned char)after) && after != '-' && (after != '.' || !isalnum((unsigned char)p[hl + 1])))
			return true;
	}
	return false;
}

/* Looks through the Received: lines of [p, end) for one whose client is
 * host; its first public address goes to canon. */
static bool received_from_host(const struct bounce_ctx *c, const char *p, const char *end, const char *host,
                               char canon[BOUNCE_IP_STRLEN])
{
	struct bounce_hdr h;
	char v[RECEIVED_MAX];
	while (p && (p = bounce_hdr_next(p, end, &h)) != NULL) {
		if (!bounce_hdr_is(&h, "Received"))
			continue;
		size_t n = bounce_hdr_unfold(h.val, h.vallen, v, sizeof v);
		size_t fl = from_part(v, n);
		if (strncasecmp(v, "from ", 5) != 0 || !from_names(v, fl, host))
			continue;
		struct bounce_ip ips[4];
		size_t k = bounce_ip_find(v, fl, ips, 4);
		for (size_t i = 0; i < k; i++)
			if (bounce_sender_usable(c, ips[i].text) && !bounce_ip_is_private(ips[i].text)) {
				memcpy(canon, ips[i].text, BOUNCE_IP_STRLEN);
				return true;
			}
	}
	return false;
}

/* The returned message's topmost Received: line, unfolded into v; false
 * when there is none. */
static bool first_returned_received(const struct bounce_ctx *c, char *v, size_t vsz)
{
	const char *h = c->doc.rethdr.len ? c->doc.rethdr.p : c->embedded_hdr;
	size_t hl = c->doc.rethdr.len ? c->doc.rethdr.len : c->embedded_hdrlen;
	return h != NULL && header_value(h, h + hl, "Received", v, vsz);
}

enum bounce_reporter bounce_reporter_side(const struct bounce_ctx *c)
{
	const char *host = c->reporting_host;
	if (!host[0])
		return REPORTER_UNKNOWN;
	if (outgoing_servers_find(c->ours, host) != NULL)
		return REPORTER_SENDER;
	if (provider_host(c, host) || (c->remote_host[0] && strcasecmp(c->remote_host, host) == 0))
		return REPORTER_RECEIVER;
	char v[RECEIVED_MAX];
	if (first_returned_received(c, v, sizeof v)) {
		const char *by = strcasestr(v, " by ");
		bool by_host = by != NULL && from_names(by + 4, strlen(by + 4), host);
		if (by_host)
			return bounce_received_is_submission(v) ? REPORTER_SENDER : REPORTER_RECEIVER;
	}
	/* it quotes a remote server that refused: it is the one that tried */
	if (c->remote_host[0] || c->nexcluded > 0 || c->dsn.remote_mta[0])
		return REPORTER_SENDER;
	return REPORTER_UNKNOWN;
}

const char *bounce_ip_of_our_server(struct bounce_ctx *c)
{
	if (c->ours == NULL || c->ours->n == 0)
		return NULL;
	const char *host = c->reporting_host;
	const char *ip = host[0] ? outgoing_servers_find(c->ours, host) : NULL;
	const char *why = "wrote this bounce";
	char v[RECEIVED_MAX], client[256];
	/* a provider's bounce: the returned message came to it from our server */
	if (ip == NULL && first_returned_received(c, v, sizeof v) && strncasecmp(v, "from ", 5) == 0 &&
	    take_host(v + 5, from_part(v, strlen(v)) - 5, client, sizeof client) &&
	    (ip = outgoing_servers_find(c->ours, client)) != NULL) {
		host = client;
		why = "handed the returned message to the receiving server";
	}
	if (ip == NULL)
		return NULL;
	bounce_evidence(c, "ip:our_server: %s is our outgoing server %s (site.outgoing_servers), which %s",
	                ip, host, why);
	return ip;
}

const char *bounce_ip_of_reporting_host(struct bounce_ctx *c, char canon[BOUNCE_IP_STRLEN])
{
	if (bounce_reporter_side(c) != REPORTER_SENDER)
		return NULL;
	const char *top = c->doc.tophdr.p;
	if (top == NULL || !received_from_host(c, top, top + c->doc.tophdr.len, c->reporting_host, canon))
		return NULL;
	bounce_evidence(c, "ip:reporting_host: %s, the address of %s (the sending server that wrote this bounce) "
	                "in the Received: line that names it", canon, c->reporting_host);
	return canon;
}
