#include <sodium.h>
#include <string.h>

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
