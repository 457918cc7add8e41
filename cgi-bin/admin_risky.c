/* Risky forwards by customer, for the admin dashboard (issue 14): the
 * counts alone do not say whom to call. */
#include <stdio.h>

#include "admin_risky.h"
#include "app.h"
#include "http.h"
#include "render.h"
#include "accounts/knowledge_isp.h"
#include "core/log.h"
#include "store/store_forwards.h"

struct risky_fill {
	struct request *req;
	struct view *v;
	int n;            /* listed */
	long long total;  /* risky and on, listed or not */
};

static int add_risky(void *ctx, const struct fwd_row *r)
{
	struct risky_fill *f = ctx;
	const struct isp_provider *p = isp_lookup_address(f->req->app->isp, r->destination);
	if (!r->active || p == NULL || !p->risky)
		return 0;
	f->total++;
	if (f->n >= ADMIN_RISKY_SHOWN)
		return 0;
	char k[64];
#define SETR(field, val) (snprintf(k, sizeof k, "admin.risky.%d." field, f->n), view_set(f->v, k, val))
	SETR("customer", r->customer);
	SETR("address", r->address);
	SETR("destination", r->destination);
	SETR("provider", p->name);
#undef SETR
	f->n++;
	return 0;
}

void admin_risky_fill(struct request *req, struct view *v)
{
	struct risky_fill f = { req, v, 0, 0 };
	if (store_forwards_list(req->app->store, 0, add_risky, &f) != PERR_OK)
		log_event(LOG_WARN, req->ref, "dashboard: risky forwards not listed");
	view_set_int(v, "admin.risky_count", f.total);
	view_set_int(v, "admin.risky_shown", f.n);
}
