#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "http.h"
#include "origin.h"

struct origin {
	int https;
	char host[256];
	unsigned port;   /* 0 = not known */
};

/* Reads "host", "host:port", "[v6]" or "[v6]:port" (n bytes) into o. */
static int parse_hostport(const char *s, size_t n, struct origin *o)
{
	size_t hl;
	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (close == NULL)
			return 0;
		hl = (size_t)(close - s) + 1;
	} else {
		const char *colon = memchr(s, ':', n);
		hl = colon ? (size_t)(colon - s) : n;
	}
	if (hl == 0 || hl >= sizeof o->host)
		return 0;
	memcpy(o->host, s, hl);
	o->host[hl] = '\0';
	if (hl == n)
		return 1;
	/* after the host only ":port" may follow */
	const char *p = s + hl + 1;
	size_t pl = n - hl - 1;
	if (s[hl] != ':' || pl == 0 || pl > 5 || strspn(p, "0123456789") < pl)
		return 0;
	o->port = (unsigned)strtoul(p, NULL, 10);
	return o->port > 0 && o->port <= 65535;
}

/* Reads "http[s]://host[:port][/...]" into o, the port defaulted. */
static int parse_url(const char *url, struct origin *o)
{
	memset(o, 0, sizeof *o);
	if (!strncasecmp(url, "https://", 8))
		o->https = 1;
	else if (strncasecmp(url, "http://", 7) != 0)
		return 0;
	const char *p = url + (o->https ? 8 : 7);
	if (!parse_hostport(p, strcspn(p, "/?#"), o))
		return 0;
	if (o->port == 0)
		o->port = o->https ? 443 : 80;
	return 1;
}

/* The portal's own origin for this request (see origin.h). */
static int ours(struct request *req, struct origin *o)
{
	const struct config *cfg = &req->app->cfg;
	if (cfg->site_base_url[0])
		return parse_url(cfg->site_base_url, o);
	memset(o, 0, sizeof *o);
	o->https = req->tls;
	const char *host = http_param(req, "HTTP_HOST");
	if (host == NULL || !parse_hostport(host, strlen(host), o))
		return 0;
	const char *port = http_param(req, "SERVER_PORT");
	if (o->port == 0 && !cfg->trust_proxy_tls && port != NULL && *port && strspn(port, "0123456789") == strlen(port))
		o->port = (unsigned)strtoul(port, NULL, 10);
	return 1;
}

int origin_ok(struct request *req)
{
	const char *sent = http_param(req, "HTTP_ORIGIN");
	if (sent == NULL)
		sent = http_param(req, "HTTP_REFERER");
	if (sent == NULL)
		return 1;
	struct origin them, us;
	if (!parse_url(sent, &them) || !ours(req, &us))
		return 0;
	return them.https == us.https && strcasecmp(them.host, us.host) == 0 && (us.port == 0 || them.port == us.port);
}
