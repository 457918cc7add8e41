#include <sodium.h>
#include <string.h>

#include "password.h"

/* Interactive limits: ~50 ms and 64 MiB per hash on this class of machine,
 * acceptable for a login and expensive for an attacker with a dump. */
#define PW_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static int init_sodium(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

enum perr password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	size_t n = strlen(password);
	if (n < PASSWORD_MIN_LEN || n > PASSWORD_MAX_LEN)
		return PERR_INVALID;
	if (init_sodium() != 0)
		return PERR_INTERNAL;
	if (crypto_pwhash_str(out, password, n, PW_OPS, PW_MEM) != 0)
		return PERR_NOMEM;
	return PERR_OK;
}

int password_verify(const char *hash, const char *password)
{
	if (init_sodium() != 0 || hash == NULL || password == NULL)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* A fixed hash of a random string: verifying against it costs what a real
 * verify costs and always fails. */
static char dummy[PASSWORD_HASH_MAX];

void password_warm(void)
{
	if (dummy[0] != '\0' || init_sodium() != 0)
		return;
	char random_pw[33];
	unsigned char raw[16];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(random_pw, sizeof random_pw, raw, sizeof raw);
	if (crypto_pwhash_str(dummy, random_pw, strlen(random_pw), PW_OPS, PW_MEM) != 0)
		dummy[0] = '\0';
}

void password_burn(const char *password)
{
	password_warm();
	(void)password_verify(dummy, password);
}
