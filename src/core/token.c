#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "token.h"

enum perr token_init(void)
{
	return sodium_init() < 0 ? PERR_INTERNAL : PERR_OK;
}

enum perr token_random(char *out, size_t outlen, size_t nbytes)
{
	if (outlen > 0)
		out[0] = '\0';
	if (nbytes == 0 || nbytes > TOKEN_MAX_BYTES || outlen < TOKEN_CHARS(nbytes) + 1)
		return PERR_INVALID;
	if (token_init() != PERR_OK)
		return PERR_INTERNAL;
	unsigned char raw[TOKEN_MAX_BYTES];
	randombytes_buf(raw, nbytes);
	sodium_bin2base64(out, outlen, raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return PERR_OK;
}

void token_sha256(const char *s, uint8_t out[TOKEN_SHA256_BYTES])
{
	crypto_hash_sha256(out, (const unsigned char *)s, strlen(s));
}

void token_sha256_hex(const char *s, char out[TOKEN_SHA256_HEX])
{
	uint8_t raw[TOKEN_SHA256_BYTES];
	token_sha256(s, raw);
	sodium_bin2hex(out, TOKEN_SHA256_HEX, raw, sizeof raw);
}

int token_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void token_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

void token_random_bytes(uint8_t *out, size_t n)
{
	randombytes_buf(out, n);
}

enum perr token_derive(const char *secret, const char *label, char *out, size_t outlen)
{
	if (outlen > 0)
		out[0] = '\0';
	if (outlen < TOKEN_CHARS(TOKEN_SHA256_BYTES) + 1)
		return PERR_INVALID;
	if (token_init() != PERR_OK)
		return PERR_INTERNAL;
	/* keyed BLAKE2b with the secret as the key: without the secret the
	 * value cannot be made, and it tells nothing about the secret */
	unsigned char raw[TOKEN_SHA256_BYTES];
	size_t kl = strlen(secret);
	if (kl < crypto_generichash_KEYBYTES_MIN || kl > crypto_generichash_KEYBYTES_MAX)
		return PERR_INVALID;
	crypto_generichash(raw, sizeof raw, (const unsigned char *)label, strlen(label), (const unsigned char *)secret,
			   kl);
	sodium_bin2base64(out, outlen, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return PERR_OK;
}

/* HMAC-SHA256 of msg under key, URL-safe base64 without padding. */
void token_hmac(const uint8_t key[TOKEN_KEY_BYTES], const char *msg, char out[TOKEN_HMAC_CHARS + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, TOKEN_KEY_BYTES);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, TOKEN_HMAC_CHARS + 1, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(&st, sizeof st);
}

/* Writes a new random secret to a file of its own next to path (mode
 * 0600, mkstemp: a file left by a crash never blocks the next start) and
 * links it to path; losing the race to another worker is fine. Returns
 * PERR_OK or PERR_IO. */
static enum perr secret_create(const char *path)
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= sizeof tmp)
		return PERR_IO;
	unsigned char raw[TOKEN_KEY_BYTES];
	randombytes_buf(raw, sizeof raw);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return PERR_IO;
	int ok = write(fd, raw, sizeof raw) == (ssize_t)sizeof raw && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	sodium_memzero(raw, sizeof raw);
	if (ok && link(tmp, path) != 0 && errno != EEXIST)
		ok = 0;
	unlink(tmp);
	return ok ? PERR_OK : PERR_IO;
}

enum perr token_secret_load(const char *path, uint8_t key[TOKEN_KEY_BYTES])
{
	if (token_init() != PERR_OK)
		return PERR_INTERNAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		enum perr rc = secret_create(path);
		if (rc != PERR_OK)
			return rc;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return PERR_IO;
	unsigned char extra;
	ssize_t n = read(fd, key, TOKEN_KEY_BYTES);
	ssize_t more = n == TOKEN_KEY_BYTES ? read(fd, &extra, 1) : 0;
	close(fd);
	if (n < 0 || more < 0)
		return PERR_IO;
	return n == TOKEN_KEY_BYTES && more == 0 ? PERR_OK : PERR_INVALID;
}
