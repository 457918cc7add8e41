#include <stdio.h>
#include <string.h>

#include "core/token.h"
#include "csrf.h"
#include "http.h"

#define CSRF_BYTES 32
#define CSRF_CHARS TOKEN_CHARS(CSRF_BYTES)   /* 43 */
#define CSRF_COOKIE "csrf"

/* 1 when t looks like a token we made (43 base64url characters). */
static int token_shape_ok(const char *t)
{
	if (t == NULL || strlen(t) != CSRF_CHARS)
		return 0;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

void csrf_attach(struct request *req, const char *session_token)
{
	struct viewer *w = &req->viewer;
	w->csrf_fresh = 0;
	w->csrf_cookie[0] = '\0';
	const char *c = session_token ? session_token : http_cookie(req, CSRF_COOKIE);
	if (session_token != NULL || token_shape_ok(c)) {
		snprintf(w->csrf, sizeof w->csrf, "%s", c);
		return;
	}
	w->csrf_fresh = 1;
	if (token_random(w->csrf, sizeof w->csrf, CSRF_BYTES) != PERR_OK)
		return;   /* an empty token matches no form: posts fail closed */
	snprintf(w->csrf_cookie, sizeof w->csrf_cookie,
		 CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s", w->csrf, req->tls ? "; Secure" : "");
}

int csrf_ok(struct request *req)
{
	const struct field_value *f = &req->fields[FIELD_CSRF];
	const struct viewer *w = &req->viewer;
	if (f->state != FIELD_VALID || w->csrf_fresh || w->csrf[0] == '\0')
		return 0;
	size_t n = strlen(w->csrf);
	if (strlen(f->value) != n)
		return 0;
	return token_equal(f->value, w->csrf, n);
}
