/* Unit tests of how the bounce knowledge is compiled: named patterns
 * ({IP} and friends, Pattern.<NAME>) and the gates derived from the
 * regexes alone (bounce_gate.c, bounce_gate_set.c), which replaced the
 * hand-written "gate =" hints. Table-driven; run from the repository
 * root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "bounce/bounce.h"
#include "bounce/internal/bounce_gate.h"
#include "bounce/internal/knowledge_bounce.h"

/* Writes text into dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	remove(path);
}

#define RULE(pat) "Rule {\n  r {\n    pattern = " pat "\n    category = blacklist\n    description = d\n  }\n}\n"

/* Pattern names: defined in one file, used in another (either order),
 * unknown or malformed names refused with the entry named. */
static void test_pattern_names(void **state)
{
	(void)state;
	static const struct {
		const char *names;   /* bounce_a.hdf (read before the rule) */
		const char *rules;   /* bounce_b.hdf */
		const char *later;   /* bounce_c.hdf (read after the rule), or NULL */
		enum perr want;
		const char *err;     /* in the message, when refused */
		const char *text;    /* when loaded: a text the rule must match */
	} cases[] = {
		{"Pattern {\n  IP = [0-9.]{7,15}\n}\n", RULE("blocked (?<ip>{IP})"), NULL, PERR_OK, NULL,
		 "550 blocked 192.0.2.1"},
		{"# none here\n", RULE("listed (?<ip>{ADDR})"), "Pattern {\n  ADDR = [0-9.]{7,15}\n}\n", PERR_OK,
		 NULL, "listed 192.0.2.1"},
		{"# none\n", RULE("blocked {NOPE}"), NULL, PERR_CONFIG, "unknown pattern name {NOPE}", NULL},
		{"Pattern {\n  ip = x\n}\n", RULE("a"), NULL, PERR_CONFIG, "Pattern.ip", NULL},
		{"Pattern {\n  A = x{B}\n  B = y\n}\n", RULE("a"), NULL, PERR_CONFIG, "may not use another name", NULL},
		{"Pattern {\n  A = x\n}\n", RULE("a"), "Pattern {\n  A = y\n}\n", PERR_CONFIG, "defined twice", NULL},
		/* speed hints are derived, never written */
		{"# none\n", "Rule {\n  r {\n    pattern = abc\n    gate = abc\n    category = other\n    description = d\n  }\n}\n",
		 NULL, PERR_CONFIG, "gate is derived", NULL},
		/* quantifiers and escaped braces are not names */
		{"Pattern {\n  X = q\n}\n", RULE("a{2}b\\{X}c"), NULL, PERR_OK, NULL, "aab{X}c"},
	};
	char dir[] = "/tmp/test_bounce_namesXXXXXX";
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_file(dir, "bounce_a.hdf", cases[i].names);
		write_file(dir, "bounce_b.hdf", cases[i].rules);
		if (cases[i].later)
			write_file(dir, "bounce_c.hdf", cases[i].later);
		struct bounce_knowledge *k = NULL;
		char err[256] = "";
		enum perr e = bounce_knowledge_load_err(dir, &k, err, sizeof err);
		if (e != cases[i].want)
			fail_msg("case %zu: %s, want %s (%s)", i, perr_str(e), perr_str(cases[i].want), err);
		if (cases[i].err && strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: message '%s' lacks '%s'", i, err, cases[i].err);
		if (k && cases[i].text) {
			pcre2_match_data *md = pcre2_match_data_create(k->max_groups, NULL);
			assert_non_null(md);
			int rc = pcre2_match(k->rules[0].pat.re, (PCRE2_SPTR)cases[i].text, strlen(cases[i].text),
			                     0, 0, md, NULL);
			if (rc < 0)
				fail_msg("case %zu: rule does not match '%s'", i, cases[i].text);
			pcre2_match_data_free(md);
		}
		bounce_knowledge_free(k);
		remove_file(dir, "bounce_c.hdf");
	}
	remove_file(dir, "bounce_a.hdf");
	remove_file(dir, "bounce_b.hdf");
	rmdir(dir);
}

/* The literals derived for patterns with no literal run of 3+ bytes:
 * each was a hand-written "gate =" line before. */
static void test_gate_texts(void **state)
{
	(void)state;
	static const struct {
		const char *re;
		const char *lits; /* the literals, "|"-separated, in order; "" = no gate */
	} cases[] = {
		{"\\[(?<code>(?:IP)?TSS?\\d\\d)\\]", "[ts|[ipts"},
		{"(?:from \\[?(?<ip>[0-9a-f.:]{7,45})\\]?[^\\n]{0,240}?)?\\((?<code>S3\\d{3}|AS\\d{4})\\)", "(s3|(as"},
		{"\\bIP(?:[ _-]?address)?(?: is)?[ :=]+\\[?(?<ip>[0-9a-f.:]{7,45})",
		 "ip |ip:|ip=|ipaddress|ip_address|ip-address"},
		{"\\b(?<code>BL0{0,3}[01]{3}|BL0\\d\\d|ES0000[01][01]|RL0000\\d\\d)\\b", "bl0|bl1|es0000|rl0000"},
		{"(?<ip>[0-9a-f.:]{7,45})\\]? (?:is )?(?:blocked|listed) (?:by|in|on) x", "blocked |listed "},
		{"(?|(?:^|[\\s:>])(?<ip>[0-9.]{7,15}) (?:does not like recipient|failed)|Connected to (?<ip>[0-9.]+) but)",
		 " does not like recipient| failed|connected to "},
		{"ab|cd", ""},                 /* two bytes are too few */
		{"\\[(?<ip>[0-9a-f.:]{7,45})\\s+\\d{1,3}\\]", ""},
		{"[a-z]{2}x", ""},             /* a class too large to multiply */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bounce_gate g;
		bounce_gate_derive(cases[i].re, &g);
		char got[512] = "";
		for (int j = 0; j < g.n; j++) {
			strcat(got, j ? "|" : "");
			strcat(got, g.lit[j]);
		}
		if (strcmp(got, cases[i].lits) != 0)
			fail_msg("%s: literals '%s', want '%s'", cases[i].re, got, cases[i].lits);
	}
}

/* Every match of a pattern holds one of its literals within the
 * literal's bound (what the analyzer skips text on). */
static void test_gate_texts_sound(void **state)
{
	(void)state;
	static const struct {
		const char *re;
		const char *text;
	} cases[] = {
		{"\\[(?<code>(?:IP)?TSS?\\d\\d)\\]", "421 4.7.0 [TSS04] Messages"},
		{"\\[(?<code>(?:IP)?TSS?\\d\\d)\\]", "[IPTS01]"},
		{"\\bIP(?:[ _-]?address)?(?: is)?[ :=]+\\[?(?<ip>[0-9a-f.:]{7,45})", "your IP-address is: [192.0.2.1]"},
		{"\\bIP(?:[ _-]?address)?(?: is)?[ :=]+\\[?(?<ip>[0-9a-f.:]{7,45})", "IP is 192.0.2.1"},
		{"\\bIP(?:[ _-]?address)?(?: is)?[ :=]+\\[?(?<ip>[0-9a-f.:]{7,45})", "ip=192.0.2.1"},
		{"\\b(?<code>BL0{0,3}[01]{3}|BL0\\d\\d|ES0000[01][01]|RL0000\\d\\d)\\b", "code BL111 and"},
		{"\\b(?<code>BL0{0,3}[01]{3}|BL0\\d\\d|ES0000[01][01]|RL0000\\d\\d)\\b", "BL000010"},
		{"(?:from \\[?(?<ip>[0-9a-f.:]{7,45})\\]?[^\\n]{0,240}?)?\\((?<code>S3\\d{3}|AS\\d{4})\\)",
		 "from [192.0.2.7] were blocked (AS3130)"},
		{"a(?:bc|d)e(?:fg)?h", "xxadehxx"},
		{"a(?:bc|d)e(?:fg)?h", "abcefgh"},
		{"x[ab]{2,3}y", "xabay"},
	};
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);
	assert_non_null(md);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bounce_gate g;
		bounce_gate_derive(cases[i].re, &g);
		int ec;
		PCRE2_SIZE eo;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)cases[i].re, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS,
		                               &ec, &eo, NULL);
		assert_non_null(re);
		const char *t = cases[i].text;
		if (pcre2_match(re, (PCRE2_SPTR)t, strlen(t), 0, 0, md, NULL) < 0)
			fail_msg("%s does not match '%s'", cases[i].re, t);
		if (g.n == 0)
			fail_msg("%s: no gate", cases[i].re);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		bool ok = false;
		for (int j = 0; j < g.n && !ok; j++)
			for (size_t d = 0; ov[0] + d + g.len[j] <= ov[1] && !ok; d++)
				ok = strncasecmp(t + ov[0] + d, g.lit[j], g.len[j]) == 0 &&
				     (g.pre[j] < 0 || d <= (size_t)g.pre[j]);
		if (!ok)
			fail_msg("%s: match in '%s' holds no literal within bounds", cases[i].re, t);
		pcre2_code_free(re);
	}
	pcre2_match_data_free(md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_names),
		cmocka_unit_test(test_gate_texts),
		cmocka_unit_test(test_gate_texts_sound),
	};
	return cmocka_run_group_tests_name("bounce_knowledge", tests, NULL, NULL);
}
