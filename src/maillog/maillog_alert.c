/* Sudden refusals by provider and server (maillog_alert.h). */
#include <stdio.h>
#include <time.h>

#include "maillog_alert.h"

int maillog_alert_sudden(long long messages, long long before)
{
	if (messages < MAILLOG_ALERT_MIN)
		return 0;
	/* hourly rate now against the baseline day's, in whole numbers */
	long long hours = MAILLOG_ALERT_BASE_S / MAILLOG_ALERT_WINDOW_S;
	return messages * hours >= (long long)MAILLOG_ALERT_FACTOR * before;
}

struct collect {
	struct maillog_alert *out;
	size_t max, n;
};

static int take(void *ctx, const struct delivery_pair *p)
{
	struct collect *c = ctx;
	if (!maillog_alert_sudden(p->messages, p->before))
		return 0;
	if (c->n == c->max)
		return 1;
	c->out[c->n++].pair = *p;
	return 0;
}

enum perr maillog_alerts(struct store *st, long long now, struct maillog_alert *out, size_t max, size_t *n)
{
	struct collect c = { out, max, 0 };
	long long since = now - MAILLOG_ALERT_WINDOW_S;
	enum perr rc = store_delivery_pairs(st, since - MAILLOG_ALERT_BASE_S, since, take, &c);
	*n = c.n;
	return rc;
}

void maillog_alert_text(const struct maillog_alert *a, const char *provider_name, char *buf, size_t len)
{
	char when[32] = "?";
	time_t t = (time_t)a->pair.first;
	struct tm tm;
	if (gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%H:%M UTC", &tm);
	snprintf(buf, len, "%s refuses %s since %s%s%s%s, %lld message%s from %lld customer%s", provider_name,
		 a->pair.server, when, a->pair.code[0] ? " (" : "", a->pair.code, a->pair.code[0] ? ")" : "",
		 a->pair.messages, a->pair.messages == 1 ? "" : "s", a->pair.customers,
		 a->pair.customers == 1 ? "" : "s");
}
