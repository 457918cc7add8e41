/* Front line, CGI-kit parsing and responses for one FastCGI request. */
#include <ClearSilver.h>
#include <fcgiapp.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "http.h"
#include "cookie_header.h"
#include "core/log.h"
#include "hdf/neo_error.h"

/* The request the CGI kit's callbacks read from: one at a time per worker. */
static struct request *kit_request;

/* our cookies over TLS: see http_cookie_line */
#define HOST_PREFIX "__Host-"

static FCGX_Request *fcgx_of(struct request *req)
{
	return (FCGX_Request *)req->fcgx;
}

static unsigned param_hash(const char *name, size_t len)
{
	unsigned h = 2166136261u;   /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

/* Indexes envp; a name seen twice keeps its first value, as FCGX_GetParam does. */
static void params_index(struct param_index *ix, char **envp)
{
	memset(ix, 0, sizeof *ix);
	size_t used = 0;
	for (char **e = envp; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (eq == NULL || eq - *e > 255 || used == PARAM_SLOTS / 2) {
			ix->partial = 1;   /* a huge request: keep the table sparse, fall back */
			continue;
		}
		size_t n = (size_t)(eq - *e);
		unsigned slot = param_hash(*e, n) % PARAM_SLOTS;
		while (ix->entry[slot] && !(ix->len[slot] == n && !memcmp(ix->entry[slot], *e, n)))
			slot = (slot + 1) % PARAM_SLOTS;
		if (ix->entry[slot] == NULL) {
			ix->entry[slot] = *e;
			ix->len[slot] = (unsigned char)n;
			used++;
		}
	}
}

const char *http_param(struct request *req, const char *name)
{
	size_t n = strlen(name);
	const struct param_index *ix = &req->params;
	if (n > 255)
		return ix->partial ? FCGX_GetParam(name, fcgx_of(req)->envp) : NULL;
	for (unsigned slot = param_hash(name, n) % PARAM_SLOTS; ix->entry[slot]; slot = (slot + 1) % PARAM_SLOTS)
		if (ix->len[slot] == n && !memcmp(ix->entry[slot], name, n))
			return ix->entry[slot] + n + 1;
	return ix->partial ? FCGX_GetParam(name, fcgx_of(req)->envp) : NULL;
}

/* --- the CGI kit's I/O, wired to the current FastCGI request --- */

static int kit_read(void *data, char *buf, int len)
{
	(void)data;
	struct request *req = kit_request;
	if (req == NULL || len <= 0)
		return 0;
	size_t left = req->body_len - req->body_off;
	size_t n = (size_t)len < left ? (size_t)len : left;
	memcpy(buf, req->body + req->body_off, n);
	req->body_off += n;
	return (int)n;
}

/* Must return 0 on success: a byte count is taken as an error and leaks
 * (see the cgiwrap trap in docs/ARCHITECTURE.md). */
static int kit_writef(void *data, const char *fmt, va_list ap)
{
	(void)data;
	if (kit_request == NULL)
		return -1;
	return FCGX_VFPrintF(fcgx_of(kit_request)->out, fmt, ap) < 0 ? -1 : 0;
}

static int kit_write(void *data, const char *buf, int len)
{
	(void)data;
	if (kit_request == NULL)
		return -1;
	return FCGX_PutStr(buf, len, fcgx_of(kit_request)->out);
}

static char *kit_getenv(void *data, const char *name)
{
	(void)data;
	const char *v = kit_request ? http_param(kit_request, name) : NULL;
	return v ? strdup(v) : NULL;
}

static int kit_putenv(void *data, const char *name, const char *value)
{
	(void)data; (void)name; (void)value;
	return 0;   /* the kit never needs to change our environment */
}

static int kit_iterenv(void *data, int n, char **name, char **value)
{
	(void)data;
	*name = *value = NULL;
	if (kit_request == NULL || n < 0)
		return 0;
	char **envp = fcgx_of(kit_request)->envp;
	for (int i = 0; i < n; i++)
		if (envp[i] == NULL)
			return 0;
	const char *kv = envp[n];
	if (kv == NULL)
		return 0;
	const char *eq = strchr(kv, '=');
	if (eq == NULL)
		return 0;
	*name = strndup(kv, (size_t)(eq - kv));
	*value = strdup(eq + 1);
	return 0;
}

static void kit_init_once(void)
{
	static int done;
	if (!done) {
		cgiwrap_init_emu(NULL, kit_read, kit_writef, kit_write, kit_getenv, kit_putenv, kit_iterenv);
		done = 1;
	}
}

/* --- front line --- */

static int path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (const char *s = p; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '.' || c == '-' || c == '_' || c == '~'))
			return 0;  /* includes '%': no route uses encoded bytes */
		if (c == '/' && (s[1] == '/' ||
				 (s[1] == '.' && (s[2] == '/' || s[2] == '\0' ||
						  (s[2] == '.' && (s[3] == '/' || s[3] == '\0'))))))
			return 0;  /* empty, "." and ".." segments */
	}
	return 1;
}

static int has_encoded_nul(const char *s, size_t len)
{
	for (size_t i = 0; i + 2 < len; i++)
		if (s[i] == '%' && s[i + 1] == '0' && s[i + 2] == '0')
			return 1;
	return 0;
}

/* An upper bound of the name=value pairs the CGI kit will make of s: it
 * walks every earlier value of a repeated name for each new one, so
 * "a=&a=&..." in a 256 KiB body costs seconds of CPU. */
static size_t count_params(const char *s, size_t len)
{
	size_t n = len > 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '&';
	return n;
}

/* Reads exactly len body bytes (len already checked against the limit). */
static int read_body(struct request *req, size_t len)
{
	req->body = malloc(len + 1);
	if (req->body == NULL)
		return 500;
	size_t got = 0;
	while (got < len) {
		int n = FCGX_GetStr(req->body + got, (int)(len - got), fcgx_of(req)->in);
		if (n <= 0)
			return 400;   /* the client sent less than it announced */
		got += (size_t)n;
	}
	req->body[len] = '\0';
	req->body_len = len;
	return 0;
}

/* The CGI kit parses a body only when its type is exactly
 * "application/x-www-form-urlencoded" (parameters after ';' allowed);
 * anything else would arrive as an empty form, so it is refused here. */
static int is_form_type(const char *ct)
{
	static const char form[] = "application/x-www-form-urlencoded";
	if (ct == NULL || strncmp(ct, form, sizeof form - 1) != 0)
		return 0;
	const char *rest = ct + sizeof form - 1;
	while (*rest == ' ')
		rest++;
	return *rest == '\0' || *rest == ';';
}

/* 1 (and the error page told why, our own copies of the cookies cleared)
 * when one of our cookies comes twice. A planted copy, set for a parent
 * domain or another path, would otherwise decide which value counts. */
static int refuse_repeated_cookies(struct request *req, const char *header)
{
	static const char *const ours[COOKIE__MAX] = { [COOKIE_SESSION] = "sid", [COOKIE_CSRF] = "csrf",
						       [COOKIE_HOLDER] = "holder" };
	int refused = 0;
	for (int i = 0; i < COOKIE__MAX; i++) {
		char name[32];
		snprintf(name, sizeof name, "%s%s", req->tls ? HOST_PREFIX : "", ours[i]);
		if (!cookie_repeated(header, name))
			continue;
		http_cookie_line(req, ours[i], "", "; Max-Age=0", req->set_cookie[i], COOKIE_LINE_MAX);
		refused = 1;
	}
	if (refused)
		req->refusal = "cookie";
	return refused;
}

int http_frontline(struct request *req, struct app *app, void *fcgx)
{
	memset(req, 0, sizeof *req);
	req->app = app;
	req->fcgx = fcgx;
	params_index(&req->params, fcgx_of(req)->envp);
	log_new_ref(req->ref, sizeof req->ref);

	const char *m = http_param(req, "REQUEST_METHOD");
	req->method = !m ? HTTP_OTHER : !strcmp(m, "GET") ? HTTP_GET : !strcmp(m, "HEAD") ? HTTP_HEAD
		    : !strcmp(m, "POST") ? HTTP_POST : HTTP_OTHER;
	const char *addr = http_param(req, "REMOTE_ADDR");
	snprintf(req->client, sizeof req->client, "%s", addr ? addr : "unknown");
	const char *https = http_param(req, "HTTPS");
	req->tls = (https && (!strcasecmp(https, "on") || !strcmp(https, "1"))) || app->cfg.trust_proxy_tls;

	const char *uri = http_param(req, "REQUEST_URI");
	if (uri == NULL)
		uri = http_param(req, "DOCUMENT_URI");
	if (uri == NULL)
		return 400;
	size_t plen = strcspn(uri, "?#");
	if (plen > LIMIT_PATH_BYTES)
		return 414;
	memcpy(req->path, uri, plen);
	req->path[plen] = '\0';
	if (!path_ok(req->path))
		return 400;

	const char *qs = http_param(req, "QUERY_STRING");
	size_t qlen = qs ? strlen(qs) : 0;
	if (qlen > LIMIT_QUERY_BYTES)
		return 414;
	if (qs && has_encoded_nul(qs, qlen))
		return 400;
	size_t nparams = qs ? count_params(qs, qlen) : 0;
	if (nparams > LIMIT_FORM_PARAMS)
		return 400;
	const char *cookie = http_param(req, "HTTP_COOKIE");
	if (cookie && strlen(cookie) > LIMIT_COOKIE_BYTES)
		return 400;
	if (cookie && refuse_repeated_cookies(req, cookie))
		return 400;

	if (req->method != HTTP_POST)
		return 0;
	/* The body limit is checked on the announced length before a byte of the
	 * body is read: ClearSilver's cgi_parse would allocate whatever is claimed. */
	const char *cl = http_param(req, "CONTENT_LENGTH");
	if (cl == NULL || *cl == '\0')
		return 411;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(cl, &end, 10);
	if (*end != '\0' || cl[0] == '-' || errno != 0)
		return 400;
	if (n > app->cfg.body_limit)
		return 413;
	const char *ct = http_param(req, "CONTENT_TYPE");
	if (n > 0 && !is_form_type(ct))
		return 415;
	int rc = read_body(req, (size_t)n);
	if (rc != 0)
		return rc;
	if (has_encoded_nul(req->body, req->body_len) || memchr(req->body, '\0', req->body_len))
		return 400;
	if (nparams + count_params(req->body, req->body_len) > LIMIT_FORM_PARAMS)
		return 400;
	return 0;
}

int http_parse(struct request *req)
{
	kit_init_once();
	kit_request = req;
	CGI *cgi = NULL;
	NEOERR *err = cgi_init(&cgi, NULL);
	/* cgi_init has parsed only the query string so far: a csrf there is
	 * remembered, and refused, before the body adds its own */
	if (err == STATUS_OK)
		req->csrf_in_query = hdf_get_obj(cgi->hdf, "Query.csrf") != NULL;
	if (err == STATUS_OK && req->method == HTTP_POST)
		err = cgi_parse(cgi);
	if (err != STATUS_OK) {
		char msg[512];
		neo_error_take(err, msg, sizeof msg);
		log_event(LOG_WARN, req->ref, "cgi kit refused the request: %s", msg);
		if (cgi)
			cgi_destroy(&cgi);
		kit_request = NULL;
		return 400;
	}
	req->kit = cgi;
	size_t bounce_max = req->app->cfg.bounce_limit;
	for (int f = 0; f < FIELD__MAX; f++) {
		char key[64];
		snprintf(key, sizeof key, "Query.%s", field_name((enum field)f));
		const char *v = hdf_get_value(cgi->hdf, key, NULL);
		req->fields[f] = field_validate((enum field)f, v, v ? strlen(v) : 0,
						f == FIELD_BOUNCE ? bounce_max : 0);
	}
	/* " 1.2.3.4 ", "[1.2.3.4]", "IPv6:2001:db8::1": the address is kept
	 * (in the kit's own copy) and validated again */
	struct field_value *ip = &req->fields[FIELD_IP];
	size_t off, n;
	if (ip->state == FIELD_INVALID && ip->raw_is_text && field_ip_inner(ip->raw, strlen(ip->raw), &off, &n)) {
		char inner[64];
		snprintf(inner, sizeof inner, "%.*s", (int)n, ip->raw + off);
		NEOERR *e = hdf_set_value(cgi->hdf, "Query.ip", inner);
		if (e == STATUS_OK) {
			const char *v = hdf_get_value(cgi->hdf, "Query.ip", NULL);
			*ip = field_validate(FIELD_IP, v, v ? strlen(v) : 0, 0);
		} else {
			char msg[128];
			neo_error_take(e, msg, sizeof msg);   /* out of memory: the field stays invalid */
		}
	}
	return 0;
}

const char *http_cookie(struct request *req, const char *name)
{
	if (req->kit == NULL)
		return NULL;
	char key[96];
	snprintf(key, sizeof key, "Cookie.%s%s", req->tls ? HOST_PREFIX : "", name);
	return hdf_get_value(((CGI *)req->kit)->hdf, key, NULL);
}

void http_cookie_line(const struct request *req, const char *name, const char *value, const char *attrs,
		      char *out, size_t len)
{
	snprintf(out, len, "%s%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", req->tls ? HOST_PREFIX : "", name, value,
		 attrs ? attrs : "", req->tls ? "; Secure" : "");
}

void http_request_end(struct request *req)
{
	if (req->kit != NULL) {
		CGI *cgi = req->kit;
		cgi_destroy(&cgi);
		req->kit = NULL;
	}
	kit_request = NULL;
	free(req->body);
	req->body = NULL;
}

/* --- responses --- */

const char *http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

/* Sent on every dynamic answer; nginx adds the same to static files. */
/* Referrer-Policy same-origin: report links (/r/<token>) never reach the
 * delisting sites they link to, and our own form posts keep a real Origin
 * (no-referrer makes browsers send "Origin: null", which csrf_ok refuses). */
static const char security_headers[] =
	"Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"X-Frame-Options: DENY\r\n"
	"Referrer-Policy: same-origin\r\n"
	"Cross-Origin-Opener-Policy: same-origin\r\n"
	"Cache-Control: no-store\r\n";

/* Status line and headers; len < 0 leaves Content-Length out (streamed). */
static void put_head(struct request *req, int status, const char *content_type,
		     const char *extra_headers, long long len)
{
	req->responded = 1;
	req->status = status;
	FCGX_Stream *out = fcgx_of(req)->out;
	char head[512];
	int n = snprintf(head, sizeof head, "Status: %d %s\r\nContent-Type: %s\r\n",
			 status, http_status_text(status), content_type);
	FCGX_PutStr(head, n, out);
	if (len >= 0) {
		n = snprintf(head, sizeof head, "Content-Length: %lu\r\n", (unsigned long)len);
		FCGX_PutStr(head, n, out);
	}
	FCGX_PutStr(security_headers, (int)sizeof security_headers - 1, out);
	for (size_t i = 0; i < COOKIE__MAX; i++)
		if (req->set_cookie[i][0])
			FCGX_FPrintF(out, "Set-Cookie: %s\r\n", req->set_cookie[i]);
	if (extra_headers)
		FCGX_PutS(extra_headers, out);
	FCGX_PutStr("\r\n", 2, out);
}

void http_send(struct request *req, int status, const char *content_type,
	       const char *extra_headers, const char *body, size_t len)
{
	if (req->responded)
		return;
	put_head(req, status, content_type, extra_headers, (long long)len);
	if (req->method != HTTP_HEAD && len > 0)
		FCGX_PutStr(body, (int)len, fcgx_of(req)->out);
}

void http_send_head(struct request *req, int status, const char *content_type,
		    const char *extra_headers)
{
	if (req->responded)
		return;
	put_head(req, status, content_type, extra_headers, -1);
}

int http_write(struct request *req, const char *buf, size_t len)
{
	if (req->method == HTTP_HEAD || len == 0)
		return 0;
	return FCGX_PutStr(buf, (int)len, fcgx_of(req)->out) == (int)len ? 0 : -1;
}

void http_send_page(struct request *req, int status, enum page page, struct view *v)
{
	char *html = NULL;
	size_t len = 0;
	enum perr rc = render_page(req->app->render, page, v, &html, &len);
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "render %d failed: %s", (int)page, perr_str(rc));
		free(html);
		http_send_error(req, 500);
		return;
	}
	http_send(req, status, "text/html; charset=utf-8", NULL, html, len);
	free(html);
}

void http_send_json(struct request *req, int status, json_t *doc)
{
	http_send_json_with(req, status, NULL, doc);
}

void http_send_json_with(struct request *req, int status, const char *extra_headers, json_t *doc)
{
	char *s = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(doc);
	if (s == NULL) {
		/* out of memory: the one answer that cannot be built with jansson */
		static const char oom[] = "{\"error\":\"internal error\"}";
		http_send(req, 500, "application/json", NULL, oom, sizeof oom - 1);
		return;
	}
	http_send(req, status, "application/json", extra_headers, s, strlen(s));
	free(s);
}

void http_send_json_error(struct request *req, int status, const char *message)
{
	http_send_json(req, status, json_pack("{s:s}", "error", message));
}

void http_redirect(struct request *req, const char *location)
{
	char hdr[LIMIT_PATH_BYTES + 32];
	snprintf(hdr, sizeof hdr, "Location: %s\r\n", location);
	http_send(req, 303, "text/plain; charset=utf-8", hdr, "See Other\n", 10);
}

void http_send_error(struct request *req, int status)
{
	http_send_error_with(req, status, status == 405 ? "Allow: GET, HEAD, POST\r\n" : NULL);
}

void http_send_error_with(struct request *req, int status, const char *extra)
{
	if (req->responded)
		return;
	/* the page shows only the reference; the log line ties it to the request */
	static const char *const methods[HTTP__MAX] = { "GET", "HEAD", "POST", "other" };
	log_event(status >= 500 ? LOG_ERROR : LOG_INFO, req->ref, "answered %d to %s %s from %s", status,
		  methods[req->method < HTTP__MAX ? req->method : HTTP_OTHER], req->path[0] ? req->path : "-",
		  req->client);
	/* scripts call /api/: every answer there is JSON, errors included */
	if (strncmp(req->path, "/api/", 5) == 0) {
		char msg[96];
		snprintf(msg, sizeof msg, "%s (reference %s)", http_status_text(status), req->ref);
		for (char *p = msg; *p; p++)
			*p = (char)(p == msg ? *p : tolower((unsigned char)*p));
		http_send_json_with(req, status, extra, json_pack("{s:s, s:s}", "error", msg, "ref", req->ref));
		return;
	}
	struct view *v = view_new();
	char *html = NULL;
	size_t len = 0;
	if (v != NULL) {
		/* before the cookies are read the viewer is unknown: a fresh
		 * token would replace the visitor's csrf cookie and break their
		 * open forms */
		if (req->viewer.known)
			http_view_common(req, v);
		view_set_int(v, "error.status", status);
		view_set(v, "error.title", http_status_text(status));
		view_set(v, "page.title", req->refusal && !strcmp(req->refusal, "cookie") ? "Please reload this page"
										 : http_status_text(status));
		view_set(v, "error.ref", req->ref);
		if (req->refusal != NULL)
			view_set(v, "error.reason", req->refusal);
		render_page(req->app->render, PAGE_ERROR, v, &html, &len);
		view_free(v);
	}
	if (html != NULL)
		http_send(req, status, "text/html; charset=utf-8", extra, html, len);
	else
		http_send(req, status, "text/plain; charset=utf-8", extra, "Error\n", 6);
	free(html);
}

const char *http_viewer_csrf(struct request *req)
{
	struct viewer *w = &req->viewer;
	if (w->csrf_cookie[0]) {
		memcpy(req->set_cookie[COOKIE_CSRF], w->csrf_cookie, sizeof w->csrf_cookie);
		w->csrf_cookie[0] = '\0';
	}
	return w->csrf;
}

void http_view_common(struct request *req, struct view *v)
{
	view_set(v, "page.csrf", http_viewer_csrf(req));
	const struct viewer *w = &req->viewer;
	if (w->login == NULL)
		return;
	view_set(v, "user.login", w->login);
	view_set(v, "user.role", w->role);
	view_set(v, "user.customer", w->customer);
	if (w->is_admin)
		view_set(v, "user.is_admin", "1");
}
