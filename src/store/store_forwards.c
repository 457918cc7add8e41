/* Domains, mailboxes, forwards, audit: typed queries, every value bound. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accounts/knowledge_isp.h"
#include "store_forwards.h"
#include "internal/store_internal.h"

#define ROW_COLUMNS \
	"f.id, f.mailbox_id, d.customer_id, c.name, m.address, f.destination, " \
	"f.active, m.keep_copy, f.changed "
#define ROW_FROM \
	"FROM forwards f JOIN mailboxes m ON m.id = f.mailbox_id " \
	"JOIN domains d ON d.id = m.domain_id JOIN customers c ON c.id = d.customer_id "

static void fill_row(sqlite3_stmt *s, struct fwd_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->mailbox_id = sqlite3_column_int64(s, 1);
	r->customer_id = sqlite3_column_int64(s, 2);
	store_col_text(s, 3, r->customer, sizeof r->customer);
	store_col_text(s, 4, r->address, sizeof r->address);
	store_col_text(s, 5, r->destination, sizeof r->destination);
	r->active = sqlite3_column_int(s, 6);
	r->keep_copy = sqlite3_column_int(s, 7);
	r->changed = sqlite3_column_int64(s, 8);
}

enum perr store_domain_owner(struct store *st, const char *domain, long long *customer_id,
			     long long *domain_id)
{
	static const char sql[] = "SELECT id, customer_id FROM domains WHERE name = lower(?1)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, domain);
	int rc = sqlite3_step(s);
	enum perr out = PERR_NOT_FOUND;
	if (rc == SQLITE_ROW) {
		if (domain_id)
			*domain_id = sqlite3_column_int64(s, 0);
		if (customer_id)
			*customer_id = sqlite3_column_int64(s, 1);
		out = PERR_OK;
	} else if (rc != SQLITE_DONE) {
		out = store_fail(st, "domain owner");
	}
	sqlite3_reset(s);
	return out;
}

enum perr store_domain_add(struct store *st, const char *domain, long long customer_id, long long *id)
{
	static const char sql[] = "INSERT INTO domains(customer_id, name) VALUES (?1, ?2)";
	char name[FWD_ADDR_MAX + 1];
	if (domain == NULL || strlen(domain) >= sizeof name || customer_id <= 0)
		return PERR_INVALID;
	snprintf(name, sizeof name, "%s", domain);
	forwards_lower(name);
	if (!forwards_domain_ok(name))
		return PERR_INVALID;
	long long owner = 0, did = 0;
	enum perr rc = store_domain_owner(st, name, &owner, &did);
	if (rc == PERR_OK) {
		if (owner != customer_id)
			return PERR_DENIED;
		if (id)
			*id = did;
		return PERR_OK;
	}
	if (rc != PERR_NOT_FOUND)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, customer_id);
	store_bind_text(s, 2, name);
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return store_fail(st, "domain insert");
	if (id)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return PERR_OK;
}

enum perr store_forwards_list(struct store *st, long long customer_id, fwd_row_cb cb, void *ctx)
{
	static const char sql[] =
		"SELECT " ROW_COLUMNS ROW_FROM
		"WHERE ?1 = 0 OR d.customer_id = ?1 "
		"ORDER BY c.name, m.address, f.destination";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, customer_id);
	enum perr out = PERR_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct fwd_row r;
		fill_row(s, &r);
		if (cb(ctx, &r) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		out = store_fail(st, "forwards list");
	sqlite3_reset(s);
	return out;
}

enum perr store_forward_get(struct store *st, long long customer_id, long long forward_id,
			    struct fwd_row *out)
{
	static const char sql[] =
		"SELECT " ROW_COLUMNS ROW_FROM "WHERE f.id = ?1 AND d.customer_id = ?2";
	if (customer_id <= 0 || forward_id <= 0)
		return PERR_NOT_FOUND;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, forward_id);
	sqlite3_bind_int64(s, 2, customer_id);
	int rc = sqlite3_step(s);
	enum perr res = PERR_NOT_FOUND;
	if (rc == SQLITE_ROW) {
		fill_row(s, out);
		res = PERR_OK;
	} else if (rc != SQLITE_DONE) {
		res = store_fail(st, "forward get");
	}
	sqlite3_reset(s);
	return res;
}

static enum perr audit_add(struct store *st, long long customer_id, long long forward_id,
			   const struct fwd_actor *who, const char *action, const char *detail)
{
	static const char sql[] =
		"INSERT INTO forward_audit(customer_id, forward_id, user_id, actor, action, detail, client, at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, customer_id);
	if (forward_id > 0)
		sqlite3_bind_int64(s, 2, forward_id);
	else
		sqlite3_bind_null(s, 2);
	if (who && who->user_id > 0)
		sqlite3_bind_int64(s, 3, who->user_id);
	else
		sqlite3_bind_null(s, 3);
	store_bind_text(s, 4, who && who->login ? who->login : "unknown");
	store_bind_text(s, 5, action);
	store_bind_text(s, 6, detail);
	store_bind_text(s, 7, who && who->client ? who->client : "unknown");
	sqlite3_bind_int64(s, 8, (long long)time(NULL));
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, "audit insert");
}

enum perr store_forward_set_active(struct store *st, long long customer_id, long long forward_id,
				   int active, const struct fwd_actor *who, struct fwd_row *out,
				   int *changed)
{
	static const char upd[] = "UPDATE forwards SET active = ?1, changed = ?2 WHERE id = ?3";
	struct fwd_row row;
	if (changed)
		*changed = 0;
	active = active ? 1 : 0;
	enum perr rc = store_begin(st);
	if (rc != PERR_OK)
		return rc;
	if ((rc = store_forward_get(st, customer_id, forward_id, &row)) != PERR_OK)
		goto fail;
	if (row.active != active) {
		long long now = (long long)time(NULL);
		sqlite3_stmt *s = store_stmt(st, upd);
		if (s == NULL) {
			rc = PERR_DB;
			goto fail;
		}
		sqlite3_bind_int(s, 1, active);
		sqlite3_bind_int64(s, 2, now);
		sqlite3_bind_int64(s, 3, row.id);
		int step = sqlite3_step(s);
		sqlite3_reset(s);
		if (step != SQLITE_DONE) {
			rc = store_fail(st, "forward update");
			goto fail;
		}
		char detail[FWD_AUDIT_DETAIL_MAX];
		snprintf(detail, sizeof detail, "%s -> %s", row.address, row.destination);
		if ((rc = audit_add(st, row.customer_id, row.id, who, active ? "on" : "off", detail)) != PERR_OK)
			goto fail;
		row.active = active;
		row.changed = now;
		if (changed)
			*changed = 1;
		if ((rc = store_postfix_refresh(st)) != PERR_OK)
			goto fail;
	}
	if ((rc = store_commit(st)) != PERR_OK)
		goto fail;
	if (out)
		*out = row;
	return PERR_OK;
fail:
	store_rollback(st);
	return rc;
}

static void import_error(struct fwd_error *err, unsigned line, const char *msg, const char *what)
{
	if (err == NULL)
		return;
	err->line = line;
	snprintf(err->message, sizeof err->message, "line %u: %.100s%.120s", line, msg, what ? what : "");
}

/* One entry: the mailbox (upserted) and its destinations. */
static enum perr import_entry(struct store *st, const struct fwd_entry *e, const struct fwd_actor *who,
			      struct fwd_import_stats *stats, struct fwd_error *err)
{
	static const char mbox_sel[] = "SELECT id FROM mailboxes WHERE address = ?1";
	static const char mbox_ins[] =
		"INSERT INTO mailboxes(domain_id, address, keep_copy) VALUES (?1, ?2, ?3)";
	static const char mbox_copy[] = "UPDATE mailboxes SET keep_copy = ?2 WHERE id = ?1";
	static const char fwd_ins[] =
		"INSERT INTO forwards(mailbox_id, destination) VALUES (?1, ?2) "
		"ON CONFLICT(mailbox_id, destination) DO NOTHING";
	const char *at = strrchr(e->source, '@');
	long long customer = 0, domain = 0, mailbox = 0;
	enum perr rc = store_domain_owner(st, at ? at + 1 : "", &customer, &domain);
	if (rc == PERR_NOT_FOUND) {
		import_error(err, e->line, "the domain is not hosted here (add it with portalctl domain add): ",
			     at ? at + 1 : e->source);
		return PERR_INVALID;
	}
	if (rc != PERR_OK)
		return rc;

	sqlite3_stmt *s = store_stmt(st, mbox_sel);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, e->source);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		mailbox = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(st, "mailbox lookup");
	if (mailbox == 0) {
		if ((s = store_stmt(st, mbox_ins)) == NULL)
			return PERR_DB;
		sqlite3_bind_int64(s, 1, domain);
		store_bind_text(s, 2, e->source);
		sqlite3_bind_int(s, 3, e->keep_copy);
		step = sqlite3_step(s);
		sqlite3_reset(s);
		if (step != SQLITE_DONE)
			return store_fail(st, "mailbox insert");
		mailbox = sqlite3_last_insert_rowid(store_db(st));
		stats->mailboxes_added++;
	} else {
		if ((s = store_stmt(st, mbox_copy)) == NULL)
			return PERR_DB;
		sqlite3_bind_int64(s, 1, mailbox);
		sqlite3_bind_int(s, 2, e->keep_copy);
		step = sqlite3_step(s);
		sqlite3_reset(s);
		if (step != SQLITE_DONE)
			return store_fail(st, "mailbox update");
	}
	for (size_t i = 0; i < e->ndest; i++) {
		if ((s = store_stmt(st, fwd_ins)) == NULL)
			return PERR_DB;
		sqlite3_bind_int64(s, 1, mailbox);
		store_bind_text(s, 2, e->dest[i]);
		step = sqlite3_step(s);
		int added = sqlite3_changes(store_db(st)) == 1;
		sqlite3_reset(s);
		if (step != SQLITE_DONE)
			return store_fail(st, "forward insert");
		if (!added) {
			stats->forwards_kept++;
			continue;
		}
		long long fid = sqlite3_last_insert_rowid(store_db(st));
		char detail[FWD_AUDIT_DETAIL_MAX];
		snprintf(detail, sizeof detail, "%s -> %s", e->source, e->dest[i]);
		if ((rc = audit_add(st, customer, fid, who, "import", detail)) != PERR_OK)
			return rc;
		stats->forwards_added++;
	}
	return PERR_OK;
}

enum perr store_forwards_import(struct store *st, const struct fwd_map *map,
				const struct fwd_actor *who, struct fwd_import_stats *stats,
				struct fwd_error *err)
{
	struct fwd_import_stats local;
	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	if (err)
		memset(err, 0, sizeof *err);
	enum perr rc = store_begin(st);
	if (rc != PERR_OK)
		return rc;
	for (size_t i = 0; i < map->n; i++) {
		if ((rc = import_entry(st, &map->entries[i], who, stats, err)) != PERR_OK) {
			if (err && err->message[0] == '\0')
				import_error(err, map->entries[i].line, "the store refused this entry: ",
					     perr_str(rc));
			goto fail;
		}
	}
	if ((rc = store_postfix_refresh(st)) != PERR_OK)
		goto fail;
	if ((rc = store_commit(st)) != PERR_OK)
		goto fail;
	stats->entries = map->n;
	return PERR_OK;
fail:
	store_rollback(st);
	memset(stats, 0, sizeof *stats);
	return rc;
}

enum perr store_audit_list(struct store *st, long long customer_id, size_t limit,
			   fwd_audit_cb cb, void *ctx)
{
	static const char sql[] =
		"SELECT at, actor, action, detail, client FROM forward_audit "
		"WHERE ?1 = 0 OR customer_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, customer_id);
	sqlite3_bind_int64(s, 2, (long long)limit);
	enum perr out = PERR_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct fwd_audit_row a;
		memset(&a, 0, sizeof a);
		a.at = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, a.actor, sizeof a.actor);
		store_col_text(s, 2, a.action, sizeof a.action);
		store_col_text(s, 3, a.detail, sizeof a.detail);
		store_col_text(s, 4, a.client, sizeof a.client);
		if (cb(ctx, &a) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		out = store_fail(st, "audit list");
	sqlite3_reset(s);
	return out;
}

struct provider_count {
	const struct isp_catalogue *isp;
	const char *provider;
	size_t active, total;
};

static int count_provider(void *ctx, const struct fwd_row *r)
{
	struct provider_count *pc = ctx;
	if (isp_received_by(isp_lookup_address(pc->isp, r->destination), pc->provider)) {
		pc->total++;
		pc->active += r->active != 0;
	}
	return 0;
}

enum perr store_forwards_to_provider(struct store *st, const struct isp_catalogue *isp,
				     long long customer_id, const char *provider_id,
				     size_t *active, size_t *total)
{
	struct provider_count pc = { isp, provider_id, 0, 0 };
	if (active)
		*active = 0;
	if (total)
		*total = 0;
	if (customer_id <= 0 || provider_id == NULL || isp == NULL)
		return PERR_OK;
	enum perr rc = store_forwards_list(st, customer_id, count_provider, &pc);
	if (rc == PERR_OK) {
		if (active)
			*active = pc.active;
		if (total)
			*total = pc.total;
	}
	return rc;
}

enum perr store_audit_purge(struct store *st, long long before, long long *removed)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM forward_audit WHERE at < ?1");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, before);
	int rc = sqlite3_step(s);
	if (removed)
		*removed = sqlite3_changes(store_db(st));
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? PERR_OK : store_fail(st, "audit purge");
}
