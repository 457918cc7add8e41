/* Refusals from the mail logs on the dashboard and the home page
 * (admin_maillog.h). */
#include <stdio.h>
#include <string.h>

#include "admin_maillog.h"
#include "app.h"
#include "http.h"
#include "explain/explain.h"
#include "maillog/maillog_alert.h"
#include "render.h"
#include "store/store_deliveries.h"

#define PAIRS_MAX 64
#define HOURS 24
#define DAYS 7
#define HOUR_S 3600LL
#define DAY_S 86400LL

struct pair_row {
	char provider[DELIVERY_WORD_MAX], server[DELIVERY_SERVER_MAX];
	long long hours[HOURS], days[DAYS], last_hour, day, week;
};

struct table {
	struct pair_row rows[PAIRS_MAX];
	size_t n;
	long long now;
};

/* Adds one hourly bucket to its pair's counts. */
static int add_bucket(void *ctx, const struct delivery_bucket *b)
{
	struct table *t = ctx;
	size_t i = 0;
	while (i < t->n && (strcmp(t->rows[i].provider, b->provider) || strcmp(t->rows[i].server, b->server)))
		i++;
	if (i == t->n) {
		if (t->n == PAIRS_MAX)
			return 0;
		memset(&t->rows[i], 0, sizeof t->rows[i]);
		snprintf(t->rows[i].provider, sizeof t->rows[i].provider, "%s", b->provider);
		snprintf(t->rows[i].server, sizeof t->rows[i].server, "%s", b->server);
		t->n++;
	}
	struct pair_row *r = &t->rows[i];
	long long hours_ago = (t->now / HOUR_S * HOUR_S - b->bucket) / HOUR_S;
	long long days_ago = (t->now - b->bucket) / DAY_S;
	if (hours_ago >= 0 && hours_ago < HOURS)
		r->hours[HOURS - 1 - hours_ago] += b->messages;
	if (days_ago >= 0 && days_ago < DAYS)
		r->days[DAYS - 1 - days_ago] += b->messages;
	if (hours_ago == 0)
		r->last_hour += b->messages;
	if (hours_ago < HOURS)
		r->day += b->messages;
	r->week += b->messages;
	return 0;
}

/* counts as a text sparkline ("▁▃█"), and the counts spelled out. */
static void spark(const long long *counts, size_t n, char *out, size_t outlen, char *label, size_t lablen)
{
	static const char *const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	long long max = 0;
	for (size_t i = 0; i < n; i++)
		max = counts[i] > max ? counts[i] : max;
	size_t used = 0, lused = 0;
	out[0] = label[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int level = max ? (int)((counts[i] * 7 + max - 1) / max) : 0;
		used += (size_t)snprintf(out + used, used < outlen ? outlen - used : 0, "%s", bars[level]);
		lused += (size_t)snprintf(label + lused, lused < lablen ? lablen - lused : 0, "%s%lld", i ? ", " : "", counts[i]);
	}
}

static void set_pair(struct view *v, size_t i, const struct pair_row *r, const char *name)
{
	char k[64], line[HOURS * 4 + 1], label[HOURS * 12];
#define SETP(field, val) do { snprintf(k, sizeof k, "admin.maillog.pairs.%zu." field, i); view_set(v, k, val); } while (0)
#define SETPI(field, val) do { snprintf(k, sizeof k, "admin.maillog.pairs.%zu." field, i); view_set_int(v, k, val); } while (0)
	SETP("provider", name);
	SETP("server", r->server);
	SETPI("hour", r->last_hour);
	SETPI("day", r->day);
	SETPI("week", r->week);
	spark(r->hours, HOURS, line, sizeof line, label, sizeof label);
	SETP("hours", line);
	SETP("hours_label", label);
	spark(r->days, DAYS, line, sizeof line, label, sizeof label);
	SETP("days", line);
	SETP("days_label", label);
#undef SETP
#undef SETPI
}

/* Sets prefix.N.text for every alert; returns how many. */
static size_t set_alerts(struct request *req, struct view *v, long long now, const char *prefix)
{
	struct maillog_alert a[MAILLOG_ALERTS_MAX];
	size_t n = 0;
	if (maillog_alerts(req->app->store, now, a, MAILLOG_ALERTS_MAX, &n) != PERR_OK)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char text[512], k[64];
		maillog_alert_text(&a[i], explain_provider_name(req->app->explain, a[i].pair.provider), text, sizeof text);
		snprintf(k, sizeof k, "%s.%zu.text", prefix, i);
		view_set(v, k, text);
		snprintf(k, sizeof k, "%s.%zu.server", prefix, i);
		view_set(v, k, a[i].pair.server);
	}
	return n;
}

enum perr admin_maillog_fill(struct request *req, struct view *v, long long now)
{
	static struct table t;   /* 64 pairs of counters: not on the stack */
	t.n = 0;
	t.now = now;
	enum perr rc = store_delivery_buckets(req->app->store, now - DAYS * DAY_S, HOUR_S, add_bucket, &t);
	if (rc != PERR_OK)
		return rc;
	for (size_t i = 0; i < t.n; i++)
		set_pair(v, i, &t.rows[i], explain_provider_name(req->app->explain, t.rows[i].provider));
	view_set_int(v, "admin.maillog.pairs_count", (long long)t.n);
	view_set_int(v, "admin.maillog.alerts_count", (long long)set_alerts(req, v, now, "admin.maillog.alerts"));
	return PERR_OK;
}

void maillog_notice_fill(struct request *req, struct view *v, long long now)
{
	set_alerts(req, v, now, "maillog_notice");
}
