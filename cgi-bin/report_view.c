#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "check_web.h"
#include "explain/explain.h"
#include "http.h"
#include "monitor_view.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "accounts/knowledge_isp.h"
#include "render.h"
#include "report_view.h"
#include "session.h"
#include "store/store_forwards.h"
#include "store/store_monitor.h"
#include "store/store_reports.h"

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Only plain http(s) links from the catalogue become hrefs. */
static int href_ok(const char *u)
{
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return 0;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\'' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return 1;
}

static const char *status_label(const char *s)
{
	if (!strcmp(s, "listed")) return "listed";
	if (!strcmp(s, "clean")) return "not listed";
	if (!strcmp(s, "untrusted") || !strcmp(s, "refused")) return "not trusted right now";
	return "no answer";
}

static void fill_checks(struct view *v, json_t *doc, int *listed)
{
	size_t i;
	json_t *c;
	*listed = 0;
	json_array_foreach(json_object_get(doc, "checks"), i, c) {
		char k[64];
		const char *status = jstr(c, "status");
#define SETC(field, val) do { snprintf(k, sizeof k, "report.checks.%zu." field, i); view_set(v, k, val); } while (0)
		SETC("zone", jstr(c, "zone"));
		SETC("name", *jstr(c, "name") ? jstr(c, "name") : jstr(c, "zone"));
		SETC("status", status);
		SETC("label", status_label(status));
		SETC("meaning", jstr(c, "meaning"));
		SETC("txt", jstr(c, "txt"));
		SETC("duration", jstr(c, "duration"));
		if (href_ok(jstr(c, "delist_url")))
			SETC("delist_url", jstr(c, "delist_url"));
		if (json_is_true(json_object_get(c, "policy")))
			SETC("policy", "1");
		if (json_is_true(json_object_get(c, "cached")))
			SETC("cached", "1");
#undef SETC
		if (!strcmp(status, "listed"))
			(*listed)++;
	}
	view_set_int(v, "report.checked_count", (long long)json_array_size(json_object_get(doc, "checks")));
	view_set_int(v, "report.listed_count", *listed);
}

static void fill_causes(struct view *v, json_t *doc)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(doc, "causes"), i, c) {
		static const char *const keys[] = { "id", "title", "text", "todo", "why" };
		char k[64];
		for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++) {
			snprintf(k, sizeof k, "report.causes.%zu.%s", i, keys[j]);
			view_set(v, k, jstr(c, keys[j]));
		}
		snprintf(k, sizeof k, "report.causes.%zu.likely", i);
		view_set(v, k, json_is_true(json_object_get(c, "likely")) ? "1" : NULL);
	}
}

/* The ISP whose SMTP settings to show: only the one the customer picked.
 * The recipient's provider says nothing about the sender's own. */
static const struct isp_provider *pick_isp(struct request *req)
{
	const struct field_value *f = &req->fields[FIELD_ISP];
	/* an unknown id counts as no choice (page_report's cache key relies on it) */
	return f->state == FIELD_VALID ? isp_by_provider(req->app->isp, f->value) : NULL;
}

/* The provider choice: the options, the picked one's settings, or the
 * "my provider isn't listed" advice (isp=other). */
static void fill_isp(struct request *req, struct view *v)
{
	const struct isp_catalogue *cat = req->app->isp;
	const struct isp_provider *sel = pick_isp(req);
	const struct field_value *f = &req->fields[FIELD_ISP];
	if (sel == NULL && f->state == FIELD_VALID && !strcmp(f->value, ISP_NOT_LISTED))
		view_set(v, "isp.not_listed", "1");
	for (size_t i = 0; i < isp_count(cat); i++) {
		const struct isp_provider *p = isp_at(cat, i);
		if (p->smtp.host[0] == '\0')
			continue;
		char k[64];
		snprintf(k, sizeof k, "isp.options.%zu.id", i);
		view_set(v, k, p->id);
		snprintf(k, sizeof k, "isp.options.%zu.name", i);
		view_set(v, k, p->name);
		if (p == sel) {
			snprintf(k, sizeof k, "isp.options.%zu.selected", i);
			view_set(v, k, "1");
		}
	}
	if (sel == NULL || sel->smtp.host[0] == '\0')
		return;
	view_set(v, "isp.selected.name", sel->name);
	view_set(v, "isp.selected.host", sel->smtp.host);
	view_set_int(v, "isp.selected.port", sel->smtp.port);
	view_set(v, "isp.selected.security", isp_security_str(sel->smtp.security));
	view_set(v, "isp.selected.login_needed", sel->smtp.login_needed ? "1" : NULL);
	view_set(v, "isp.selected.note", sel->smtp.note);
	view_set(v, "isp.selected.webmail", sel->smtp.own_address_only ? "1" : NULL);
}

/* "You forward to AOL": the self-reporting card for a logged-in customer. */
static void fill_selfreport(struct request *req, struct view *v, const char *provider)
{
	if (req->session == NULL || req->session->user.customer_id == 0 || !*provider || !strcmp(provider, "other"))
		return;
	size_t active = 0, total = 0;
	if (store_forwards_to_provider(req->app->store, req->app->isp, req->session->user.customer_id,
				       provider, &active, &total) != PERR_OK || active == 0)
		return;
	view_set_int(v, "selfreport.count", (long long)active);
	view_set(v, "selfreport.provider", provider);
	view_set(v, "selfreport.provider_name", explain_provider_name(req->app->explain, provider));
}

/* The absolute link to paste into a ticket: site.base_url, else the
 * request's host (checked: it came from the client) and port. */
void report_link(struct request *req, const char *token, char *buf, size_t len)
{
	const char *base = req->app->cfg.site_base_url;
	if (*base) {
		snprintf(buf, len, "%s/r/%s", base, token);
		return;
	}
	const char *host = http_param(req, "HTTP_HOST"), *port = http_param(req, "SERVER_PORT");
	int ok = host && *host && strlen(host) < 200;
	for (const char *p = host; ok && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr(".-:[]", *p)))
			ok = 0;
	if (!ok) {
		snprintf(buf, len, "/r/%s", token);
		return;
	}
	int default_port = port == NULL || strspn(port, "0123456789") != strlen(port) ||
			   !strcmp(port, req->tls ? "443" : "80") || strchr(host, ':') != NULL;
	snprintf(buf, len, "%s://%s%s%s/r/%s", req->tls ? "https" : "http", host,
		 default_port ? "" : ":", default_port ? "" : port, token);
}

static void fill_link(struct request *req, struct view *v, const char *token)
{
	char url[REPORT_LINK_MAX];
	report_link(req, token, url, sizeof url);
	view_set(v, "report.url", url);
}

/* Monitoring already knows our server is listed: "we know since ...". */
static void fill_monitor(struct request *req, struct view *v, const struct report_stored *r)
{
	struct monitor_listing open[8];
	size_t n = 0;
	if (!r->ip_is_ours || !r->ip[0] ||
	    store_monitor_current(req->app->store, r->ip, open, 8, &n) != PERR_OK || n == 0)
		return;
	view_set_time(v, "monitor.since", open[0].since);
	if (n > 2)   /* the notice names two: it stays short on a phone */
		view_set_int(v, "monitor.more", (long long)(n - 2));
	for (size_t i = 0; i < n; i++) {
		const struct dnsbl_list *l = dnsbl_catalogue_find(req->app->catalogue, open[i].zone);
		char k[48];
		snprintf(k, sizeof k, "monitor.lists.%zu.name", i);
		view_set(v, k, l ? l->name : open[i].zone);
		snprintf(k, sizeof k, "monitor.lists.%zu.duration", i);
		view_set(v, k, l ? l->duration : NULL);
	}
}

/* The refusal as this viewer may see it: word for word for the holder,
 * every mail address removed for anyone else. */
void report_diagnostic(json_t *doc, int holder, char *buf, size_t len)
{
	const char *d = jstr(doc, "diagnostic");
	if (holder)
		snprintf(buf, len, "%s", d);
	else
		explain_redact_addresses(d, buf, len);
}

/* A bounce that names no server: what monitoring knows about ours
 * (ours.N.{ip,lists,since}; ours.checked = the last run's time, unset
 * when monitoring never ran). */
static void fill_our_servers(struct request *req, struct view *v)
{
	struct monitor_run run;
	if (store_monitor_last_run(req->app->store, &run) != PERR_OK)
		return;
	view_set_time(v, "ours.checked", run.finished);
	(void)monitor_view_servers(req, v, "ours.listed");
}

void report_monitor_signature(struct request *req, const struct report_stored *r, char *buf, size_t len)
{
	struct monitor_listing open[8];
	size_t n = 0;
	buf[0] = '\0';
	if (!r->ip[0]) {   /* the page shows every server of ours and the last run */
		struct monitor_run run;
		if (store_monitor_last_run(req->app->store, &run) == PERR_OK)
			snprintf(buf, len, "%lld:", run.finished);
	} else if (!r->ip_is_ours) {
		return;
	}
	if (store_monitor_current(req->app->store, r->ip[0] ? r->ip : NULL, open, 8, &n) != PERR_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%lld,", open[i].id);
	}
}

enum perr report_view_fill(struct request *req, const struct report_stored *r, json_t *doc, struct view *v)
{
	struct app *app = req->app;
	int holder = check_web_is_holder(req, r);
	const char *recipient = holder ? r->recipient : "";
	view_set(v, "report.holder", holder ? "1" : NULL);
	http_view_common(req, v);
	view_set(v, "page.title", "Your blacklist report");

	const char *token = jstr(doc, "token");
	view_set(v, "report.token", token);
	fill_link(req, v, token);
	view_set_time(v, "report.created", r->created);
	view_set(v, "report.ticket", r->ticket[0] ? r->ticket : NULL);
	view_set(v, "report.previous", r->previous_token[0] ? r->previous_token : NULL);
	view_set(v, "report.newer", r->newer_token[0] ? r->newer_token : NULL);

	const char *verdict = jstr(doc, "verdict");
	char sentence[1200];
	explain_sentence(jstr(doc, "sentence"), recipient, sentence, sizeof sentence);
	view_set(v, "report.verdict", verdict);
	view_set(v, "report.sentence", sentence);
	if (!strcmp(verdict, "blacklist") || !strcmp(verdict, "reputation") || !strcmp(verdict, "listed"))
		view_set(v, "report.is_problem", "1");
	view_set(v, "report.input", jstr(doc, "input"));
	view_set(v, "report.ip", *jstr(doc, "ip") ? jstr(doc, "ip") : NULL);
	view_set(v, "report.host", *jstr(doc, "host") ? jstr(doc, "host") : NULL);
	view_set(v, "report.ip_is_ours", json_is_true(json_object_get(doc, "ip_is_ours")) ? "1" : NULL);
	view_set(v, "report.note", *jstr(doc, "note") ? jstr(doc, "note") : NULL);
	view_set(v, "report.category", jstr(doc, "category"));
	const char *provider = jstr(doc, "provider");
	view_set(v, "report.provider", provider);
	view_set(v, "report.provider_name", explain_provider_name(app->explain, provider));
	view_set(v, "report.provider_code", *jstr(doc, "provider_code") ? jstr(doc, "provider_code") : NULL);
	view_set(v, "report.provider_code_meaning", *jstr(doc, "provider_code_meaning") ? jstr(doc, "provider_code_meaning") : NULL);
	view_set(v, "report.advice", *jstr(doc, "advice") ? jstr(doc, "advice") : NULL);
	json_t *smtp = json_object_get(doc, "smtp_code");
	if (json_is_integer(smtp) && json_integer_value(smtp) > 0)
		view_set_int(v, "report.smtp_code", json_integer_value(smtp));
	view_set(v, "report.status", *jstr(doc, "status") ? jstr(doc, "status") : NULL);
	char diag[REPORT_DIAGNOSTIC_MAX];
	report_diagnostic(doc, holder, diag, sizeof diag);
	view_set(v, "report.diagnostic", diag[0] ? diag : NULL);
	view_set(v, "report.outcome", jstr(doc, "outcome"));
	view_set(v, "report.cause", jstr(doc, "cause"));
	view_set(v, "report.heading", jstr(doc, "heading"));
	view_set(v, "report.next_step", jstr(doc, "next_step"));
	if (r->recipient[0])
		view_set(v, holder ? "report.recipient" : "report.recipient_hidden", holder ? r->recipient : "1");
	view_set(v, "report.expiry", *jstr(doc, "expiry") ? jstr(doc, "expiry") : NULL);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(doc, "lists"), i, x) {
		char k[48];
		const struct dnsbl_list *l = dnsbl_catalogue_find(app->catalogue, json_string_value(x));
		snprintf(k, sizeof k, "report.lists.%zu", i);
		view_set(v, k, l ? l->name : json_string_value(x));
	}
	json_array_foreach(json_object_get(doc, "evidence"), i, x) {
		char k[48], e[1024];
		snprintf(k, sizeof k, "report.evidence.%zu", i);
		if (holder)
			snprintf(e, sizeof e, "%s", json_string_value(x) ? json_string_value(x) : "");
		else
			explain_redact_addresses(json_string_value(x), e, sizeof e);
		view_set(v, k, e);
	}
	int listed;
	fill_checks(v, doc, &listed);
	fill_causes(v, doc);
	fill_isp(req, v);
	fill_selfreport(req, v, provider);
	fill_monitor(req, v, r);
	if (!r->ip[0])
		fill_our_servers(req, v);
	return PERR_OK;
}
