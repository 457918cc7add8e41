/* Demo forwards: the bakery forwards to AOL, Comcast and Gmail (risky) and
 * to its bookkeeper and its own staff (safe); a second customer, the
 * florist, forwards to Yahoo and verizon.net. Added through the same import
 * path as `portalctl forward import`; existing rows are left alone. */
#include <string.h>

#include "demo.h"
#include "forwards_import.h"
#include "core/log.h"
#include "core/password.h"
#include "store/store_auth.h"
#include "store/store_forwards.h"

static const char demo_map[] =
	"# demo data (demo.seed = 1)\n"
	"info@" DEMO_DOMAIN "    owner.bakery@aol.com, info@" DEMO_DOMAIN "\n"
	"orders@" DEMO_DOMAIN "  bakery.orders@comcast.net,\n"
	"    accounts@bookkeeping.example\n"
	"jobs@" DEMO_DOMAIN "    hiring.bakery@gmail.com\n"
	"team@" DEMO_DOMAIN "    chef@" DEMO_DOMAIN ", baker@" DEMO_DOMAIN "\n"
	"shop@" DEMO_OTHER_DOMAIN "   florist.owner@yahoo.com\n"
	"hello@" DEMO_OTHER_DOMAIN "  hello.harbor@verizon.net\n";

static enum perr seed_other(struct store *st, long long *bakery, long long *florist)
{
	enum perr rc = store_customer_ensure(st, DEMO_CUSTOMER_NAME, bakery);
	if (rc == PERR_OK)
		rc = store_customer_ensure(st, DEMO_OTHER_NAME, florist);
	if (rc == PERR_OK && !store_user_exists(st, DEMO_OTHER_LOGIN)) {
		char hash[PASSWORD_HASH_MAX];
		rc = password_hash(DEMO_OTHER_PASSWORD, hash);
		if (rc == PERR_OK)
			rc = store_user_add(st, DEMO_OTHER_LOGIN, hash, "customer", *florist, NULL);
	}
	if (rc == PERR_OK)
		rc = store_domain_add(st, DEMO_DOMAIN, *bakery, NULL);
	if (rc == PERR_OK)
		rc = store_domain_add(st, DEMO_OTHER_DOMAIN, *florist, NULL);
	return rc;
}

enum perr demo_seed_forwards(struct store *st)
{
	long long bakery = 0, florist = 0;
	enum perr rc = store_begin(st);
	if (rc != PERR_OK)
		return rc;
	if ((rc = seed_other(st, &bakery, &florist)) != PERR_OK) {
		store_rollback(st);
		log_event(LOG_ERROR, NULL, "demo seed (customers, domains) failed: %s", perr_str(rc));
		return rc;
	}
	if ((rc = store_commit(st)) != PERR_OK)
		return rc;
	struct fwd_map map;
	struct fwd_error err;
	rc = forwards_parse(demo_map, sizeof demo_map - 1, &map, &err);
	if (rc == PERR_OK) {
		struct fwd_actor who = { 0, "demo", "setup" };
		rc = store_forwards_import(st, &map, &who, NULL, &err);
	}
	forwards_map_free(&map);
	if (rc != PERR_OK)
		log_event(LOG_ERROR, NULL, "demo seed (forwards) failed: %s: %s", perr_str(rc), err.message);
	return rc;
}
