/* The JSON form of a bounce result (DESIGN §4 field names). */
#include "bounce.h"

/* A JSON string, or null for a NULL pointer. Result strings are valid
 * UTF-8 by construction, so json_string() only fails on ENOMEM. */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *bounce_result_to_json(const struct bounce_result *r)
{
	json_t *o = json_object();
	json_t *lists = json_array();
	json_t *ev = json_array();
	if (o == NULL || lists == NULL || ev == NULL)
		goto fail;
	for (size_t i = 0; i < r->nlists; i++)
		if (json_array_append_new(lists, json_string(r->lists[i])) != 0)
			goto fail;
	for (size_t i = 0; i < r->nevidence; i++)
		if (json_array_append_new(ev, json_string(r->evidence[i])) != 0)
			goto fail;
	int rc = 0;
	rc |= json_object_set_new(o, "blacklist", json_boolean(r->blacklist));
	rc |= json_object_set_new(o, "category", json_string(bounce_category_str(r->category)));
	rc |= json_object_set_new(o, "sending_ip", str_or_null(r->sending_ip));
	rc |= json_object_set_new(o, "provider", json_string(bounce_provider_str(r->provider)));
	rc |= json_object_set_new(o, "provider_code", str_or_null(r->provider_code));
	rc |= json_object_set_new(o, "provider_code_meaning", str_or_null(r->provider_code_meaning));
	rc |= json_object_set_new(o, "advice", str_or_null(r->advice));
	rc |= json_object_set_new(o, "lists", lists);
	lists = NULL;
	rc |= json_object_set_new(o, "smtp_code", r->smtp_code ? json_integer(r->smtp_code) : json_null());
	rc |= json_object_set_new(o, "status", str_or_null(r->status));
	rc |= json_object_set_new(o, "recipient", str_or_null(r->recipient));
	rc |= json_object_set_new(o, "diagnostic", str_or_null(r->diagnostic));
	rc |= json_object_set_new(o, "evidence", ev);
	ev = NULL;
	if (rc != 0)
		goto fail;
	return o;
fail:
	json_decref(o);
	json_decref(lists);
	json_decref(ev);
	return NULL;
}
