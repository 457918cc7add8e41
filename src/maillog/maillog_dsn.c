/* A delivery as a short DSN text: what the bounce analyzer reads best,
 * and what the customer's "check it now" form sends to /check. */
#include <stdio.h>
#include <string.h>

#include "maillog.h"

/* The bare SMTP reply inside Postfix's text: after "host X[ip] said: ",
 * before a trailing " (in reply to ... command)". Sets *n to its length. */
static const char *bare_reply(const char *reply, size_t *n)
{
	const char *said = strstr(reply, " said: ");
	const char *p = said ? said + 7 : reply;
	size_t len = strlen(p);
	const char *tail = NULL;
	for (const char *q = strstr(p, " (in reply to "); q != NULL; q = strstr(q + 1, " (in reply to "))
		tail = q;
	if (tail != NULL && len > 0 && p[len - 1] == ')')
		len = (size_t)(tail - p);
	*n = len;
	return p;
}

/* The host part of a relay "mx.example.net[192.0.2.1]:25". */
static size_t relay_host(const char *relay)
{
	return strcspn(relay, "[");
}

size_t maillog_dsn_text(const char *host, const char *recipient, const char *relay, const char *dsn,
			const char *status, const char *reply, char *buf, size_t len)
{
	size_t rn;
	const char *r = bare_reply(reply ? reply : "", &rn);
	int n = snprintf(buf, len,
			 "Reporting-MTA: dns; %s\n"
			 "Final-Recipient: rfc822; %s\n"
			 "Action: %s\n"
			 "Status: %s\n"
			 "Remote-MTA: dns; %.*s\n"
			 "Diagnostic-Code: smtp; %.*s\n",
			 host, recipient, status && strcmp(status, "deferred") == 0 ? "delayed" : "failed",
			 dsn && *dsn ? dsn : "5.0.0", (int)relay_host(relay ? relay : ""), relay ? relay : "",
			 (int)rn, r);
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len ? len - 1 : 0;
}
