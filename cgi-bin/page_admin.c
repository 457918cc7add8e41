/* GET /admin: the dashboard. Admins only: anyone else gets the same 404
 * as for a page that does not exist.
 *
 *   submissions per day (last 30 or 90 days, ?days=) as a stacked SVG bar
 *   chart (geometry from svg_chart.c, markup in templates/pages/admin.cs);
 *   top sending IPs, lists, providers + codes and causes, each row linking
 *   to the filtered submissions and to its newest report; risky forwards
 *   across all customers and how many were turned off after a report;
 *   each configured list's RFC 5782 health; our own outgoing servers'
 *   current status and listing history from `portalctl monitor`. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_check_link.h"
#include "admin_risky.h"
#include "admin_link.h"
#include "admin_maillog.h"
#include "app.h"
#include "dnsbl/dnsbl.h"
#include "explain/explain.h"
#include "http.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "accounts/knowledge_isp.h"
#include "core/log.h"
#include "admin/monitor.h"
#include "pages.h"
#include "session.h"
#include "store/store_admin.h"
#include "store/store_dnsbl.h"
#include "store/store_forwards.h"
#include "store/store_monitor.h"
#include "admin/svg_chart.h"
#include "core/time_span.h"

#define ADMIN_DAYS_DEFAULT 30
#define ADMIN_DAYS_MAX 90
#define ADMIN_TOP_ROWS 10
#define ADMIN_HISTORY_ROWS 20
#define ADMIN_OPEN_MAX 64            /* open listings shown per server */
#define ADMIN_TURNOFF_WINDOW_S ((long long)SECONDS_PER_WEEK)   /* "after a report": within a week */
#define CHART_WIDTH 720
#define CHART_HEIGHT 220

static const char *const series_ids[ADMIN_SERIES__MAX] = {
	[ADMIN_SERIES_BLACKLIST] = "blacklist",
	[ADMIN_SERIES_REPUTATION] = "reputation",
	[ADMIN_SERIES_NOT_BLACKLIST] = "not_blacklist",
	[ADMIN_SERIES_OTHER] = "other",
};

static const char *const series_names[ADMIN_SERIES__MAX] = {
	[ADMIN_SERIES_BLACKLIST] = "Blacklist",
	[ADMIN_SERIES_REPUTATION] = "Reputation",
	[ADMIN_SERIES_NOT_BLACKLIST] = "Not a blacklist problem",
	[ADMIN_SERIES_OTHER] = "Clean or undecided",
};

struct dash {
	struct request *req;
	struct view *v;
	long long first_day, last_day;
	char ours[MONITOR_IPS_MAX][MONITOR_IP_MAX];   /* site.outgoing_ips */
	size_t nours;
	int rows;                         /* rows of the current top table */
	enum admin_dim dim;
	long long dim_total;
};

/* view_set with a printf-built key. */
static void setk(struct view *v, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void setk(struct view *v, const char *value, const char *fmt, ...)
{
	char key[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	view_set(v, key, value);
}

static void setki(struct view *v, long long n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void setki(struct view *v, long long n, const char *fmt, ...)
{
	char key[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	view_set_int(v, key, n);
}

static int is_ours(const struct dash *d, const char *ip)
{
	for (size_t i = 0; i < d->nours; i++)
		if (strcmp(d->ours[i], ip) == 0)
			return 1;
	return 0;
}

/* --- chart --- */

static void fill_chart(struct dash *d, const long long *counts, long long ndays)
{
	struct view *v = d->v;
	long long max = 0, totals[ADMIN_SERIES__MAX] = { 0 }, all = 0;
	for (long long i = 0; i < ndays; i++) {
		long long t = 0;
		for (int s = 0; s < ADMIN_SERIES__MAX; s++) {
			t += counts[i * ADMIN_SERIES__MAX + s];
			totals[s] += counts[i * ADMIN_SERIES__MAX + s];
		}
		if (t > max)
			max = t;
		all += t;
	}
	struct svg_chart c;
	svg_chart_layout(&c, CHART_WIDTH, CHART_HEIGHT, (size_t)ndays, max);
	view_set_int(v, "chart.width", c.width);
	view_set_int(v, "chart.height", c.height);
	view_set_int(v, "chart.plot_x", c.plot_x);
	view_set_int(v, "chart.plot_right", c.plot_x + c.plot_w);
	view_set_int(v, "chart.plot_bottom", c.plot_y + c.plot_h);
	view_set_int(v, "chart.label_y", c.plot_y + c.plot_h + 16);
	view_set_int(v, "chart.tick_x", c.plot_x - 6);
	view_set_int(v, "chart.max", max);
	view_set_int(v, "admin.total", all);
	for (size_t t = 0; t < c.nticks; t++) {
		setki(v, c.tick_y[t], "chart.ticks.%zu.y", t);
		setki(v, c.tick_y[t] + 4, "chart.ticks.%zu.text_y", t);
		setki(v, c.tick_value[t], "chart.ticks.%zu.value", t);
	}
	for (int s = 0; s < ADMIN_SERIES__MAX; s++) {
		setk(v, series_ids[s], "chart.series.%d.id", s);
		setk(v, series_names[s], "chart.series.%d.name", s);
		setki(v, totals[s], "chart.series.%d.total", s);
	}
	/* a date label about every sixth of the range */
	long long every = (ndays + 5) / 6;
	for (long long i = 0; i < ndays; i++) {
		long long day = d->first_day + i;
		const long long *n = &counts[i * ADMIN_SERIES__MAX];
		int x, w;
		svg_chart_bar_x(&c, (size_t)i, &x, &w);
		char date[16], href[ADMIN_LINK_MAX], title[256];
		admin_day_text(day, date, sizeof date);
		struct admin_link l = { .from_day = day, .to_day = day };
		admin_link_build(href, sizeof href, "/admin/submissions", &l);
		long long total = n[0] + n[1] + n[2] + n[3];
		snprintf(title, sizeof title, "%s: %lld submission%s (%lld blacklist, %lld reputation, "
			 "%lld not a blacklist problem, %lld clean or undecided)", date, total,
			 total == 1 ? "" : "s", n[ADMIN_SERIES_BLACKLIST], n[ADMIN_SERIES_REPUTATION],
			 n[ADMIN_SERIES_NOT_BLACKLIST], n[ADMIN_SERIES_OTHER]);
		setki(v, x, "chart.bars.%lld.x", i);
		setki(v, w, "chart.bars.%lld.w", i);
		setki(v, x + w / 2, "chart.bars.%lld.mid", i);
		setk(v, date, "chart.bars.%lld.date", i);
		setk(v, href, "chart.bars.%lld.href", i);
		setk(v, title, "chart.bars.%lld.title", i);
		setki(v, total, "chart.bars.%lld.total", i);
		for (int s = 0; s < ADMIN_SERIES__MAX; s++)
			setki(v, n[s], "chart.bars.%lld.n.%s", i, series_ids[s]);
		if (i % every == 0 || i == ndays - 1)
			setk(v, date + 5, "chart.bars.%lld.label", i);   /* "11-27" */
		long long below = 0;
		int seg = 0;
		for (int s = 0; s < ADMIN_SERIES__MAX; s++) {
			if (n[s] == 0)
				continue;
			int y, h;
			svg_chart_segment_y(&c, below, n[s], &y, &h);
			below += n[s];
			setk(v, series_ids[s], "chart.bars.%lld.segs.%d.series", i, seg);
			setki(v, y, "chart.bars.%lld.segs.%d.y", i, seg);
			setki(v, h, "chart.bars.%lld.segs.%d.h", i, seg);
			seg++;
		}
	}
}

/* --- top tables --- */

static const char *provider_name(struct request *req, const char *id)
{
	const struct isp_provider *p = isp_by_provider(req->app->isp, id);
	return p ? p->name : id;
}

static const char *cause_name(struct request *req, const char *id)
{
	int c = explain_cause_from_id(id);
	if (c < 0 || req->app->explain == NULL)
		return strcmp(id, "none") == 0 ? "No likely cause found" : id;
	return explain_cause_title(req->app->explain, (enum explain_cause)c);
}

static int add_top(void *ctx, const struct admin_top_row *r)
{
	struct dash *d = ctx;
	struct view *v = d->v;
	const char *dim = admin_dim_str(d->dim);
	int i = d->rows++;
	struct admin_link l = { .from_day = d->first_day, .to_day = d->last_day };
	const char *label = r->key;
	switch (d->dim) {
	case ADMIN_DIM_IP:
		l.ip = r->key;
		if (is_ours(d, r->key))
			setki(v, 1, "admin.top.%s.%d.ours", dim, i);
		break;
	case ADMIN_DIM_LIST:
		l.list = r->key;
		break;
	case ADMIN_DIM_PROVIDER:
		l.provider = r->key;
		l.code = r->sub[0] ? r->sub : NULL;
		label = provider_name(d->req, r->key);
		break;
	case ADMIN_DIM_CAUSE:
		l.cause = r->key;
		label = cause_name(d->req, r->key);
		break;
	default:
		break;
	}
	char href[ADMIN_LINK_MAX], when[40];
	admin_link_build(href, sizeof href, "/admin/submissions", &l);
	admin_time_text(r->latest_created, when, sizeof when);
	setk(v, r->key, "admin.top.%s.%d.key", dim, i);
	setk(v, label, "admin.top.%s.%d.label", dim, i);
	setk(v, r->sub, "admin.top.%s.%d.sub", dim, i);
	setki(v, r->n, "admin.top.%s.%d.n", dim, i);
	if (d->dim_total > 0)
		setki(v, (r->n * 100 + d->dim_total / 2) / d->dim_total, "admin.top.%s.%d.pct", dim, i);
	setk(v, href, "admin.top.%s.%d.href", dim, i);
	if (r->latest_token[0]) {
		setk(v, r->latest_token, "admin.top.%s.%d.latest", dim, i);
		setk(v, when, "admin.top.%s.%d.latest_when", dim, i);
	}
	return 0;
}

static enum perr fill_tops(struct dash *d, long long total)
{
	for (int dim = 0; dim < ADMIN_DIM__MAX; dim++) {
		d->dim = (enum admin_dim)dim;
		d->rows = 0;
		d->dim_total = total;
		enum perr rc = store_admin_top(d->req->app->store, d->dim, d->first_day, d->last_day,
					       ADMIN_TOP_ROWS, add_top, d);
		if (rc != PERR_OK)
			return rc;
		setki(d->v, d->rows, "admin.top.%s.count", admin_dim_str(d->dim));
	}
	return PERR_OK;
}

/* --- risky forwards --- */

#define FWD_PROVIDERS_SHOWN 32

struct fwd_stats {
	struct request *req;
	long long total, risky, risky_active;
	struct { const struct isp_provider *p; long long active, off; } by[FWD_PROVIDERS_SHOWN];
	size_t nby;
	/* turned off: distinct forwards (ids kept to count each once) */
	long long off_ids[512];
	size_t noff;
	long long off_risky, off_after, off_after_self;
};

static int count_forward(void *ctx, const struct fwd_row *r)
{
	struct fwd_stats *fs = ctx;
	fs->total++;
	const struct isp_provider *p = isp_lookup_address(fs->req->app->isp, r->destination);
	if (p == NULL || !p->risky)
		return 0;
	fs->risky++;
	fs->risky_active += r->active != 0;
	size_t i;
	for (i = 0; i < fs->nby && fs->by[i].p != p; i++)
		;
	if (i == fs->nby) {
		if (fs->nby == FWD_PROVIDERS_SHOWN)
			return 0;
		fs->by[fs->nby++].p = p;
	}
	if (r->active)
		fs->by[i].active++;
	else
		fs->by[i].off++;
	return 0;
}

static int count_turned_off(void *ctx, const struct admin_turned_off *t)
{
	struct fwd_stats *fs = ctx;
	const struct isp_provider *p = isp_lookup_address(fs->req->app->isp, t->destination);
	if (p == NULL || !p->risky)
		return 0;
	for (size_t i = 0; i < fs->noff; i++)
		if (fs->off_ids[i] == t->forward_id) {
			/* counted already; an earlier switch-off may lack the report link */
			return 0;
		}
	if (fs->noff < sizeof fs->off_ids / sizeof fs->off_ids[0])
		fs->off_ids[fs->noff++] = t->forward_id;
	fs->off_risky++;
	fs->off_after += t->after_report != 0;
	fs->off_after_self += t->after_selfreport != 0;
	return 0;
}

static enum perr fill_forwards(struct dash *d)
{
	struct fwd_stats *fs = calloc(1, sizeof *fs);
	if (fs == NULL)
		return PERR_NOMEM;
	fs->req = d->req;
	struct store *st = d->req->app->store;
	enum perr rc = store_forwards_list(st, 0, count_forward, fs);
	if (rc == PERR_OK)
		rc = store_admin_turned_off(st, d->first_day * SECONDS_PER_DAY, ADMIN_TURNOFF_WINDOW_S,
					    count_turned_off, fs);
	if (rc == PERR_OK) {
		struct view *v = d->v;
		view_set_int(v, "admin.forwards.total", fs->total);
		view_set_int(v, "admin.forwards.risky", fs->risky);
		view_set_int(v, "admin.forwards.risky_active", fs->risky_active);
		view_set_int(v, "admin.forwards.risky_off", fs->risky - fs->risky_active);
		view_set_int(v, "admin.forwards.turned_off", fs->off_risky);
		view_set_int(v, "admin.forwards.turned_off_after_report", fs->off_after);
		view_set_int(v, "admin.forwards.turned_off_after_selfreport", fs->off_after_self);
		view_set_int(v, "admin.forwards.window_days", ADMIN_TURNOFF_WINDOW_S / SECONDS_PER_DAY);
		for (size_t i = 0; i < fs->nby; i++) {
			setk(v, fs->by[i].p->name, "admin.forwards.providers.%zu.name", i);
			setki(v, fs->by[i].active, "admin.forwards.providers.%zu.active", i);
			setki(v, fs->by[i].off, "admin.forwards.providers.%zu.off", i);
		}
	}
	free(fs);
	return rc;
}

/* --- list health --- */

static enum perr fill_lists(struct dash *d)
{
	const struct dnsbl_list *const *lists = NULL;
	size_t n = d->req->app->dnsbl ? dnsbl_checker_lists(d->req->app->dnsbl, &lists) : 0;
	int row = 0, bad = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dnsbl_list *l = lists[i];
		for (int family = 4; family <= 6; family += 2) {
			if (family == 6 && !l->ipv6)
				continue;
			struct store_dnsbl_health h = { 0 };
			const char *state = "unknown", *detail = "";
			char when[40] = "-", skipped[STORE_DNSBL_DETAIL_LEN + 64];
			enum perr rc = PERR_NOT_FOUND;
			if (!l->test) {
				state = "untested";
				detail = "this list publishes no RFC 5782 test points";
			} else if ((rc = store_dnsbl_health_get(d->req->app->store, l->zone, family, &h)) == PERR_OK) {
				state = h.checked_at == 0 ? "unknown" : h.ok ? "ok" : "untrusted";
				detail = h.detail;
				admin_time_text(h.checked_at, when, sizeof when);
			} else if (rc != PERR_NOT_FOUND) {
				return rc;
			}
			/* a list in back-off is not asked at all: that outranks "ok" */
			if (rc == PERR_OK && h.skip_until > (int64_t)time(NULL)) {
				state = "skipped";
				snprintf(skipped, sizeof skipped,
					 "not asked: no answer in %u checks in a row (%s)", h.fails, h.fail_detail);
				detail = skipped;
			}
			bad += strcmp(state, "untrusted") == 0 || strcmp(state, "skipped") == 0;
			setk(d->v, l->zone, "admin.lists.%d.zone", row);
			setk(d->v, l->name, "admin.lists.%d.name", row);
			setki(d->v, family, "admin.lists.%d.family", row);
			setk(d->v, state, "admin.lists.%d.state", row);
			setk(d->v, detail, "admin.lists.%d.detail", row);
			setk(d->v, when, "admin.lists.%d.checked", row);
			row++;
		}
	}
	view_set_int(d->v, "admin.lists_count", row);
	view_set_int(d->v, "admin.lists_untrusted", bad);
	return PERR_OK;
}

/* --- our servers --- */

struct status_count {
	int clean, listed, unknown;
	long long checked;
};

static int count_status(void *ctx, const struct monitor_status_row *s)
{
	struct status_count *sc = ctx;
	if (strcmp(s->status, "clean") == 0)
		sc->clean++;
	else if (strcmp(s->status, "listed") == 0)
		sc->listed++;
	else
		sc->unknown++;
	if (s->checked_at > sc->checked)
		sc->checked = s->checked_at;
	return 0;
}

static const char *duration_of(struct dash *d, const char *zone)
{
	const struct dnsbl_list *l = d->req->app->catalogue ? dnsbl_catalogue_find(d->req->app->catalogue, zone) : NULL;
	return l ? l->duration : "";
}

struct history_fill {
	struct dash *d;
	int n;
	long long now;
};

static int add_history(void *ctx, const struct monitor_listing *l)
{
	struct history_fill *hf = ctx;
	struct view *v = hf->d->v;
	int i = hf->n++;
	char since[40], cleared[40], span[40];
	admin_time_text(l->since, since, sizeof since);
	admin_time_text(l->cleared, cleared, sizeof cleared);
	admin_span_text((l->cleared ? l->cleared : hf->now) - l->since, span, sizeof span);
	setk(v, l->ip, "admin.history.%d.ip", i);
	setk(v, l->zone, "admin.history.%d.zone", i);
	setk(v, since, "admin.history.%d.since", i);
	if (l->cleared)
		setk(v, cleared, "admin.history.%d.cleared", i);
	setk(v, span, "admin.history.%d.span", i);
	setk(v, l->codes, "admin.history.%d.codes", i);
	return 0;
}

static enum perr fill_servers(struct dash *d, long long now)
{
	struct store *st = d->req->app->store;
	struct view *v = d->v;
	struct monitor_listing *open = calloc(ADMIN_OPEN_MAX, sizeof *open);
	if (open == NULL)
		return PERR_NOMEM;
	enum perr rc = PERR_OK;
	int listed_servers = 0;
	for (size_t i = 0; i < d->nours && rc == PERR_OK; i++) {
		const char *ip = d->ours[i];
		size_t n = 0;
		struct status_count sc = { 0, 0, 0, 0 };
		if ((rc = store_monitor_current(st, ip, open, ADMIN_OPEN_MAX, &n)) != PERR_OK ||
		    (rc = store_monitor_status(st, ip, count_status, &sc)) != PERR_OK)
			break;
		const char *state = n > 0 ? "listed" : sc.checked == 0 ? "never" :
				    sc.unknown > 0 ? "incomplete" : "clean";
		char when[40], href[ADMIN_LINK_MAX];
		admin_time_text(sc.checked, when, sizeof when);
		struct admin_link l = { .ip = ip, .from_day = d->first_day, .to_day = d->last_day };
		admin_link_build(href, sizeof href, "/admin/submissions", &l);
		setk(v, ip, "admin.servers.%zu.ip", i);
		setk(v, state, "admin.servers.%zu.state", i);
		setk(v, when, "admin.servers.%zu.checked", i);
		setk(v, href, "admin.servers.%zu.href", i);
		setki(v, sc.clean, "admin.servers.%zu.clean", i);
		setki(v, sc.unknown, "admin.servers.%zu.unknown", i);
		setki(v, (long long)n, "admin.servers.%zu.listed", i);
		listed_servers += n > 0;
		for (size_t k = 0; k < n; k++) {
			char since[40], span[40];
			admin_time_text(open[k].since, since, sizeof since);
			admin_span_text(now - open[k].since, span, sizeof span);
			setk(v, open[k].zone, "admin.servers.%zu.listings.%zu.zone", i, k);
			setk(v, since, "admin.servers.%zu.listings.%zu.since", i, k);
			setk(v, span, "admin.servers.%zu.listings.%zu.span", i, k);
			setk(v, open[k].codes, "admin.servers.%zu.listings.%zu.codes", i, k);
			setk(v, open[k].txt, "admin.servers.%zu.listings.%zu.txt", i, k);
			setk(v, duration_of(d, open[k].zone), "admin.servers.%zu.listings.%zu.duration", i, k);
		}
	}
	free(open);
	if (rc != PERR_OK)
		return rc;
	view_set_int(v, "admin.servers_count", (long long)d->nours);
	view_set_int(v, "admin.servers_listed", listed_servers);

	struct monitor_run run;
	rc = store_monitor_last_run(st, &run);
	if (rc == PERR_OK) {
		char when[40];
		admin_time_text(run.finished, when, sizeof when);
		view_set(v, "admin.monitor.last", when);
		view_set(v, "admin.monitor.status", run.status);
		view_set_int(v, "admin.monitor.stale", now - run.finished > 2 * SECONDS_PER_HOUR);
	} else if (rc != PERR_NOT_FOUND) {
		return rc;
	}
	struct history_fill hf = { d, 0, now };
	rc = store_monitor_history(st, NULL, ADMIN_HISTORY_ROWS, add_history, &hf);
	view_set_int(v, "admin.history_count", hf.n);
	return rc;
}

/* --- the page --- */

static void set_range(struct dash *d, int days)
{
	char from[16], to[16];
	admin_day_text(d->first_day, from, sizeof from);
	admin_day_text(d->last_day, to, sizeof to);
	view_set_int(d->v, "admin.days", days);
	view_set(d->v, "admin.from", from);
	view_set(d->v, "admin.to", to);
	char href[ADMIN_LINK_MAX];
	struct admin_link l = { .from_day = d->first_day, .to_day = d->last_day };
	admin_link_build(href, sizeof href, "/admin/submissions", &l);
	view_set(d->v, "admin.all_href", href);
	admin_link_build(href, sizeof href, "/admin/submissions.csv", &l);
	view_set(d->v, "admin.csv_href", href);
}

void page_admin(struct request *req)
{
	if (!session_is_admin(req)) {
		http_send_error(req, 404);
		return;
	}
	struct dash *d = calloc(1, sizeof *d);
	struct view *v = view_new();
	long long *counts = calloc(ADMIN_DAYS_MAX * ADMIN_SERIES__MAX, sizeof *counts);
	if (d == NULL || v == NULL || counts == NULL) {
		http_send_error(req, 500);
		goto out;
	}
	d->req = req;
	d->v = v;
	http_view_common(req, v);
	view_set(v, "page.title", "Dashboard");
	view_set(v, "page.nav", "admin");
	admin_check_link_fill(req, v);

	const struct field_value *fd = &req->fields[FIELD_DAYS];
	int days = ADMIN_DAYS_DEFAULT;
	if (fd->state == FIELD_VALID && (strcmp(fd->value, "30") == 0 || strcmp(fd->value, "90") == 0))
		days = atoi(fd->value);
	else if (fd->state != FIELD_ABSENT) {
		view_set(v, "admin.error.field", "days");
		view_set(v, "admin.error.message", "Show the last 30 or 90 days.");
		http_send_page(req, 422, PAGE_ADMIN, v);
		goto out;
	}
	long long now = (long long)time(NULL);
	d->last_day = now / SECONDS_PER_DAY;
	d->first_day = d->last_day - days + 1;
	set_range(d, days);
	const char *bad = NULL;
	if (monitor_parse_ips(req->app->cfg.site_outgoing_ips, d->ours, MONITOR_IPS_MAX, &d->nours, &bad) != PERR_OK)
		view_set(v, "admin.outgoing_invalid", "1");   /* portalctl monitor says which */

	enum perr rc = store_admin_per_day(req->app->store, d->first_day, d->last_day, counts);
	if (rc == PERR_OK) {
		fill_chart(d, counts, days);
		long long total = 0;
		for (int i = 0; i < days * ADMIN_SERIES__MAX; i++)
			total += counts[i];
		rc = fill_tops(d, total);
	}
	if (rc == PERR_OK && (rc = fill_forwards(d)) == PERR_OK)
		admin_risky_fill(req, v);
	if (rc == PERR_OK)
		rc = fill_lists(d);
	if (rc == PERR_OK)
		rc = fill_servers(d, now);
	if (rc == PERR_OK)
		rc = admin_maillog_fill(req, v, now);
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "admin dashboard: %s", perr_str(rc));
		http_send_error(req, 500);
		goto out;
	}
	http_send_page(req, 200, PAGE_ADMIN, v);
out:
	view_free(v);
	free(counts);
	free(d);
}
