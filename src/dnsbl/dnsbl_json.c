/* JSON output of the checker: blcheck's "results" array, a report, and
 * the lists' health. */
#include <jansson.h>
#include <string.h>
#include <stdio.h>

#include "internal/dnsbl_internal.h"

/* json_object_set_new that reports failure (NULL values included). */
static int set(json_t *o, const char *k, json_t *v)
{
	return v == NULL || json_object_set_new(o, k, v) != 0 ? -1 : 0;
}

/* One result as a JSON object; NULL on allocation failure. */
static json_t *result_json(const struct dnsbl_result *res)
{
	json_t *o = json_object(), *codes = json_array();
	if (o == NULL || codes == NULL)
		goto fail;
	for (size_t i = 0; i < res->ncodes; i++) {
		char c[20];
		dnsbl_code_text(res->codes[i], c, sizeof c);
		if (json_array_append_new(codes, json_string(c)) != 0)
			goto fail;
	}
	const struct dnsbl_list *l = res->list;
	if (set(o, "zone", json_string(l->zone)) || set(o, "status", json_string(dnsbl_status_str(res->status))) ||
	    set(o, "codes", codes) ||
	    set(o, "meaning", json_string(res->meaning)) || set(o, "txt", json_string(res->txt)) ||
	    set(o, "ttl", json_integer(res->ttl)) || set(o, "ms", json_integer(res->ms)) ||
	    set(o, "delist_url", json_string(res->delist_url)) ||
	    set(o, "name", json_string(l->name)) ||
	    set(o, "severity", json_string(dnsbl_severity_str(res->severity))) ||
	    set(o, "policy", json_boolean(res->policy)) || set(o, "cached", json_boolean(res->cached)) ||
	    set(o, "lookup_url", json_string(res->lookup_url)) ||
	    set(o, "duration", json_string(l->duration)) ||
	    set(o, "self_service", json_boolean(res->status == DNSBL_LISTED ? res->self_service
										  : l->self_service))) {
		json_decref(o);
		return NULL;
	}
	return o;
fail:
	json_decref(codes);
	json_decref(o);
	return NULL;
}

json_t *dnsbl_results_to_json(const struct dnsbl_report *r)
{
	json_t *a = json_array();
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < r->n; i++)
		if (json_array_append_new(a, result_json(&r->results[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *dnsbl_report_to_json(const struct dnsbl_report *r)
{
	json_t *o = json_object();
	if (o == NULL || set(o, "ip", json_string(r->ip)) || set(o, "results", dnsbl_results_to_json(r)) ||
	    (r->note[0] && set(o, "note", json_string(r->note)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *dnsbl_health_to_json(const struct dnsbl_checker *chk)
{
	json_t *a = json_array();
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < chk->nlists; i++) {
		for (int family = 4; family <= 6; family += 2) {
			if (family == 6 && !chk->lists[i]->ipv6)
				continue;
			char detail[DNSBL_DETAIL_MAX];
			int64_t at;
			int h = dnsbl_health(chk, i, family, detail, sizeof detail, &at);
			const char *status = h == HEALTH_OK ? "ok" : h == HEALTH_BAD ? "untrusted" : "unknown";
			/* live failures outrank an old good self-test: the list is
			 * not asked until the back-off ends */
			int64_t until = 0;
			if (dnsbl_backoff_state(chk, i, family, detail, sizeof detail, &until))
				status = "skipped";
			json_t *o = json_object();
			if (o == NULL || set(o, "zone", json_string(chk->lists[i]->zone)) ||
			    set(o, "family", json_integer(family)) || set(o, "status", json_string(status)) ||
			    set(o, "detail", json_string(detail)) || set(o, "checked_at", json_integer(at)) ||
			    (strcmp(status, "skipped") == 0 && set(o, "skipped_until", json_integer(until))) ||
			    json_array_append_new(a, o) != 0) {
				json_decref(a);
				return NULL;
			}
		}
	}
	return a;
}
