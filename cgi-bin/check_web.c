#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "check_web.h"
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

enum perr check_web_run(struct request *req, struct check_input *in, json_t **doc,
			char token[REPORT_TOKEN_CHARS + 1])
{
	struct app *app = req->app;
	const struct check_env env = {
		.store = app->store,
		.bounce = app->bounce,
		.dnsbl = app->dnsbl,
		.catalogue = app->catalogue,
		.explain = app->explain,
		.bounce_limit = app->cfg.bounce_limit,
		.outgoing_ips = app->cfg.site_outgoing_ips,
		.outgoing_servers = &app->cfg.outgoing_servers,
	};
	char fresh[TOKEN_CHARS(HOLDER_BYTES) + 1] = "";
	uint8_t holder[TOKEN_SHA256_BYTES];
	in->user_id = req->session ? req->session->user.id : 0;
	in->holder_hash = NULL;
	if (req->session == NULL) {
		const char *secret = holder_cookie(req);
		if (secret == NULL) {
			enum perr rc = token_random(fresh, sizeof fresh, HOLDER_BYTES);
			if (rc != PERR_OK)
				return rc;
			secret = fresh;
		}
		token_sha256(secret, holder);
		in->holder_hash = holder;
	}
	enum perr rc = check_run(&env, in, doc, token);
	if (rc == PERR_OK && fresh[0])
		snprintf(req->set_cookie[COOKIE_HOLDER], sizeof req->set_cookie[COOKIE_HOLDER],
			 HOLDER_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", fresh,
			 SECONDS_PER_YEAR, req->tls ? "; Secure" : "");
	token_wipe(fresh, sizeof fresh);
	return rc;
}

int check_web_rate_limited(struct request *req)
{
	return check_rate_wait(req->app->store, req->client, req->app->cfg.checks_per_minute,
			       (long long)time(NULL));
}

int check_web_is_holder(struct request *req, const struct report_stored *r)
{
	return check_is_holder(r, req->session ? req->session->user.id : 0, holder_cookie(req));
}
