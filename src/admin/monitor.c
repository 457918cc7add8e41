/* One monitoring run over our outgoing servers: check, record, summarise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dnsbl/dnsbl.h"
#include "core/ipaddr.h"
#include "core/log.h"
#include "monitor.h"
#include "store/store.h"

enum perr monitor_parse_ips(const char *list, char (*ips)[MONITOR_IP_MAX], size_t max,
			    size_t *n, const char **bad)
{
	static char word[61];
	*n = 0;
	if (bad)
		*bad = NULL;
	const char *p = list ? list : "";
	while (*p) {
		p += strspn(p, ", \t\r\n");
		size_t len = strcspn(p, ", \t\r\n");
		if (len == 0)
			break;
		struct ipaddr a;
		if (len > IPADDR_TEXT_MAX || ipaddr_parse(p, len, &a, NULL) != PERR_OK) {
			snprintf(word, sizeof word, "%.*s", (int)(len < 60 ? len : 60), p);
			if (bad)
				*bad = word;
			return PERR_INVALID;
		}
		char text[MONITOR_IP_MAX];
		if (ipaddr_format(&a, text, sizeof text) == 0)
			return PERR_INTERNAL;
		int dup = 0;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = strcmp(ips[i], text) == 0;
		if (!dup) {
			if (*n == max)
				return PERR_TOO_LARGE;
			memcpy(ips[(*n)++], text, sizeof text);
		}
		p += len;
	}
	return PERR_OK;
}

/* "127.0.0.2,127.0.0.4" from a result's A answers. */
static void format_codes(const struct dnsbl_result *r, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->ncodes && off < len; i++) {
		uint32_t c = r->codes[i];
		int w = snprintf(buf + off, len - off, "%s%u.%u.%u.%u", i ? "," : "",
				 c >> 24, (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
		if (w < 0 || (size_t)w >= len - off)
			break;
		off += (size_t)w;
	}
}

static void notify(monitor_change_cb cb, void *ctx, const char *ip, const struct dnsbl_result *r,
		   enum monitor_event ev, long long since, const char *codes)
{
	if (cb == NULL)
		return;
	struct monitor_change c = {
		.ip = ip, .zone = r->list->zone, .list_name = r->list->name,
		.status = dnsbl_status_str(r->status), .event = ev, .since = since,
		.codes = codes, .txt = r->txt, .meaning = r->meaning, .duration = r->list->duration,
	};
	cb(ctx, &c);
}

/* Records one address's report; counts into sum. */
static enum perr record_report(struct store *st, const char *ip, const struct dnsbl_report *r,
			       long long now, monitor_change_cb cb, void *ctx,
			       struct monitor_summary *sum)
{
	if (!r->sent) {
		sum->unsent++;
		sum->unknown += sum->lists;
		if (cb != NULL) {
			struct monitor_change c = { .ip = ip, .zone = "", .list_name = "", .status = "unsent",
						    .meaning = r->note[0] ? r->note : "not sent to the lists" };
			cb(ctx, &c);
		}
		return PERR_OK;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct dnsbl_result *res = &r->results[i];
		char codes[MONITOR_CODES_MAX] = "";
		int listed = res->status == DNSBL_LISTED;
		if (listed)
			format_codes(res, codes, sizeof codes);
		struct monitor_answer a = {
			.ip = ip, .zone = res->list->zone, .status = dnsbl_status_str(res->status),
			.codes = codes, .txt = listed ? res->txt : "",
		};
		enum monitor_event ev;
		long long since = 0;
		enum perr rc = store_monitor_record(st, now, &a, &ev, &since);
		if (rc != PERR_OK)
			return rc;
		if (ev == MONITOR_LISTED)
			sum->opened++;
		else if (ev == MONITOR_CLEARED)
			sum->cleared++;
		if (res->status != DNSBL_LISTED && res->status != DNSBL_CLEAN)
			sum->unknown++;
		if (ev != MONITOR_NO_CHANGE || res->status != DNSBL_CLEAN)
			notify(cb, ctx, ip, res, ev, since, codes);
	}
	return PERR_OK;
}

enum perr monitor_run(struct store *st, struct dnsbl_checker *chk, const char *const *ips,
		      size_t n, long long now, monitor_change_cb cb, void *ctx,
		      struct monitor_summary *sum)
{
	memset(sum, 0, sizeof *sum);
	time_t t0 = time(NULL);
	const struct dnsbl_list *const *lists = NULL;
	sum->lists = (int)dnsbl_checker_lists(chk, &lists);
	snprintf(sum->status, sizeof sum->status, "incomplete");
	struct dnsbl_report **reports = calloc(n ? n : 1, sizeof *reports);
	if (reports == NULL)
		return PERR_NOMEM;
	/* Always ask the lists: a cached "listed" would hide a delisting. */
	enum perr rc = dnsbl_check_many(chk, ips, n, DNSBL_F_NOCACHE, reports);
	if (rc != PERR_OK)
		goto out;
	if ((rc = store_begin(st)) != PERR_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (reports[i] == NULL) {        /* monitor_parse_ips let it through: a bug */
			rc = PERR_INTERNAL;
			break;
		}
		sum->ips++;
		if ((rc = record_report(st, reports[i]->ip, reports[i], now, cb, ctx, sum)) != PERR_OK)
			break;
		struct monitor_listing open[64];
		size_t nopen = 0;
		if ((rc = store_monitor_current(st, reports[i]->ip, open, 64, &nopen)) != PERR_OK)
			break;
		sum->listed += (int)nopen;
	}
	if (rc == PERR_OK) {
		snprintf(sum->status, sizeof sum->status, "%s",
			 sum->listed > 0 ? "listed" : sum->unknown > 0 ? "incomplete" : "clean");
		struct monitor_run run = {
			.started = now, .finished = now + (long long)(time(NULL) - t0), .ips = sum->ips, .lists = sum->lists,
			.listed = sum->listed, .unknown = sum->unknown,
		};
		snprintf(run.status, sizeof run.status, "%s", sum->status);
		rc = store_monitor_run_add(st, &run);
	}
	if (rc == PERR_OK)
		rc = store_commit(st);
	if (rc != PERR_OK)
		store_rollback(st);
out:
	if (rc != PERR_OK)
		log_event(LOG_ERROR, NULL, "monitor run: %s", perr_str(rc));
	for (size_t i = 0; i < n; i++)
		dnsbl_report_free(reports[i]);
	free(reports);
	return rc;
}
