#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/time_span.h"
#include "core/token.h"
#include "csrf.h"
#include "http.h"
#include "origin.h"

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
		http_cookie_line(req, CSRF_COOKIE, w->visitor, "", w->csrf_cookie, sizeof w->csrf_cookie);
	}
	sign(req->app, w->visitor, (long long)time(NULL) + CSRF_TTL, w->csrf);
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
