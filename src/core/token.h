/* Random tokens, SHA-256 and constant-time comparison: the one owner of
 * libsodium besides the password module (src/core/password.c). Session
 * ids, CSRF tokens, report holder secrets and report tokens are all made
 * by token_random(); each caller names the size of what it makes. */
#ifndef PORTAL_TOKEN_H
#define PORTAL_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define TOKEN_MAX_BYTES 48                 /* largest token token_random() makes */
#define TOKEN_CHARS(nbytes) (((nbytes) * 4 + 2) / 3)   /* unpadded base64url length */
#define TOKEN_SHA256_BYTES 32
#define TOKEN_SHA256_HEX (2 * TOKEN_SHA256_BYTES + 1)  /* hex digest with its NUL */
#define TOKEN_KEY_BYTES 32                 /* a server secret for token_hmac() */
#define TOKEN_HMAC_CHARS TOKEN_CHARS(32)   /* 43: HMAC-SHA256 as base64url */

/* Starts the library (idempotent, thread-safe). Returns PERR_OK, or
 * PERR_INTERNAL when libsodium will not start (no entropy source). */
enum perr token_init(void);

/* Writes nbytes (1..TOKEN_MAX_BYTES) random bytes into out as unpadded
 * base64url (TOKEN_CHARS(nbytes) characters and a NUL). Returns PERR_OK,
 * or PERR_INVALID when nbytes is out of range or outlen too small (out is
 * then the empty string). */
enum perr token_random(char *out, size_t outlen, size_t nbytes);

/* SHA-256 of the NUL-terminated string s, raw or as lowercase hex. */
void token_sha256(const char *s, uint8_t out[TOKEN_SHA256_BYTES]);
/* A token made from a secret (16 to 64 bytes of text) for one purpose
 * (label): keyed BLAKE2b, base64url, 43 characters. The same secret and
 * label always give the same token; it cannot be made without the
 * secret. PERR_INVALID for a short out or a secret of the wrong size. */
enum perr token_derive(const char *secret, const char *label, char *out, size_t outlen);
/* n random bytes (libsodium's generator) into out. */
void token_random_bytes(uint8_t *out, size_t n);
void token_sha256_hex(const char *s, char out[TOKEN_SHA256_HEX]);

/* HMAC-SHA256 of the NUL-terminated msg under key, as unpadded base64url
 * (TOKEN_HMAC_CHARS characters and a NUL) in out. */
void token_hmac(const uint8_t key[TOKEN_KEY_BYTES], const char *msg, char out[TOKEN_HMAC_CHARS + 1]);

/* Loads the server secret kept in the file path (TOKEN_KEY_BYTES raw
 * bytes, mode 0600), creating it with random bytes the first time; the
 * file appears whole or not at all (written aside, then linked), so
 * workers starting together agree on one secret. Returns PERR_OK, PERR_IO
 * when the file cannot be made or read, PERR_INVALID when it has the wrong
 * size, PERR_INTERNAL without an entropy source. */
enum perr token_secret_load(const char *path, uint8_t key[TOKEN_KEY_BYTES]);

/* 1 when the n bytes at a and b are equal, in time independent of where
 * they differ; 0 otherwise. */
int token_equal(const void *a, const void *b, size_t n);

/* Overwrites n bytes at p with zeros in a way the compiler keeps (for
 * secrets that leave scope). */
void token_wipe(void *p, size_t n);

#endif
