/* GET /r/<token> (the report page), POST /r/<token>/recheck (a new
 * snapshot, linked from the old one), GET /api/v1/reports/<token>. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "check_web.h"
#include "csrf.h"
#include "dnsbl/dnsbl.h"
#include "explain/explain.h"
#include "http.h"
#include "accounts/knowledge_isp.h"
#include "core/log.h"
#include "page_cache.h"
#include "pages.h"
#include "report_view.h"
#include "store/store_pending.h"
#include "store/store_reports.h"

/* A pending check older than the DNS deadline plus this is given up. */
#define PENDING_GIVE_UP_MS 30000

/* Tokens are 32 base64url characters; anything else is simply not found. */
static int token_ok(const char *t)
{
	if (t == NULL || strlen(t) != REPORT_TOKEN_CHARS)
		return 0;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			return 0;
	return 1;
}

/* The pending page of a check still being made (or one that could not
 * finish): it refreshes itself until the report exists. Answers and
 * returns 1 when the route's token is pending; 0 when it is not. */
static int send_pending(struct request *req, int as_json)
{
	struct pending_check p;
	if (store_pending_get(req->app->store, req->args[0], &p) != PERR_OK)
		return 0;
	long long age = (long long)time(NULL) - p.created;
	/* a worker that died mid-check leaves its row "checking" */
	int failed = strcmp(p.state, "failed") == 0 ||
		     age * 1000 > (long long)req->app->cfg.dns_timeout_ms + PENDING_GIVE_UP_MS;
	if (strcmp(p.state, "done") == 0)
		return 0; /* stored and then purged: not found */
	if (as_json) {
		json_t *zones = json_array();
		char *save = NULL;
		for (char *z = strtok_r(p.zones, ",", &save); z && zones; z = strtok_r(NULL, ",", &save))
			json_array_append_new(zones, json_string(z));
		http_send_json(req, failed ? 500 : 202,
			       json_pack("{s:s, s:s, s:s?, s:o*}", "token", p.token, "state", failed ? "failed" : "checking",
					 "ip", p.ip[0] ? p.ip : NULL, "asking", zones));
		return 1;
	}
	struct view *v = view_new();
	if (v == NULL) {
		http_send_error(req, 500);
		return 1;
	}
	http_view_common(req, v);
	view_set(v, "page.title", failed ? "The check did not finish" : "Checking now");
	view_set(v, "page.nav", "home");
	if (!failed) {
		char refresh[64];
		snprintf(refresh, sizeof refresh, "1; url=/r/%s", p.token);
		view_set(v, "page.refresh", refresh);
	}
	view_set(v, "pending.failed", failed ? "1" : "0");
	view_set(v, "pending.ip", p.ip);
	view_set(v, "pending.token", p.token);
	char key[32], *save = NULL;
	int n = 0;
	for (char *z = strtok_r(p.zones, ",", &save); z; z = strtok_r(NULL, ",", &save), n++) {
		snprintf(key, sizeof key, "pending.zones.%d", n);
		view_set(v, key, z);
	}
	char count[16], secs[16];
	snprintf(count, sizeof count, "%d", n);
	snprintf(secs, sizeof secs, "%u", (req->app->cfg.dns_timeout_ms + 999) / 1000);
	view_set(v, "pending.count", count);
	view_set(v, "pending.deadline", secs);
	http_send_page(req, 200, PAGE_PENDING, v);
	view_free(v);
	return 1;
}

/* Loads the report named by the route; answers 404/500 itself on failure
 * (or the pending page while it is being made). */
static int load(struct request *req, struct report_stored *r, json_t **doc, int as_json)
{
	memset(r, 0, sizeof *r);
	enum perr rc = token_ok(req->args[0]) ? store_report_get(req->app->store, req->args[0], 1, r) : PERR_NOT_FOUND;
	if (rc == PERR_OK) {
		*doc = json_loads(r->doc, 0, NULL);
		if (*doc == NULL)
			rc = PERR_INTERNAL;
	}
	if (rc == PERR_OK)
		return 1;
	free(r->doc);
	r->doc = NULL;
	if (rc == PERR_NOT_FOUND && token_ok(req->args[0]) && send_pending(req, as_json))
		return 0;
	if (rc != PERR_NOT_FOUND)
		log_event(LOG_ERROR, req->ref, "report load failed: %s", perr_str(rc));
	int status = rc == PERR_NOT_FOUND ? 404 : 500;
	if (as_json)
		http_send_json_error(req, status, status == 404 ? "no such report" : "internal error");
	else
		http_send_error(req, status);
	return 0;
}

/* What an anonymous view of a report depends on besides the visitor's
 * CSRF token: the snapshot, whether a newer one exists, whether the visitor
 * holds it (recipient shown), the ISP picked for the SMTP advice, what
 * monitoring knows about the IP now and, without site.base_url, the scheme,
 * Host and port the ticket link is built from. Returns 0 when the key does
 * not fit (the page is then not cached). */
static int cache_key(struct request *req, const struct report_stored *r, char *key, size_t len)
{
	/* the ISP the page will show, not the raw parameter: made-up values
	 * would otherwise each take a cache slot */
	const struct field_value *f = &req->fields[FIELD_ISP];
	const struct isp_provider *isp = f->state == FIELD_VALID ? isp_by_provider(req->app->isp, f->value) : NULL;
	char monitor[REPORT_MONITOR_SIG_MAX], origin[REPORT_LINK_MAX] = "";
	report_monitor_signature(req, r, monitor, sizeof monitor);
	if (req->app->cfg.site_base_url[0] == '\0')
		report_link(req, "", origin, sizeof origin);
	int n = snprintf(key, len, "r|%s|%s|%d|%s|%s|%s", req->args[0], r->newer_token, check_web_is_holder(req, r),
			 isp ? isp->id : f->state == FIELD_VALID && !strcmp(f->value, "other") ? "other" : "", monitor,
			 origin);
	return n > 0 && (size_t)n < len;
}

void page_report(struct request *req)
{
	struct report_stored r;
	json_t *doc = NULL;
	char key[PAGE_CACHE_KEY_MAX];
	int cacheable = req->session == NULL;   /* logged-in pages carry the user's name */
	memset(&r, 0, sizeof r);
	if (cacheable) {
		cacheable = token_ok(req->args[0]) && store_report_get(req->app->store, req->args[0], 0, &r) == PERR_OK &&
			    cache_key(req, &r, key, sizeof key);
		free(r.doc);
		if (cacheable && page_cache_send(req, key))
			return;
	}
	if (!load(req, &r, &doc, 0))
		return;
	struct view *v = view_new();
	char *html = NULL;
	size_t len = 0;
	if (v == NULL || report_view_fill(req, &r, doc, v) != PERR_OK) {
		http_send_error(req, 500);
	} else if (!cacheable) {
		http_send_page(req, 200, PAGE_REPORT, v);
	} else {
		http_viewer_csrf(req);   /* queue the visitor's cookie now; the page holds a marker */
		view_set(v, "page.csrf", PAGE_CACHE_CSRF_MARK);
		if (render_page(req->app->render, PAGE_REPORT, v, &html, &len) == PERR_OK)
			page_cache_put_send(req, key, html, len);
		else
			http_send_error(req, 500);
	}
	view_free(v);
	json_decref(doc);
	free(r.doc);
}

void page_report_recheck(struct request *req)
{
	if (!csrf_ok(req)) {
		http_send_error(req, 403);
		return;
	}
	struct report_stored r;
	json_t *doc = NULL;
	if (!load(req, &r, &doc, 0))
		return;
	int wait = check_web_rate_limited(req);
	if (wait > 0) {
		char hdr[64];
		snprintf(hdr, sizeof hdr, "Retry-After: %d\r\n", wait);
		http_send_error_with(req, 429, hdr);
		goto out;
	}
	struct check_input in = {
		.analysis = doc,
		.ticket = r.ticket[0] ? r.ticket : NULL,
		.source = "recheck",
		.previous_id = r.id,
		.dns_flags = DNSBL_F_NOCACHE,
	};
	char token[REPORT_TOKEN_CHARS + 1];
	enum perr rc = check_web_start(req, &in, token);
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "re-check failed: %s", perr_str(rc));
		http_send_error(req, 500);
		goto out;
	}
	char location[64];
	snprintf(location, sizeof location, "/r/%s", token);
	http_redirect(req, location);
out:
	json_decref(doc);
	free(r.doc);
}

void page_api_report(struct request *req)
{
	struct report_stored r;
	json_t *doc = NULL;
	if (!load(req, &r, &doc, 1))
		return;
	int holder = check_web_is_holder(req, &r);
	json_object_set_new(doc, "recipient", r.recipient[0] && holder ? json_string(r.recipient) : json_null());
	if (!holder && json_is_string(json_object_get(doc, "diagnostic"))) {
		char diag[REPORT_DIAGNOSTIC_MAX];   /* the page's rule: addresses only for the holder */
		report_diagnostic(doc, 0, diag, sizeof diag);
		json_object_set_new(doc, "diagnostic", json_string(diag));
	}
	size_t i;
	json_t *e;
	json_array_foreach(holder ? NULL : json_object_get(doc, "evidence"), i, e) {
		char text[1024];
		explain_redact_addresses(json_string_value(e), text, sizeof text);
		json_array_set_new(json_object_get(doc, "evidence"), i, json_string(text));
	}
	http_send_json(req, 200, doc);
	free(r.doc);
}
