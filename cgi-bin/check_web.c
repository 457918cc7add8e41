#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "check_pool.h"
#include "check_web.h"
#include "dnsbl/dnsbl.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "store/store_pending.h"
#include "core/time_span.h"
#include "core/token.h"
#include "http.h"
#include "session.h"

#define HOLDER_COOKIE "holder"
#define HOLDER_BYTES 32
#define HOLDER_CHARS TOKEN_CHARS(HOLDER_BYTES)   /* 43 */

/* The visitor's holder cookie when it has the shape we make, or NULL. */
static const char *holder_cookie(struct request *req)
{
	const char *c = http_cookie(req, HOLDER_COOKIE);
	return c && strlen(c) == HOLDER_CHARS ? c : NULL;
}

/* The check's environment: the worker's handles and settings. */
struct check_env check_web_env(const struct app *app, struct store *store, struct dnsbl_checker *dnsbl)
{
	return (struct check_env){
		.store = store,
		.bounce = app->bounce,
		.dnsbl = dnsbl,
		.catalogue = app->catalogue,
		.explain = app->explain,
		.bounce_limit = app->cfg.bounce_limit,
		.outgoing_ips = app->cfg.site_outgoing_ips,
		.outgoing_servers = &app->cfg.outgoing_servers,
	};
}

/* Fills in's maker: the logged-in user, else the holder secret of the
 * cookie, else a new one (into fresh, for the cookie; holder keeps its
 * hash). */
static enum perr set_maker(struct request *req, struct check_input *in, char fresh[HOLDER_CHARS + 1],
			   uint8_t holder[TOKEN_SHA256_BYTES])
{
	fresh[0] = '\0';
	in->user_id = req->session ? req->session->user.id : 0;
	in->holder_hash = NULL;
	if (req->session != NULL)
		return PERR_OK;
	const char *secret = holder_cookie(req);
	if (secret == NULL) {
		enum perr rc = token_random(fresh, HOLDER_CHARS + 1, HOLDER_BYTES);
		if (rc != PERR_OK)
			return rc;
		secret = fresh;
	}
	token_sha256(secret, holder);
	in->holder_hash = holder;
	return PERR_OK;
}

/* Queues the holder cookie of a new holder secret, then wipes it. */
static void give_holder_cookie(struct request *req, char fresh[HOLDER_CHARS + 1])
{
	if (fresh[0]) {
		char attrs[32];
		snprintf(attrs, sizeof attrs, "; Max-Age=%d", SECONDS_PER_YEAR);
		http_cookie_line(req, HOLDER_COOKIE, fresh, attrs, req->set_cookie[COOKIE_HOLDER],
				 sizeof req->set_cookie[COOKIE_HOLDER]);
	}
	token_wipe(fresh, HOLDER_CHARS + 1);
}

enum perr check_web_run(struct request *req, struct check_input *in, json_t **doc,
			char token[REPORT_TOKEN_CHARS + 1])
{
	const struct check_env env = check_web_env(req->app, req->app->store, req->app->dnsbl);
	char fresh[HOLDER_CHARS + 1];
	uint8_t holder[TOKEN_SHA256_BYTES];
	enum perr rc = set_maker(req, in, fresh, holder);
	if (rc == PERR_OK)
		rc = check_run(&env, in, doc, token);
	if (rc != PERR_OK)
		fresh[0] = '\0';
	give_holder_cookie(req, fresh);
	return rc;
}

/* Who submitted what, as a 32-byte key: the same form (its CSRF token:
 * a double click and a reload of the POST send it again, another visitor
 * has another one) with the same input. 0 when the request carries no
 * form token (a ticket link, which page_check.c reuses by its own rule). */
static int submission_key(struct request *req, const struct check_input *in, uint8_t key[TOKEN_SHA256_BYTES])
{
	const struct field_value *f = &req->fields[FIELD_CSRF];
	if (f->state != FIELD_VALID)
		return 0;
	char body[TOKEN_SHA256_HEX] = "", text[512];
	if (in->bounce)
		token_sha256_hex(in->bounce, body);
	snprintf(text, sizeof text, "%lld|%s|%s|%s|%s|%s|%lld", req->session ? (long long)req->session->user.id : 0,
		 f->value, in->source ? in->source : "", in->ip ? in->ip : "", in->ticket ? in->ticket : "", body,
		 in->previous_id);
	token_sha256(text, key);
	token_wipe(text, sizeof text);
	return 1;
}

/* The zones the check will ask, comma-separated, for the pending page. */
static void zones_text(const struct app *app, char *out, size_t len)
{
	const struct dnsbl_list *const *lists;
	size_t n = dnsbl_checker_lists(app->dnsbl, &lists), used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + used, len - used, "%s%s", i ? "," : "", lists[i]->zone);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

enum perr check_web_start(struct request *req, struct check_input *in, char token[REPORT_TOKEN_CHARS + 1])
{
	struct app *app = req->app;
	long long now = (long long)time(NULL);
	uint8_t key[TOKEN_SHA256_BYTES];
	int keyed = submission_key(req, in, key);
	if (!keyed)
		token_random_bytes(key, sizeof key); /* unique: never matches */
	else if (store_pending_find(app->store, key, now - CHECK_SAME_SUBMISSION_S, token) == PERR_OK)
		return PERR_OK; /* the same form sent again: the same report */
	const struct check_env env = check_web_env(app, app->store, app->dnsbl);
	char fresh[HOLDER_CHARS + 1];
	uint8_t holder[TOKEN_SHA256_BYTES];
	json_t *doc = NULL;
	struct pending_check p = { .created = now };
	enum perr rc = set_maker(req, in, fresh, holder);
	if (rc == PERR_OK)
		rc = check_prepare(&env, in, &doc, p.ip);
	if (rc == PERR_OK)
		rc = token_random(token, REPORT_TOKEN_CHARS + 1, REPORT_TOKEN_BYTES);
	if (rc == PERR_OK) {
		snprintf(p.token, sizeof p.token, "%s", token);
		zones_text(app, p.zones, sizeof p.zones);
		rc = store_pending_start(app->store, &p, key, now - CHECK_SAME_SUBMISSION_S);
		if (rc == PERR_LIMITED && store_pending_find(app->store, key, now - CHECK_SAME_SUBMISSION_S, token) == PERR_OK) {
			json_decref(doc); /* the twin request is making this report */
			token_wipe(fresh, sizeof fresh);
			return PERR_OK;
		}
	}
	if (rc == PERR_OK && check_pool_submit(app, in, doc, p.ip, token) == PERR_OK) {
		doc = NULL; /* a thread has it now */
	} else if (rc == PERR_OK) {
		/* no free thread: run it here, as before */
		json_t *out = NULL;
		rc = check_finish(&env, in, doc, p.ip, token, &out);
		doc = NULL;
		(void)store_pending_end(app->store, token, rc != PERR_OK);
		json_decref(out);
	}
	json_decref(doc);
	if (rc != PERR_OK)
		fresh[0] = '\0';
	give_holder_cookie(req, fresh);
	return rc;
}

int check_web_rate_limited(struct request *req)
{
	return check_rate_wait(req->app->store, req->client, req->app->cfg.checks_per_minute,
			       req->app->cfg.checks_global_per_minute,
			       (long long)time(NULL));
}

int check_web_is_holder(struct request *req, const struct report_stored *r)
{
	return check_is_holder(r, req->session ? req->session->user.id : 0, holder_cookie(req));
}
