/* Cached DNSBL answers and list health in SQLite. */
#include <stdio.h>
#include <string.h>

#include "store_dnsbl.h"
#include "internal/store_internal.h"

enum perr store_dnsbl_cache_get(struct store *st, const char *zone, const char *ip,
				int64_t now, struct store_dnsbl_cached *out)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT status, codes, txt, checked_at, expires_at FROM dnsbl_cache"
		" WHERE zone = ?1 AND ip = ?2 AND expires_at > ?3");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_DB;
	if (store_bind_text(s, 1, zone) != SQLITE_OK || store_bind_text(s, 2, ip) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, now) != SQLITE_OK) {
		rc = store_fail(st, "dnsbl cache bind");
		goto out;
	}
	int step = sqlite3_step(s);
	if (step == SQLITE_DONE) {
		rc = PERR_NOT_FOUND;
		goto out;
	}
	if (step != SQLITE_ROW) {
		rc = store_fail(st, "dnsbl cache get");
		goto out;
	}
	store_col_text(s, 0, out->status, sizeof out->status);
	store_col_text(s, 1, out->codes, sizeof out->codes);
	store_col_text(s, 2, out->txt, sizeof out->txt);
	out->checked_at = sqlite3_column_int64(s, 3);
	out->expires_at = sqlite3_column_int64(s, 4);
	rc = PERR_OK;
out:
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_cache_put(struct store *st, const char *zone, const char *ip,
				const struct store_dnsbl_cached *c)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT OR REPLACE INTO dnsbl_cache (zone, ip, status, codes, txt, checked_at, expires_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (store_bind_text(s, 1, zone) != SQLITE_OK || store_bind_text(s, 2, ip) != SQLITE_OK ||
	    store_bind_text(s, 3, c->status) != SQLITE_OK ||
	    store_bind_text(s, 4, c->codes) != SQLITE_OK ||
	    store_bind_text(s, 5, c->txt) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 6, c->checked_at) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 7, c->expires_at) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "dnsbl cache put");
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_cache_prune(struct store *st, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM dnsbl_cache WHERE expires_at <= ?1");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (sqlite3_bind_int64(s, 1, now) != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "dnsbl cache prune");
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_health_get(struct store *st, const char *zone, int family,
				 struct store_dnsbl_health *out)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT ok, detail, checked_at, fails, skip_until, fail_detail FROM dnsbl_health"
		" WHERE zone = ?1 AND family = ?2");
	if (s == NULL)
		return PERR_DB;
	enum perr rc;
	if (store_bind_text(s, 1, zone) != SQLITE_OK || sqlite3_bind_int(s, 2, family) != SQLITE_OK) {
		rc = store_fail(st, "dnsbl health bind");
		goto out;
	}
	int step = sqlite3_step(s);
	if (step == SQLITE_DONE) {
		rc = PERR_NOT_FOUND;
		goto out;
	}
	if (step != SQLITE_ROW) {
		rc = store_fail(st, "dnsbl health get");
		goto out;
	}
	out->ok = sqlite3_column_int(s, 0) != 0;
	store_col_text(s, 1, out->detail, sizeof out->detail);
	out->checked_at = sqlite3_column_int64(s, 2);
	out->fails = (unsigned)sqlite3_column_int(s, 3);
	out->skip_until = sqlite3_column_int64(s, 4);
	store_col_text(s, 5, out->fail_detail, sizeof out->fail_detail);
	rc = PERR_OK;
out:
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_health_put(struct store *st, const char *zone, int family,
				 const struct store_dnsbl_health *h)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO dnsbl_health (zone, family, ok, detail, checked_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (zone, family) DO UPDATE SET"
		" ok = excluded.ok, detail = excluded.detail, checked_at = excluded.checked_at");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (store_bind_text(s, 1, zone) != SQLITE_OK || sqlite3_bind_int(s, 2, family) != SQLITE_OK ||
	    sqlite3_bind_int(s, 3, h->ok ? 1 : 0) != SQLITE_OK ||
	    store_bind_text(s, 4, h->detail) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 5, h->checked_at) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "dnsbl health put");
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_fail_put(struct store *st, const char *zone, int family, unsigned fails,
			       int64_t skip_until, const char *detail)
{
	/* A list never self-tested gets a row that reads as "not tested"
	 * (checked_at 0) so the failure counts survive. */
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO dnsbl_health (zone, family, ok, detail, checked_at, fails, skip_until, fail_detail)"
		" VALUES (?1, ?2, 1, '', 0, ?3, ?4, ?5) ON CONFLICT (zone, family) DO UPDATE SET"
		" fails = excluded.fails, skip_until = excluded.skip_until,"
		" fail_detail = excluded.fail_detail");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (store_bind_text(s, 1, zone) != SQLITE_OK || sqlite3_bind_int(s, 2, family) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, fails) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 4, skip_until) != SQLITE_OK ||
	    store_bind_text(s, 5, detail) != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "dnsbl fail put");
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_budget_get(struct store *st, const char *zone, int64_t day, int64_t *out)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT queries FROM dnsbl_budget WHERE zone = ?1 AND day = ?2");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	*out = 0;
	if (store_bind_text(s, 1, zone) != SQLITE_OK || sqlite3_bind_int64(s, 2, day) != SQLITE_OK) {
		rc = store_fail(st, "dnsbl budget bind");
	} else {
		int step = sqlite3_step(s);
		if (step == SQLITE_ROW)
			*out = sqlite3_column_int64(s, 0);
		else if (step != SQLITE_DONE)
			rc = store_fail(st, "dnsbl budget get");
	}
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_budget_add(struct store *st, const char *zone, int64_t day, int64_t n)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO dnsbl_budget (zone, day, queries) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (zone, day) DO UPDATE SET queries = queries + excluded.queries");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (store_bind_text(s, 1, zone) != SQLITE_OK || sqlite3_bind_int64(s, 2, day) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, n) != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "dnsbl budget add");
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_inflight_claim(struct store *st, const char *ip, int64_t now_ms,
				     int64_t stale_ms)
{
	/* One statement: insert, or take over a stale marker; a fresh one
	 * held by someone else changes nothing (no row touched). */
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO dnsbl_inflight (ip, started_ms) VALUES (?1, ?2)"
		" ON CONFLICT (ip) DO UPDATE SET started_ms = excluded.started_ms"
		" WHERE started_ms < ?3");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (store_bind_text(s, 1, ip) != SQLITE_OK || sqlite3_bind_int64(s, 2, now_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, now_ms - stale_ms) != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "dnsbl inflight claim");
	else if (sqlite3_changes(store_db(st)) == 0)
		rc = PERR_LIMITED;
	sqlite3_reset(s);
	return rc;
}

enum perr store_dnsbl_inflight_release(struct store *st, const char *ip)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM dnsbl_inflight WHERE ip = ?1");
	if (s == NULL)
		return PERR_DB;
	enum perr rc = PERR_OK;
	if (store_bind_text(s, 1, ip) != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, "dnsbl inflight release");
	sqlite3_reset(s);
	return rc;
}

int store_dnsbl_inflight_busy(struct store *st, const char *ip, int64_t since_ms)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT 1 FROM dnsbl_inflight WHERE ip = ?1 AND started_ms >= ?2");
	if (s == NULL)
		return 0;
	int busy = store_bind_text(s, 1, ip) == SQLITE_OK &&
		   sqlite3_bind_int64(s, 2, since_ms) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return busy;
}
