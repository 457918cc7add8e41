/* The HDF loader toolkit: the pre-parse scan refuses links, copies,
 * attributes and deep nesting (and only those: multi-line values that
 * contain "a : b" pass); every loader refuses a link cycle with a message
 * naming the file and line instead of crashing; field tables check
 * ranges, flags, enums and lengths with one error style. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "hdf/hdf_load.h"
#include "hdf/internal/hdf_guard.h"
#include "core/config.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "accounts/knowledge_isp.h"
#include "explain/explain.h"
#include "bounce/bounce.h"

static const struct {
	const char *text;
	int line;             /* 0 = accepted */
	const char *why;      /* part of the reason */
} scans[] = {
	{ "a = 1\nb.c = x : y\n", 0, NULL },
	{ "a : a.b\ne := a\n", 1, "links" },
	{ "a.b = 1\ne := a\n", 2, "copies" },
	{ "x {\n  y {\n    z : x\n  }\n}\n", 3, "links" },
	{ "  a.b.c:x\n", 1, "links" },
	{ "a [lang=en] = 1\n", 1, "attributes" },
	{ "# a : b\n\n#include \"x\"\n", 0, NULL },
	{ "m << EOM\nnote : this is text\nEOM\nok = 1\n", 0, NULL },
	{ "m << EOM\ntext\nEOM\nbad : 1\n", 4, "links" },
	{ "m << EOM\nEOMX\nc : d\n", 0, NULL },        /* no terminator: all text */
	{ "m <<\nc : d\n", 2, "links" },              /* no terminator word: not multi-line */
	{ "}\na : b\n", 2, "links" },
	{ "v = é : b\nñ : b\n", 2, "links" },
};

static void test_scan(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof scans / sizeof scans[0]; i++) {
		const char *why = NULL;
		int line = hdf_guard_scan(scans[i].text, &why);
		if (line != scans[i].line)
			fail_msg("case %zu: line %d, want %d", i, line, scans[i].line);
		if (scans[i].why && (why == NULL || strstr(why, scans[i].why) == NULL))
			fail_msg("case %zu: reason '%s'", i, why ? why : "");
	}
}

static void test_depth(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < HDFL_DEPTH_MAX; i++)
		strcat(text, "a {\n");
	const char *why = NULL;
	assert_int_equal(hdf_guard_scan(text, &why), 0);       /* the limit itself is fine */
	strcat(text, "a {\n");
	assert_int_equal(hdf_guard_scan(text, &why), HDFL_DEPTH_MAX + 1);
	assert_non_null(strstr(why, "deep"));
	char dots[256] = "x";
	for (int i = 0; i < HDFL_DEPTH_MAX; i++)
		strcat(dots, ".x");
	strcat(dots, " = 1\n");
	assert_int_equal(hdf_guard_scan(dots, &why), 1);
	assert_int_equal(hdf_guard_scan("a.b.c = 1\n", &why), 0);
}

/* The cycle of issue 15, for every loader that reads text. */
#define CYCLE "a : a.b\ne := a\n"

static void test_loaders_refuse_links(void **state)
{
	(void)state;
	char err[256];
	struct config cfg;
	assert_int_equal(config_parse(&cfg, CYCLE, err, sizeof err), PERR_CONFIG);
	assert_string_equal(err, "<config>:1: HDF links (a : b) are not allowed");
	struct dnsbl_catalogue *cat = NULL;
	assert_int_equal(dnsbl_catalogue_parse("dnsbl {\n x {\n zone = a.b\n }\n}\n" CYCLE, &cat,
					       err, sizeof err), PERR_CONFIG);
	assert_null(cat);
	assert_non_null(strstr(err, ":6: HDF links"));
	struct isp_catalogue *isp = NULL;
	assert_int_equal(isp_catalogue_parse("e := isp\n", &isp, err, sizeof err), PERR_CONFIG);
	assert_non_null(strstr(err, ":1: HDF copies"));
	struct explain_knowledge *k = NULL;
	assert_int_equal(explain_knowledge_parse(CYCLE, &k, err, sizeof err), PERR_CONFIG);
	assert_null(k);
}

/* A temporary file with text; the path is written to path. */
static void write_temp(char *path, size_t n, const char *dir, const char *name, const char *text)
{
	snprintf(path, n, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_files_refuse_links(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_hdf_loadXXXXXX", conf[512], inc[512], bounce[512], err[512];
	assert_non_null(mkdtemp(dir));
	struct config cfg;
	write_temp(conf, sizeof conf, dir, "portal.hdf", "db.path = x\n" CYCLE);
	assert_int_equal(config_load(&cfg, conf, err, sizeof err), PERR_CONFIG);
	char want[600];
	snprintf(want, sizeof want, "%s:2: HDF links (a : b) are not allowed", conf);
	assert_string_equal(err, want);
	/* an #include'd file is scanned too, and named */
	write_temp(inc, sizeof inc, dir, "inc.hdf", "dns.timeout_ms = 100\nb := dns\n");
	char text[1200];
	snprintf(text, sizeof text, "#include \"%s\"\n", inc);
	write_temp(conf, sizeof conf, dir, "portal.hdf", text);
	assert_int_equal(config_load(&cfg, conf, err, sizeof err), PERR_CONFIG);
	snprintf(want, sizeof want, "%s:2: HDF copies", inc);
	assert_non_null(strstr(err, want));
	/* without the copy the include works as before */
	write_temp(inc, sizeof inc, dir, "inc.hdf", "dns.timeout_ms = 100\n");
	assert_int_equal(config_load(&cfg, conf, err, sizeof err), PERR_OK);
	assert_int_equal(cfg.dns_timeout_ms, 100);
	struct bounce_knowledge *k = NULL;
	write_temp(bounce, sizeof bounce, dir, "bounce_x.hdf", "Rule {\n x : Rule\n}\n");
	assert_int_equal(bounce_knowledge_load_err(dir, &k, err, sizeof err), PERR_CONFIG);
	assert_null(k);
	assert_non_null(strstr(err, "bounce_x.hdf:2: HDF links"));
	remove(bounce);
	remove(inc);
	remove(conf);
	rmdir(dir);
}

struct sample {
	char name[8];
	unsigned port;
	size_t bytes;
	int flag;
	int color;
	int nitems;
};

static const char *const colors[] = { "none", "red", "green" };

static int count_item(void *ctx, const char *item)
{
	struct sample *s = ctx;
	if (strcmp(item, "bad") == 0 || s->nitems == 3)
		return -1;
	s->nitems++;
	return 0;
}

static const struct hdfl_field sample_fields[] = {
	HDFL_F_TEXT(struct sample, "name", name, HDFL_REQUIRED),
	HDFL_F_UINT(struct sample, "port", port, 1, 65535),
	HDFL_F_SIZE(struct sample, "bytes", bytes, 1024, 4096),
	HDFL_F_BOOL(struct sample, "flag", flag),
	HDFL_F_ENUM(struct sample, "color", color, colors, 1, 2, HDFL_CASELESS),
	HDFL_F_LIST("items", count_item, 0),
};

static const struct {
	const char *body;      /* inside "s { ... }" */
	const char *err;       /* NULL = accepted */
} applies[] = {
	{ "name = ok\nport = 25\nbytes = 2048\nflag = 1\ncolor = RED\nitems = a, b c", NULL },
	{ "name = ok\nport =\nflag =\n", NULL },
	{ "port = 25\n", "<t>: s.name: missing" },
	{ "name = toolongname\n", "<t>: s.name: too long (at most 7 bytes)" },
	{ "name = ok\nport = 0\n", "<t>: s.port: must be a number from 1 to 65535" },
	{ "name = ok\nport = -1\n", "<t>: s.port: must be a number from 1 to 65535" },
	{ "name = ok\nport = 25x\n", "<t>: s.port: must be a number from 1 to 65535" },
	{ "name = ok\nbytes = 99999999999999999999999\n", "<t>: s.bytes: must be a number from 1024 to 4096" },
	{ "name = ok\nflag = yes\n", "<t>: s.flag: must be 0 or 1" },
	{ "name = ok\ncolor = none\n", "<t>: s.color: unknown value 'none' (one of red, green)" },
	{ "name = ok\nitems = a, bad\n", "<t>: s.items: has a bad or extra item" },
	{ "name = ok\nitems = a, b, c, d\n", "<t>: s.items: has a bad or extra item" },
};

static void test_apply(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof applies / sizeof applies[0]; i++) {
		char text[512], err[256] = "";
		snprintf(text, sizeof text, "s {\n%s\n}\n", applies[i].body);
		struct hdfl_doc *doc = NULL;
		assert_int_equal(hdfl_open_text(&doc, text, "<t>", err, sizeof err), PERR_OK);
		struct hdfl_node root = hdfl_root(doc), s;
		assert_true(hdfl_get(&root, "s", &s));
		assert_string_equal(s.path, "s");
		struct sample v = { .port = 7, .bytes = 1024 };
		enum perr rc = hdfl_apply(&s, sample_fields, sizeof sample_fields / sizeof sample_fields[0], &v);
		if (applies[i].err == NULL && rc != PERR_OK)
			fail_msg("case %zu refused: %s", i, err);
		if (applies[i].err != NULL && (rc != PERR_CONFIG || strcmp(err, applies[i].err) != 0))
			fail_msg("case %zu: '%s', want '%s'", i, err, applies[i].err);
		if (i == 0) {
			assert_string_equal(v.name, "ok");
			assert_int_equal(v.port, 25);
			assert_int_equal(v.bytes, 2048);
			assert_int_equal(v.flag, 1);
			assert_int_equal(v.color, 1);
			assert_int_equal(v.nitems, 3);
		}
		if (i == 1)
			assert_int_equal(v.port, 7);   /* empty number keeps the default */
		hdfl_close(doc);
	}
}

static void test_iterate(void **state)
{
	(void)state;
	char err[256];
	struct hdfl_doc *doc = NULL;
	assert_int_equal(hdfl_open_text(&doc, "top {\n a = 1\n b.c = 2\n d = 3\n}\n", NULL, err, sizeof err), PERR_OK);
	struct hdfl_node root = hdfl_root(doc), top, n;
	assert_true(hdfl_get(&root, "top", &top));
	assert_int_equal(hdfl_count(&top), 3);
	const char *want[] = { "top.a", "top.b", "top.d" };
	size_t i = 0;
	for (int more = hdfl_first(&top, &n); more; more = hdfl_next(&n))
		assert_string_equal(n.path, want[i++]);
	assert_int_equal(i, 3);
	assert_true(hdfl_get(&top, "b", &n));
	assert_string_equal(hdfl_value(&n, "c"), "2");
	assert_null(hdfl_value(&n, "nope"));
	assert_int_equal(hdfl_fail(&n, "c", "odd %d", 7), PERR_CONFIG);
	assert_string_equal(err, "<string>: top.b.c: odd 7");
	hdfl_close(doc);
	assert_int_equal(hdfl_open_text(&doc, "#include \"/etc/passwd\"\n", NULL, err, sizeof err), PERR_CONFIG);
	assert_null(doc);
	assert_int_equal(hdfl_open_file(&doc, "/nonexistent.hdf", err, sizeof err), PERR_NOT_FOUND);
	assert_non_null(strstr(err, "/nonexistent.hdf: cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_loaders_refuse_links),
		cmocka_unit_test(test_files_refuse_links),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_iterate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
