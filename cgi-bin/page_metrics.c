/* GET /metrics: Prometheus text format (version 0.0.4) for monitoring.
 * Every number comes from the store, so one scrape of any worker sees
 * the whole portal. Open to loopback clients (the scraper runs on the
 * host) and to logged-in admins; anyone else gets 404, a logged-in
 * customer 403. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "http.h"
#include "pages.h"
#include "session.h"
#include "core/ipaddr.h"
#include "dnsbl/dnsbl.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "store/store_dnsbl.h"
#include "store/store_metrics.h"

/* A check marker older than this belongs to a worker that died. */
#define METRICS_INFLIGHT_STALE_MS 60000

/* 1 when the client address is 127.0.0.0/8 or ::1. */
static int client_is_loopback(const struct request *req)
{
	struct ipaddr ip;
	if (ipaddr_parse(req->client, strlen(req->client), &ip, NULL) != PERR_OK)
		return 0;
	return ipaddr_classify(&ip) == IPADDR_LOOPBACK;
}

/* Writes s as a label value: backslash, quote and newline escaped. */
static void put_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void put_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static int put_outcome(void *ctx, const struct store_outcome *o)
{
	FILE *f = ctx;
	fprintf(f, o->cached ? "blhd_dns_cache_hits_total{zone=\"" : "blhd_dns_queries_total{zone=\"");
	put_label(f, o->zone);
	fputs("\",outcome=\"", f);
	put_label(f, o->outcome);
	fprintf(f, "\"} %lld\n", o->n);
	return 0;
}

/* Writes every outcome row whose cached flag is want (two passes keep
 * each metric's lines together, as the format asks). */
struct outcome_pass { FILE *f; int want; };

static int put_outcome_if(void *ctx, const struct store_outcome *o)
{
	struct outcome_pass *p = ctx;
	return o->cached == p->want ? put_outcome(p->f, o) : 0;
}

static int put_sent(void *ctx, const char *zone, long long n)
{
	FILE *f = ctx;
	fputs("blhd_dns_queries_sent_total{zone=\"", f);
	put_label(f, zone);
	fprintf(f, "\"} %lld\n", n);
	return 0;
}

/* DNS counters: results by list and outcome, cache hits, packets sent. */
static void put_dns(struct app *app, FILE *f)
{
	struct outcome_pass p = { f, 0 };
	put_head(f, "blhd_dns_queries_total", "counter",
		 "Per-list results of checks answered by the list (not the cache), by outcome.");
	(void)store_dnsbl_outcomes(app->store, put_outcome_if, &p);
	put_head(f, "blhd_dns_cache_hits_total", "counter",
		 "Per-list results served from the DNSBL cache, by outcome.");
	p.want = 1;
	(void)store_dnsbl_outcomes(app->store, put_outcome_if, &p);
	put_head(f, "blhd_dns_queries_sent_total", "counter",
		 "DNS queries sent per list, test points included (the budget counters).");
	(void)store_dnsbl_sent_totals(app->store, put_sent, f);
}

/* The state of one list for one family: ok, untrusted, skipped, unknown. */
static const char *list_state(struct app *app, const char *zone, int family, time_t now)
{
	struct store_dnsbl_health h;
	if (store_dnsbl_health_get(app->store, zone, family, &h) != PERR_OK)
		return "unknown";
	if (h.skip_until > (int64_t)now)
		return "skipped";
	if (h.checked_at == 0)
		return "unknown";
	return h.ok ? "ok" : "untrusted";
}

/* blhd_list_health: 1 when the list's answers are used now, with the
 * state as a label, for every configured list and family it serves. */
static void put_health(struct app *app, FILE *f)
{
	put_head(f, "blhd_list_health", "gauge",
		 "1 when the list passed its self-test and is not in back-off, else 0; state says which.");
	if (app->dnsbl == NULL)
		return;
	const struct dnsbl_list *const *lists;
	size_t n = dnsbl_checker_lists(app->dnsbl, &lists);
	time_t now = time(NULL);
	for (size_t i = 0; i < n; i++) {
		for (int family = 4; family <= 6; family += 2) {
			if (family == 6 && !lists[i]->ipv6)
				continue;
			const char *state = list_state(app, lists[i]->zone, family, now);
			fputs("blhd_list_health{zone=\"", f);
			put_label(f, lists[i]->zone);
			fprintf(f, "\",family=\"%d\",state=\"%s\"} %d\n", family, state,
				strcmp(state, "ok") == 0);
		}
	}
}

/* The latency histogram, cumulative as Prometheus wants it. */
static void put_latency(struct app *app, FILE *f)
{
	struct store_latency l;
	(void)store_latency_read(app->store, &l);
	put_head(f, "blhd_request_duration_seconds", "histogram",
		 "Time from the request's arrival to the end of its answer, every worker.");
	long long cum = 0;
	for (int b = 0; b < STORE_LATENCY_BOUNDS; b++) {
		cum += l.n[b];
		fprintf(f, "blhd_request_duration_seconds_bucket{le=\"%g\"} %lld\n",
			store_latency_bounds[b], cum);
	}
	cum += l.n[STORE_LATENCY_BOUNDS];
	fprintf(f, "blhd_request_duration_seconds_bucket{le=\"+Inf\"} %lld\n", cum);
	fprintf(f, "blhd_request_duration_seconds_sum %.6f\n", (double)l.sum_us / 1e6);
	fprintf(f, "blhd_request_duration_seconds_count %lld\n", cum);
}

/* Gauges: checks in flight and reports stored. */
static void put_gauges(struct app *app, FILE *f)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	long long inflight = 0, reports = 0;
	(void)store_dnsbl_inflight_count(app->store, now_ms - METRICS_INFLIGHT_STALE_MS, &inflight);
	(void)store_reports_stored(app->store, &reports);
	put_head(f, "blhd_checks_in_flight", "gauge",
		 "Addresses being looked up right now by any worker.");
	fprintf(f, "blhd_checks_in_flight %lld\n", inflight);
	put_head(f, "blhd_reports_stored", "gauge", "Reports in the database.");
	fprintf(f, "blhd_reports_stored %lld\n", reports);
}

void page_metrics(struct request *req)
{
	if (!client_is_loopback(req) && !session_is_admin(req)) {
		http_send_error(req, req->session != NULL ? 403 : 404);
		return;
	}
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (f == NULL) {
		http_send_error(req, 500);
		return;
	}
	put_dns(req->app, f);
	put_health(req->app, f);
	put_gauges(req->app, f);
	put_latency(req->app, f);
	if (fclose(f) != 0 || body == NULL) {
		free(body);
		http_send_error(req, 500);
		return;
	}
	http_send(req, 200, "text/plain; version=0.0.4; charset=utf-8",
		  NULL, body, len);
	free(body);
}
