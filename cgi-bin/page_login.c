/* GET/POST /login and POST /logout.
 *
 * A failed login says the same thing whether the login exists or not, and
 * costs the same (password_burn). Failures are counted per account and per
 * client address in the store (all workers share them); past the limits the
 * answer is 429 with Retry-After until the lock-out ends, and no password is
 * checked meanwhile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "csrf.h"
#include "http.h"
#include "core/ipaddr.h"
#include "core/limits.h"
#include "core/log.h"
#include "page_view.h"
#include "pages.h"
#include "core/password.h"
#include "session.h"
#include "store/store_auth.h"
#include "store/store_throttle.h"
#include "core/time_span.h"

#define THROTTLE_KEY_MAX (AUTH_LOGIN_MAX + 80)

/* Where to go after logging in: a validated local path, or the home of the role. */
static const char *after_login(struct request *req, const struct auth_user *u)
{
	const struct field_value *next = &req->fields[FIELD_NEXT];
	if (next->state == FIELD_VALID)
		return next->value;
	return strcmp(u->role, "admin") == 0 ? "/admin" : strcmp(u->role, "customer") == 0 ? "/forwards" : "/";
}

/* Renders the form with an optional message; retry_after > 0 adds the
 * Retry-After header (429). */
static void send_form(struct request *req, int status, const char *error, long long retry_after)
{
	struct view *v = page_view_begin(req, "Log in", "login");
	if (v == NULL)
		return;
	const struct field_value *login = &req->fields[FIELD_LOGIN];
	if (login->state == FIELD_VALID)
		view_set(v, "form.login", login->value);
	if (req->fields[FIELD_NEXT].state == FIELD_VALID)
		view_set(v, "form.next", req->fields[FIELD_NEXT].value);
	view_set(v, "form.error", error);
	if (retry_after > 0)
		view_set_int(v, "form.retry_minutes", (retry_after + SECONDS_PER_MINUTE - 1) / SECONDS_PER_MINUTE);
	char *html = NULL;
	size_t len = 0;
	enum perr rc = render_page(req->app->render, PAGE_LOGIN, v, &html, &len);
	view_free(v);
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "render login failed: %s", perr_str(rc));
		free(html);
		http_send_error(req, 500);
		return;
	}
	char hdr[64] = "";
	if (retry_after > 0)
		snprintf(hdr, sizeof hdr, "Retry-After: %lld\r\n", retry_after);
	http_send(req, status, "text/html; charset=utf-8", hdr[0] ? hdr : NULL, html, len);
	free(html);
}

static const struct throttle_rule pair_rule = {
	LIMIT_LOGIN_FAILS_ACCOUNT, LIMIT_LOGIN_PAIR_WINDOW_S, LIMIT_LOGIN_BACKOFF_S, LIMIT_LOGIN_LOCK_S,
};
static const struct throttle_rule network_rule = {
	LIMIT_LOGIN_FAILS_CLIENT, LIMIT_LOGIN_WINDOW_S, LIMIT_LOGIN_LOCK_S, LIMIT_LOGIN_LOCK_S,
};

/* The two throttle keys of an attempt: the account from this client
 * network ("login:NAME|NET") and the network itself ("addr:NET"). */
static void throttle_keys(struct request *req, const char *login, char pair[THROTTLE_KEY_MAX],
			  char addr[THROTTLE_KEY_MAX])
{
	char net[IPADDR_STR_LEN + 8] = "";
	struct ipaddr ip;
	if (ipaddr_parse(req->client, strlen(req->client), &ip, NULL) != PERR_OK ||
	    ipaddr_network(&ip, LIMIT_CLIENT_V6_BITS, net, sizeof net) == 0)
		snprintf(net, sizeof net, "%.*s", (int)(sizeof net - 1), req->client);
	snprintf(pair, THROTTLE_KEY_MAX, "login:%s|%s", login, net);
	for (char *p = pair; *p && *p != '|'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');   /* logins are case-insensitive */
	snprintf(addr, THROTTLE_KEY_MAX, "addr:%s", net);
}

/* Seconds until both keys are free (0 = go ahead); -1 on a store error. */
static long long locked_for(struct request *req, const char *pair, const char *addr, long long now)
{
	long long a = 0, b = 0;
	if (store_throttle_check(req->app->store, pair, now, &a) != PERR_OK ||
	    store_throttle_check(req->app->store, addr, now, &b) != PERR_OK)
		return -1;
	return a > b ? a : b;
}

/* Counts the failure on both keys; the longest resulting lock, or 0. */
static long long count_failure(struct request *req, const char *pair, const char *addr, long long now)
{
	long long a = 0, b = 0;
	if (store_throttle_fail(req->app->store, pair, now, &pair_rule, &a) != PERR_OK ||
	    store_throttle_fail(req->app->store, addr, now, &network_rule, &b) != PERR_OK)
		log_event(LOG_ERROR, req->ref, "login throttle could not count a failure");
	return a > b ? a : b;
}

static const char generic_failure[] = "The login or password is not right.";
static const char locked_message[] =
	"Too many failed attempts. For your security, logging in is paused for a while.";

static void login_post(struct request *req)
{
	if (!csrf_ok(req)) {
		http_send_error(req, 403);
		return;
	}
	const struct field_value *login = &req->fields[FIELD_LOGIN], *pw = &req->fields[FIELD_PASSWORD];
	if (login->state != FIELD_VALID || pw->state != FIELD_VALID) {
		send_form(req, 422, "Enter your login and your password.", 0);
		return;
	}
	long long now = (long long)time(NULL);
	char pair[THROTTLE_KEY_MAX], addr[THROTTLE_KEY_MAX];
	throttle_keys(req, login->value, pair, addr);
	long long wait = locked_for(req, pair, addr, now);
	if (wait < 0) {
		http_send_error(req, 500);
		return;
	}
	if (wait > 0) {
		log_event(LOG_WARN, req->ref, "login refused: throttled for %llds", wait);
		send_form(req, 429, locked_message, wait);
		return;
	}

	struct auth_user user;
	char hash[AUTH_HASH_MAX + 1] = "";
	enum perr rc = store_user_by_login(req->app->store, login->value, &user, hash, sizeof hash);
	if (rc != PERR_OK && rc != PERR_NOT_FOUND) {
		http_send_error(req, 500);
		return;
	}
	int ok = 0;
	if (rc == PERR_OK)
		ok = password_verify(hash, pw->value) && !user.disabled;
	else
		password_burn(pw->value);   /* same cost as a real check: no enumeration by timing */
	if (!ok) {
		long long lock = count_failure(req, pair, addr, now);
		log_event(LOG_INFO, req->ref, "login failed from %s%s", req->client, lock ? " (now throttled)" : "");
		if (lock > 0)
			send_form(req, 429, locked_message, lock);
		else
			send_form(req, 422, generic_failure, 0);
		return;
	}
	store_throttle_clear(req->app->store, pair);
	if (session_start(req, &user) != PERR_OK) {
		http_send_error(req, 500);
		return;
	}
	log_event(LOG_INFO, req->ref, "login: user %lld (%s) from %s", user.id, user.role, req->client);
	http_redirect(req, after_login(req, &user));
}

void page_login(struct request *req)
{
	if (req->method == HTTP_POST) {
		login_post(req);
		return;
	}
	if (req->session != NULL) {
		http_redirect(req, after_login(req, &req->session->user));
		return;
	}
	send_form(req, 200, NULL, 0);
}

void page_logout(struct request *req)
{
	if (!csrf_ok(req)) {
		http_send_error(req, 403);
		return;
	}
	if (req->session != NULL)
		log_event(LOG_INFO, req->ref, "logout: user %lld", req->session->user.id);
	session_end(req);
	http_redirect(req, "/");
}
