/* The purge steps: reports past their retention, expired sessions, old
 * audit lines, stale throttle and check-rate rows. */
#include "core/limits.h"
#include "purge.h"
#include "store/store_auth.h"
#include "store/store_deliveries.h"
#include "store/store_forwards.h"
#include "store/store_reports.h"
#include "store/store_throttle.h"
#include "core/time_span.h"

static enum perr purge_sessions(struct store *st, const struct config *cfg, long long now, long long *removed)
{
	(void)cfg;
	return store_sessions_purge(st, now, removed);
}

static enum perr purge_audit(struct store *st, const struct config *cfg, long long now, long long *removed)
{
	(void)cfg;
	return store_audit_purge(st, now - (long long)LIMIT_AUDIT_KEEP_DAYS * SECONDS_PER_DAY, removed);
}

static enum perr purge_throttle(struct store *st, const struct config *cfg, long long now, long long *removed)
{
	(void)cfg;
	/* the longest window of any throttle rule */
	return store_throttle_purge(st, now, LIMIT_LOGIN_PAIR_WINDOW_S, removed);
}

static enum perr purge_reports(struct store *st, const struct config *cfg, long long now, long long *removed)
{
	return store_report_purge(st, now - (long long)cfg->retention_days * SECONDS_PER_DAY, removed);
}

/* Deliveries read from the mail logs follow the reports' retention. */
static enum perr purge_deliveries(struct store *st, const struct config *cfg, long long now, long long *removed)
{
	return store_delivery_purge(st, now - (long long)cfg->retention_days * SECONDS_PER_DAY, removed);
}

const struct purge_step purge_steps[] = {
	{ "reports", purge_reports },
	{ "deliveries", purge_deliveries },
	{ "sessions", purge_sessions },
	{ "audit", purge_audit },
	{ "throttle", purge_throttle },
	{ NULL, NULL },
};

enum perr purge_run(struct store *st, const struct config *cfg, long long now,
		    void (*report)(void *ctx, const char *step, long long removed), void *ctx)
{
	for (const struct purge_step *p = purge_steps; p->name != NULL; p++) {
		long long removed = 0;
		enum perr rc = p->run(st, cfg, now, &removed);
		if (rc != PERR_OK)
			return rc;
		if (report)
			report(ctx, p->name, removed);
	}
	return PERR_OK;
}
