/* GET /: the check form and what the portal is for; during an incident
 * (portalctl monitor recorded one of our servers as listed) one line per
 * listed server says so before the visitor pastes anything. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin_maillog.h"
#include "app.h"
#include "http.h"
#include "monitor_view.h"
#include "page_view.h"
#include "pages.h"
#include "render.h"
#include "session.h"
#include "explain/explain.h"
#include "core/log.h"
#include "store/store_reports.h"

#define HOME_MINE_MAX 10   /* a customer's own reports listed on the home page */

struct mine {
	struct view *v;
	int n;
};

static int add_mine(void *ctx, const struct report_mine *r)
{
	struct mine *m = ctx;
	char k[64], when[40];
	time_t t = (time_t)r->created;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(when, sizeof when, "-");
#define SETM(field, val) (snprintf(k, sizeof k, "mine.%d." field, m->n), view_set(m->v, k, val))
	SETM("token", r->token);
	SETM("when", when);
	SETM("ip", r->ip);
	SETM("verdict", explain_verdict_words(r->verdict));
	SETM("ticket", r->ticket);
#undef SETM
	m->n++;
	return 0;
}

void page_home(struct request *req)
{
	struct view *v = page_view_begin(req, "Is your mail server on a blacklist?", "home");
	if (v == NULL)
		return;
	(void)monitor_view_servers(req, v, "incident");
	maillog_notice_fill(req, v, (long long)time(NULL));
	if (req->session != NULL) {
		struct mine m = { v, 0 };
		if (store_reports_of_user(req->app->store, req->session->user.id, HOME_MINE_MAX, add_mine, &m) != PERR_OK)
			log_event(LOG_WARN, req->ref, "own reports: cannot list them");
		view_set_int(v, "mine_count", m.n);
	}
	http_send_page(req, 200, PAGE_HOME, v);
	view_free(v);
}
