/* Password hashing with libsodium's argon2id (crypto_pwhash_str). */
#ifndef PORTAL_PASSWORD_H
#define PORTAL_PASSWORD_H

#include <stddef.h>
#include "err.h"

#define PASSWORD_HASH_MAX 128   /* >= crypto_pwhash_STRBYTES */
#define PASSWORD_MIN_LEN 8
#define PASSWORD_MAX_LEN 256

/* Hashes password into out (NUL-terminated). PERR_INVALID for a password
 * outside PASSWORD_MIN_LEN..PASSWORD_MAX_LEN, PERR_NOMEM when argon2id
 * could not get its memory. */
enum perr password_hash(const char *password, char out[PASSWORD_HASH_MAX]);

/* 1 when password matches the stored hash, 0 otherwise. */
int password_verify(const char *hash, const char *password);

/* Burns the same time as a verify, for unknown logins (no enumeration). */
void password_burn(const char *password);

/* Prepares password_burn's dummy hash, so that even the first unknown
 * login of a process costs one hash, not two. Workers call it at start. */
void password_warm(void);

#endif
