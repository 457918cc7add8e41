/* CSV escaping (RFC 4180 quoting, formula-injection prefixes) as a table of
 * inputs and exact outputs, the row writer, and the chart geometry the
 * dashboard's SVG uses (nice axis tops, stacked segments without gaps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "admin/csv.h"
#include "admin/svg_chart.h"

static const struct {
	const char *in;
	const char *out;
} cells[] = {
	{ NULL, "" },
	{ "", "" },
	{ "plain", "plain" },
	{ "203.0.113.7", "203.0.113.7" },
	{ "2001:db8::1", "2001:db8::1" },
	{ "a,b", "\"a,b\"" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "\"", "\"\"\"\"" },
	{ "line\nbreak", "\"line\nbreak\"" },
	{ "cr\rhere", "\"cr\rhere\"" },
	{ "crlf\r\n", "\"crlf\r\n\"" },
	/* formula injection: = + - @ and leading tab / CR */
	{ "=1+1", "'=1+1" },
	{ "=HYPERLINK(\"http://x.example/\",\"click\")", "\"'=HYPERLINK(\"\"http://x.example/\"\",\"\"click\"\")\"" },
	{ "+1", "'+1" },
	{ "-2", "'-2" },
	{ "@SUM(A1:A2)", "'@SUM(A1:A2)" },
	{ "\t=cmd", "'\t=cmd" },
	{ "\r=cmd", "\"'\r=cmd\"" },
	{ "=a,b", "\"'=a,b\"" },
	{ "-", "'-" },
	/* only the first character matters */
	{ "a=b", "a=b" },
	{ " =x", " =x" },
	{ "'quoted'", "'quoted'" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "RTR:BB", "RTR:BB" },
	{ "[TSS04]", "[TSS04]" },
};

static void test_escape_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		char out[256];
		size_t n = csv_escape(cells[i].in, out, sizeof out);
		if (strcmp(out, cells[i].out) != 0 || n != strlen(cells[i].out))
			fail_msg("cell %zu: got [%s] want [%s]", i, out, cells[i].out);
	}
}

static void test_escape_truncates_like_snprintf(void **state)
{
	(void)state;
	char out[4];
	size_t n = csv_escape("a,bcdef", out, sizeof out);
	assert_int_equal(n, 9);            /* "a,bcdef" quoted */
	assert_string_equal(out, "\"a,");
	assert_int_equal(csv_escape("=x", NULL, 0), 3);
}

static void test_rows(void **state)
{
	(void)state;
	struct csv c;
	memset(&c, 0, sizeof c);
	csv_cell(&c, "ip");
	csv_cell(&c, "note");
	csv_cell(&c, "n");
	csv_row_end(&c);
	csv_cell(&c, "203.0.113.7");
	csv_cell(&c, "=1,\"2\"");
	csv_cell_int(&c, 42);
	csv_row_end(&c);
	csv_cell(&c, NULL);
	csv_cell(&c, "");
	csv_cell_int(&c, 0);
	csv_row_end(&c);
	assert_int_equal(c.err, PERR_OK);
	assert_string_equal(c.buf, "ip,note,n\r\n203.0.113.7,\"'=1,\"\"2\"\"\",42\r\n,,0\r\n");
	assert_int_equal(c.len, strlen(c.buf));
	csv_clear(&c);
	assert_int_equal(c.len, 0);
	/* growth past the first block */
	for (int i = 0; i < 2000; i++)
		csv_cell(&c, "0123456789");
	csv_row_end(&c);
	assert_int_equal(c.len, 2000 * 11 - 1 + 2);
	csv_free(&c);
	assert_null(c.buf);
}

static void test_nice_max(void **state)
{
	(void)state;
	static const struct { long long max, top, step; } t[] = {
		{ 0, 1, 1 }, { 1, 1, 1 }, { 4, 4, 1 }, { 5, 5, 1 }, { 6, 6, 2 }, { 7, 8, 2 },
		{ 10, 10, 2 }, { 11, 15, 5 }, { 23, 25, 5 }, { 26, 30, 10 }, { 99, 100, 20 },
		{ 1000, 1000, 200 }, { 123456, 150000, 50000 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		long long step = 0, top = svg_chart_nice_max(t[i].max, &step);
		if (top != t[i].top || step != t[i].step)
			fail_msg("max %lld: got %lld/%lld want %lld/%lld", t[i].max, top, step, t[i].top, t[i].step);
	}
}

static void test_layout(void **state)
{
	(void)state;
	struct svg_chart c;
	svg_chart_layout(&c, 720, 240, 90, 37);
	assert_int_equal(c.ymax, 40);
	assert_int_equal(c.nticks, 5);           /* 0 10 20 30 40 */
	assert_int_equal(c.tick_value[4], 40);
	assert_int_equal(c.tick_y[4], c.plot_y);
	assert_int_equal(c.tick_y[0], c.plot_y + c.plot_h);
	/* bars tile the plot left to right, inside it */
	int prev_end = c.plot_x;
	for (size_t i = 0; i < 90; i++) {
		int x, w;
		svg_chart_bar_x(&c, i, &x, &w);
		assert_true(x >= prev_end);
		assert_true(w >= 1);
		prev_end = x + w;
	}
	assert_true(prev_end <= c.plot_x + c.plot_w);
	/* stacked segments meet exactly and the full stack reaches its value */
	long long parts[] = { 13, 0, 9, 15 };
	long long below = 0;
	int last_top = c.plot_y + c.plot_h;
	for (size_t i = 0; i < 4; i++) {
		int y, h;
		svg_chart_segment_y(&c, below, parts[i], &y, &h);
		assert_int_equal(y + h, last_top);
		assert_true(h >= 0);
		last_top = y;
		below += parts[i];
	}
	int y, h;
	svg_chart_segment_y(&c, 0, 40, &y, &h);
	assert_int_equal(y, c.plot_y);
	assert_int_equal(h, c.plot_h);
	/* an empty chart still has an axis */
	svg_chart_layout(&c, 720, 240, 30, 0);
	assert_int_equal(c.ymax, 1);
	assert_int_equal(c.nticks, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_table),
		cmocka_unit_test(test_escape_truncates_like_snprintf),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_nice_max),
		cmocka_unit_test(test_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
