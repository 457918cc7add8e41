/* Users and sessions in the store. */
#ifndef PORTAL_STORE_AUTH_H
#define PORTAL_STORE_AUTH_H

#include <stdint.h>
#include "store.h"

#define AUTH_LOGIN_MAX 64
#define AUTH_HASH_MAX 128   /* crypto_pwhash_STRBYTES */

struct auth_user {
	long long id;
	long long customer_id;      /* 0 for admins */
	char login[AUTH_LOGIN_MAX + 1];
	char role[16];              /* "customer" or "admin" */
	char customer_name[128];
	int disabled;
};

/* The live session whose id hashes to id_hash (32 bytes), joined with its
 * enabled user. Fills *user and csrf (>= 64 bytes). PERR_NOT_FOUND when
 * absent, expired or the user is disabled. */
enum perr store_session_lookup(struct store *st, const uint8_t id_hash[32], long long now,
			       struct auth_user *user, char *csrf, size_t csrflen);

/* Returns the id of the customer called name, creating it if needed. */
enum perr store_customer_ensure(struct store *st, const char *name, long long *id);

/* Adds a user; PERR_INVALID when the login is taken. customer_id 0 = none. */
enum perr store_user_add(struct store *st, const char *login, const char *password_hash,
			 const char *role, long long customer_id, long long *id);

/* 1 when a user with this login exists (any state). */
int store_user_exists(struct store *st, const char *login);

/* --- accounts and sessions (issue 6) --- */

/* The user with this login (case-insensitive, any state) and its password
 * hash (>= AUTH_HASH_MAX bytes). PERR_NOT_FOUND when there is none. */
enum perr store_user_by_login(struct store *st, const char *login, struct auth_user *user,
			      char *hash, size_t hashlen);

/* Replaces a user's password hash and ends all their sessions. */
enum perr store_user_set_password(struct store *st, const char *login, const char *password_hash);

/* Disables (1) or enables (0) a user; disabling ends all their sessions. */
enum perr store_user_set_disabled(struct store *st, const char *login, int disabled);

/* The id of the customer called name; PERR_NOT_FOUND when absent. */
enum perr store_customer_find(struct store *st, const char *name, long long *id);

/* Stores a new session: id_hash is the SHA-256 of the id in the cookie. */
enum perr store_session_create(struct store *st, const uint8_t id_hash[32], long long user_id,
			       const char *csrf, const char *client, long long expires);

/* Deletes one session (logout, rotation); absent is not an error. */
enum perr store_session_delete(struct store *st, const uint8_t id_hash[32]);

/* Deletes sessions that expired before now. */
enum perr store_sessions_purge(struct store *st, long long now, long long *removed);

#endif
