/* Small pieces the admin pages share: links to the filtered submissions
 * list (every value percent-encoded, so a data value never changes a
 * link's meaning), UTC day and time texts, strict date parsing. */
#ifndef PORTAL_ADMIN_LINK_H
#define PORTAL_ADMIN_LINK_H

#include <stddef.h>

#define ADMIN_LINK_MAX 1024

/* Filters of a submissions link; NULL = left out. Days are UTC day
 * numbers, inclusive; < 0 = left out. */
struct admin_link {
	const char *ip, *list, *provider, *code, *cause, *ticket;
	long long from_day, to_day;
	long long page;                /* 0 = left out */
};

/* Writes path + "?" + the filters as a query string into buf ("path"
 * alone when there are none). Values are percent-encoded (RFC 3986
 * unreserved characters stay). */
void admin_link_build(char *buf, size_t len, const char *path, const struct admin_link *l);

/* "2026-11-27" for a UTC day number. */
void admin_day_text(long long day, char *buf, size_t len);
/* "2026-11-27 19:40 UTC"; "-" for 0. */
void admin_time_text(long long t, char *buf, size_t len);
/* "3 days", "5 hours", "12 minutes" between two times. */
void admin_span_text(long long seconds, char *buf, size_t len);

/* Parses "YYYY-MM-DD" (already shape-checked by the field validator) into
 * a UTC day number; 0 for a date that does not exist (2026-02-30). */
int admin_parse_day(const char *s, long long *day);

#endif
