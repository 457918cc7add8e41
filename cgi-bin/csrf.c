#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "core/time_span.h"
#include "core/token.h"
#include "csrf.h"
#include "http.h"

#define CSRF_BYTES 32
#define CSRF_COOKIE "csrf"
#define CSRF_TTL (12 * SECONDS_PER_HOUR)     /* an anonymous form stays usable half a day */

/* The visitor cookie is "ID.MAC": ID random, MAC = HMAC(secret,
 * "visitor:" ID). Only cookies we issued are ever signed for, so a planted
 * "csrf=AAAA..." is treated as no cookie at all. */
static void visitor_mac(const struct app *app, const char *id, char mac[TOKEN_HMAC_CHARS + 1])
{
	char msg[96];
	snprintf(msg, sizeof msg, "visitor:%s", id);
	token_hmac(app->csrf_key, msg, mac);
}

/* 1 when c is a visitor cookie we issued (constant-time MAC check). */
static int visitor_ok(const struct app *app, const char *c)
{
	const size_t id_len = TOKEN_CHARS(CSRF_BYTES);
	if (c == NULL || strlen(c) != id_len + 1 + TOKEN_HMAC_CHARS || c[id_len] != '.')
		return 0;
	char id[TOKEN_CHARS(CSRF_BYTES) + 1], mac[TOKEN_HMAC_CHARS + 1];
	memcpy(id, c, id_len);
	id[id_len] = '\0';
	visitor_mac(app, id, mac);
	return token_equal(c + id_len + 1, mac, TOKEN_HMAC_CHARS);
}

/* Writes a new visitor cookie value into out; "" when no entropy. */
static void visitor_new(const struct app *app, char *out, size_t outlen)
{
	char id[TOKEN_CHARS(CSRF_BYTES) + 1], mac[TOKEN_HMAC_CHARS + 1];
	out[0] = '\0';
	if (token_random(id, sizeof id, CSRF_BYTES) != PERR_OK)
		return;
	visitor_mac(app, id, mac);
	snprintf(out, outlen, "%s.%s", id, mac);
}

/* The anonymous form token "EXPIRY-MAC": MAC is the HMAC under the
 * server secret of the expiry and the visitor's cookie, so nobody without
 * the secret can pair a cookie with a token, and it stops working after
 * CSRF_TTL. Written into out (64 bytes). */
static void sign(const struct app *app, const char *visitor, long long expiry, char out[64])
{
	char msg[160], mac[TOKEN_HMAC_CHARS + 1];
	snprintf(msg, sizeof msg, "csrf:%lld:%s", expiry, visitor);
	token_hmac(app->csrf_key, msg, mac);
	snprintf(out, 64, "%lld-%s", expiry, mac);
}

void csrf_attach(struct request *req, const char *session_token)
{
	struct viewer *w = &req->viewer;
	w->csrf_fresh = 0;
	w->csrf_cookie[0] = '\0';
	w->visitor[0] = '\0';
	w->csrf[0] = '\0';
	if (session_token != NULL) {
		snprintf(w->csrf, sizeof w->csrf, "%s", session_token);
		return;
	}
	const char *c = http_cookie(req, CSRF_COOKIE);
	if (visitor_ok(req->app, c)) {
		snprintf(w->visitor, sizeof w->visitor, "%s", c);
	} else {
		w->csrf_fresh = 1;
		visitor_new(req->app, w->visitor, sizeof w->visitor);
		if (w->visitor[0] == '\0')
			return;   /* an empty token matches no form: posts fail closed */
		snprintf(w->csrf_cookie, sizeof w->csrf_cookie, CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s",
			 w->visitor, req->tls ? "; Secure" : "");
	}
	sign(req->app, w->visitor, (long long)time(NULL) + CSRF_TTL, w->csrf);
}

/* Length of the host part of hostport ("name", "name:port", "[v6]:port"). */
static size_t host_len(const char *hostport, size_t n)
{
	if (n > 0 && hostport[0] == '[') {
		const char *close = memchr(hostport, ']', n);
		return close ? (size_t)(close - hostport) + 1 : n;
	}
	const char *colon = memchr(hostport, ':', n);
	return colon ? (size_t)(colon - hostport) : n;
}

/* 1 when url ("http[s]://host[:port]/...") names the host the request was
 * sent to (HTTP_HOST), 0 otherwise (also for "null"). Ports are not
 * compared: Debian's fastcgi_params passes nginx's $host, which has none. */
static int same_host(const char *url, const char *host)
{
	const char *p = strstr(url, "://");
	if (p == NULL || host == NULL)
		return 0;
	size_t slen = (size_t)(p - url);
	if (!((slen == 4 && !strncasecmp(url, "http", 4)) || (slen == 5 && !strncasecmp(url, "https", 5))))
		return 0;
	p += 3;
	size_t all = strcspn(p, "/?#");
	size_t n = host_len(p, all);
	if (n < all && (p[n] != ':' || strspn(p + n + 1, "0123456789") != all - n - 1))
		return 0;   /* after the host only ":port" may follow */
	size_t want = host_len(host, strlen(host));
	return n > 0 && n == want && strncasecmp(p, host, n) == 0;
}

/* 1 when the request may come from our own pages: its Origin (or, when a
 * browser sent none, its Referer) names our host. Clients that send
 * neither are no browser acting for a victim and pass to the token. */
static int origin_ok(struct request *req)
{
	const char *o = http_param(req, "HTTP_ORIGIN");
	if (o == NULL)
		o = http_param(req, "HTTP_REFERER");
	return o == NULL || same_host(o, http_param(req, "HTTP_HOST"));
}

/* 1 when t is a live anonymous token signed for visitor. */
static int anonymous_ok(struct request *req, const char *t, const char *visitor)
{
	if (t[0] < '0' || t[0] > '9')
		return 0;
	char *end;
	long long expiry = strtoll(t, &end, 10);
	long long now = (long long)time(NULL);
	if (*end != '-' || expiry < now || expiry > now + CSRF_TTL)
		return 0;
	char want[64];
	sign(req->app, visitor, expiry, want);
	size_t n = strlen(want);
	return strlen(t) == n && token_equal(t, want, n);
}

int csrf_ok(struct request *req)
{
	const struct field_value *f = &req->fields[FIELD_CSRF];
	const struct viewer *w = &req->viewer;
	if (f->state != FIELD_VALID || req->csrf_in_query || w->csrf_fresh || w->csrf[0] == '\0' ||
	    !origin_ok(req))
		return 0;
	if (w->visitor[0] != '\0')
		return anonymous_ok(req, f->value, w->visitor);
	size_t n = strlen(w->csrf);
	if (strlen(f->value) != n)
		return 0;
	return token_equal(f->value, w->csrf, n);
}
