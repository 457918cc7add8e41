/* Whether a form was sent from our own pages: the request's Origin (or,
 * without one, its Referer) against the portal's own origin (scheme,
 * host and port). */
#ifndef PORTAL_ORIGIN_H
#define PORTAL_ORIGIN_H

struct request;

/* 1 when the request's Origin (or Referer) is the portal's origin, or
 * when it sends neither (no browser acting for a victim: the token still
 * decides); 0 otherwise, "Origin: null" included.
 *
 * The portal's origin is site.base_url's when set. Else the scheme is
 * https when the request came over TLS, the host is HTTP_HOST's, and the
 * port is HTTP_HOST's, or SERVER_PORT's when the portal is not behind a
 * TLS proxy; behind one, without site.base_url, the port is not known
 * and not compared. */
int origin_ok(struct request *req);

#endif
