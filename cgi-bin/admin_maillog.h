/* The mail logs on the admin dashboard and the home page: refusals by
 * provider x server over hours and days, and the sudden ones flagged
 * (src/maillog/maillog_alert.h), which also feed the home page's "known
 * problem" notice. */
#ifndef PORTAL_ADMIN_MAILLOG_H
#define PORTAL_ADMIN_MAILLOG_H

#include "core/err.h"

struct request;
struct view;

/* Sets admin.maillog.* (pairs with 1 h / 24 h / 7 d counts and hourly and
 * daily sparklines, alerts.N.text). */
enum perr admin_maillog_fill(struct request *req, struct view *v, long long now);

/* Sets maillog_notice.N.text for each flagged provider x server: the
 * customers' side of the same alert. Failures only skip the notice. */
void maillog_notice_fill(struct request *req, struct view *v, long long now);

#endif
