/* The ingester: parse, join, analyse, store (maillog_run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bounce/bounce.h"
#include "core/log.h"
#include "core/servers.h"
#include "explain/explain.h"
#include "maillog.h"
#include "maillog_run.h"
#include "store/store_deliveries.h"

/* Rows written in one transaction before it is committed: one commit per
 * row would cost a WAL sync each. */
#define INGEST_BATCH 500

struct maillog_ingest {
	struct maillog_env env;
	struct maillog_joiner *join;
	struct maillog_counts n;
	int in_txn;
	unsigned pending;
	struct maillog_line line;       /* the line being read */
};

enum perr maillog_ingest_new(const struct maillog_env *env, struct maillog_ingest **out)
{
	*out = NULL;
	struct maillog_ingest *in = calloc(1, sizeof *in);
	if (in == NULL)
		return PERR_NOMEM;
	in->env = *env;
	enum perr rc = maillog_joiner_new(env->join_entries, &in->join);
	if (rc != PERR_OK) {
		free(in);
		return rc;
	}
	*out = in;
	return PERR_OK;
}

void maillog_ingest_free(struct maillog_ingest *in)
{
	if (in == NULL)
		return;
	maillog_ingest_flush(in);
	maillog_joiner_free(in->join);
	free(in);
}

enum perr maillog_ingest_flush(struct maillog_ingest *in)
{
	if (!in->in_txn)
		return PERR_OK;
	in->in_txn = 0;
	in->pending = 0;
	return store_commit(in->env.st);
}

/* The verdict of a delivery: the analyzer on its DSN text, then the
 * report's wording (verdict, sentence) with our server's IP as the one
 * refused. Fills r's analysis fields from res and doc (the caller frees
 * both). */
static enum perr analyse(struct maillog_ingest *in, const struct maillog_delivery *d, const char *ip,
			 struct bounce_result *res, json_t **doc)
{
	const struct maillog_line *l = d->to;
	char text[MAILLOG_REPLY_MAX + 1024];
	size_t n = maillog_dsn_text(l->host, l->addr, l->relay, l->dsn, maillog_status_str(l->status), l->reply,
				    text, sizeof text);
	enum perr rc = bounce_analyze(in->env.bounce, text, n, res);
	if (rc != PERR_OK)
		return rc;
	*doc = bounce_result_to_json(res);
	if (*doc == NULL)
		return PERR_NOMEM;
	const char *sip = res->sending_ip ? res->sending_ip : ip;
	json_object_set_new(*doc, "input", json_string("bounce"));
	json_object_set_new(*doc, "ip", json_string(sip ? sip : ""));
	json_object_set_new(*doc, "ip_is_ours", json_boolean(sip != NULL && ip != NULL && strcmp(sip, ip) == 0));
	json_object_set_new(*doc, "checks", json_array());
	/* a deferral is held back and retried, not refused for good: the
	 * explanation says so (explain.h, "deferred") */
	if (l->status == MAILLOG_ST_DEFERRED)
		json_object_set_new(*doc, "deferred", json_true());
	return in->env.explain ? explain_report(in->env.explain, NULL, *doc) : PERR_OK;
}

static const char *jstr(json_t *doc, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(doc, key));
	return s ? s : dflt;
}

/* Analyses and stores one kept delivery. */
static enum perr keep(struct maillog_ingest *in, const struct maillog_delivery *d)
{
	const struct maillog_line *l = d->to;
	const char *ip = outgoing_servers_find(in->env.servers, l->host);
	long long customer = 0;
	const char *at = strrchr(d->sender, '@');
	enum perr rc = at ? store_domain_customer(in->env.st, at + 1, &customer) : PERR_OK;
	if (rc != PERR_OK)
		return rc;
	struct bounce_result res;
	json_t *doc = NULL;
	if ((rc = analyse(in, d, ip, &res, &doc)) != PERR_OK) {
		json_decref(doc);
		return rc;
	}
	const char *sentence = jstr(doc, "sentence", "");
	struct delivery_row row = {
		.at = l->at, .server = l->host, .server_ip = ip, .queue_id = l->qid, .sender = d->sender,
		.customer_id = customer, .recipient = l->addr, .relay = l->relay, .dsn = l->dsn,
		.status = maillog_status_str(l->status), .reply = l->reply,
		.provider = bounce_provider_str(res.provider), .provider_code = res.provider_code,
		.category = bounce_category_str(res.category), .blacklist = res.blacklist,
		.verdict = jstr(doc, "verdict", res.blacklist ? "blacklist" : "unknown"),
		.sentence = sentence,
	};
	if (!in->in_txn) {
		if ((rc = store_begin(in->env.st)) != PERR_OK)
			goto out;
		in->in_txn = 1;
	}
	int inserted = 0;
	rc = store_delivery_insert(in->env.st, &row, &inserted);
	in->n.stored += inserted;
	in->n.duplicates += !inserted && rc == PERR_OK;
	if (rc == PERR_OK && ++in->pending >= INGEST_BATCH)
		rc = maillog_ingest_flush(in);
out:
	json_decref(doc);
	bounce_result_free(&res);
	return rc;
}

enum perr maillog_ingest_line(struct maillog_ingest *in, const char *line, size_t len)
{
	struct maillog_clock clk = { (long long)time(NULL), in->env.default_host };
	in->n.lines++;
	if (maillog_parse(line, len, &clk, &in->line) != PERR_OK) {
		in->n.malformed++;
		return PERR_OK;
	}
	struct maillog_delivery d;
	if (!maillog_join(in->join, &in->line, &d))
		return PERR_OK;
	in->n.deliveries++;
	return keep(in, &d);
}

void maillog_ingest_counts(const struct maillog_ingest *in, struct maillog_counts *c)
{
	struct maillog_join_stats js;
	maillog_join_stats(in->join, &js, NULL);
	*c = in->n;
	c->orphans = js.orphans;
	c->evicted = js.evicted;
}
