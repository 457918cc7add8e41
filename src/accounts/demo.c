#include "demo.h"
#include "core/log.h"
#include "core/password.h"
#include "store/store.h"
#include "store/store_auth.h"

static enum perr add_user(struct store *st, const char *login, const char *pw,
			  const char *role, long long customer_id)
{
	if (store_user_exists(st, login))
		return PERR_OK;
	char hash[PASSWORD_HASH_MAX];
	enum perr rc = password_hash(pw, hash);
	if (rc == PERR_OK)
		rc = store_user_add(st, login, hash, role, customer_id, NULL);
	return rc;
}

enum perr demo_seed(struct store *st)
{
	long long customer = 0;
	enum perr rc = store_begin(st);
	if (rc != PERR_OK)
		return rc;
	if ((rc = store_customer_ensure(st, DEMO_CUSTOMER_NAME, &customer)) != PERR_OK ||
	    (rc = add_user(st, DEMO_CUSTOMER_LOGIN, DEMO_CUSTOMER_PASSWORD, "customer", customer)) != PERR_OK ||
	    (rc = add_user(st, DEMO_ADMIN_LOGIN, DEMO_ADMIN_PASSWORD, "admin", 0)) != PERR_OK) {
		store_rollback(st);
		log_event(LOG_ERROR, NULL, "demo seed failed: %s", perr_str(rc));
		return rc;
	}
	if ((rc = store_commit(st)) != PERR_OK)
		return rc;
	return demo_seed_forwards(st);
}
