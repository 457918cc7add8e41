/* The time stamps of mail logs: classic syslog (no year, local time),
 * RFC 3339 with a zone, Exim's local "YYYY-MM-DD hh:mm:ss". */
#include <string.h>
#include <time.h>

#include "internal/maillog_int.h"

#define SECONDS_PER_DAY 86400LL
/* A classic line more than this far ahead of "now" is from last year. */
#define SYSLOG_FUTURE_SLACK (2 * SECONDS_PER_DAY)

/* n decimal digits at p as an int; -1 when one is not a digit. */
static int digits(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

long long ml_epoch_utc(int y, int mo, int d, int h, int mi, int s)
{
	/* days from civil (Howard Hinnant's algorithm), proleptic Gregorian */
	y -= mo <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153LL * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long long days = era * 146097 + doe - 719468;
	return days * SECONDS_PER_DAY + h * 3600LL + mi * 60LL + s;
}

/* 1 when the fields make a real date and time (leap seconds allowed). */
static int valid(int y, int mo, int d, int h, int mi, int s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] &&
	       h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

/* Unix time of a local date and time. mktime costs about a microsecond
 * and a lock, so the start of the last hour asked for is kept (zone
 * offsets change on whole hours). Per thread, so callers may share it. */
static long long epoch_local(int y, int mo, int d, int h, int mi, int s)
{
	static _Thread_local int key_y, key_mo, key_d, key_h = -1;
	static _Thread_local long long key_t;
	if (y != key_y || mo != key_mo || d != key_d || h != key_h) {
		struct tm tm;
		memset(&tm, 0, sizeof tm);
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_isdst = -1;
		time_t t = mktime(&tm);
		key_t = t == (time_t)-1 ? ml_epoch_utc(y, mo, d, h, 0, 0) : (long long)t;
		key_y = y, key_mo = mo, key_d = d, key_h = h;
	}
	return key_t + mi * 60LL + s;
}

/* Skips ".digits" (fractions of a second) at the cursor. */
static void skip_fraction(struct ml_cursor *c)
{
	if (c->n > 1 && c->p[0] == '.' && c->p[1] >= '0' && c->p[1] <= '9') {
		size_t k = 1;
		while (k < c->n && c->p[k] >= '0' && c->p[k] <= '9')
			k++;
		c->p += k, c->n -= k;
	}
}

/* "hh:mm:ss" at p: fills h, mi, s; -1 when malformed. */
static int clock_time(const char *p, int *h, int *mi, int *s)
{
	if (p[2] != ':' || p[5] != ':')
		return -1;
	*h = digits(p, 2), *mi = digits(p + 3, 2), *s = digits(p + 6, 2);
	return *h < 0 || *mi < 0 || *s < 0 ? -1 : 0;
}

int ml_time_syslog(struct ml_cursor *c, long long now, long long *at)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (c->n < 16 || c->p[3] != ' ' || c->p[6] != ' ')
		return -1;
	int mo = 0;
	for (int i = 0; i < 12; i++)
		if (memcmp(c->p, months + 3 * i, 3) == 0)
			mo = i + 1;
	int d = c->p[4] == ' ' ? digits(c->p + 5, 1) : digits(c->p + 4, 2);
	int h, mi, s;
	if (mo == 0 || d < 1 || clock_time(c->p + 7, &h, &mi, &s) != 0)
		return -1;
	c->p += 15, c->n -= 15;
	skip_fraction(c);
	if (!ml_skip(c, " "))
		return -1;
	time_t tnow = (time_t)now;
	struct tm tm;
	if (localtime_r(&tnow, &tm) == NULL)
		return -1;
	int y = tm.tm_year + 1900;
	if (!valid(y, mo, d, h, mi, s))
		return -1;
	long long t = epoch_local(y, mo, d, h, mi, s);
	if (t > now + SYSLOG_FUTURE_SLACK)
		t = epoch_local(y - 1, mo, d, h, mi, s);
	*at = t;
	return 0;
}

/* "YYYY-MM-DD?hh:mm:ss" at the cursor with sep as '?': the fields. */
static int civil(const struct ml_cursor *c, char sep, int f[6])
{
	if (c->n < 19 || c->p[4] != '-' || c->p[7] != '-' || c->p[10] != sep)
		return -1;
	f[0] = digits(c->p, 4), f[1] = digits(c->p + 5, 2), f[2] = digits(c->p + 8, 2);
	if (f[0] < 0 || f[1] < 0 || f[2] < 0 || clock_time(c->p + 11, &f[3], &f[4], &f[5]) != 0)
		return -1;
	return valid(f[0], f[1], f[2], f[3], f[4], f[5]) ? 0 : -1;
}

/* A zone "Z", "+hh:mm" or "+hhmm" at the cursor: its offset east of UTC
 * in seconds; -1 with *ok = 0 when malformed. */
static long long zone(struct ml_cursor *c, int *ok)
{
	*ok = 0;
	if (ml_skip(c, "Z")) {
		*ok = 1;
		return 0;
	}
	if (c->n < 5 || (c->p[0] != '+' && c->p[0] != '-'))
		return -1;
	int colon = c->p[3] == ':';
	if (colon && c->n < 6)
		return -1;
	int h = digits(c->p + 1, 2), m = digits(c->p + 3 + colon, 2);
	if (h < 0 || m < 0 || h > 23 || m > 59)
		return -1;
	long long off = (h * 3600LL + m * 60LL) * (c->p[0] == '-' ? -1 : 1);
	size_t k = 5 + (size_t)colon;
	c->p += k, c->n -= k;
	*ok = 1;
	return off;
}

int ml_time_rfc3339(struct ml_cursor *c, long long *at)
{
	int f[6], ok;
	if (civil(c, 'T', f) != 0)
		return -1;
	c->p += 19, c->n -= 19;
	skip_fraction(c);
	long long off = zone(c, &ok);
	if (!ok || !ml_skip(c, " "))
		return -1;
	*at = ml_epoch_utc(f[0], f[1], f[2], f[3], f[4], f[5]) - off;
	return 0;
}

int ml_time_exim(struct ml_cursor *c, long long *at)
{
	int f[6], ok = 0;
	if (civil(c, ' ', f) != 0)
		return -1;
	c->p += 19, c->n -= 19;
	skip_fraction(c);
	if (!ml_skip(c, " "))
		return -1;
	/* log_timezone = true adds " +hhmm" */
	long long off = 0;
	if (c->n > 5 && (c->p[0] == '+' || c->p[0] == '-') && c->p[5] == ' ') {
		off = zone(c, &ok);
		if (!ok || !ml_skip(c, " "))
			return -1;
	}
	*at = ok ? ml_epoch_utc(f[0], f[1], f[2], f[3], f[4], f[5]) - off
		 : epoch_local(f[0], f[1], f[2], f[3], f[4], f[5]);
	return 0;
}
