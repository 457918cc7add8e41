/* Unit tests of the bounce analyzer: table-driven over the fixtures in
 * tests/fixtures/bounces (every provider and category, raw and pasted),
 * the "every knowledge entry is exercised" check, hostile inputs, and the
 * small pieces (IP finder, QP, line endings, reply codes).
 * Run from the repository root. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "bounce/bounce.h"
#include "bounce/internal/bounce_buf.h"
#include "bounce/internal/bounce_decode.h"
#include "bounce/internal/bounce_dsn.h"
#include "bounce/internal/bounce_gate.h"
#include "bounce/internal/bounce_ip.h"
#include "bounce/internal/bounce_mime.h"
#include "bounce/internal/knowledge_bounce.h"
#include "core/limits.h"

#define FIXDIR "tests/fixtures/bounces"
#define KBDIR "db/knowledge"

static struct bounce_knowledge *kb;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b)
		b[n] = '\0';
	*len = (size_t)n;
	return b;
}

static void analyze_file(const char *name, struct bounce_result *r)
{
	char path[512];
	size_t len = 0;
	snprintf(path, sizeof path, "%s/%s", FIXDIR, name);
	char *b = slurp(path, &len);
	if (b == NULL)
		fail_msg("cannot read %s", path);
	assert_int_equal(bounce_analyze(kb, b, len, r), PERR_OK);
	free(b);
}

/* True when FIXDIR/name is a regular file: the folder also holds the own
 * corpus in own/, which its own test and the bench read. */
static bool is_fixture_file(const char *name)
{
	char path[512];
	struct stat st;
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	if (base[0] == '.' || strcmp(base, "README") == 0 || strstr(base, ".tsv") ||
	    strstr(base, ".md") || strstr(base, ".hdf"))
		return false;
	snprintf(path, sizeof path, "%s/%s", FIXDIR, name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* One expectation row: NULL / -1 fields are not checked. */
struct expect {
	const char *file;
	int blacklist;
	const char *category;
	const char *ip;       /* "-" = must be NULL */
	const char *provider;
	const char *code;
	const char *list;     /* must be among lists */
	const char *status;
};

static const struct expect expects[] = {
	/* raw messages: every provider, every category, encodings, line ends */
	{"raw-aol.eml", 1, "reputation", "-", "aol", "RTR:BB", NULL, "5.0.0"},
	{"raw-yahoo-crlf.eml", 1, "reputation", "198.51.100.34", "yahoo", "TSS04", NULL, "4.7.0"},
	{"raw-microsoft-base64.eml", 1, "reputation", "198.51.100.37", "microsoft", "S3150", NULL, "5.7.1"},
	{"raw-gmail-qp.eml", 0, "content", "198.51.100.54", "gmail", NULL, NULL, "5.7.1"},
	{"raw-comcast-cr.eml", 1, "blacklist", "198.51.100.45", "comcast", "BL000001", "zen.spamhaus.org", NULL},
	{"raw-comcast-bits.eml", 1, "blacklist", "203.0.113.25", "comcast", "BL000011", "Cloudmark CSI", NULL},
	{"raw-cox.eml", 1, "blacklist", "198.51.100.50", "cox", "IPBL0001", "zen.spamhaus.org", NULL},
	{"raw-att.eml", 1, "reputation", "198.51.100.52", "att", "ATTRBL", NULL, NULL},
	{"raw-apple.eml", 1, "reputation", "-", "apple", "CS01", NULL, NULL},
	{"raw-proofpoint.eml", 1, "blacklist", "198.51.100.27", "proofpoint", NULL, "Proofpoint Dynamic Reputation", NULL},
	{"raw-barracuda.eml", 1, "blacklist", "198.51.100.25", "barracuda", NULL, "b.barracudacentral.org", NULL},
	{"raw-trendmicro.eml", 1, "blacklist", "198.51.100.26", "trendmicro", NULL, "Trend Micro ERS", NULL},
	{"raw-cloudmark.eml", 1, "blacklist", "198.51.100.28", "cloudmark", NULL, "Cloudmark CSI", NULL},
	{"raw-mimecast.eml", 1, "blacklist", "198.51.100.29", "mimecast", NULL, NULL, NULL},
	{"raw-recipient.eml", 0, "recipient", "-", "other", NULL, NULL, "5.1.1"},
	{"raw-mailbox.eml", 0, "mailbox", "-", NULL, NULL, NULL, "5.2.2"},
	{"raw-auth.eml", 0, "auth", "-", "gmail", NULL, NULL, "5.7.26"},
	{"raw-policy.eml", 0, "policy", "198.51.100.56", NULL, NULL, NULL, NULL},
	{"raw-content.eml", 0, "content", "-", NULL, NULL, "dbl.spamhaus.org", NULL},
	{"raw-other.eml", 0, "other", "-", NULL, NULL, NULL, "4.3.0"},
	{"raw-unclosed-boundary.eml", 1, "blacklist", "198.51.100.71", NULL, NULL, "bl.spamcop.net", NULL},
	{"raw-declared-not-delimited.eml", 1, "blacklist", "198.51.100.72", NULL, NULL, NULL, NULL},
	{"raw-plain-exim.eml", 1, "blacklist", "198.51.100.64", "other", NULL, "b.barracudacentral.org", NULL},
	{"raw-received-fallback.eml", 1, NULL, "198.51.100.73", NULL, NULL, NULL, NULL},
	{"raw-forwarded-bounce.eml", 1, "reputation", "198.51.100.37", "microsoft", "S3150", NULL, NULL},
	{"raw-nested-multipart.eml", 1, "blacklist", "198.51.100.74", NULL, NULL, "zen.spamhaus.org", NULL},
	{"raw-qp-split-ip.eml", 1, "blacklist", "203.0.113.25", NULL, NULL, "bl.spamcop.net", NULL},
	/* pasted text */
	{"paste-spamhaus-zen.txt", 1, "blacklist", "198.51.100.23", NULL, NULL, "zen.spamhaus.org", "5.7.1"},
	{"paste-spamcop.txt", 1, "blacklist", "198.51.100.24", NULL, NULL, "bl.spamcop.net", NULL},
	{"paste-barracuda.txt", 1, "blacklist", "198.51.100.25", "barracuda", NULL, NULL, NULL},
	{"paste-proofpoint.txt", 1, "blacklist", "198.51.100.27", "proofpoint", NULL, NULL, NULL},
	{"paste-cloudmark.txt", 1, "blacklist", "198.51.100.28", NULL, NULL, "Cloudmark CSI", NULL},
	{"paste-mimecast.txt", 1, "blacklist", "198.51.100.29", "mimecast", NULL, NULL, NULL},
	{"paste-trendmicro.txt", 1, "blacklist", "198.51.100.26", NULL, NULL, "Trend Micro ERS", NULL},
	{"paste-aol-rtr-bb.txt", 1, "reputation", "-", "aol", "RTR:BB", NULL, NULL},
	{"paste-aol-dyn-t1.txt", 0, "policy", NULL, "aol", "DYN:T1", NULL, NULL},
	{"paste-yahoo-tss04.txt", 1, "reputation", "198.51.100.34", "yahoo", "TSS04", NULL, "4.7.0"},
	{"paste-yahoo-bl21.txt", 1, "blacklist", "198.51.100.36", "yahoo", "BL21", "sbl.spamhaus.org", NULL},
	{"paste-ms-s3150.txt", 1, "reputation", "198.51.100.37", "microsoft", "S3150", NULL, NULL},
	{"paste-ms-as3130.txt", 1, "blacklist", "198.51.100.39", "microsoft", "AS3130", "zen.spamhaus.org", NULL},
	{"paste-ms-banned.txt", 1, "reputation", "198.51.100.43", "microsoft", NULL, NULL, "5.7.606"},
	{"paste-ms-dy001.txt", 0, "policy", "198.51.100.42", "microsoft", "DY-001", NULL, NULL},
	{"paste-comcast-bl000000.txt", 1, "reputation", "198.51.100.45", "comcast", "BL000000", NULL, NULL},
	{"paste-comcast-es.txt", 0, "policy", "198.51.100.46", "comcast", "ES000010", NULL, NULL},
	{"paste-comcast-ptr.txt", 0, "policy", "198.51.100.81", "comcast", NULL, NULL, NULL},
	{"paste-cox-cdrbl.txt", 1, "reputation", "-", "cox", "CDRBL", NULL, NULL},
	{"paste-cox-ipbl.txt", 1, "blacklist", "198.51.100.51", "cox", "IPBL1010", "Cloudmark CSI", NULL},
	{"paste-att.txt", 1, "reputation", "198.51.100.52", "att", "ATTRBL", NULL, NULL},
	{"paste-apple.txt", 1, "reputation", NULL, "apple", "CS01", NULL, NULL},
	{"paste-gmail-unsolicited.txt", 0, "content", "198.51.100.54", "gmail", NULL, NULL, NULL},
	{"paste-dbl.txt", 0, "content", "-", NULL, NULL, "dbl.spamhaus.org", NULL},
	{"paste-uribl.txt", 0, "content", NULL, NULL, NULL, "multi.uribl.com", NULL},
	{"paste-spam-content.txt", 0, "content", NULL, NULL, NULL, NULL, NULL},
	{"paste-spf.txt", 0, "auth", "198.51.100.55", NULL, NULL, NULL, "5.7.23"},
	{"paste-dmarc.txt", 0, "auth", NULL, NULL, NULL, NULL, "5.7.26"},
	{"paste-rdns.txt", 0, "policy", "198.51.100.56", NULL, NULL, NULL, NULL},
	{"paste-dynamic.txt", 0, "policy", NULL, NULL, NULL, NULL, NULL},
	{"paste-relay.txt", 0, "policy", NULL, NULL, NULL, NULL, NULL},
	{"paste-rate.txt", 0, "policy", "198.51.100.58", NULL, NULL, NULL, NULL},
	{"paste-sender-blacklisted.txt", 0, "policy", NULL, NULL, NULL, NULL, NULL},
	{"paste-user-unknown.txt", 0, "recipient", "-", NULL, NULL, NULL, "5.1.1"},
	{"paste-host-unknown.txt", 0, "recipient", NULL, NULL, NULL, NULL, NULL},
	{"paste-mailbox-full.txt", 0, "mailbox", NULL, NULL, NULL, NULL, "5.2.2"},
	{"paste-too-big.txt", 0, "mailbox", NULL, NULL, NULL, NULL, "5.3.4"},
	{"paste-other.txt", 0, "other", "-", "other", NULL, NULL, NULL},
	/* tricky IP cases */
	{"paste-mx-only-ip.txt", 0, "recipient", "-", NULL, NULL, NULL, NULL},         /* receiving MX only */
	{"paste-exim-two-ips.txt", 1, "blacklist", "198.51.100.64", NULL, NULL, NULL, NULL}, /* MX + sender */
	{"paste-exim-host-ip.txt", 0, "auth", "198.51.100.65", NULL, NULL, NULL, NULL},
	{"paste-no-ip.txt", 1, "blacklist", "-", NULL, NULL, NULL, NULL},
	{"paste-ipv6-sender.txt", 1, "blacklist", "2001:db8:1::25", NULL, NULL, NULL, NULL},
	{"paste-gmail-ipv6.txt", 1, "reputation", "2001:db8:25::7", "gmail", NULL, NULL, NULL},
	{"paste-messaging-server.txt", 1, NULL, "198.51.100.62", NULL, NULL, NULL, NULL},
	{"paste-qmail.txt", 1, "blacklist", "198.51.100.66", NULL, NULL, NULL, NULL},
	{"paste-remote-server.txt", 1, "blacklist", "198.51.100.67", NULL, NULL, NULL, NULL},
	{"paste-sender-mta.txt", 1, NULL, "198.51.100.63", NULL, NULL, NULL, NULL},
	{"paste-gmail-sender-side.txt", 1, "blacklist", "198.51.100.69", "other", NULL, "cbl.abuseat.org", NULL},
	{"paste-not-dynamic-german.txt", 1, "blacklist", "198.51.100.70", NULL, NULL, "dnsbl.sorbs.net", NULL},
	{"paste-status-only.txt", 0, "recipient", NULL, NULL, NULL, NULL, "5.1.10"},
};

static void check_expect(const struct expect *e)
{
	struct bounce_result r;
	analyze_file(e->file, &r);
	char where[128];
	snprintf(where, sizeof where, "%s", e->file);
	if (e->blacklist >= 0 && r.blacklist != (e->blacklist == 1))
		fail_msg("%s: blacklist %d", where, r.blacklist);
	if (e->category && strcmp(bounce_category_str(r.category), e->category) != 0)
		fail_msg("%s: category %s, want %s", where, bounce_category_str(r.category), e->category);
	if (e->ip && strcmp(e->ip, "-") == 0 && r.sending_ip)
		fail_msg("%s: sending_ip %s, want none", where, r.sending_ip);
	if (e->ip && strcmp(e->ip, "-") != 0 && (r.sending_ip == NULL || strcmp(r.sending_ip, e->ip) != 0))
		fail_msg("%s: sending_ip %s, want %s", where, r.sending_ip ? r.sending_ip : "null", e->ip);
	if (e->provider && strcmp(bounce_provider_str(r.provider), e->provider) != 0)
		fail_msg("%s: provider %s, want %s", where, bounce_provider_str(r.provider), e->provider);
	if (e->code && (r.provider_code == NULL || strcmp(r.provider_code, e->code) != 0))
		fail_msg("%s: code %s, want %s", where, r.provider_code ? r.provider_code : "null", e->code);
	if (e->code && r.provider_code_meaning == NULL)
		fail_msg("%s: code %s has no meaning", where, e->code);
	if (e->status && (r.status == NULL || strcmp(r.status, e->status) != 0))
		fail_msg("%s: status %s, want %s", where, r.status ? r.status : "null", e->status);
	if (e->list) {
		bool found = false;
		for (size_t i = 0; i < r.nlists; i++)
			found |= strcmp(r.lists[i], e->list) == 0;
		if (!found)
			fail_msg("%s: list %s not reported", where, e->list);
	}
	assert_non_null(r.advice);
	json_t *j = bounce_result_to_json(&r);
	assert_non_null(j);
	json_decref(j);
	bounce_result_free(&r);
}

static void test_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof expects / sizeof expects[0]; i++)
		check_expect(&expects[i]);
}

/* Every knowledge entry compiles (the load succeeded) and shows up in the
 * evidence of at least one fixture. */
static void test_knowledge_coverage(void **state)
{
	(void)state;
	size_t n = bounce_knowledge_count(kb);
	assert_true(n > 50);
	bool *seen = calloc(n, sizeof *seen);
	assert_non_null(seen);
	/* the provider fixtures and the own corpus (written per wording family) */
	static const char *const dirs[] = {"", "own/"};
	size_t files = 0;
	for (size_t di = 0; di < sizeof dirs / sizeof dirs[0]; di++) {
		char dpath[512];
		snprintf(dpath, sizeof dpath, "%s/%s", FIXDIR, dirs[di]);
		DIR *d = opendir(dpath);
		assert_non_null(d);
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			char name[512];
			snprintf(name, sizeof name, "%s%s", dirs[di], de->d_name);
			if (!is_fixture_file(name))
				continue;
			struct bounce_result r;
			analyze_file(name, &r);
			files++;
			for (size_t e = 0; e < r.nevidence; e++) {
				const char *ev = r.evidence[e];
				if (strncmp(ev, "ip:", 3) == 0)
					ev += 3; /* "ip:rule:x: ..." credits the rule */
				for (size_t i = 0; i < n; i++) {
					const char *id = bounce_knowledge_entry_id(kb, i);
					size_t l = strlen(id);
					if (strncmp(ev, id, l) == 0 && (ev[l] == ':' || ev[l] == '\0'))
						seen[i] = true;
				}
			}
			bounce_result_free(&r);
		}
		closedir(d);
	}
	assert_true(files >= 100);
	int missing = 0;
	for (size_t i = 0; i < n; i++)
		if (!seen[i]) {
			print_error("knowledge entry never exercised: %s\n", bounce_knowledge_entry_id(kb, i));
			missing++;
		}
	free(seen);
	assert_int_equal(missing, 0);
}

static void test_bad_knowledge(void **state)
{
	(void)state;
	struct bounce_knowledge *k = NULL;
	char err[256];
	assert_int_equal(bounce_knowledge_load_err("/nonexistent", &k, err, sizeof err), PERR_NOT_FOUND);
	assert_null(k);
	char dir[] = "/tmp/test_bounce_kbXXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[512];
	snprintf(path, sizeof path, "%s/bounce_bad.hdf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("Rule {\n  broken {\n    pattern = (unclosed\n    category = blacklist\n    description = x\n  }\n}\n", f);
	fclose(f);
	assert_int_equal(bounce_knowledge_load_err(dir, &k, err, sizeof err), PERR_CONFIG);
	assert_non_null(strstr(err, "bounce_bad.hdf: Rule.broken.pattern: error at"));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Rule {\n  x {\n    pattern = a\n    category = nonsense\n    description = x\n  }\n}\n", f);
	fclose(f);
	assert_int_equal(bounce_knowledge_load_err(dir, &k, err, sizeof err), PERR_CONFIG);
	/* a provider is a Provider entry: a rule naming another one is refused */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Rule {\n  x {\n    pattern = a\n    category = blacklist\n    provider = nosuch\n"
	      "    description = x\n  }\n}\n", f);
	fclose(f);
	assert_int_equal(bounce_knowledge_load_err(dir, &k, err, sizeof err), PERR_CONFIG);
	assert_non_null(strstr(err, "rule:x: provider 'nosuch' has no Provider entry"));
	remove(path);
	rmdir(dir);
}

/* Adding a provider takes one Provider entry and no C: a bounce from its
 * servers names it, and JSON says it as written. */
static void test_provider_is_data(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_bounce_provXXXXXX", path[512], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/bounce_new.hdf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("Provider {\n  examplemail {\n    domains = mx.examplemail.test\n  }\n}\n"
	      "Rule {\n  blocked {\n    pattern = blocked by examplemail\n    category = blacklist\n"
	      "    provider = examplemail\n    description = x\n  }\n}\n", f);
	fclose(f);
	struct bounce_knowledge *k = NULL;
	assert_int_equal(bounce_knowledge_load_err(dir, &k, err, sizeof err), PERR_OK);
	const char *mail = "Subject: Undelivered\r\n\r\n550 5.7.1 blocked by examplemail\r\n";
	struct bounce_result r;
	assert_int_equal(bounce_analyze(k, mail, strlen(mail), &r), PERR_OK);
	assert_string_equal(bounce_provider_str(r.provider), "examplemail");
	bounce_result_free(&r);
	const char *plain = "Subject: Undelivered\r\n\r\n550 5.1.1 no such user\r\n";
	assert_int_equal(bounce_analyze(k, plain, strlen(plain), &r), PERR_OK);
	assert_null(r.provider);
	assert_string_equal(bounce_provider_str(r.provider), "other");
	bounce_result_free(&r);
	bounce_knowledge_free(k);
	remove(path);
	rmdir(dir);
}

/* Every rule has a literal gate: a rule without one is run over every
 * text of every bounce (too many literals, or none of 3+ bytes: split the
 * rule, as bounce_rules_words.hdf does per language). */
static void test_every_rule_gated(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < kb->nrules; i++) {
		const struct bounce_gate *g = &kb->rules[i].pat.gate;
		if (g->n == 0 || !g->in_set) {
			print_error("rule without a literal gate: %s\n", kb->rules[i].id);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_empty_and_garbage(void **state)
{
	(void)state;
	struct bounce_result r;
	assert_int_equal(bounce_analyze(kb, "", 0, &r), PERR_OK);
	assert_false(r.blacklist);
	assert_int_equal(r.category, BOUNCE_CAT_OTHER);
	assert_null(r.sending_ip);
	bounce_result_free(&r);
	assert_int_equal(bounce_analyze(kb, NULL, 0, &r), PERR_OK);
	bounce_result_free(&r);

	size_t n = 64 * 1024;
	char *g = malloc(n);
	assert_non_null(g);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		g[i] = (char)(x >> 16);
	}
	memcpy(g + 1000, "550 5.7.1 blocked using zen.spamhaus.org \xff\xfe\x00 [198.51.100.9]", 60);
	assert_int_equal(bounce_analyze(kb, g, n, &r), PERR_OK);
	json_t *j = bounce_result_to_json(&r);
	assert_non_null(j); /* every string valid UTF-8 */
	json_decref(j);
	bounce_result_free(&r);
	free(g);
}

static void test_size_limit(void **state)
{
	(void)state;
	size_t n = LIMIT_BOUNCE_MAX + 1;
	char *b = malloc(n);
	assert_non_null(b);
	memset(b, 'a', n);
	struct bounce_result r;
	assert_int_equal(bounce_analyze(kb, b, LIMIT_BOUNCE_DEFAULT + 1, &r), PERR_TOO_LARGE);
	assert_null(r.diagnostic);
	/* a caller's limit above the hard ceiling is clamped */
	assert_int_equal(bounce_analyze_max(kb, b, n, (size_t)-1, &r), PERR_TOO_LARGE);
	/* exactly the ceiling is accepted */
	assert_int_equal(bounce_analyze_max(kb, b, LIMIT_BOUNCE_MAX, LIMIT_BOUNCE_MAX, &r), PERR_OK);
	bounce_result_free(&r);
	free(b);
}

/* 100k header lines, 1000 nested multiparts, a boundary on every line:
 * all must finish (time is watched by bench/bounce-speed, not here). */
static void test_hostile_structure(void **state)
{
	(void)state;
	struct bounce_buf b = {0};
	bounce_buf_puts(&b, "From: x@example.com\nSubject: y\n");
	for (int i = 0; i < 100000; i++)
		bounce_buf_puts(&b, "X-Header: aaaaaaaa\n");
	bounce_buf_puts(&b, "\n550 5.1.1 User unknown\n");
	assert_false(b.oom);
	struct bounce_result r;
	assert_int_equal(bounce_analyze_max(kb, b.p, b.len, LIMIT_BOUNCE_MAX, &r), PERR_OK);
	assert_int_equal(r.category, BOUNCE_CAT_RECIPIENT);
	bounce_result_free(&r);
	bounce_buf_free(&b);

	bounce_buf_puts(&b, "From: x@example.com\nMIME-Version: 1.0\n");
	for (int i = 0; i < 1000; i++) {
		char line[128];
		snprintf(line, sizeof line, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
		bounce_buf_puts(&b, line);
	}
	bounce_buf_puts(&b, "Content-Type: text/plain\n\n550 blocked using bl.spamcop.net\n");
	assert_int_equal(bounce_analyze_max(kb, b.p, b.len, LIMIT_BOUNCE_MAX, &r), PERR_OK);
	bounce_result_free(&r);
	bounce_buf_free(&b);

	bounce_buf_puts(&b, "From: x@example.com\nContent-Type: multipart/mixed; boundary=\"z\"\n\n");
	for (int i = 0; i < 50000; i++)
		bounce_buf_puts(&b, "--z\n\n");
	assert_int_equal(bounce_analyze_max(kb, b.p, b.len, LIMIT_BOUNCE_MAX, &r), PERR_OK);
	bounce_result_free(&r);
	bounce_buf_free(&b);
}

static void test_ip_find(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *first; /* NULL = none */
		size_t count;
	} cases[] = {
		{"host mx[192.0.2.1] said", "192.0.2.1", 1},
		{"ip=198.51.100.7#rcp", "198.51.100.7", 1},
		{"(TCP|17.111.174.67|47323|192.0.2.225|25)", "17.111.174.67", 2},
		{"[example.org:192.0.2.2]", "192.0.2.2", 1},
		{"from 192.0.2.1.", "192.0.2.1", 1},
		{"4.16.55.1 is an address by form", "4.16.55.1", 1},
		{"4.16.55.1.7 is not", NULL, 0},
		{"mx1.192.0.2.1.example", NULL, 0},
		{"1.2.3.4-dsl", NULL, 0},
		{"300.1.1.1", NULL, 0},
		{"2401:2500:102:3032:192.0.2.222", NULL, 0},
		{"(localhost [IPv6:::1])", "::1", 1},
		{"[IPv6:2001:DB8::1]", "2001:db8::1", 1},
		{"[2001:db8::25      13]", "2001:db8::25", 1},
		{"at 23:45:00 today", NULL, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bounce_ip ips[4];
		size_t n = bounce_ip_find(cases[i].text, strlen(cases[i].text), ips, 4);
		if (n != cases[i].count)
			fail_msg("'%s': %zu addresses, want %zu", cases[i].text, n, cases[i].count);
		if (cases[i].first)
			assert_string_equal(ips[0].text, cases[i].first);
	}
	assert_true(bounce_ip_is_special("127.0.0.2"));
	assert_false(bounce_ip_is_special("198.51.100.1"));
}

/* The bounds the literal windows rest on (bounce_gate.c). */
static void test_gate_bounds(void **state)
{
	(void)state;
	static const struct {
		const char *re;
		int maxlen;
	} ml[] = {
		{"abc", 3},
		{"a(?:bc|defg)?h", 6},
		{"x{2,5}y", 6},
		{"[a-z]{1,64} account", 72},
		{"\\bfoo\\b", 3},
		{"(?<ip>[0-9a-f.:]{7,45})\\]? has", 50},
		{"(?<!IP )sender", 6},
		{"a+b", -1},
		{"a{3,}", -1},
		{"(a)\\1", -1},
		{"(?x) a b", -1},
		{"\\r\\n|\\R", 2},
	};
	for (size_t i = 0; i < sizeof ml / sizeof ml[0]; i++)
		if (bounce_gate_maxlen(ml[i].re) != ml[i].maxlen)
			fail_msg("maxlen of %s: %d, want %d", ml[i].re, bounce_gate_maxlen(ml[i].re), ml[i].maxlen);
	struct bounce_gate g;
	bounce_gate_derive("host (?:or domain name )?not found|no such domain", &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.lit[0], "not found");
	assert_int_equal(g.pre[0], 20);
	assert_string_equal(g.lit[1], "no such domain");
	assert_int_equal(g.pre[1], 0);
	bounce_gate_derive("mimecast[^\\n]{0,120}?RBL|RBL[^\\n]{0,120}?mimecast", &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.pre[0], 123);
	bounce_gate_derive(".*mimecast", &g);
	assert_int_equal(g.pre[0], -1);
}

/* One pass finds what a search per literal finds. */
static void test_litset_scan(void **state)
{
	(void)state;
	static const char *const lits[] = {"ip", "is", "spam", "spamhaus", "user", "use", "abc", "bca"};
	struct bounce_litset *set = calloc(1, sizeof *set);
	assert_non_null(set);
	struct bounce_gate g[8];
	for (size_t i = 0; i < 8; i++) {
		memset(&g[i], 0, sizeof g[i]);
		g[i].n = 1;
		g[i].len[0] = (unsigned char)strlen(lits[i]);
		memcpy(g[i].lit[0], lits[i], strlen(lits[i]) + 1);
		bounce_litset_add(set, &g[i]);
		assert_true(g[i].in_set);
	}
	bounce_litset_finish(set);
	struct bounce_occs o;
	memset(&o, 0, sizeof o);
	srand(42);
	const char alpha[] = "aBcIpSsUeRhm ";
	char text[200];
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand() % 120);
		for (size_t i = 0; i < n; i++)
			text[i] = alpha[rand() % (int)(sizeof alpha - 1)];
		size_t from = n ? (size_t)rand() % n : 0, to = from + (n > from ? (size_t)rand() % (n - from + 1) : 0);
		bounce_litset_scan(set, text, from, to, &o);
		size_t k = 0;
		for (size_t pos = from; pos < to; pos++)
			for (size_t l = 0; l < 8; l++) {
				size_t ll = strlen(lits[l]);
				if (pos + ll > to || strncasecmp(text + pos, lits[l], ll) != 0)
					continue;
				bool found = false;
				for (size_t j = 0; j < o.nocc; j++)
					found |= o.occ[j].pos == pos && strcmp(set->lit[o.occ[j].lit], lits[l]) == 0;
				if (!found)
					fail_msg("'%.*s': %s at %zu not found", (int)n, text, lits[l], pos);
				k++;
			}
		assert_int_equal(o.nocc, k);
		for (size_t j = 1; j < o.nocc; j++)
			assert_true(o.occ[j - 1].pos <= o.occ[j].pos);
		for (size_t l = 0; l < 8; l++) {
			bool any = false;
			for (uint32_t x = o.nocc ? o.first[g[l].id[0]] : BOUNCE_OCC_NONE; x != BOUNCE_OCC_NONE && bounce_gate_any(set, &g[l], &o); x = o.occ[x].next) {
				assert_int_equal(o.occ[x].lit, g[l].id[0]);
				any = true;
			}
			assert_true(any == bounce_gate_any(set, &g[l], &o));
		}
	}
	bounce_occs_free(&o);
	free(set);
}

/* For every pattern of the knowledge and every match in the fixtures:
 * the match holds one of the pattern's gate literals, no further into it
 * than that literal's bound, and is no longer than the pattern's longest
 * match. The analyzer skips text on the strength of exactly this. */
static void check_pattern_sound(const char *id, const struct kb_pattern *p, const char *text, size_t n,
                                pcre2_match_data *md)
{
	const struct bounce_gate *g = &p->gate;
	if (p->re == NULL || g->n == 0)
		return;
	for (size_t start = 0; start <= n;) {
		if (pcre2_match(p->re, (PCRE2_SPTR)text, n, start, 0, md, NULL) < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		size_t ms = ov[0], me = ov[1];
		if (g->maxlen >= 0 && me - ms > (size_t)g->maxlen)
			fail_msg("%s: match of %zu bytes, longest allowed %d", id, me - ms, g->maxlen);
		bool ok = false;
		for (int i = 0; i < g->n && !ok; i++)
			for (size_t d = 0; ms + d + g->len[i] <= me && !ok; d++)
				if (strncasecmp(text + ms + d, g->lit[i], g->len[i]) == 0 &&
				    (g->pre[i] < 0 || d <= (size_t)g->pre[i]))
					ok = true;
		if (!ok)
			fail_msg("%s: match '%.*s' holds none of its gate literals within bounds", id,
			         (int)(me - ms), text + ms);
		start = me > ms ? me : ms + 1;
	}
}

static void test_gate_sound(void **state)
{
	(void)state;
	pcre2_match_data *md = pcre2_match_data_create(kb->max_groups, NULL);
	assert_non_null(md);
	DIR *d = opendir(FIXDIR);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!is_fixture_file(de->d_name))
			continue;
		char path[512];
		size_t n = 0;
		snprintf(path, sizeof path, "%s/%s", FIXDIR, de->d_name);
		char *t = slurp(path, &n);
		assert_non_null(t);
#define CHECK(arr, cnt) \
	for (size_t i = 0; i < kb->cnt; i++) \
		check_pattern_sound(kb->arr[i].id, &kb->arr[i].pat, t, n, md)
		CHECK(rules, nrules);
		CHECK(providers, nproviders);
		CHECK(lists, nlists);
		CHECK(ipctx, nipctx);
		CHECK(receivers, nreceivers);
#undef CHECK
		free(t);
	}
	closedir(d);
	pcre2_match_data_free(md);
}

static void test_decoders(void **state)
{
	(void)state;
	struct bounce_buf b = {0};
	const char *qp = "Client host [203.0.11=\n3.25] =E9t=C3=A9 =3D soft=  \nbreak =ZZ";
	bounce_decode_qp(qp, strlen(qp), &b);
	assert_string_equal(b.p, "Client host [203.0.113.25] \xe9t\xc3\xa9 = softbreak =ZZ");
	bounce_buf_free(&b);
	bounce_decode_base64("NTUw\nIDUuNy4x", 13, &b);
	assert_string_equal(b.p, "550 5.7.1");
	bounce_buf_free(&b);
	bounce_mime_normalize_eol("a\r\nb\rc\n\r", 8, &b);
	assert_string_equal(b.p, "a\nb\nc\n\n");
	bounce_buf_free(&b);
	bounce_decode_charset("Z\xfc", 2, "iso-8859-1", &b);
	assert_string_equal(b.p, "Z\xc3\xbc");
	bounce_buf_free(&b);
	const char *html = "<p>550&nbsp;blocked</p><style>x{}</style><br>ok &amp; done";
	bounce_decode_html(html, strlen(html), &b);
	assert_non_null(strstr(b.p, "550 blocked"));
	assert_null(strstr(b.p, "x{}"));
	assert_non_null(strstr(b.p, "ok & done"));
	bounce_buf_free(&b);
	char out[16];
	assert_int_equal(bounce_utf8_sanitize("a\xff\xc3\xa9\x01", 5, out), 5);
	assert_string_equal(out, "a?\xc3\xa9?");
}

static void test_reply_parse(void **state)
{
	(void)state;
	int code;
	char st[16];
	static const struct {
		const char *s;
		int code;
		const char *status;
	} cases[] = {
		{"550-5.7.1 [192.0.2.1 13] blocked", 550, "5.7.1"},
		{"421 4.7.0 [TSS04] Messages deferred - 4.16.55.1; see", 421, "4.7.0"},
		{"host mx [192.0.2.20]: 550 5.1.1 <a@b>... User Unknown", 550, "5.1.1"},
		{"MAIL FROM:<a@b> SIZE=1543: 554 no", 554, ""},
		{"Status: 5.1.10", 0, "5.1.10"},
		{"no code here 2019", 0, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bounce_reply_parse(cases[i].s, strlen(cases[i].s), &code, st);
		if (code != cases[i].code || strcmp(st, cases[i].status) != 0)
			fail_msg("'%s': %d %s", cases[i].s, code, st);
	}
}

static int setup(void **state)
{
	(void)state;
	char err[512];
	if (bounce_knowledge_load_err(KBDIR, &kb, err, sizeof err) != PERR_OK) {
		fprintf(stderr, "knowledge: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bounce_knowledge_free(kb);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_knowledge_coverage),
		cmocka_unit_test(test_bad_knowledge),
		cmocka_unit_test(test_provider_is_data),
		cmocka_unit_test(test_every_rule_gated),
		cmocka_unit_test(test_empty_and_garbage),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_hostile_structure),
		cmocka_unit_test(test_ip_find),
		cmocka_unit_test(test_decoders),
		cmocka_unit_test(test_reply_parse),
		cmocka_unit_test(test_gate_bounds),
		cmocka_unit_test(test_litset_scan),
		cmocka_unit_test(test_gate_sound),
	};
	return cmocka_run_group_tests_name("bounce", tests, setup, teardown);
}
