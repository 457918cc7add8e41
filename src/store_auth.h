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

#endif
