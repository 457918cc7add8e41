#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bounce/bounce.h"
#include "check.h"
#include "core/config.h"
#include "core/ipaddr.h"
#include "core/limits.h"
#include "core/time_span.h"
#include "core/token.h"
#include "dnsbl/dnsbl.h"
#include "explain/explain.h"

#define MAX_ZONES 64

int check_ip_is_ours(const char *outgoing_ips, const char *ip)
{
	struct ipaddr want, have;
	const char *why;
	if (ip == NULL || ipaddr_parse(ip, strlen(ip), &want, &why) != PERR_OK)
		return 0;
	char buf[CONFIG_LIST_MAX];
	snprintf(buf, sizeof buf, "%s", outgoing_ips ? outgoing_ips : "");
	char *save = NULL;
	for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save))
		if (ipaddr_parse(t, strlen(t), &have, &why) == PERR_OK && have.family == want.family &&
		    memcmp(have.b, want.b, sizeof have.b) == 0)
			return 1;
	return 0;
}

/* Counts one check for key; 1 when the count is now over limit. */
static int over(struct store *st, const char *key, unsigned limit, long long minute)
{
	unsigned count = 0;
	if (store_check_rate_hit(st, key, minute, &count) != PERR_OK)
		return 0;   /* never lock customers out because the counter failed */
	return count > limit;
}

int check_rate_wait(struct store *st, const char *client, unsigned limit, unsigned global_limit, long long now)
{
	long long minute = now / SECONDS_PER_MINUTE;
	int wait = (int)(SECONDS_PER_MINUTE - now % SECONDS_PER_MINUTE);
	/* finest first; a check refused by one counter is not counted by the
	 * coarser ones, so one noisy line cannot use up its neighbours' share */
	if (limit > 0) {
		/* an attacker cannot spread checks over the addresses of one line */
		struct ipaddr ip;
		char line[IPADDR_STR_LEN + 8], site[IPADDR_STR_LEN + 8];
		if (ipaddr_parse(client, strlen(client), &ip, NULL) == PERR_OK &&
		    ipaddr_network(&ip, 64, line, sizeof line) > 0) {
			if (over(st, line, limit, minute))
				return wait;
			if (strchr(line, '/') != NULL && ipaddr_network(&ip, 48, site, sizeof site) > 0 &&
			    over(st, site, limit * CHECK_RATE_SITE_FACTOR, minute))
				return wait;
		} else if (over(st, client, limit, minute)) {
			return wait;
		}
	}
	return global_limit > 0 && over(st, "*", global_limit, minute) ? wait : 0;
}

int check_is_holder(const struct report_stored *r, long long user_id, const char *holder_secret)
{
	if (user_id && r->user_id == user_id)
		return 1;
	if (!r->has_holder || holder_secret == NULL)
		return 0;
	uint8_t h[TOKEN_SHA256_BYTES];
	token_sha256(holder_secret, h);
	return token_equal(h, r->holder_hash, sizeof h);
}

/* The analyzer-shaped part of a report for a bare IP check. */
static json_t *ip_only_analysis(void)
{
	return json_pack("{s:b, s:s, s:n, s:s, s:n, s:[], s:n, s:n, s:n, s:n, s:[]}",
			 "blacklist", 0, "category", "other", "sending_ip", "provider", "other",
			 "provider_code", "lists", "smtp_code", "status", "recipient", "diagnostic",
			 "evidence");
}

/* The analysis: reused from an earlier report, from the bounce, or empty. */
static enum perr analyse(const struct check_env *env, const struct check_input *in, json_t **out)
{
	if (in->analysis) {
		*out = json_deep_copy(in->analysis);
		return *out ? PERR_OK : PERR_NOMEM;
	}
	if (in->bounce == NULL) {
		*out = ip_only_analysis();
		return *out ? PERR_OK : PERR_NOMEM;
	}
	struct bounce_result r;
	enum perr rc = bounce_analyze_ours(env->bounce, in->bounce, in->bounce_len, env->bounce_limit,
					   env->outgoing_servers, &r);
	if (rc != PERR_OK)
		return rc;
	*out = bounce_result_to_json(&r);
	bounce_result_free(&r);
	if (*out == NULL)
		return PERR_NOMEM;
	/* privacy: keep the rejection line, never more than a few lines */
	const char *d = json_string_value(json_object_get(*out, "diagnostic"));
	if (d && strlen(d) > LIMIT_DIAGNOSTIC_BYTES) {
		char cut[LIMIT_DIAGNOSTIC_BYTES + 1];
		size_t n = LIMIT_DIAGNOSTIC_BYTES;
		while (n > 0 && ((unsigned char)d[n] & 0xc0) == 0x80)
			n--;   /* do not split a UTF-8 sequence */
		memcpy(cut, d, n);
		cut[n] = '\0';
		json_object_set_new(*out, "diagnostic", json_string(cut));
	}
	return PERR_OK;
}

/* Catalogue texts that only matter for a listing (how long it lasts, where
 * to look it up) are dropped from the other rows: the snapshot stays small
 * and the contract fields (zone, status, codes, meaning, txt, ttl, ms,
 * delist_url) stay in every row. */
static void trim_unlisted(json_t *checks)
{
	size_t i;
	json_t *c;
	json_array_foreach(checks, i, c) {
		const char *st = json_string_value(json_object_get(c, "status"));
		if (st && strcmp(st, "listed") != 0) {
			json_object_del(c, "duration");
			json_object_del(c, "lookup_url");
			json_object_del(c, "self_service");
		}
	}
}

/* Runs the live check for ip and adds ip, sent, note, checks to doc. */
static enum perr live_check(const struct check_env *env, const char *ip, unsigned flags, json_t *doc)
{
	if (ip == NULL) {
		json_object_set_new(doc, "ip", json_null());
		json_object_set_new(doc, "sent", json_false());
		json_object_set_new(doc, "note", json_string(
			"the bounce does not name the sending server's address; enter it to check it"));
		json_object_set_new(doc, "checks", json_array());
		json_object_set_new(doc, "ip_is_ours", json_false());
		return PERR_OK;
	}
	struct dnsbl_report *rep = NULL;
	enum perr rc = dnsbl_check(env->dnsbl, ip, flags, &rep);
	if (rc != PERR_OK)
		return rc;
	json_t *checks = dnsbl_results_to_json(rep);
	trim_unlisted(checks);
	if (checks == NULL ||
	    json_object_set_new(doc, "ip", json_string(rep->ip)) ||
	    json_object_set_new(doc, "sent", json_boolean(rep->sent)) ||
	    json_object_set_new(doc, "note", rep->note[0] ? json_string(rep->note) : json_null()) ||
	    json_object_set_new(doc, "check_ms", json_integer(rep->ms)) ||
	    json_object_set_new(doc, "checks", checks) ||
	    json_object_set_new(doc, "ip_is_ours", json_boolean(check_ip_is_ours(env->outgoing_ips, rep->ip))))
		rc = PERR_NOMEM;
	dnsbl_report_free(rep);
	return rc;
}

/* The string at key of doc, or NULL (borrowed from doc). */
static const char *jstr(json_t *doc, const char *key)
{
	return json_string_value(json_object_get(doc, key));
}

/* Stores doc (recipient already taken out) as a report. */
static enum perr store_doc(const struct check_env *env, const struct check_input *in, json_t *doc,
			   const char *recipient, const char *token, long long created)
{
	const char *named[MAX_ZONES], *live[MAX_ZONES];
	size_t nnamed = 0, nlive = 0, i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "lists"), i, v)
		if (json_is_string(v) && nnamed < MAX_ZONES)
			named[nnamed++] = json_string_value(v);
	json_array_foreach(json_object_get(doc, "checks"), i, v) {
		const char *st = jstr(v, "status");
		if (st && !strcmp(st, "listed") && nlive < MAX_ZONES)
			live[nlive++] = jstr(v, "zone");
	}
	char *text = json_dumps(doc, JSON_COMPACT);
	if (text == NULL)
		return PERR_NOMEM;
	json_t *smtp = json_object_get(doc, "provider_code");
	struct report_row row = {
		.token = token,
		.created = created,
		.source = in->source,
		.ticket = in->ticket,
		.previous_id = in->previous_id,
		.user_id = in->user_id,
		.holder_hash = in->user_id ? NULL : in->holder_hash,
		.ip = jstr(doc, "ip"),
		.ip_is_ours = json_is_true(json_object_get(doc, "ip_is_ours")),
		.blacklist = json_is_true(json_object_get(doc, "blacklist")),
		.category = jstr(doc, "category"),
		.verdict = jstr(doc, "verdict"),
		.provider = jstr(doc, "provider"),
		.provider_code = json_string_value(smtp),
		.cause = jstr(doc, "cause"),
		.listed = (int)nlive,
		.recipient = recipient,
		.doc = text,
		.zones_named = named, .nnamed = nnamed,
		.zones_live = live, .nlive = nlive,
	};
	enum perr rc = store_report_insert(env->store, &row, NULL);
	free(text);
	return rc;
}

enum perr check_prepare(const struct check_env *env, const struct check_input *in, json_t **doc,
			char ip[CHECK_IP_MAX])
{
	*doc = NULL;
	ip[0] = '\0';
	enum perr rc = analyse(env, in, doc);
	if (rc != PERR_OK)
		return rc;
	/* the address to check: a re-check repeats the earlier one; else what
	 * the customer typed wins over what the bounce names */
	const char *a = in->analysis ? jstr(in->analysis, "ip") : in->ip ? in->ip : jstr(*doc, "sending_ip");
	const char *input = in->analysis ? jstr(in->analysis, "input") : in->bounce ? "bounce" : "ip";
	if (a)
		snprintf(ip, CHECK_IP_MAX, "%s", a);
	json_object_set_new(*doc, "input", json_string(input && !strcmp(input, "bounce") ? "bounce" : "ip"));
	/* a re-check keeps the name the address came from */
	const char *host = in->analysis ? jstr(in->analysis, "host") : in->host;
	if (host)
		json_object_set_new(*doc, "host", json_string(host));
	return PERR_OK;
}

enum perr check_finish(const struct check_env *env, const struct check_input *in, json_t *doc, const char *ip,
		       const char *token, json_t **out)
{
	*out = NULL;
	enum perr rc;
	if ((rc = live_check(env, ip && ip[0] ? ip : NULL, in->dns_flags, doc)) != PERR_OK)
		goto fail;
	if ((rc = explain_report(env->explain, env->catalogue, doc)) != PERR_OK)
		goto fail;

	char recipient[512] = "";
	const char *r = jstr(doc, "recipient");
	if (r)
		snprintf(recipient, sizeof recipient, "%s", r);
	json_object_del(doc, "recipient");   /* kept apart: shown to the holder only */

	long long created = (long long)time(NULL);
	json_object_set_new(doc, "token", json_string(token));
	json_object_set_new(doc, "created", json_integer(created));
	json_object_set_new(doc, "ticket", in->ticket ? json_string(in->ticket) : json_null());
	json_object_set_new(doc, "source", json_string(in->source));
	if ((rc = store_doc(env, in, doc, recipient[0] ? recipient : NULL, token, created)) != PERR_OK)
		goto fail;
	/* the caller made this report, so it is its holder */
	json_object_set_new(doc, "recipient", recipient[0] ? json_string(recipient) : json_null());
	*out = doc;
	return PERR_OK;
fail:
	json_decref(doc);
	return rc;
}

enum perr check_run(const struct check_env *env, const struct check_input *in, json_t **out,
		    char token[REPORT_TOKEN_CHARS + 1])
{
	*out = NULL;
	json_t *doc = NULL;
	char ip[CHECK_IP_MAX];
	enum perr rc = check_prepare(env, in, &doc, ip);
	if (rc != PERR_OK)
		return rc;
	if ((rc = token_random(token, REPORT_TOKEN_CHARS + 1, REPORT_TOKEN_BYTES)) != PERR_OK) {
		json_decref(doc);
		return rc;
	}
	return check_finish(env, in, doc, ip, token, out);
}
