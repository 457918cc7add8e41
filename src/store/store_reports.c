/* Reports and check rate: typed queries over reports, report_lists, check_rate. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZLIB_CONST   /* next_in is const: inflate never writes its input */
#include <zlib.h>

#include "internal/store_internal.h"
#include "store_reports.h"
#include "core/time_span.h"

/* Report documents are stored deflated: 6-11 KB of JSON become 1-2 KB, so
 * a report fits in one page instead of spilling into overflow pages, which
 * is most of what an insert writes (bench/report.sh). Rows written as plain
 * JSON text (older databases, synthetic benchmark data) still read. */
#define DOC_MAX (1u << 20)

/* Deflates text into a new buffer. The stream is kept for the life of the
 * thread and reset per document: setting one up costs more than
 * compressing a report. One per thread: a worker's check threads store
 * reports at the same time. */
static _Thread_local z_stream deflater;
static _Thread_local int deflater_ready;

void store_reports_thread_end(void)
{
	if (deflater_ready)
		deflateEnd(&deflater);
	deflater_ready = 0;
}

static void *deflate_doc(const char *text, size_t *outlen)
{
	z_stream *zs = &deflater;
	if (!deflater_ready) {
		if (deflateInit(zs, 1) != Z_OK)
			return NULL;
		deflater_ready = 1;
	} else if (deflateReset(zs) != Z_OK) {
		return NULL;
	}
	size_t len = strlen(text);
	uLong cap = deflateBound(zs, (uLong)len);
	Bytef *buf = malloc(cap);
	if (buf == NULL)
		return NULL;
	zs->next_in = (const Bytef *)text;
	zs->avail_in = (uInt)len;
	zs->next_out = buf;
	zs->avail_out = (uInt)cap;
	if (deflate(zs, Z_FINISH) != Z_STREAM_END) {
		free(buf);
		return NULL;
	}
	*outlen = (size_t)zs->total_out;
	return buf;
}

/* The JSON text of a stored doc column (malloc'd), or NULL. */
static char *doc_text(sqlite3_stmt *s, int col)
{
	if (sqlite3_column_type(s, col) != SQLITE_BLOB) {
		const unsigned char *t = sqlite3_column_text(s, col);
		return strdup(t ? (const char *)t : "{}");
	}
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return NULL;
	z.next_in = sqlite3_column_blob(s, col);
	z.avail_in = (uInt)sqlite3_column_bytes(s, col);
	size_t cap = 16384, len = 0;
	char *out = malloc(cap);
	int rc = out ? Z_OK : Z_MEM_ERROR;
	while (rc == Z_OK) {
		if (cap - len < 2) {   /* full: double, up to DOC_MAX */
			char *bigger = cap < DOC_MAX ? realloc(out, cap * 2) : NULL;
			if (bigger == NULL) {
				rc = Z_MEM_ERROR;
				break;
			}
			out = bigger;
			cap *= 2;
		}
		z.next_out = (Bytef *)out + len;
		z.avail_out = (uInt)(cap - len - 1);
		rc = inflate(&z, Z_NO_FLUSH);
		len = cap - 1 - z.avail_out;
	}
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	out[len] = '\0';
	return out;
}

static void bind_opt_int(sqlite3_stmt *s, int i, long long v)
{
	if (v > 0)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static enum perr insert_lists(struct store *st, long long id, long long created,
			      const char *const *zones, size_t n, int live)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO report_lists(report_id, zone, created, live) VALUES (?1, ?2, ?3, ?4)";
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s = store_stmt(st, sql);
		if (s == NULL)
			return PERR_DB;
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, zones[i]);
		sqlite3_bind_int64(s, 3, created);
		sqlite3_bind_int(s, 4, live);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, "report list insert");
	}
	return PERR_OK;
}

enum perr store_report_insert(struct store *st, const struct report_row *r, long long *id)
{
	static const char sql[] =
		"INSERT INTO reports(token, created, day, source, ticket, previous_id, user_id, holder_hash,"
		" ip, ip_is_ours, blacklist, category, verdict, provider, provider_code, cause, listed,"
		" recipient, doc) VALUES (?1, ?2, ?2 / " TIME_SPAN_SQL(SECONDS_PER_DAY) ", ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" ?13, ?14, ?15, ?16, ?17, ?18)";
	enum perr rc = store_begin(st);
	if (rc != PERR_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL) {
		rc = PERR_DB;
		goto fail;
	}
	store_bind_text(s, 1, r->token);
	sqlite3_bind_int64(s, 2, r->created);
	store_bind_text(s, 3, r->source);
	store_bind_text(s, 4, r->ticket);
	bind_opt_int(s, 5, r->previous_id);
	bind_opt_int(s, 6, r->user_id);
	if (r->holder_hash)
		sqlite3_bind_blob(s, 7, r->holder_hash, 32, SQLITE_STATIC);
	store_bind_text(s, 8, r->ip);
	sqlite3_bind_int(s, 9, r->ip_is_ours);
	sqlite3_bind_int(s, 10, r->blacklist);
	store_bind_text(s, 11, r->category);
	store_bind_text(s, 12, r->verdict);
	store_bind_text(s, 13, r->provider);
	store_bind_text(s, 14, r->provider_code);
	store_bind_text(s, 15, r->cause);
	sqlite3_bind_int(s, 16, r->listed);
	store_bind_text(s, 17, r->recipient);
	size_t zlen = 0;
	void *z = deflate_doc(r->doc, &zlen);
	if (z == NULL) {
		rc = PERR_NOMEM;
		goto fail;
	}
	sqlite3_bind_blob(s, 18, z, (int)zlen, free);
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	if (step != SQLITE_DONE) {
		rc = store_fail(st, "report insert");
		goto fail;
	}
	long long rid = sqlite3_last_insert_rowid(store_db(st));
	if ((rc = insert_lists(st, rid, r->created, r->zones_named, r->nnamed, 0)) != PERR_OK ||
	    (rc = insert_lists(st, rid, r->created, r->zones_live, r->nlive, 1)) != PERR_OK)
		goto fail;
	if ((rc = store_commit(st)) != PERR_OK)
		goto fail;
	if (id)
		*id = rid;
	return PERR_OK;
fail:
	store_rollback(st);
	return rc;
}

enum perr store_report_get(struct store *st, const char *token, int want_doc, struct report_stored *out)
{
	static const char sql[] =
		"SELECT r.id, r.created, coalesce(r.previous_id, 0), coalesce(r.user_id, 0), r.holder_hash,"
		" coalesce(r.ticket, ''), coalesce(r.recipient, ''), r.doc,"
		" coalesce((SELECT p.token FROM reports p WHERE p.id = r.previous_id), ''),"
		" coalesce((SELECT n.token FROM reports n WHERE n.previous_id = r.id"
		"           ORDER BY n.id DESC LIMIT 1), ''),"
		" coalesce(r.ip, ''), r.ip_is_ours"
		" FROM reports r WHERE r.token = ?1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, token);
	enum perr rc = PERR_NOT_FOUND;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->created = sqlite3_column_int64(s, 1);
		out->previous_id = sqlite3_column_int64(s, 2);
		out->user_id = sqlite3_column_int64(s, 3);
		if (sqlite3_column_bytes(s, 4) == 32) {
			memcpy(out->holder_hash, sqlite3_column_blob(s, 4), 32);
			out->has_holder = 1;
		}
		store_col_text(s, 5, out->ticket, sizeof out->ticket);
		store_col_text(s, 6, out->recipient, sizeof out->recipient);
		out->doc = want_doc ? doc_text(s, 7) : NULL;
		store_col_text(s, 8, out->previous_token, sizeof out->previous_token);
		store_col_text(s, 9, out->newer_token, sizeof out->newer_token);
		store_col_text(s, 10, out->ip, sizeof out->ip);
		out->ip_is_ours = sqlite3_column_int(s, 11);
		rc = out->doc || !want_doc ? PERR_OK : PERR_INTERNAL;
	} else if (step != SQLITE_DONE) {
		rc = store_fail(st, "report get");
	}
	sqlite3_reset(s);
	return rc;
}

enum perr store_report_find_link(struct store *st, const char *ip, const char *ticket, long long since,
				  char token[REPORT_TOKEN_CHARS + 1])
{
	static const char sql[] =
		"SELECT token FROM reports WHERE ip = ?1 AND source = 'link' AND created >= ?2"
		" AND coalesce(ticket, '') = coalesce(?3, '') ORDER BY created DESC, id DESC LIMIT 1";
	token[0] = '\0';
	sqlite3_stmt *s = store_stmt(st, sql);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, ip);
	sqlite3_bind_int64(s, 2, since);
	store_bind_text(s, 3, ticket);
	return store_one_text(st, s, token, REPORT_TOKEN_CHARS + 1, "report find link");
}

enum perr store_reports_of_user(struct store *st, long long user_id, int limit, report_mine_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT token, created, coalesce(ip, ''), verdict, coalesce(ticket, '') "
					 "FROM reports WHERE user_id = ?1 ORDER BY created DESC, id DESC LIMIT ?2");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int(s, 2, limit);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_mine r;
		store_col_text(s, 0, r.token, sizeof r.token);
		r.created = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, r.ip, sizeof r.ip);
		store_col_text(s, 3, r.verdict, sizeof r.verdict);
		store_col_text(s, 4, r.ticket, sizeof r.ticket);
		if (cb(ctx, &r) != 0) {
			step = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "reports of user");
}

enum perr store_report_purge(struct store *st, long long before, long long *deleted)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM reports WHERE created < ?1");
	if (s == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, before);
	int step = sqlite3_step(s);
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return store_fail(st, "report purge");
	if (deleted)
		*deleted = sqlite3_changes(store_db(st));
	/* per-minute check counters older than an hour are of no use */
	if ((s = store_stmt(st, "DELETE FROM check_rate WHERE minute < ?1")) == NULL)
		return PERR_DB;
	sqlite3_bind_int64(s, 1, (long long)time(NULL) / SECONDS_PER_MINUTE - MINUTES_PER_HOUR);
	step = sqlite3_step(s);
	sqlite3_reset(s);
	return step == SQLITE_DONE ? PERR_OK : store_fail(st, "check rate purge");
}

enum perr store_check_rate_hit(struct store *st, const char *client, long long minute, unsigned *count)
{
	static const char hit[] =
		"INSERT INTO check_rate(client, minute, count) VALUES (?1, ?2, 1)"
		" ON CONFLICT(client, minute) DO UPDATE SET count = count + 1 RETURNING count";
	static const char prune[] = "DELETE FROM check_rate WHERE client = ?1 AND minute < ?2";
	sqlite3_stmt *s = store_stmt(st, hit);
	if (s == NULL)
		return PERR_DB;
	store_bind_text(s, 1, client);
	sqlite3_bind_int64(s, 2, minute);
	int step = sqlite3_step(s);
	*count = step == SQLITE_ROW ? (unsigned)sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	if (step != SQLITE_ROW)
		return store_fail(st, "check rate");
	if (*count == 1) {   /* first check of a new minute: drop older ones */
		if ((s = store_stmt(st, prune)) == NULL)
			return PERR_DB;
		store_bind_text(s, 1, client);
		sqlite3_bind_int64(s, 2, minute);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	return PERR_OK;
}
