/* Deliveries from the mail logs in the store (store_deliveries.h). */
#include <string.h>

#include "internal/store_internal.h"
#include "store_deliveries.h"

enum perr store_delivery_insert(struct store *st, const struct delivery_row *r, int *inserted)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO deliveries(at, server, server_ip, queue_id, sender, customer_id, recipient,"
		" relay, dsn, status, reply, provider, provider_code, category, blacklist, verdict, sentence)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
	*inserted = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, r->at);
	store_bind_text(s, 2, r->server);
	store_bind_text(s, 3, r->server_ip);
	store_bind_text(s, 4, r->queue_id);
	store_bind_text(s, 5, r->sender);
	if (r->customer_id > 0)
		sqlite3_bind_int64(s, 6, r->customer_id);
	store_bind_text(s, 7, r->recipient);
	store_bind_text(s, 8, r->relay);
	store_bind_text(s, 9, r->dsn);
	store_bind_text(s, 10, r->status);
	store_bind_text(s, 11, r->reply);
	store_bind_text(s, 12, r->provider);
	store_bind_text(s, 13, r->provider_code);
	store_bind_text(s, 14, r->category);
	sqlite3_bind_int(s, 15, r->blacklist);
	store_bind_text(s, 16, r->verdict);
	store_bind_text(s, 17, r->sentence);
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return store_fail(st, "delivery insert");
	*inserted = sqlite3_changes(store_db(st)) > 0;
	return PERR_OK;
}

enum perr store_domain_customer(struct store *st, const char *domain, long long *customer_id)
{
	*customer_id = 0;
	sqlite3_stmt *s = store_stmt(st, "SELECT customer_id FROM domains WHERE name = ?1");
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, domain);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*customer_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return step == SQLITE_ROW || step == SQLITE_DONE ? PERR_OK : store_fail(st, "domain customer");
}

enum perr store_delivery_purge(struct store *st, long long before, long long *removed)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM deliveries WHERE at < ?1");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, before);
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return store_fail(st, "delivery purge");
	if (removed)
		*removed = sqlite3_changes(store_db(st));
	return PERR_OK;
}

/* Columns 0..19 of a listing row into *v. */
static void read_view(sqlite3_stmt *s, struct delivery_view *v)
{
	v->id = sqlite3_column_int64(s, 0);
	v->at = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, v->server, sizeof v->server);
	store_col_text(s, 3, v->server_ip, sizeof v->server_ip);
	store_col_text(s, 4, v->sender, sizeof v->sender);
	v->customer_id = sqlite3_column_int64(s, 5);
	store_col_text(s, 6, v->customer, sizeof v->customer);
	store_col_text(s, 7, v->recipient, sizeof v->recipient);
	store_col_text(s, 8, v->relay, sizeof v->relay);
	store_col_text(s, 9, v->dsn, sizeof v->dsn);
	store_col_text(s, 10, v->status, sizeof v->status);
	store_col_text(s, 11, v->reply, sizeof v->reply);
	store_col_text(s, 12, v->provider, sizeof v->provider);
	store_col_text(s, 13, v->provider_code, sizeof v->provider_code);
	store_col_text(s, 14, v->category, sizeof v->category);
	v->blacklist = sqlite3_column_int(s, 15);
	store_col_text(s, 16, v->verdict, sizeof v->verdict);
	store_col_text(s, 17, v->sentence, sizeof v->sentence);
}

enum perr store_delivery_list(struct store *st, long long customer_id, long long since, size_t limit,
			      delivery_cb cb, void *ctx)
{
	static const char sql[] =
		"SELECT d.id, d.at, d.server, d.server_ip, d.sender, d.customer_id, c.name, d.recipient, d.relay,"
		" d.dsn, d.status, d.reply, d.provider, d.provider_code, d.category, d.blacklist, d.verdict, d.sentence"
		" FROM deliveries d LEFT JOIN customers c ON c.id = d.customer_id"
		" WHERE d.at >= ?1 AND (?2 = 0 OR d.customer_id = ?2)"
		" ORDER BY d.provider = 'other', d.provider, d.at DESC, d.id DESC LIMIT ?3";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, customer_id);
	sqlite3_bind_int64(s, 3, (long long)limit);
	struct delivery_view v;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&v, 0, sizeof v);
		read_view(s, &v);
		if (cb(ctx, &v) != 0) {
			step = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "delivery list");
}

enum perr store_delivery_buckets(struct store *st, long long since, long long bucket_s,
				 delivery_bucket_cb cb, void *ctx)
{
	static const char sql[] =
		"SELECT provider, server, (at / ?2) * ?2 AS b, count(*) FROM deliveries"
		" WHERE at >= ?1 GROUP BY provider, server, b ORDER BY provider, server, b";
	if (bucket_s <= 0)
		return PERR_INVALID;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, bucket_s);
	struct delivery_bucket b;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_text(s, 0, b.provider, sizeof b.provider);
		store_col_text(s, 1, b.server, sizeof b.server);
		b.bucket = sqlite3_column_int64(s, 2);
		b.messages = sqlite3_column_int64(s, 3);
		if (cb(ctx, &b) != 0) {
			step = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "delivery buckets");
}

enum perr store_delivery_pairs(struct store *st, long long base_since, long long since,
			       delivery_pair_cb cb, void *ctx)
{
	static const char sql[] =
		"WITH r AS (SELECT * FROM deliveries WHERE at >= ?2 AND (status = 'bounced' OR blacklist = 1))"
		" SELECT provider, server, min(at), count(*), count(DISTINCT customer_id),"
		"  (SELECT provider_code FROM r r2 WHERE r2.provider = r.provider AND r2.server = r.server"
		"   AND provider_code IS NOT NULL GROUP BY provider_code ORDER BY count(*) DESC LIMIT 1),"
		"  (SELECT count(*) FROM deliveries b WHERE b.provider = r.provider AND b.server = r.server"
		"   AND b.at >= ?1 AND b.at < ?2 AND (b.status = 'bounced' OR b.blacklist = 1))"
		" FROM r GROUP BY provider, server ORDER BY count(*) DESC, provider, server";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, base_since);
	sqlite3_bind_int64(s, 2, since);
	struct delivery_pair p;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_text(s, 0, p.provider, sizeof p.provider);
		store_col_text(s, 1, p.server, sizeof p.server);
		p.first = sqlite3_column_int64(s, 2);
		p.messages = sqlite3_column_int64(s, 3);
		p.customers = sqlite3_column_int64(s, 4);
		store_col_text(s, 5, p.code, sizeof p.code);
		p.before = sqlite3_column_int64(s, 6);
		if (cb(ctx, &p) != 0) {
			step = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "delivery pairs");
}
