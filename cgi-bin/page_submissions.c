/* GET /admin/submissions and GET /admin/submissions.csv: the submissions
 * behind the dashboard, filtered by ip, list (zone or name), provider
 * (+ code), cause, ticket and a from/to date range (UTC days, both
 * inclusive; the last 90 days when neither is given, all time for a
 * ticket), newest first.
 *
 * Admins only (404 for anyone else, before any filter is looked at). An
 * invalid filter answers 422 naming the filter, never echoing its value
 * into the CSV; the HTML page shows the form again with the message. The
 * CSV is RFC 4180 with formula-injection protection (src/csv.c), streamed
 * in blocks so an export of the whole table does not sit in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_link.h"
#include "app.h"
#include "explain/explain.h"
#include "admin/csv.h"
#include "http.h"
#include "core/ipaddr.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "core/log.h"
#include "page_view.h"
#include "pages.h"
#include "session.h"
#include "store/store_admin.h"
#include "core/time_span.h"

#define SUBMISSIONS_PER_PAGE 50
#define SUBMISSIONS_COUNT_CAP 10000     /* counts of filter combinations stop here */
#define SUBMISSIONS_DEFAULT_DAYS 90     /* the range when neither from nor to is given */
#define IP_FILTER_MESSAGE "Enter an IPv4 address like 203.0.113.25 or an IPv6 address."
#define CSV_FLUSH_BYTES (64 * 1024)

struct filters {
	struct admin_filter f;
	char ip[IPADDR_STR_LEN];
	char list[DNSBL_ZONE_MAX];
	char provider[33], cause[25];    /* lower case */
	long long from_day, to_day;      /* -1 = not given */
	long long page;
	enum field bad;                  /* FIELD__MAX = every filter is fine */
	const char *message;
};

static const enum field filter_fields[] = {
	FIELD_IP, FIELD_LIST, FIELD_PROVIDER, FIELD_CODE, FIELD_CAUSE, FIELD_TICKET, FIELD_FROM, FIELD_TO, FIELD_PAGE,
};

/* src into dst (n bytes), ASCII letters lowered. */
static void lower_copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
	for (char *p = dst; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

static int invalid(struct filters *fl, enum field f, const char *message)
{
	fl->bad = f;
	fl->message = message;
	return 0;
}

/* The list filter as the submissions were counted: a catalogue list by
 * its name ("Spamhaus ZEN") is its zone; a name a bounce gave ("Cloudmark
 * CSI") is spelt as stored; else a zone, lower case, no final dot; else
 * the one catalogue list whose name or zone holds what was typed
 * ("spamcop"). A name with spaces that nothing ever named is kept (it
 * matches nothing). Returns 1, 0 when it is none of these, -1 when
 * several lists hold it ("spamhaus"). */
static int read_list(struct request *req, struct filters *fl, const char *raw)
{
	fl->f.list = fl->list;
	char typed[DNSBL_ZONE_MAX];
	while (*raw == ' ')
		raw++;
	snprintf(typed, sizeof typed, "%s", raw);
	for (size_t n = strlen(typed); n > 0 && typed[n - 1] == ' '; n--)
		typed[n - 1] = '\0';
	const struct dnsbl_list *named = dnsbl_catalogue_find_name(req->app->catalogue, typed);
	if (named != NULL) {
		snprintf(fl->list, sizeof fl->list, "%s", named->zone);
		return 1;
	}
	enum perr rc = store_admin_list_key(req->app->store, typed, fl->list, sizeof fl->list);
	if (rc == PERR_OK)
		return 1;
	if (rc != PERR_NOT_FOUND)   /* the spelling is unknown; matching as typed is the best left */
		log_event(LOG_ERROR, req->ref, "list filter lookup failed: %s", perr_str(rc));
	lower_copy(fl->list, sizeof fl->list, typed);
	size_t n = strlen(fl->list);
	if (n > 0 && fl->list[n - 1] == '.')
		fl->list[n - 1] = '\0';
	if (dnsbl_zone_valid(fl->list))
		return 1;
	int several = 0;
	const struct dnsbl_list *guess = dnsbl_catalogue_guess_name(req->app->catalogue, typed, &several);
	if (guess != NULL) {
		snprintf(fl->list, sizeof fl->list, "%s", guess->zone);
		return 1;
	}
	if (several)
		return -1;
	snprintf(fl->list, sizeof fl->list, "%s", typed);
	return strchr(typed, ' ') != NULL;
}

/* Validates and canonicalises every filter. Returns 1 when all are fine;
 * 0 with fl->bad and fl->message naming the first that is not. */
static int read_filters(struct request *req, struct filters *fl)
{
	memset(fl, 0, sizeof *fl);
	fl->bad = FIELD__MAX;
	fl->from_day = fl->to_day = -1;
	fl->page = 1;
	for (size_t i = 0; i < sizeof filter_fields / sizeof filter_fields[0]; i++) {
		const struct field_value *fv = &req->fields[filter_fields[i]];
		if (fv->state == FIELD_INVALID)   /* the filter takes addresses only, not server names */
			return invalid(fl, filter_fields[i], filter_fields[i] == FIELD_IP ? IP_FILTER_MESSAGE : fv->message);
	}
	const struct field_value *fv = &req->fields[FIELD_IP];
	if (fv->state == FIELD_VALID) {
		struct ipaddr a;
		if (ipaddr_parse(fv->value, strlen(fv->value), &a, NULL) != PERR_OK ||
		    ipaddr_format(&a, fl->ip, sizeof fl->ip) == 0)
			return invalid(fl, FIELD_IP, IP_FILTER_MESSAGE);
		fl->f.ip = fl->ip;
	}
	fv = &req->fields[FIELD_LIST];
	int list_ok = fv->state == FIELD_VALID ? read_list(req, fl, fv->value) : 1;
	if (list_ok < 0)
		return invalid(fl, FIELD_LIST, "Several lists match this: type more of the list's name, or its zone.");
	if (list_ok == 0)
		return invalid(fl, FIELD_LIST, "Enter a list's name or zone, like Spamhaus ZEN or zen.spamhaus.org.");
	/* ids are lower case; people type "AOL" or "Selfreport" */
	if (req->fields[FIELD_PROVIDER].state == FIELD_VALID) {
		lower_copy(fl->provider, sizeof fl->provider, req->fields[FIELD_PROVIDER].value);
		fl->f.provider = fl->provider;
	}
	if (req->fields[FIELD_CODE].state == FIELD_VALID) {
		if (fl->f.provider == NULL)
			return invalid(fl, FIELD_CODE, "A provider code needs a provider.");
		fl->f.code = req->fields[FIELD_CODE].value;
	}
	if (req->fields[FIELD_CAUSE].state == FIELD_VALID) {
		lower_copy(fl->cause, sizeof fl->cause, req->fields[FIELD_CAUSE].value);
		fl->f.cause = fl->cause;
	}
	if (req->fields[FIELD_FROM].state == FIELD_VALID &&
	    !admin_parse_day(req->fields[FIELD_FROM].value, &fl->from_day))
		return invalid(fl, FIELD_FROM, "This date does not exist.");
	if (req->fields[FIELD_TO].state == FIELD_VALID &&
	    !admin_parse_day(req->fields[FIELD_TO].value, &fl->to_day))
		return invalid(fl, FIELD_TO, "This date does not exist.");
	if (fl->from_day >= 0 && fl->to_day >= 0 && fl->from_day > fl->to_day)
		return invalid(fl, FIELD_TO, "The end date is before the start date.");
	if (req->fields[FIELD_PAGE].state == FIELD_VALID)
		fl->page = atoll(req->fields[FIELD_PAGE].value);
	if (req->fields[FIELD_TICKET].state == FIELD_VALID)
		fl->f.ticket = req->fields[FIELD_TICKET].value;
	/* a ticket is looked up over all time: support asks about old ones too */
	if (fl->from_day < 0 && fl->to_day < 0 && fl->f.ticket == NULL) {
		fl->to_day = (long long)time(NULL) / SECONDS_PER_DAY;
		fl->from_day = fl->to_day - SUBMISSIONS_DEFAULT_DAYS + 1;
	}
	fl->f.from = fl->from_day >= 0 ? fl->from_day * SECONDS_PER_DAY : 0;
	/* no end date: up to the end of today (whole days: counts from the rollup) */
	fl->f.to = (fl->to_day >= 0 ? fl->to_day : (long long)time(NULL) / SECONDS_PER_DAY) * SECONDS_PER_DAY + SECONDS_PER_DAY;
	return 1;
}

/* The link to these filters (page 0 = none), for the pager and the CSV. */
static void filters_link(const struct filters *fl, const char *path, long long page, char *buf, size_t len)
{
	struct admin_link l = {
		.ip = fl->f.ip, .list = fl->f.list, .provider = fl->f.provider, .code = fl->f.code,
		.cause = fl->f.cause, .ticket = fl->f.ticket, .from_day = fl->from_day, .to_day = fl->to_day,
		.page = page,
	};
	admin_link_build(buf, len, path, &l);
}

/* The form's values: what was sent when it is text, so a mistake can be
 * corrected in place (the template escapes it). */
static void form_values(struct request *req, struct view *v, const struct filters *fl)
{
	char day[16];
	if (fl->from_day >= 0 && fl->bad == FIELD__MAX) {
		admin_day_text(fl->from_day, day, sizeof day);
		view_set(v, "form.from", day);
	}
	if (fl->to_day >= 0 && fl->bad == FIELD__MAX) {
		admin_day_text(fl->to_day, day, sizeof day);
		view_set(v, "form.to", day);
	}
	for (size_t i = 0; i < sizeof filter_fields / sizeof filter_fields[0]; i++) {
		const struct field_value *fv = &req->fields[filter_fields[i]];
		if (filter_fields[i] == FIELD_PAGE || fv->state == FIELD_ABSENT)
			continue;
		char key[64];
		snprintf(key, sizeof key, "form.%s", field_name(filter_fields[i]));
		if (fv->state == FIELD_VALID)
			view_set(v, key, fv->value);
		else if (fv->raw != NULL && fv->raw_is_text && strlen(fv->raw) <= 256)
			view_set(v, key, fv->raw);
	}
}

struct list_fill {
	struct view *v;
	const struct explain_knowledge *explain;   /* cause titles */
	int n;
};

static int add_row(void *ctx, const struct admin_submission *s)
{
	struct list_fill *lf = ctx;
	struct view *v = lf->v;
	char key[96], k[128], when[40], href[ADMIN_LINK_MAX];
	snprintf(key, sizeof key, "subs.rows.%d", lf->n++);
#define SET(field, value) (snprintf(k, sizeof k, "%s." field, key), view_set(v, k, value))
#define SETI(field, value) (snprintf(k, sizeof k, "%s." field, key), view_set_int(v, k, value))
	admin_time_text(s->created, when, sizeof when);
	SET("when", when);
	SET("token", s->token);
	SET("source", s->source);
	SET("ticket", s->ticket);
	if (s->ticket[0]) {
		struct admin_link l = { .ticket = s->ticket, .from_day = -1, .to_day = -1 };
		admin_link_build(href, sizeof href, "/admin/submissions", &l);
		SET("ticket_href", href);
	}
	SET("ip", s->ip);
	SETI("ours", s->ip_is_ours);
	if (s->ip[0]) {
		struct admin_link l = { .ip = s->ip, .from_day = -1, .to_day = -1 };
		admin_link_build(href, sizeof href, "/admin/submissions", &l);
		SET("ip_href", href);
	}
	SET("verdict", s->verdict);
	SET("verdict_label", explain_verdict_words(s->verdict));
	SET("provider", s->provider);
	SET("code", s->code);
	SET("cause", s->cause);
	{
		int c = s->cause[0] ? explain_cause_from_id(s->cause) : -1;
		const char *t = c >= 0 ? explain_cause_title(lf->explain, (enum explain_cause)c) : NULL;
		SET("cause_label", t ? t : s->cause);
	}
	SETI("listed", s->listed);
	/* each list its own link */
	char lists[sizeof s->lists];
	snprintf(lists, sizeof lists, "%s", s->lists);
	int nz = 0;
	for (char *save = NULL, *z = strtok_r(lists, " ", &save); z; z = strtok_r(NULL, " ", &save)) {
		struct admin_link l = { .list = z, .from_day = -1, .to_day = -1 };
		admin_link_build(href, sizeof href, "/admin/submissions", &l);
		snprintf(k, sizeof k, "%s.lists.%d.zone", key, nz);
		view_set(v, k, z);
		snprintf(k, sizeof k, "%s.lists.%d.href", key, nz);
		view_set(v, k, href);
		nz++;
	}
#undef SET
#undef SETI
	return 0;
}

static void send_list(struct request *req, struct filters *fl)
{
	struct view *v = page_view_begin(req, "Submissions", "admin");
	if (v == NULL)
		return;
	form_values(req, v, fl);
	if (fl->bad != FIELD__MAX) {
		char key[64];
		view_set(v, "subs.error.field", field_name(fl->bad));
		view_set(v, "subs.error.message", fl->message);
		snprintf(key, sizeof key, "form.errors.%s", field_name(fl->bad));
		view_set(v, key, fl->message);
		http_send_page(req, 422, PAGE_SUBMISSIONS, v);
		view_free(v);
		return;
	}
	long long total = 0;
	struct list_fill lf = { v, req->app->explain, 0 };
	long long pages = 1;
	int more = 0;
	enum perr rc = store_admin_submissions(req->app->store, &fl->f, (fl->page - 1) * SUBMISSIONS_PER_PAGE,
					       SUBMISSIONS_PER_PAGE, add_row, &lf);
	if (rc == PERR_OK && fl->page == 1 && lf.n < SUBMISSIONS_PER_PAGE) {
		total = lf.n;      /* one short page is all there is: no count needed */
	} else if (rc == PERR_OK) {
		rc = store_admin_count(req->app->store, &fl->f, SUBMISSIONS_COUNT_CAP, &total);
		more = total == SUBMISSIONS_COUNT_CAP;   /* "that many or more" */
	}
	if (rc == PERR_OK)
		pages = total > 0 ? (total + SUBMISSIONS_PER_PAGE - 1) / SUBMISSIONS_PER_PAGE : 1;
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, req->ref, "submissions: %s", perr_str(rc));
		view_free(v);
		http_send_error(req, 500);
		return;
	}
	char href[ADMIN_LINK_MAX];
	view_set_int(v, "subs.total", total);
	view_set_int(v, "subs.more", more);
	view_set_int(v, "subs.count", lf.n);
	view_set_int(v, "subs.page", fl->page);
	view_set_int(v, "subs.pages", pages);
	view_set_int(v, "subs.first", total ? (fl->page - 1) * SUBMISSIONS_PER_PAGE + 1 : 0);
	view_set_int(v, "subs.last", (fl->page - 1) * SUBMISSIONS_PER_PAGE + lf.n);
	if (fl->page > 1) {
		filters_link(fl, "/admin/submissions", fl->page - 1 > pages ? pages : fl->page - 1,
			     href, sizeof href);
		view_set(v, "subs.prev", href);
	}
	if (fl->page < pages || (more && lf.n == SUBMISSIONS_PER_PAGE)) {
		filters_link(fl, "/admin/submissions", fl->page + 1, href, sizeof href);
		view_set(v, "subs.next", href);
	}
	filters_link(fl, "/admin/submissions.csv", 0, href, sizeof href);
	view_set(v, "subs.csv", href);
	http_send_page(req, 200, PAGE_SUBMISSIONS, v);
	view_free(v);
}

/* --- CSV --- */

struct csv_out {
	struct request *req;
	struct csv c;
	int gone;                         /* the client went away: stop */
};

static int flush(struct csv_out *o)
{
	if (o->c.len > 0 && !o->gone && http_write(o->req, o->c.buf, o->c.len) != 0)
		o->gone = 1;
	csv_clear(&o->c);
	return o->gone || o->c.err != PERR_OK;
}

static int add_csv_row(void *ctx, const struct admin_submission *s)
{
	struct csv_out *o = ctx;
	char when[32], url[80];
	time_t t = (time_t)s->created;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(when, sizeof when, "%lld", s->created);
	snprintf(url, sizeof url, "/r/%s", s->token);
	csv_cell(&o->c, when);
	csv_cell(&o->c, s->token);
	csv_cell(&o->c, url);
	csv_cell(&o->c, s->source);
	csv_cell(&o->c, s->ticket);
	csv_cell(&o->c, s->ip);
	csv_cell_int(&o->c, s->ip_is_ours);
	csv_cell(&o->c, s->verdict);
	csv_cell(&o->c, s->category);
	csv_cell(&o->c, s->provider);
	csv_cell(&o->c, s->code);
	csv_cell(&o->c, s->cause);
	csv_cell_int(&o->c, s->listed);
	csv_cell(&o->c, s->lists);
	csv_row_end(&o->c);
	return o->c.len >= CSV_FLUSH_BYTES ? flush(o) : o->c.err != PERR_OK;
}

static void send_csv(struct request *req, struct filters *fl)
{
	if (fl->bad != FIELD__MAX) {
		/* names the filter; the value is never echoed */
		char body[256];
		int n = snprintf(body, sizeof body, "invalid filter \"%s\": %s\n", field_name(fl->bad), fl->message);
		http_send(req, 422, "text/plain; charset=utf-8", NULL, body, (size_t)n);
		return;
	}
	static const char *const header[] = {
		"created", "token", "report", "source", "ticket", "ip", "ip_is_ours", "verdict",
		"category", "provider", "provider_code", "cause", "lists_listed", "lists",
	};
	struct csv_out o;
	memset(&o, 0, sizeof o);
	o.req = req;
	char day[16], extra[160];
	admin_day_text((long long)time(NULL) / SECONDS_PER_DAY, day, sizeof day);
	snprintf(extra, sizeof extra, "Content-Disposition: attachment; filename=\"submissions-%s.csv\"\r\n", day);
	http_send_head(req, 200, "text/csv; charset=utf-8; header=present", extra);
	for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
		csv_cell(&o.c, header[i]);
	csv_row_end(&o.c);
	if (req->method != HTTP_HEAD) {
		enum perr rc = store_admin_submissions(req->app->store, &fl->f, 0, -1, add_csv_row, &o);
		if (rc != PERR_OK || o.c.err != PERR_OK)
			/* the head is out: all we can do is end early and log it */
			log_event(LOG_ERROR, req->ref, "submissions csv: %s",
				  perr_str(rc != PERR_OK ? rc : o.c.err));
		flush(&o);
	}
	csv_free(&o.c);
}

void page_submissions(struct request *req)
{
	if (!session_is_admin(req)) {
		http_send_error(req, 404);
		return;
	}
	struct filters fl;
	read_filters(req, &fl);
	send_list(req, &fl);
}

void page_submissions_csv(struct request *req)
{
	if (!session_is_admin(req)) {
		http_send_error(req, 404);
		return;
	}
	struct filters fl;
	read_filters(req, &fl);
	send_csv(req, &fl);
}
