/* Method + path -> handler. A '*' segment in a route matches one non-empty
 * path segment and is handed to the handler in req->args. */
#ifndef PORTAL_ROUTER_H
#define PORTAL_ROUTER_H

struct request;

/* Runs the handler for req, or answers 404 / 405 itself. */
void router_dispatch(struct request *req);

#endif
