/* CSRF tokens for every POST form. A logged-in visitor's token lives in
 * their session; an anonymous visitor gets a random token in an HttpOnly,
 * SameSite=Lax cookie and the same value in the form (double submit). */
#ifndef PORTAL_CSRF_H
#define PORTAL_CSRF_H

#include <stddef.h>

struct request;

/* The token to put in this visitor's forms; queues the cookie if new. */
const char *csrf_token(struct request *req);

/* 1 when the request's csrf field matches the visitor's token (constant
 * time), 0 otherwise. Call before any state change of a POST. */
int csrf_ok(struct request *req);

/* Fills buf with n random bytes as unpadded base64url (for tokens). */
void csrf_random_token(char *buf, size_t buflen, size_t nbytes);

#endif
