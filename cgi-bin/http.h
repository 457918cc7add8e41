/* One HTTP request as the FastCGI worker sees it, and the ways to answer it.
 * The front line (method, path, sizes) runs before anything reads the body;
 * the CGI kit then parses query, cookies and form into validated fields. */
#ifndef PORTAL_HTTP_H
#define PORTAL_HTTP_H

#include <stddef.h>
#include <jansson.h>

#include "fields.h"
#include "core/limits.h"
#include "render.h"

struct app;
struct session;

/* The Set-Cookie headers a request may queue, one slot each. */
enum cookie_slot { COOKIE_SESSION, COOKIE_CSRF, COOKIE_HOLDER, COOKIE__MAX };

#define COOKIE_LINE_MAX 256

/* Who is asking, as the session layer (session.c, csrf.c) found them right
 * after http_parse(): what the page header and the error page show and the
 * token their forms carry. http.c only reads it. */
struct viewer {
	int known;                        /* filled: the cookies were read */
	const char *login;                /* logged-in user, or NULL (the three) */
	const char *role;
	const char *customer;
	int is_admin;
	char csrf[64];                    /* the token for this visitor's forms */
	char visitor[96];                 /* anonymous: the csrf cookie ("ID.MAC") the token is bound to */
	int csrf_fresh;                   /* csrf was made for this request: no form carries it yet */
	char csrf_cookie[COOKIE_LINE_MAX];   /* Set-Cookie for a fresh token, queued when first shown */
};

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER, HTTP__MAX };

#define ROUTE_MAX_ARGS 2

/* The FastCGI params of a request, hashed once: the CGI kit asks for some
 * forty variables by name, and libfcgi's FCGX_GetParam scans them all for
 * each (measured: that was 40% of a worker's time on the home page). */
#define PARAM_SLOTS 256

struct param_index {
	const char *entry[PARAM_SLOTS];   /* "NAME=value" from envp, or NULL */
	unsigned char len[PARAM_SLOTS];   /* length of NAME */
	int partial;                      /* some params were not indexed: look misses up the slow way */
};

struct request {
	struct app *app;
	struct param_index params;
	void *fcgx;                        /* FCGX_Request * */
	void *kit;                         /* ClearSilver CGI *, after http_parse() */
	enum http_method method;
	char path[LIMIT_PATH_BYTES + 1];   /* raw path, validated, no query */
	char ref[17];                      /* reference id for logs and error pages */
	char client[64];                   /* REMOTE_ADDR */
	int tls;                           /* the request came over HTTPS */
	const char *args[ROUTE_MAX_ARGS];  /* path segments matched by '*' in the route */
	char argbuf[LIMIT_PATH_BYTES + 1];
	struct field_value fields[FIELD__MAX];
	int csrf_in_query;                 /* the query string named csrf: never a valid token */
	const char *refusal;               /* why the front line refused, for the error page ("cookie") */
	struct session *session;           /* logged-in user, or NULL */
	char *body;                        /* the raw body (bounded), owned */
	size_t body_len, body_off;
	char set_cookie[COOKIE__MAX][COOKIE_LINE_MAX];   /* Set-Cookie lines queued, "" = none */
	struct viewer viewer;
	int responded;
	int status;                        /* status sent, for the access log */
};

/* Reads the FastCGI params of fcgx into req and applies the front line.
 * Returns 0 when the request may go on, or the HTTP status to answer with
 * (400, 405, 411, 413, 414, 415) without reading the body. */
int http_frontline(struct request *req, struct app *app, void *fcgx);

/* Parses query string, cookies and (for POST) the form body through the
 * ClearSilver CGI kit, then validates every known field. Returns 0 or an
 * HTTP status (400 for a malformed body). */
int http_parse(struct request *req);

/* The value of our cookie name, or NULL. Over TLS the cookie is named
 * "__Host-" name (see http_cookie_line). */
const char *http_cookie(struct request *req, const char *name);

/* Writes the Set-Cookie value of our cookie name into out: "Path=/;
 * HttpOnly; SameSite=Lax", then attrs ("; Max-Age=N" or ""), then, over
 * TLS, "; Secure" and the "__Host-" prefix on the name, with which
 * browsers refuse copies set by a subdomain, for another path or over
 * plain HTTP: nobody else can plant one of ours. */
void http_cookie_line(const struct request *req, const char *name, const char *value, const char *attrs,
		      char *out, size_t len);
/* A request header (e.g. "HTTP_USER_AGENT"), or NULL. */
const char *http_param(struct request *req, const char *name);

/* Frees what the request owns (kit, body). */
void http_request_end(struct request *req);

/* Answers. Each adds the security headers; extra_headers is NULL or
 * complete "Name: value\r\n" lines that the caller built from safe data. */
void http_send(struct request *req, int status, const char *content_type,
	       const char *extra_headers, const char *body, size_t len);
void http_send_page(struct request *req, int status, enum page page, struct view *v);
/* A streamed answer of unknown length (CSV exports): the head now,
 * without Content-Length (nginx sends it chunked), then the body in
 * pieces. http_write returns 0, or -1 when the client went away. */
void http_send_head(struct request *req, int status, const char *content_type,
		    const char *extra_headers);
int http_write(struct request *req, const char *buf, size_t len);
void http_send_json(struct request *req, int status, json_t *doc);   /* steals doc */
/* The same with extra header lines (e.g. "Retry-After: 30\r\n"). */
void http_send_json_with(struct request *req, int status, const char *extra_headers, json_t *doc);
void http_send_json_error(struct request *req, int status, const char *message);
void http_redirect(struct request *req, const char *location);      /* 303 */
/* The one error page: status text, the reference id, never request data. */
void http_send_error(struct request *req, int status);
/* The same with extra header lines (e.g. "Retry-After: 30\r\n"). */
void http_send_error_with(struct request *req, int status, const char *extra_headers);

const char *http_status_text(int status);

/* The viewer's CSRF token for a form; queues its cookie when it is new. */
const char *http_viewer_csrf(struct request *req);

/* Fills the view keys every page uses (page.csrf, user.*) from req->viewer. */
void http_view_common(struct request *req, struct view *v);

#endif
