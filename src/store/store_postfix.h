/* Postfix's own lookup file (postfix.db_path): forwards only. */
#ifndef PORTAL_STORE_POSTFIX_H
#define PORTAL_STORE_POSTFIX_H

#include "store.h"

/* Attaches the file at path (created 0640 if missing) and copies every
 * active forward into it; from then on every forward change updates it in
 * the same transaction. An empty or NULL path does nothing (Postfix then
 * reads the view in the main database, as before). Returns PERR_OK or
 * PERR_DB (logged). */
enum perr store_postfix_attach(struct store *st, const char *path);

/* store_open(db_path) then store_postfix_attach(postfix_path): the
 * connection every program that changes forwards uses. On failure nothing
 * stays open and the error is logged. */
enum perr store_open_with_postfix(const char *db_path, const char *postfix_path, struct store **out);

#endif
