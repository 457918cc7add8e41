#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "csrf.h"
#include "http.h"
#include "core/log.h"
#include "session.h"

void session_hash_id(const char *id, uint8_t out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)id, strlen(id));
}

static struct session current;   /* one request at a time per worker */

void session_load(struct request *req)
{
	req->session = NULL;
	const char *sid = http_cookie(req, SESSION_COOKIE);
	if (sid == NULL || strlen(sid) < 32 || strlen(sid) > 64)
		return;
	uint8_t hash[32];
	session_hash_id(sid, hash);
	memset(&current, 0, sizeof current);
	enum perr rc = store_session_lookup(req->app->store, hash, (long long)time(NULL),
					    &current.user, current.csrf, sizeof current.csrf);
	if (rc == PERR_OK)
		req->session = &current;
	else if (rc != PERR_NOT_FOUND)
		log_event(LOG_ERROR, req->ref, "session lookup failed: %s", perr_str(rc));
}

const char *session_csrf(struct request *req)
{
	return req->session ? req->session->csrf : NULL;
}

int session_is_admin(const struct request *req)
{
	return req->session && strcmp(req->session->user.role, "admin") == 0;
}

void session_view(struct request *req, struct view *v)
{
	if (req->session == NULL)
		return;
	view_set(v, "user.login", req->session->user.login);
	view_set(v, "user.role", req->session->user.role);
	view_set(v, "user.customer", req->session->user.customer_name);
	if (session_is_admin(req))
		view_set(v, "user.is_admin", "1");
}

#define SESSION_ID_BYTES 32

static void queue_cookie(struct request *req, const char *value, long long max_age)
{
	snprintf(req->set_cookie[0], sizeof req->set_cookie[0],
		 SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
		 value, max_age, req->tls ? "; Secure" : "");
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
	csrf_random_token(id, sizeof id, SESSION_ID_BYTES);
	csrf_random_token(csrf, sizeof csrf, SESSION_ID_BYTES);
	session_hash_id(id, hash);
	long long max_age = (long long)req->app->cfg.session_hours * 3600;
	enum perr rc = store_session_create(req->app->store, hash, user->id, csrf, req->client,
					    (long long)time(NULL) + max_age);
	if (rc == PERR_OK) {
		queue_cookie(req, id, max_age);
		memset(&current, 0, sizeof current);
		current.user = *user;
		snprintf(current.csrf, sizeof current.csrf, "%s", csrf);
		req->session = &current;
		snprintf(req->csrf, sizeof req->csrf, "%s", csrf);
	}
	sodium_memzero(id, sizeof id);
	return rc;
}

void session_end(struct request *req)
{
	forget_cookie_session(req);
	req->session = NULL;
	req->csrf[0] = '\0';
	queue_cookie(req, "", 0);
}
