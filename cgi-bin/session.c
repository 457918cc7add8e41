#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "http.h"
#include "log.h"
#include "session.h"

void session_hash_id(const char *id, uint8_t out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)id, strlen(id));
}

void session_load(struct request *req)
{
	static struct session current;   /* one request at a time per worker */
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
