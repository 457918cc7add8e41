/* GET /deliveries: the logged-in customer's mail that our servers' logs
 * show refused or deferred in the last DELIVERIES_DAYS days, grouped by
 * provider, each with the analyzer's verdict and a button that opens the
 * full report with a live check of that server now (POST /check with the
 * refusal as the bounce and the server's address as the IP).
 *
 * The query is scoped by the session's customer id: nobody sees another
 * customer's mail. Admins see everyone's, with the customer named. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "http.h"
#include "core/log.h"
#include "explain/explain.h"
#include "maillog/maillog.h"
#include "page_view.h"
#include "pages.h"
#include "session.h"
#include "store/store_deliveries.h"

#define DELIVERIES_DAYS 30
#define DELIVERIES_SHOWN 500        /* rows on one page, newest first per provider */

struct fill {
	struct request *req;
	struct view *v;
	int admin;
	char provider[DELIVERY_WORD_MAX];   /* the group being written */
	int ngroups, nrows, total;
};

static void format_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%d %b %Y %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "?");
}

/* Opens a new provider group when d's provider differs from the last. */
static void group_of(struct fill *f, const struct delivery_view *d)
{
	char k[64];
	if (f->ngroups > 0 && strcmp(f->provider, d->provider) == 0)
		return;
	if (f->ngroups > 0) {
		snprintf(k, sizeof k, "deliveries.groups.%d.count", f->ngroups - 1);
		view_set_int(f->v, k, f->nrows);
	}
	snprintf(f->provider, sizeof f->provider, "%s", d->provider);
	snprintf(k, sizeof k, "deliveries.groups.%d.name", f->ngroups);
	view_set(f->v, k, explain_provider_name(f->req->app->explain, d->provider));
	snprintf(k, sizeof k, "deliveries.groups.%d.id", f->ngroups);
	view_set(f->v, k, d->provider);
	f->ngroups++;
	f->nrows = 0;
}

static int add_row(void *ctx, const struct delivery_view *d)
{
	struct fill *f = ctx;
	group_of(f, d);
	char key[64], k[96], when[40], sentence[DELIVERY_SENTENCE_MAX + DELIVERY_ADDR_MAX];
	char bounce[DELIVERY_REPLY_MAX + 1024];
	snprintf(key, sizeof key, "deliveries.groups.%d.rows.%d", f->ngroups - 1, f->nrows++);
#define SET(field, val) do { snprintf(k, sizeof k, "%s." field, key); view_set(f->v, k, val); } while (0)
	format_time(d->at, when, sizeof when);
	explain_sentence(d->sentence, d->recipient, sentence, sizeof sentence);
	maillog_dsn_text(d->server, d->recipient, d->relay, d->dsn, d->status, d->reply, bounce, sizeof bounce);
	snprintf(k, sizeof k, "%s.id", key);
	view_set_int(f->v, k, d->id);
	SET("when", when);
	SET("server", d->server);
	SET("ip", d->server_ip);
	SET("sender", d->sender[0] ? d->sender : "(sender not in the log)");
	SET("recipient", d->recipient);
	SET("status", d->status);
	SET("dsn", d->dsn);
	SET("verdict", d->verdict);
	/* the reputation sentence names the code already */
	SET("code", strstr(sentence, d->provider_code) ? "" : d->provider_code);
	SET("sentence", sentence);
	SET("reply", d->reply);
	SET("bounce", bounce);
	if (f->admin)
		SET("customer", d->customer[0] ? d->customer : "(no customer)");
#undef SET
	f->total++;
	return 0;
}

void page_deliveries(struct request *req)
{
	if (!page_require_login(req, "/deliveries"))
		return;
	struct view *v = page_view_begin(req, "Your refused mail", "deliveries");
	if (v == NULL)
		return;
	struct fill f = { .req = req, .v = v, .admin = session_is_admin(req) };
	long long customer = req->session->user.customer_id;
	long long since = (long long)time(NULL) - (long long)DELIVERIES_DAYS * 86400;
	enum perr rc = PERR_OK;
	if (f.admin)
		rc = store_delivery_list(req->app->store, 0, since, DELIVERIES_SHOWN, add_row, &f);
	else if (customer > 0)
		rc = store_delivery_list(req->app->store, customer, since, DELIVERIES_SHOWN, add_row, &f);
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "deliveries page: %s", perr_str(rc));
		view_free(v);
		http_send_error(req, 500);
		return;
	}
	if (f.ngroups > 0) {
		char k[64];
		snprintf(k, sizeof k, "deliveries.groups.%d.count", f.ngroups - 1);
		view_set_int(v, k, f.nrows);
	}
	view_set_int(v, "deliveries.count", f.total);
	view_set_int(v, "deliveries.days", DELIVERIES_DAYS);
	view_set_int(v, "deliveries.admin", f.admin);
	http_send_page(req, 200, PAGE_DELIVERIES, v);
	view_free(v);
}
