/* src/core/token: random tokens have the size and alphabet asked for and
 * differ; bad sizes are refused; SHA-256 matches the FIPS 180-2 vectors in
 * hex and raw; the constant-time compare tells equal from unequal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/token.h"

/* 1 when every character of s is base64url (no padding). */
static int base64url(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static void test_random_sizes(void **state)
{
	(void)state;
	static const struct { size_t nbytes; size_t chars; } cases[] = {
		{ 1, 2 }, { 3, 4 }, { 24, 32 }, { 32, 43 }, { TOKEN_MAX_BYTES, 64 },
	};
	assert_int_equal(token_init(), PERR_OK);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char a[TOKEN_CHARS(TOKEN_MAX_BYTES) + 1], b[sizeof a];
		assert_int_equal(TOKEN_CHARS(cases[i].nbytes), cases[i].chars);
		assert_int_equal(token_random(a, sizeof a, cases[i].nbytes), PERR_OK);
		assert_int_equal(token_random(b, sizeof b, cases[i].nbytes), PERR_OK);
		assert_int_equal(strlen(a), cases[i].chars);
		assert_true(base64url(a));
		if (cases[i].nbytes >= 16)
			assert_string_not_equal(a, b);   /* 128+ random bits never repeat */
	}
}

static void test_random_refused(void **state)
{
	(void)state;
	static const struct { size_t outlen, nbytes; } cases[] = {
		{ 64, 0 },                       /* nothing to make */
		{ 128, TOKEN_MAX_BYTES + 1 },    /* above the maximum */
		{ 43, 32 },                      /* no room for the NUL */
		{ 10, 32 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[128] = "unchanged";
		assert_int_equal(token_random(out, cases[i].outlen, cases[i].nbytes), PERR_INVALID);
		assert_string_equal(out, "");
	}
}

static void test_sha256(void **state)
{
	(void)state;
	static const struct { const char *in, *hex; } cases[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char hex[TOKEN_SHA256_HEX];
		uint8_t raw[TOKEN_SHA256_BYTES];
		token_sha256_hex(cases[i].in, hex);
		assert_string_equal(hex, cases[i].hex);
		token_sha256(cases[i].in, raw);
		for (size_t j = 0; j < sizeof raw; j++) {
			unsigned byte = 0;
			sscanf(cases[i].hex + 2 * j, "%2x", &byte);
			assert_int_equal(raw[j], byte);
		}
	}
}

/* Derived tokens: the same secret and label give the same token, another
 * secret or label another one; the secret's size is checked. */
static void test_derive(void **state)
{
	(void)state;
	const char *sid = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg";
	char a[64], b[64], c[64], d[64];
	assert_int_equal(token_derive(sid, "csrf", a, sizeof a), PERR_OK);
	assert_int_equal(token_derive(sid, "csrf", b, sizeof b), PERR_OK);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), TOKEN_CHARS(TOKEN_SHA256_BYTES));
	assert_int_equal(token_derive(sid, "other", c, sizeof c), PERR_OK);
	assert_string_not_equal(a, c);
	assert_int_equal(token_derive("Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXh", "csrf", d, sizeof d), PERR_OK);
	assert_string_not_equal(a, d);
	assert_string_not_equal(a, sid);
	assert_int_equal(token_derive("short", "csrf", d, sizeof d), PERR_INVALID);
	assert_int_equal(token_derive(sid, "csrf", d, 10), PERR_INVALID);
}

static void test_equal_and_wipe(void **state)
{
	(void)state;
	static const struct { const char *a, *b; size_t n; int want; } cases[] = {
		{ "same-token", "same-token", 10, 1 },
		{ "same-token", "same-tokeN", 10, 0 },
		{ "Xame-token", "same-token", 10, 0 },
		{ "abc", "abd", 2, 1 },          /* only n bytes count */
		{ "", "", 0, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(token_equal(cases[i].a, cases[i].b, cases[i].n), cases[i].want);
	char secret[] = "do not keep me";
	token_wipe(secret, sizeof secret);
	for (size_t i = 0; i < sizeof secret; i++)
		assert_int_equal(secret[i], 0);
}

/* RFC 4231 cases 1 and 2: HMAC pads a short key with zeros, so the
 * 20- and 4-byte keys are the same as these 32-byte ones. */
static void test_hmac_vectors(void **state)
{
	(void)state;
	static const struct { const char *key; size_t klen; const char *msg; const char *mac; } cases[] = {
		{ "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b", 20,
		  "Hi There", "sDRMYdjbOFNcqK_OrwvxK4gdwgDJgz2nJuk3bC4yz_c" },
		{ "Jefe", 4, "what do ya want for nothing?", "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t key[TOKEN_KEY_BYTES] = { 0 };
		memcpy(key, cases[i].key, cases[i].klen);
		char out[TOKEN_HMAC_CHARS + 1];
		token_hmac(key, cases[i].msg, out);
		assert_string_equal(out, cases[i].mac);
	}
}

/* The secret file is made once (0600, 32 bytes) and read back the same;
 * a file of the wrong size is refused, a missing directory is PERR_IO. */
static void test_secret_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_token.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], bad[128];
	snprintf(path, sizeof path, "%s/key", dir);
	snprintf(bad, sizeof bad, "%s/bad", dir);
	uint8_t a[TOKEN_KEY_BYTES], b[TOKEN_KEY_BYTES];
	assert_int_equal(token_secret_load(path, a), PERR_OK);
	assert_int_equal(token_secret_load(path, b), PERR_OK);
	assert_memory_equal(a, b, sizeof a);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, TOKEN_KEY_BYTES);
	FILE *f = fopen(bad, "w");
	assert_non_null(f);
	fputs("short", f);
	fclose(f);
	assert_int_equal(token_secret_load(bad, b), PERR_INVALID);
	assert_int_equal(token_secret_load("/nonexistent-dir/key", b), PERR_IO);
	unlink(path);
	unlink(bad);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sizes),
		cmocka_unit_test(test_random_refused),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_equal_and_wipe),
		cmocka_unit_test(test_hmac_vectors),
		cmocka_unit_test(test_secret_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
