#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "csrf.h"
#include "http.h"
#include "core/log.h"
#include "core/time_span.h"
#include "core/token.h"
#include "session.h"

/* What a session's CSRF token is derived for (token_derive of its id). */
#define SESSION_CSRF_LABEL "blhelpdesk session csrf"

void session_hash_id(const char *id, uint8_t out[32])
{
	token_sha256(id, out);
}

static struct session current;   /* one request at a time per worker */

/* Fills req->viewer from req->session (or as anonymous) and its token. */
static void fill_viewer(struct request *req)
{
	struct viewer *w = &req->viewer;
	const struct auth_user *u = req->session ? &req->session->user : NULL;
	w->known = 1;
	w->login = u ? u->login : NULL;
	w->role = u ? u->role : NULL;
	w->customer = u ? u->customer_name : NULL;
	w->is_admin = session_is_admin(req);
	csrf_attach(req, req->session ? req->session->csrf : NULL);
}

void session_load(struct request *req)
{
	req->session = NULL;
	const char *sid = http_cookie(req, SESSION_COOKIE);
	if (sid != NULL && strlen(sid) >= 32 && strlen(sid) <= 64) {
		uint8_t hash[32];
		session_hash_id(sid, hash);
		memset(&current, 0, sizeof current);
		enum perr rc = store_session_lookup(req->app->store, hash, (long long)time(NULL),
						    &current.user, current.csrf, sizeof current.csrf);
		/* the CSRF token is derived from the session id, never stored:
		 * the database holds neither (only the id's hash) */
		if (rc == PERR_OK && token_derive(sid, SESSION_CSRF_LABEL, current.csrf, sizeof current.csrf) != PERR_OK)
			rc = PERR_INTERNAL;
		if (rc == PERR_OK)
			req->session = &current;
		else if (rc != PERR_NOT_FOUND)
			log_event(LOG_ERROR, req->ref, "session lookup failed: %s", perr_str(rc));
	}
	fill_viewer(req);
}

int session_is_admin(const struct request *req)
{
	return req->session && strcmp(req->session->user.role, "admin") == 0;
}

#define SESSION_ID_BYTES 32     /* 256 bits: the cookie names the session */

static void queue_cookie(struct request *req, const char *value, long long max_age)
{
	char attrs[40];
	snprintf(attrs, sizeof attrs, "; Max-Age=%lld", max_age);
	http_cookie_line(req, SESSION_COOKIE, value, attrs, req->set_cookie[COOKIE_SESSION],
			 sizeof req->set_cookie[COOKIE_SESSION]);
}

/* Deletes the session the request's cookie names, live or not. */
static void forget_cookie_session(struct request *req)
{
	const char *sid = http_cookie(req, SESSION_COOKIE);
	if (sid == NULL || strlen(sid) < 32 || strlen(sid) > 64)
		return;
	uint8_t hash[32];
	session_hash_id(sid, hash);
	enum perr rc = store_session_delete(req->app->store, hash);
	if (rc != PERR_OK)
		log_event(LOG_ERROR, req->ref, "session delete failed: %s", perr_str(rc));
}

enum perr session_start(struct request *req, const struct auth_user *user)
{
	forget_cookie_session(req);
	char id[64], csrf[64];
	uint8_t hash[32];
	enum perr rc = token_random(id, sizeof id, SESSION_ID_BYTES);
	if (rc == PERR_OK)
		rc = token_derive(id, SESSION_CSRF_LABEL, csrf, sizeof csrf);
	if (rc != PERR_OK)
		return rc;
	session_hash_id(id, hash);
	/* every login sweeps the sessions that expired: the table never
	 * grows with abandoned logins, whether or not purge runs */
	(void)store_sessions_purge(req->app->store, (long long)time(NULL), NULL);
	long long max_age = (long long)req->app->cfg.session_hours * SECONDS_PER_HOUR;
	rc = store_session_create(req->app->store, hash, user->id, "", req->client,
				  (long long)time(NULL) + max_age);
	if (rc == PERR_OK) {
		queue_cookie(req, id, max_age);
		memset(&current, 0, sizeof current);
		current.user = *user;
		snprintf(current.csrf, sizeof current.csrf, "%s", csrf);
		req->session = &current;
		fill_viewer(req);
	}
	token_wipe(id, sizeof id);
	return rc;
}

void session_end(struct request *req)
{
	forget_cookie_session(req);
	req->session = NULL;
	fill_viewer(req);
	queue_cookie(req, "", 0);
}
