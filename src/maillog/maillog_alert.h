/* Sudden refusals in the mail logs: a provider that starts refusing one
 * of our servers. Read from the stored deliveries; what the admin
 * dashboard flags and what the home page's "we know about this" notice
 * tells customers, e.g. "AOL refuses mail3 since 09:14 (RTR:BB), 37
 * messages from 12 customers". */
#ifndef PORTAL_MAILLOG_ALERT_H
#define PORTAL_MAILLOG_ALERT_H

#include <stddef.h>

#include "core/err.h"
#include "store/store_deliveries.h"

#define MAILLOG_ALERT_WINDOW_S 3600        /* "now": the last hour */
#define MAILLOG_ALERT_BASE_S   (24 * 3600) /* compared with the day before it */
#define MAILLOG_ALERT_MIN      5           /* refusals in the window before anything is flagged */
#define MAILLOG_ALERT_FACTOR   4           /* times the baseline's hourly rate */
#define MAILLOG_ALERTS_MAX     16

struct maillog_alert {
	struct delivery_pair pair;         /* provider, server, code, first, messages, customers */
};

/* The pairs refused at least MAILLOG_ALERT_MIN times in the hour before
 * now at MAILLOG_ALERT_FACTOR times (or more) their hourly rate of the day
 * before. Fills out (up to max), *n gets the count; most messages first. */
enum perr maillog_alerts(struct store *st, long long now, struct maillog_alert *out, size_t max, size_t *n);

/* 1 when a pair with `messages` in the window and `before` in the
 * baseline day is a sudden change (the rule above). */
int maillog_alert_sudden(long long messages, long long before);

/* "AOL refuses mail3 since 09:14 UTC (RTR:BB), 37 messages from 12
 * customers" into buf; provider_name is the display name. */
void maillog_alert_text(const struct maillog_alert *a, const char *provider_name, char *buf, size_t len);

#endif
