/* CSRF tokens for every POST form. A logged-in visitor's token lives in
 * their session; an anonymous visitor gets a random token in an HttpOnly,
 * SameSite=Lax cookie and the same value in the form (double submit).
 * The token is put in req->viewer before dispatch (by the session layer);
 * pages read it with http_viewer_csrf(). */
#ifndef PORTAL_CSRF_H
#define PORTAL_CSRF_H

struct request;

/* Sets req->viewer's token: session_token when a session is live, else
 * the visitor's well-formed csrf cookie, else a fresh random token whose
 * cookie is kept ready for http_viewer_csrf() to queue. */
void csrf_attach(struct request *req, const char *session_token);

/* 1 when the request's csrf field matches the visitor's token (constant
 * time), 0 otherwise (also for a token made for this request). Call before
 * any state change of a POST. */
int csrf_ok(struct request *req);

#endif
