/* The logged-in visitor, from the "sid" cookie. Session ids are 256 random
 * bits; the store keeps only their SHA-256, so a leaked database does not
 * hand out live sessions. */
#ifndef PORTAL_SESSION_H
#define PORTAL_SESSION_H

#include "store/store_auth.h"

struct request;

#define SESSION_COOKIE "sid"

struct session {
	struct auth_user user;
	char csrf[64];
};

/* Looks the cookie up, sets req->session when it names a live session and
 * fills req->viewer (user and CSRF token) for the pages and error page. */
void session_load(struct request *req);
/* 1 when the logged-in user is an admin. */
int session_is_admin(const struct request *req);
/* Logs user in: deletes the session named by the request's cookie (the id
 * rotates on every login), stores a fresh one (256 random bits, kept only
 * hashed, expiring after auth.session_hours) with its own CSRF token, and
 * queues the cookie. req->session is the new session afterwards. */
enum perr session_start(struct request *req, const struct auth_user *user);
/* Logs out: deletes the current session and queues an expired cookie. */
void session_end(struct request *req);
/* Hashes a session id string (as sent in the cookie) for the store. */
void session_hash_id(const char *id, uint8_t out[32]);

#endif
