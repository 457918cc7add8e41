/* CSRF tokens for every POST form. A logged-in visitor's token lives in
 * their session (derived from its id); an anonymous visitor gets a signed
 * id "ID.HMAC(secret, ID)" in an HttpOnly, SameSite=Lax "csrf" cookie and,
 * in the form, "EXPIRY-HMAC(secret, expiry, cookie)": without the server
 * secret nobody can make a cookie we accept or pair a token with one.
 * Every POST also needs an Origin (or Referer) naming our own host, and a
 * token in the query string is never accepted (it would reach the logs).
 * The token is put in req->viewer before dispatch (by the session layer);
 * pages read it with http_viewer_csrf(). */
#ifndef PORTAL_CSRF_H
#define PORTAL_CSRF_H

struct request;

/* Sets req->viewer's token: session_token when a session is live, else
 * one signed for the visitor's csrf cookie when we issued it, else for a
 * fresh id whose cookie is kept ready for http_viewer_csrf() to queue. */
void csrf_attach(struct request *req, const char *session_token);

/* 1 when the request comes from our host and its csrf field (from the
 * body) matches the visitor's token (constant time; anonymous tokens
 * unexpired and signed for the cookie), 0 otherwise (also for a token made
 * for this request). Call before any state change of a POST. */
int csrf_ok(struct request *req);

#endif
