/* GET /forwards and POST /forwards/<id>/toggle: a customer's mail forwards
 * with their risk, the on/off switches and the audit log.
 *
 * Every query is scoped by the logged-in customer's id; a forward id of
 * another customer is answered exactly like one that does not exist (404). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "csrf.h"
#include "http.h"
#include "accounts/knowledge_isp.h"
#include "core/limits.h"
#include "core/log.h"
#include "page_view.h"
#include "pages.h"
#include "session.h"
#include "store/store_forwards.h"

static const struct isp_catalogue *isp_of(struct request *req)
{
	return req->app->isp;
}

static void format_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "?");
}

struct fill {
	struct request *req;
	struct view *v;
	const char *provider;        /* ?provider= filter to highlight, or NULL */
	long long changed;           /* ?changed=: the forward just switched, or 0 */
	char last_mailbox[FWD_ADDR_MAX + 1];
	int nmailbox, ndest, nforwards, risky_on, risky_off, highlighted;
	int nalt;
	const struct isp_provider *seen[ISP_PROVIDERS_MAX];
	size_t nseen;
	int naudit;
};

/* Remembers each risky provider once, for the "safer alternatives" list. */
static void note_provider(struct fill *f, const struct isp_provider *p)
{
	for (size_t i = 0; i < f->nseen; i++)
		if (f->seen[i] == p)
			return;
	if (f->nseen == ISP_PROVIDERS_MAX)
		return;
	f->seen[f->nseen++] = p;
	char key[64];
	snprintf(key, sizeof key, "forwards.providers.%lu", (unsigned long)f->nseen - 1);
	char sub[96];
	snprintf(sub, sizeof sub, "%s.name", key);
	view_set(f->v, sub, p->name);
	snprintf(sub, sizeof sub, "%s.report", key);
	view_set(f->v, sub, p->report);
}

static long long parse_id(const char *s);

static int add_forward(void *ctx, const struct fwd_row *r)
{
	struct fill *f = ctx;
	char key[96], k[128];
	if (f->nmailbox == 0 || strcmp(f->last_mailbox, r->address) != 0) {
		f->nmailbox++;
		f->ndest = 0;
		snprintf(f->last_mailbox, sizeof f->last_mailbox, "%s", r->address);
		snprintf(key, sizeof key, "forwards.mailboxes.%d", f->nmailbox - 1);
		snprintf(k, sizeof k, "%s.address", key);
		view_set(f->v, k, r->address);
		snprintf(k, sizeof k, "%s.keep_copy", key);
		view_set_int(f->v, k, r->keep_copy);
		snprintf(k, sizeof k, "%s.id", key);
		view_set_int(f->v, k, r->mailbox_id);
	}
	snprintf(key, sizeof key, "forwards.mailboxes.%d.dests.%d", f->nmailbox - 1, f->ndest++);
	f->nforwards++;
	const struct isp_provider *p = isp_lookup_address(isp_of(f->req), r->destination);
	int risky = p != NULL && p->risky;
	char when[40];
	format_time(r->changed, when, sizeof when);
#define SET(field, value) (snprintf(k, sizeof k, "%s." field, key), view_set(f->v, k, value))
#define SETI(field, value) (snprintf(k, sizeof k, "%s." field, key), view_set_int(f->v, k, value))
	SETI("id", r->id);
	SET("destination", r->destination);
	SETI("active", r->active);
	SETI("risky", risky);
	SET("changed", when);
	if (p != NULL) {
		SET("provider", p->name);
		SET("provider_id", p->id);
	}
	/* one badge that says what matters now */
	SET("badge", !r->active ? "off" : risky ? "risky" : "safe");
	SET("badge_text", !r->active ? "Off" : risky ? "Risky" : "Safe");
	if (f->provider != NULL && isp_received_by(p, f->provider)) {
		SETI("highlight", 1);
		f->highlighted++;
	}
	if (f->changed == r->id) {
		/* the confirmation names the forward it switched */
		view_set(f->v, "forwards.done.address", r->address);
		view_set(f->v, "forwards.done.destination", r->destination);
		view_set_int(f->v, "forwards.done.active", r->active);
		view_set_int(f->v, "forwards.done.id", r->id);
	}
#undef SET
#undef SETI
	if (risky) {
		if (r->active)
			f->risky_on++;
		else
			f->risky_off++;
		note_provider(f, p);
	}
	return 0;
}

static int add_audit(void *ctx, const struct fwd_audit_row *a)
{
	struct fill *f = ctx;
	char key[64], k[96], when[40];
	snprintf(key, sizeof key, "forwards.audit.%d", f->naudit++);
	format_time(a->at, when, sizeof when);
	snprintf(k, sizeof k, "%s.when", key);
	view_set(f->v, k, when);
	snprintf(k, sizeof k, "%s.actor", key);
	view_set(f->v, k, a->actor);
	snprintf(k, sizeof k, "%s.action", key);
	view_set(f->v, k, strcmp(a->action, "on") == 0 ? "turned on" :
			  strcmp(a->action, "off") == 0 ? "turned off" : "imported");
	snprintf(k, sizeof k, "%s.detail", key);
	view_set(f->v, k, a->detail);
	snprintf(k, sizeof k, "%s.client", key);
	view_set(f->v, k, a->client);
	return 0;
}

void page_forwards(struct request *req)
{
	if (!page_require_login(req, "/forwards"))
		return;
	struct view *v = page_view_begin(req, "Your mail forwards", "forwards");
	if (v == NULL)
		return;
	long long customer = req->session->user.customer_id;
	struct fill f;
	memset(&f, 0, sizeof f);
	f.req = req;
	f.v = v;
	const struct field_value *prov = &req->fields[FIELD_PROVIDER];
	const struct isp_provider *wanted = NULL;
	if (prov->state == FIELD_VALID && (wanted = isp_by_provider(isp_of(req), prov->value)) != NULL) {
		f.provider = wanted->id;
		view_set(v, "forwards.filter.name", wanted->name);
		view_set(v, "forwards.filter.id", wanted->id);
	}
	const struct field_value *changed = &req->fields[FIELD_CHANGED];
	if (changed->state == FIELD_VALID)
		f.changed = parse_id(changed->value);
	enum perr rc = PERR_OK;
	if (customer <= 0) {
		view_set(v, "forwards.no_customer", "1");   /* admins own no mailboxes */
	} else {
		rc = store_forwards_list(req->app->store, customer, add_forward, &f);
		if (rc == PERR_OK)
			rc = store_audit_list(req->app->store, customer, LIMIT_AUDIT_SHOWN, add_audit, &f);
	}
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "forwards page: %s", perr_str(rc));
		view_free(v);
		http_send_error(req, 500);
		return;
	}
	view_set_int(v, "forwards.count", f.nforwards);
	view_set_int(v, "forwards.risky_on", f.risky_on);
	view_set_int(v, "forwards.risky_off", f.risky_off);
	view_set_int(v, "forwards.highlighted", f.highlighted);
	view_set_int(v, "forwards.audit_count", f.naudit);
	http_send_page(req, 200, PAGE_FORWARDS, v);
	view_free(v);
}

/* A positive decimal id without sign or leading zeros, or 0. */
static long long parse_id(const char *s)
{
	if (s == NULL || s[0] < '1' || s[0] > '9' || strlen(s) > 15)
		return 0;
	long long n = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		n = n * 10 + (*p - '0');
	}
	return n;
}

void page_forward_toggle(struct request *req)
{
	if (!csrf_ok(req)) {
		http_send_error(req, 403);
		return;
	}
	if (!page_require_login(req, "/forwards"))
		return;
	long long id = parse_id(req->args[0]);
	long long customer = req->session->user.customer_id;
	const struct field_value *state = &req->fields[FIELD_STATE];
	if (state->state == FIELD_INVALID) {
		http_send_error(req, 422);
		return;
	}
	struct fwd_row row;
	enum perr rc = store_forward_get(req->app->store, customer, id, &row);
	if (rc == PERR_OK) {
		/* "state" makes a repeated submit harmless; without it, flip */
		int active = state->state == FIELD_VALID ? strcmp(state->value, "on") == 0 : !row.active;
		struct fwd_actor who = { req->session->user.id, req->session->user.login, req->client };
		int changed = 0;
		rc = store_forward_set_active(req->app->store, customer, id, active, &who, &row, &changed);
		if (rc == PERR_OK && changed)
			log_event(LOG_INFO, req->ref, "forward %lld turned %s by user %lld", id,
				  active ? "on" : "off", req->session->user.id);
	}
	if (rc == PERR_NOT_FOUND) {
		http_send_error(req, 404);
		return;
	}
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "forward toggle: %s", perr_str(rc));
		http_send_error(req, 500);
		return;
	}
	/* back to the same view (the provider filter kept), saying what changed */
	const struct field_value *prov = &req->fields[FIELD_PROVIDER];
	const struct isp_provider *wanted = prov->state == FIELD_VALID ? isp_by_provider(isp_of(req), prov->value) : NULL;
	char location[160];
	snprintf(location, sizeof location, "/forwards?changed=%lld%s%s#done", id, wanted ? "&provider=" : "",
		 wanted ? wanted->id : "");
	http_redirect(req, location);
}
