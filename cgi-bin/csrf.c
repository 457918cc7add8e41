#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "csrf.h"
#include "http.h"
#include "session.h"

#define CSRF_BYTES 32
#define CSRF_CHARS 43   /* 32 bytes as unpadded base64url */
#define CSRF_COOKIE "csrf"

void csrf_random_token(char *buf, size_t buflen, size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes > sizeof raw)
		nbytes = sizeof raw;
	randombytes_buf(raw, nbytes);
	sodium_bin2base64(buf, buflen, raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

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

const char *csrf_token(struct request *req)
{
	if (req->csrf[0])
		return req->csrf;
	const char *s = session_csrf(req);
	if (s != NULL) {
		snprintf(req->csrf, sizeof req->csrf, "%s", s);
		return req->csrf;
	}
	const char *c = http_cookie(req, CSRF_COOKIE);
	if (token_shape_ok(c)) {
		snprintf(req->csrf, sizeof req->csrf, "%s", c);
		return req->csrf;
	}
	csrf_random_token(req->csrf, sizeof req->csrf, CSRF_BYTES);
	snprintf(req->set_cookie[1], sizeof req->set_cookie[1],
		 CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s", req->csrf, req->tls ? "; Secure" : "");
	return req->csrf;
}

int csrf_ok(struct request *req)
{
	const struct field_value *f = &req->fields[FIELD_CSRF];
	if (f->state != FIELD_VALID)
		return 0;
	const char *expected = session_csrf(req);
	if (expected == NULL) {
		expected = http_cookie(req, CSRF_COOKIE);
		if (!token_shape_ok(expected))
			return 0;
	}
	size_t n = strlen(expected);
	if (strlen(f->value) != n)
		return 0;
	return sodium_memcmp(f->value, expected, n) == 0;
}
