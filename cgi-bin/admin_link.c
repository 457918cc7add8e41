/* Links, dates and spans for the admin pages. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin_link.h"
#include "core/time_span.h"

/* Appends s percent-encoded; returns the new offset (len when full). */
static size_t put_encoded(char *buf, size_t len, size_t off, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p && off + 4 < len; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			buf[off++] = (char)*p;
		} else {
			buf[off++] = '%';
			buf[off++] = hex[*p >> 4];
			buf[off++] = hex[*p & 15];
		}
	}
	buf[off] = '\0';
	return off;
}

static size_t put_param(char *buf, size_t len, size_t off, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0' || off + 1 >= len)
		return off;
	int n = snprintf(buf + off, len - off, "%s%s=", strchr(buf, '?') ? "&" : "?", name);
	if (n < 0 || (size_t)n >= len - off)
		return off;
	return put_encoded(buf, len, off + (size_t)n, value);
}

void admin_link_build(char *buf, size_t len, const char *path, const struct admin_link *l)
{
	if (len == 0)
		return;
	snprintf(buf, len, "%s", path);
	size_t off = strlen(buf);
	char day[16], page[24];
	off = put_param(buf, len, off, "ip", l->ip);
	off = put_param(buf, len, off, "list", l->list);
	off = put_param(buf, len, off, "provider", l->provider);
	off = put_param(buf, len, off, "code", l->code);
	off = put_param(buf, len, off, "cause", l->cause);
	off = put_param(buf, len, off, "ticket", l->ticket);
	if (l->from_day >= 0) {
		admin_day_text(l->from_day, day, sizeof day);
		off = put_param(buf, len, off, "from", day);
	}
	if (l->to_day >= 0) {
		admin_day_text(l->to_day, day, sizeof day);
		off = put_param(buf, len, off, "to", day);
	}
	if (l->page > 0) {
		snprintf(page, sizeof page, "%lld", l->page);
		put_param(buf, len, off, "page", page);
	}
}

void admin_day_text(long long day, char *buf, size_t len)
{
	time_t t = (time_t)(day * SECONDS_PER_DAY);
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}

void admin_time_text(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t <= 0 || gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "-");
}

void admin_span_text(long long s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s >= 2 * SECONDS_PER_DAY)
		snprintf(buf, len, "%lld days", s / SECONDS_PER_DAY);
	else if (s >= 2 * SECONDS_PER_HOUR)
		snprintf(buf, len, "%lld hours", s / SECONDS_PER_HOUR);
	else if (s >= 120)
		snprintf(buf, len, "%lld minutes", s / SECONDS_PER_MINUTE);
	else
		snprintf(buf, len, "%lld second%s", s, s == 1 ? "" : "s");
}

int admin_parse_day(const char *s, long long *day)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (s == NULL || strlen(s) != 10)
		return 0;
	char *end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	int y = tm.tm_year, m = tm.tm_mon, d = tm.tm_mday;
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_year != y || tm.tm_mon != m || tm.tm_mday != d)
		return 0;   /* timegm normalised it: the date does not exist */
	if (t < 0)
		return 0;
	*day = (long long)t / SECONDS_PER_DAY;
	return 1;
}
