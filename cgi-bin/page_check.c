/* POST /check (the form), GET /check?ip=&ticket= (the link support staff
 * paste into tickets), GET /api/v1/check?ip= (JSON). Each runs a check,
 * stores it as a report and sends the visitor to it. The form and the
 * link also take a server's name in the IP field (check_host.c); the API
 * keeps its contract: ip is an address. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "check_host.h"
#include "check_web.h"
#include "csrf.h"
#include "http.h"
#include "core/ipaddr.h"
#include "core/log.h"
#include "page_view.h"
#include "pages.h"
#include "store/store_reports.h"

/* A ticket link opened again within this many seconds (a reload, a link
 * previewer, the customer and support both clicking it) shows the report
 * it made the first time instead of storing a new one. */
#define LINK_REUSE_SECONDS 600

/* Re-renders the home form with what the customer typed and the problem
 * named next to the field (422). */
static void form_again(struct request *req, const char *general)
{
	struct view *v = page_view_begin(req, "Check a bounce", "home");
	if (v == NULL)
		return;
	static const enum field kept[] = { FIELD_BOUNCE, FIELD_IP, FIELD_TICKET };
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		const struct field_value *f = &req->fields[kept[i]];
		char key[64];
		snprintf(key, sizeof key, "form.%s", field_name(kept[i]));
		/* the raw text goes back into the form (escaped by the template),
		 * but only when it is text: invalid bytes are not echoed */
		if (f->state == FIELD_VALID)
			view_set(v, key, f->value);
		else if (f->state == FIELD_INVALID && f->raw_is_text)
			view_set(v, key, f->raw);
		if (f->state == FIELD_INVALID) {
			snprintf(key, sizeof key, "form.errors.%s", field_name(kept[i]));
			view_set(v, key, f->message);
		}
	}
	view_set(v, "form.error", general);
	/* the title says it first (screen readers, the tab), the summary at
	 * the top is on a phone's first screen, and the field takes focus */
	view_set(v, "page.title", "Error: check a bounce");
	view_set(v, "form.failed", "1");
	http_send_page(req, 422, PAGE_HOME, v);
	view_free(v);
}

/* A name with several addresses: the home page asks which one sends the
 * mail, one button per address (each a normal check of that address). */
static void host_choice(struct request *req, const struct host_answer *host)
{
	struct view *v = page_view_begin(req, "Which address? Check a bounce", "home");
	if (v == NULL)
		return;
	view_set(v, "form.ip", host->name);
	view_set(v, "host.name", host->name);
	const struct field_value *t = &req->fields[FIELD_TICKET];
	if (t->state == FIELD_VALID)
		view_set(v, "host.ticket", t->value);
	for (size_t i = 0; i < host->n; i++) {
		char key[32];
		snprintf(key, sizeof key, "host.addrs.%zu", i);
		view_set(v, key, host->addrs[i]);
	}
	view_set_int(v, "host.count", (long long)host->n);
	http_send_page(req, 200, PAGE_HOME, v);
	view_free(v);
}

/* Resolves a host name typed in the IP field. Returns the address to
 * check (in host), or NULL when the page has been answered (the form
 * again with the reason, or the choice of addresses). */
static const char *resolve_typed_host(struct request *req, struct host_answer *host)
{
	enum host_outcome o = check_host_resolve(req, host);
	if (o == HOST_ONE)
		return host->addrs[0];
	if (o == HOST_MANY)
		host_choice(req, host);
	else {
		check_host_refuse(req, o);
		form_again(req, NULL);
	}
	return NULL;
}

static void too_many(struct request *req, int retry_after, int json)
{
	char hdr[64];
	snprintf(hdr, sizeof hdr, "Retry-After: %d\r\n", retry_after);
	if (json) {
		http_send_json_with(req, 429, hdr, json_pack("{s:s, s:i}", "error",
				    "too many checks from your address; try again later", "retry_after", retry_after));
		return;
	}
	http_send_error_with(req, 429, hdr);
}

/* Runs in and redirects to the report, or answers the failure. */
static void run_and_redirect(struct request *req, struct check_input *in)
{
	char token[REPORT_TOKEN_CHARS + 1];
	enum perr rc = check_web_start(req, in, token);
	if (rc == PERR_TOO_LARGE) {
		req->fields[FIELD_BOUNCE].state = FIELD_INVALID;
		req->fields[FIELD_BOUNCE].message = "This is longer than we accept: paste only the bounce message.";
		form_again(req, NULL);
		return;
	}
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "check failed: %s", perr_str(rc));
		http_send_error(req, 500);
		return;
	}
	char location[64];
	snprintf(location, sizeof location, "/r/%s", token);
	http_redirect(req, location);
}

void page_check_post(struct request *req)
{
	if (!csrf_ok(req)) {
		http_send_error(req, 403);
		return;
	}
	const struct field_value *bounce = &req->fields[FIELD_BOUNCE], *ip = &req->fields[FIELD_IP],
				 *ticket = &req->fields[FIELD_TICKET];
	int by_name = check_host_wanted(req);
	if (bounce->state == FIELD_INVALID || (ip->state == FIELD_INVALID && !by_name) ||
	    ticket->state == FIELD_INVALID) {
		form_again(req, NULL);
		return;
	}
	if (bounce->state == FIELD_ABSENT && ip->state == FIELD_ABSENT) {
		form_again(req, "Paste the bounce message or enter an IP address.");
		return;
	}
	int wait = check_web_rate_limited(req);
	if (wait > 0) {
		too_many(req, wait, 0);
		return;
	}
	struct host_answer host;
	const char *addr = ip->state == FIELD_VALID ? ip->value : NULL;
	if (by_name && (addr = resolve_typed_host(req, &host)) == NULL)
		return;
	struct check_input in = {
		.bounce = bounce->state == FIELD_VALID ? bounce->value : NULL,
		.bounce_len = bounce->state == FIELD_VALID ? strlen(bounce->value) : 0,
		.ip = addr,
		.host = by_name ? host.name : NULL,
		.ticket = ticket->state == FIELD_VALID ? ticket->value : NULL,
		.source = bounce->state == FIELD_VALID ? "bounce" : "ip",
	};
	run_and_redirect(req, &in);
}

/* Redirects to the report this link made within LINK_REUSE_SECONDS and
 * returns 1; 0 when there is none (or the store cannot tell). */
static int reuse_link_report(struct request *req, const char *ip, const char *ticket)
{
	struct ipaddr a;
	char canon[IPADDR_STR_LEN], token[REPORT_TOKEN_CHARS + 1];
	if (ipaddr_parse(ip, strlen(ip), &a, NULL) != PERR_OK || ipaddr_format(&a, canon, sizeof canon) == 0)
		return 0;
	if (store_report_find_link(req->app->store, canon, ticket, (long long)time(NULL) - LINK_REUSE_SECONDS,
				   token) != PERR_OK)
		return 0;
	char location[64];
	snprintf(location, sizeof location, "/r/%s", token);
	http_redirect(req, location);
	return 1;
}

void page_check_get(struct request *req)
{
	const struct field_value *ip = &req->fields[FIELD_IP], *ticket = &req->fields[FIELD_TICKET];
	int by_name = check_host_wanted(req);
	if ((ip->state != FIELD_VALID && !by_name) || ticket->state == FIELD_INVALID) {
		form_again(req, ip->state == FIELD_ABSENT ? "This link has no IP address to check: enter one below." : NULL);
		return;
	}
	if (!by_name && reuse_link_report(req, ip->value, ticket->state == FIELD_VALID ? ticket->value : NULL))
		return;
	int wait = check_web_rate_limited(req);
	if (wait > 0) {
		too_many(req, wait, 0);
		return;
	}
	struct host_answer host;
	const char *addr = by_name ? NULL : ip->value;
	if (by_name && ((addr = resolve_typed_host(req, &host)) == NULL ||
			reuse_link_report(req, addr, ticket->state == FIELD_VALID ? ticket->value : NULL)))
		return;
	struct check_input in = {
		.ip = addr,
		.host = by_name ? host.name : NULL,
		.ticket = ticket->state == FIELD_VALID ? ticket->value : NULL,
		.source = "link",
	};
	run_and_redirect(req, &in);
}

void page_api_check(struct request *req)
{
	const struct field_value *ip = &req->fields[FIELD_IP], *ticket = &req->fields[FIELD_TICKET];
	if (ip->state != FIELD_VALID) {
		http_send_json_error(req, ip->state == FIELD_ABSENT ? 400 : 422,
				     ip->state == FIELD_ABSENT ? "parameter ip is required" : "ip is not an IPv4 or IPv6 address");
		return;
	}
	if (ticket->state == FIELD_INVALID) {
		http_send_json_error(req, 422, "ticket may hold at most 32 letters, digits and dashes");
		return;
	}
	int wait = check_web_rate_limited(req);
	if (wait > 0) {
		too_many(req, wait, 1);
		return;
	}
	struct check_input in = {
		.ip = ip->value,
		.ticket = ticket->state == FIELD_VALID ? ticket->value : NULL,
		.source = "api",
	};
	json_t *doc = NULL;
	char token[REPORT_TOKEN_CHARS + 1];
	enum perr rc = check_web_run(req, &in, &doc, token);
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "api check failed: %s", perr_str(rc));
		http_send_json_error(req, 500, "internal error");
		return;
	}
	http_send_json(req, 200, doc);
}
