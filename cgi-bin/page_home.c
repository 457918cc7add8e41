/* GET /: the check form and what the portal is for; during an incident
 * (portalctl monitor recorded one of our servers as listed) one line per
 * listed server says so before the visitor pastes anything. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin_maillog.h"
#include "app.h"
#include "http.h"
#include "page_view.h"
#include "pages.h"
#include "render.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "session.h"
#include "explain/explain.h"
#include "core/log.h"
#include "store/store_monitor.h"
#include "store/store_reports.h"

#define HOME_LISTINGS_MAX 16

/* Sets incident.N.{ip,lists,since} for every listed server of ours:
 * open listings come oldest first, so a server's first row gives its
 * "since"; its lists are joined by commas. */
static void fill_incident(struct request *req, struct view *v)
{
	struct monitor_listing open[HOME_LISTINGS_MAX];
	size_t n = 0, servers = 0;
	if (store_monitor_current(req->app->store, NULL, open, HOME_LISTINGS_MAX, &n) != PERR_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t first = 0;
		while (strcmp(open[first].ip, open[i].ip) != 0)
			first++;
		if (first != i)
			continue;   /* this server's line is already written */
		char lists[512] = "", k[48], when[64];
		for (size_t j = i; j < n; j++) {
			if (strcmp(open[j].ip, open[i].ip) != 0)
				continue;
			const struct dnsbl_list *l = dnsbl_catalogue_find(req->app->catalogue, open[j].zone);
			size_t used = strlen(lists);
			snprintf(lists + used, sizeof lists - used, "%s%s", used ? ", " : "",
				 l ? l->name : open[j].zone);
		}
		time_t since = (time_t)open[i].since;
		struct tm tm;
		gmtime_r(&since, &tm);
		strftime(when, sizeof when, "%d %B %Y, %H:%M UTC", &tm);
#define SETI(field, val) do { snprintf(k, sizeof k, "incident.%zu." field, servers); view_set(v, k, val); } while (0)
		SETI("ip", open[i].ip);
		SETI("lists", lists);
		SETI("since", when);
#undef SETI
		servers++;
	}
}

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
	fill_incident(req, v);
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
