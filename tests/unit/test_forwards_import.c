/* The Postfix virtual map parser: good maps (comments, blanks,
 * continuations, CRLF, keep-a-copy), and bad files whose errors must name
 * the right line. Then the import through a real store: all or nothing,
 * states kept on re-import, the Postfix view, ownership scoping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "accounts/forwards_import.h"
#include "accounts/knowledge_isp.h"
#include "store/store.h"
#include "store/store_auth.h"
#include "store/store_forwards.h"

#define FIXTURES PORTAL_DATADIR "/tests/fixtures/forwards/"

static char *slurp(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, FIXTURES "%s", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 16);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static enum perr parse_str(const char *text, struct fwd_map *m, struct fwd_error *e)
{
	return forwards_parse(text, strlen(text), m, e);
}

static void test_good_file(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp("good.map", &len);
	struct fwd_map m;
	struct fwd_error e;
	assert_int_equal(forwards_parse(text, len, &m, &e), PERR_OK);
	free(text);
	assert_int_equal(m.n, 4);
	assert_string_equal(m.entries[0].source, "info@example.com");
	assert_int_equal(m.entries[0].line, 3);
	assert_int_equal(m.entries[0].keep_copy, 1);
	assert_int_equal(m.entries[0].ndest, 1);
	assert_string_equal(m.entries[0].dest[0], "owner@aol.com");
	assert_int_equal(m.entries[1].line, 4);
	assert_int_equal(m.entries[1].keep_copy, 0);
	assert_int_equal(m.entries[1].ndest, 4);
	assert_string_equal(m.entries[1].dest[1], "b@example.org");
	assert_string_equal(m.entries[1].dest[2], "c@example.org");
	assert_string_equal(m.entries[1].dest[3], "d@gmail.com");
	assert_string_equal(m.entries[2].source, "o'brien@example.com");
	assert_int_equal(m.entries[2].ndest, 1);   /* the duplicate destination folded */
	assert_string_equal(m.entries[3].dest[0], "root");
	forwards_map_free(&m);
}

static void test_crlf_and_empty(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp("crlf.map", &len);
	struct fwd_map m;
	struct fwd_error e;
	assert_int_equal(forwards_parse(text, len, &m, &e), PERR_OK);
	free(text);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.entries[1].dest[0], "b@example.net");
	forwards_map_free(&m);
	assert_int_equal(parse_str("", &m, &e), PERR_OK);
	assert_int_equal(m.n, 0);
	forwards_map_free(&m);
	assert_int_equal(parse_str("# only\n\n   \n", &m, &e), PERR_OK);
	assert_int_equal(m.n, 0);
	forwards_map_free(&m);
	/* no final newline, tabs as separators */
	assert_int_equal(parse_str("a@b.example\tc@d.example", &m, &e), PERR_OK);
	assert_int_equal(m.n, 1);
	forwards_map_free(&m);
}

static const struct {
	const char *file;
	unsigned line;
	const char *says;
} bad_files[] = {
	{ "bad_catchall.map", 3, "catch-all" },
	{ "bad_domain_line.map", 3, "not a full address" },
	{ "bad_leading_continuation.map", 1, "continuation" },
	{ "bad_duplicate.map", 5, "already given on line 1" },
	{ "bad_no_destination.map", 2, "no destination" },
	{ "bad_quoted.map", 2, "quoted" },
	{ "bad_non_ascii.map", 2, "ASCII" },
	{ "bad_destination.map", 2, "not an address" },
	{ "bad_only_self.map", 2, "only forwards to itself" },
	{ "bad_nul.map", 2, "control bytes" },
	{ "bad_trailing_comment.map", 2, "comments" },
};

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		size_t len;
		char *text = slurp(bad_files[i].file, &len);
		struct fwd_map m;
		struct fwd_error e;
		enum perr rc = forwards_parse(text, len, &m, &e);
		free(text);
		forwards_map_free(&m);
		if (rc == PERR_OK || e.line != bad_files[i].line || strstr(e.message, bad_files[i].says) == NULL)
			fail_msg("%s: rc=%d line=%u message=%s", bad_files[i].file, rc, e.line, e.message);
		char prefix[32];
		snprintf(prefix, sizeof prefix, "line %u: ", bad_files[i].line);
		assert_memory_equal(e.message, prefix, strlen(prefix));
	}
}

static const struct {
	const char *text;
	enum perr rc;
} table[] = {
	{ "a@b.example c@d.example\n", PERR_OK },
	{ "A.B+tag@B.Example c@D.example\n", PERR_OK },
	{ "a@b.example c@d.example, e@f.example , g@h.example\n", PERR_OK },
	{ "a@b.example\n c@d.example\n", PERR_OK },
	{ "a@b.example c@d\n", PERR_INVALID },          /* one-label domain */
	{ "a@b.example c@@d.example\n", PERR_INVALID },
	{ "a..b@b.example c@d.example\n", PERR_INVALID },
	{ ".a@b.example c@d.example\n", PERR_INVALID },
	{ "a@b..example c@d.example\n", PERR_INVALID },
	{ "a@-b.example c@d.example\n", PERR_INVALID },
	{ "a@b.example c@d.example\x01\n", PERR_INVALID },
	{ "a@b.example |/bin/sh\n", PERR_INVALID },
	{ "a@b.example :include:/etc/x\n", PERR_INVALID },
	{ "a@b.example c@d.example<script>\n", PERR_INVALID },
	{ "@b.example c@d.example\n", PERR_INVALID },
	{ "a@b.example ,,,\n", PERR_INVALID },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct fwd_map m;
		struct fwd_error e;
		enum perr rc = parse_str(table[i].text, &m, &e);
		forwards_map_free(&m);
		if (rc != table[i].rc)
			fail_msg("case %lu: got %d want %d (%s)", (unsigned long)i, rc, table[i].rc, e.message);
	}
}

static void test_limits(void **state)
{
	(void)state;
	/* too many destinations */
	size_t cap = 64 + (FWD_DESTS_MAX + 2) * 24;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t n = (size_t)snprintf(s, cap, "a@b.example");
	for (int i = 0; i <= FWD_DESTS_MAX; i++)
		n += (size_t)snprintf(s + n, cap - n, " d%d@e.example", i);
	struct fwd_map m;
	struct fwd_error e;
	assert_int_equal(forwards_parse(s, n, &m, &e), PERR_TOO_LARGE);
	assert_int_equal(e.line, 1);
	forwards_map_free(&m);
	free(s);
	/* a logical line over the limit, built from continuations */
	cap = FWD_LINE_MAX + 4096;
	s = malloc(cap);
	assert_non_null(s);
	n = (size_t)snprintf(s, cap, "a@b.example c@d.example\n");
	while (n + 40 < cap)
		n += (size_t)snprintf(s + n, cap - n, "  x@y.example\n");
	assert_int_equal(forwards_parse(s, n, &m, &e), PERR_TOO_LARGE);
	assert_int_equal(e.line > 1, 1);
	forwards_map_free(&m);
	free(s);
	/* an overlong key is named, truncated */
	char key[400];
	memset(key, 'a', sizeof key);
	memcpy(key + sizeof key - 14, "@b.example x@", 13);
	key[sizeof key - 1] = '\0';
	assert_int_equal(parse_str(key, &m, &e), PERR_INVALID);
	assert_true(strlen(e.message) < 120);
	forwards_map_free(&m);
}

static void test_validators(void **state)
{
	(void)state;
	assert_true(forwards_address_ok("o'brien@example.com"));
	assert_false(forwards_address_ok("o'brien@example"));
	assert_false(forwards_address_ok("a b@example.com"));
	assert_true(forwards_domain_ok("mail.example.co.uk"));
	assert_false(forwards_domain_ok("example"));
	assert_false(forwards_domain_ok("ex_ample.com"));
	char buf[] = "MiXeD@Example.COM";
	assert_string_equal(forwards_lower(buf), "mixed@example.com");
}

/* --- through the store --- */

struct db {
	char path[64];
	struct store *st;
	long long bakery, florist;
};

static int db_setup(void **state)
{
	struct db *d = calloc(1, sizeof *d);
	snprintf(d->path, sizeof d->path, "/tmp/test-forwards-XXXXXX");
	int fd = mkstemp(d->path);
	if (fd < 0)
		return -1;
	close(fd);
	if (store_open(d->path, &d->st) != PERR_OK)
		return -1;
	if (store_customer_ensure(d->st, "Bakery", &d->bakery) != PERR_OK ||
	    store_customer_ensure(d->st, "Florist", &d->florist) != PERR_OK ||
	    store_domain_add(d->st, "bakery.example", d->bakery, NULL) != PERR_OK ||
	    store_domain_add(d->st, "florist.example", d->florist, NULL) != PERR_OK)
		return -1;
	*state = d;
	return 0;
}

static int db_teardown(void **state)
{
	struct db *d = *state;
	store_close(d->st);
	char p[80];
	unlink(d->path);
	snprintf(p, sizeof p, "%s-wal", d->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", d->path);
	unlink(p);
	free(d);
	return 0;
}

static enum perr import(struct db *d, const char *text, struct fwd_import_stats *stats, struct fwd_error *e)
{
	struct fwd_map m;
	enum perr rc = parse_str(text, &m, e);
	if (rc == PERR_OK) {
		struct fwd_actor who = { 0, "portalctl", "cli" };
		rc = store_forwards_import(d->st, &m, &who, stats, e);
	}
	forwards_map_free(&m);
	return rc;
}

static int count_cb(void *ctx, const struct fwd_row *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static int count_forwards(struct db *d, long long customer)
{
	int n = 0;
	assert_int_equal(store_forwards_list(d->st, customer, count_cb, &n), PERR_OK);
	return n;
}

/* What Postfix would get: the view queried as the .cf file does. */
static void postfix_answer(struct db *d, const char *address, char *out, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open(d->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT destination FROM postfix_virtual_forwards "
					    "WHERE address = ?1 AND active = 1 ORDER BY destination",
					    -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, address, -1, SQLITE_STATIC);
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (out[0])
			strncat(out, ",", len - strlen(out) - 1);
		strncat(out, (const char *)sqlite3_column_text(s, 0), len - strlen(out) - 1);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void test_import_all_or_nothing(void **state)
{
	struct db *d = *state;
	struct fwd_import_stats st;
	struct fwd_error e;
	/* line 3's domain is not hosted: nothing of lines 1-2 may stay */
	assert_int_equal(import(d, "a@bakery.example x@aol.com\nb@florist.example y@gmail.com\n"
				   "c@nowhere.example z@yahoo.com\n", &st, &e), PERR_INVALID);
	assert_int_equal(e.line, 3);
	assert_non_null(strstr(e.message, "nowhere.example"));
	assert_int_equal(count_forwards(d, 0), 0);

	assert_int_equal(import(d, "a@bakery.example x@aol.com, a@bakery.example\n"
				   "b@florist.example y@gmail.com\n", &st, &e), PERR_OK);
	assert_int_equal(st.entries, 2);
	assert_int_equal(st.mailboxes_added, 2);
	assert_int_equal(st.forwards_added, 2);
	assert_int_equal(count_forwards(d, d->bakery), 1);
	assert_int_equal(count_forwards(d, d->florist), 1);
	char ans[256];
	postfix_answer(d, "a@bakery.example", ans, sizeof ans);
	assert_string_equal(ans, "a@bakery.example,x@aol.com");
}

struct first {
	struct fwd_row row;
	int n;
};

static int first_cb(void *ctx, const struct fwd_row *r)
{
	struct first *f = ctx;
	if (f->n++ == 0)
		f->row = *r;
	return 0;
}

static void test_toggle_scoped_and_audited(void **state)
{
	struct db *d = *state;
	struct fwd_error e;
	assert_int_equal(import(d, "a@bakery.example x@aol.com, a@bakery.example\n"
				   "b@florist.example y@gmail.com\n", NULL, &e), PERR_OK);
	struct first f = { .n = 0 };
	assert_int_equal(store_forwards_list(d->st, d->bakery, first_cb, &f), PERR_OK);
	long long id = f.row.id;
	struct fwd_actor who = { 0, "tester", "192.0.2.1" };
	struct fwd_row row;
	int changed = -1;
	/* the florist cannot touch the bakery's forward: not found, nothing written */
	assert_int_equal(store_forward_set_active(d->st, d->florist, id, 0, &who, &row, &changed),
			 PERR_NOT_FOUND);
	assert_int_equal(store_forward_get(d->st, d->florist, id, &row), PERR_NOT_FOUND);
	assert_int_equal(store_forward_get(d->st, 0, id, &row), PERR_NOT_FOUND);
	assert_int_equal(store_forward_set_active(d->st, d->bakery, id, 0, &who, &row, &changed), PERR_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(row.active, 0);
	char ans[256];
	postfix_answer(d, "a@bakery.example", ans, sizeof ans);
	assert_string_equal(ans, "");   /* all off: plain local delivery */
	/* again: no change, no second audit line */
	assert_int_equal(store_forward_set_active(d->st, d->bakery, id, 0, &who, &row, &changed), PERR_OK);
	assert_int_equal(changed, 0);
	/* a re-import keeps the customer's "off" */
	struct fwd_import_stats st;
	assert_int_equal(import(d, "a@bakery.example x@aol.com, a@bakery.example\n", &st, &e), PERR_OK);
	assert_int_equal(st.forwards_kept, 1);
	assert_int_equal(store_forward_get(d->st, d->bakery, id, &row), PERR_OK);
	assert_int_equal(row.active, 0);
	assert_int_equal(store_forward_set_active(d->st, d->bakery, id, 1, &who, &row, &changed), PERR_OK);
	postfix_answer(d, "a@bakery.example", ans, sizeof ans);
	assert_string_equal(ans, "a@bakery.example,x@aol.com");
}

static int audit_cb(void *ctx, const struct fwd_audit_row *a)
{
	char *out = ctx;
	char line[800];
	snprintf(line, sizeof line, "%s %s %s %s|", a->actor, a->action, a->detail, a->client);
	strncat(out, line, 2048 - strlen(out) - 1);
	return 0;
}

static void test_audit_scoped(void **state)
{
	struct db *d = *state;
	struct fwd_error e;
	assert_int_equal(import(d, "a@bakery.example x@aol.com\nb@florist.example y@gmail.com\n", NULL, &e), PERR_OK);
	struct first f = { .n = 0 };
	assert_int_equal(store_forwards_list(d->st, d->bakery, first_cb, &f), PERR_OK);
	struct fwd_actor who = { 0, "demo", "198.51.100.7" };
	assert_int_equal(store_forward_set_active(d->st, d->bakery, f.row.id, 0, &who, NULL, NULL), PERR_OK);
	char out[2048] = "";
	assert_int_equal(store_audit_list(d->st, d->bakery, 10, audit_cb, out), PERR_OK);
	assert_non_null(strstr(out, "demo off a@bakery.example -> x@aol.com 198.51.100.7|"));
	assert_non_null(strstr(out, "portalctl import a@bakery.example -> x@aol.com cli|"));
	assert_null(strstr(out, "florist"));
	long long removed = -1;
	assert_int_equal(store_audit_purge(d->st, 0, &removed), PERR_OK);
	assert_int_equal(removed, 0);
}

static void test_domains(void **state)
{
	struct db *d = *state;
	long long owner = 0;
	assert_int_equal(store_domain_add(d->st, "Bakery.Example", d->bakery, NULL), PERR_OK);
	assert_int_equal(store_domain_add(d->st, "bakery.example", d->florist, NULL), PERR_DENIED);
	assert_int_equal(store_domain_add(d->st, "not a domain", d->florist, NULL), PERR_INVALID);
	assert_int_equal(store_domain_owner(d->st, "BAKERY.example", &owner, NULL), PERR_OK);
	assert_int_equal(owner, d->bakery);
	assert_int_equal(store_domain_owner(d->st, "x.example", &owner, NULL), PERR_NOT_FOUND);
}

static void test_provider_count(void **state)
{
	struct db *d = *state;
	struct fwd_error e;
	assert_int_equal(import(d, "a@bakery.example x@aol.com, y@verizon.net, z@gmail.com\n", NULL, &e), PERR_OK);
	struct isp_catalogue *isp = NULL;
	char err[256];
	assert_int_equal(isp_catalogue_load(PORTAL_DATADIR "/db/knowledge/consumer_isps.hdf", &isp, err, sizeof err), PERR_OK);
	size_t on = 0, total = 0;
	assert_int_equal(store_forwards_to_provider(d->st, isp, d->bakery, "aol", &on, &total), PERR_OK);
	assert_int_equal(total, 2);   /* aol.com and verizon.net (handled by AOL) */
	assert_int_equal(on, 2);
	assert_int_equal(store_forwards_to_provider(d->st, isp, d->florist, "aol", &on, &total), PERR_OK);
	assert_int_equal(total, 0);
	isp_catalogue_free(isp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_crlf_and_empty),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_validators),
		cmocka_unit_test_setup_teardown(test_import_all_or_nothing, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_toggle_scoped_and_audited, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_audit_scoped, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_domains, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_provider_count, db_setup, db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
