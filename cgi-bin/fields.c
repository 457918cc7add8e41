/* The validator table for every accepted field. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "core/ipaddr.h"
#include "core/limits.h"

typedef const char *(*validator)(const char *v, size_t len);

struct field_spec {
	const char *name;
	size_t max_len;
	validator check;      /* NULL message = valid */
};

int field_is_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned c = *p++;
		size_t more;
		unsigned min;
		if (c < 0x80) {
			if (c == 0)
				return 0;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			more = 1; min = 0x80; c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			more = 2; min = 0x800; c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			more = 3; min = 0x10000; c &= 0x07;
		} else {
			return 0;
		}
		if ((size_t)(end - p) < more)
			return 0;
		for (size_t i = 0; i < more; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (p[i] & 0x3f);
		}
		p += more;
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
	}
	return 1;
}

/* Strict IPv4 (no leading zeros) or IPv6, by the same parser the DNSBL
 * engine uses. */
int field_is_ip(const char *s)
{
	struct ipaddr ip;
	const char *why;
	return ipaddr_parse(s, strlen(s), &ip, &why) == PERR_OK;
}

int field_ip_inner(const char *v, size_t len, size_t *off, size_t *n)
{
	size_t a = 0, z = len;
	while (a < z && isspace((unsigned char)v[a]))
		a++;
	while (z > a && isspace((unsigned char)v[z - 1]))
		z--;
	if (z - a >= 2 && v[a] == '[' && v[z - 1] == ']') {
		a++;
		z--;
	}
	if (z - a > 5 && strncasecmp(v + a, "IPv6:", 5) == 0)
		a += 5;
	if (z - a == 0 || z - a > 45)
		return 0;
	char tmp[46];
	memcpy(tmp, v + a, z - a);
	tmp[z - a] = '\0';
	if (!field_is_ip(tmp))
		return 0;
	*off = a;
	*n = z - a;
	return 1;
}

static const char *check_text(const char *v, size_t len)
{
	return field_is_utf8(v, len) ? NULL : "This contains bytes that are not text.";
}

static const char *check_ip(const char *v, size_t len)
{
	(void)len;
	return field_is_ip(v) ? NULL : "Enter an IPv4 address like 203.0.113.25, an IPv6 address, or a mail server's name.";
}

static int all_chars(const char *v, const char *allowed_extra, int alnum)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (!((alnum && isalnum(*p)) || (*p < 0x80 && strchr(allowed_extra, *p) != NULL)))
			return 0;
	return 1;
}

static const char *check_ticket(const char *v, size_t len)
{
	(void)len;
	return all_chars(v, "-", 1) ? NULL : "A ticket reference has only letters, digits and dashes.";
}

static const char *check_word(const char *v, size_t len)
{
	(void)len;
	return all_chars(v, "-_.", 1) ? NULL : "Use letters, digits, dots and dashes only.";
}

/* A list filter: a zone ("zen.spamhaus.org") or a list's name as the
 * pages show it ("Cloudmark CSI", "Spamhaus ZEN (SBL+XBL+PBL)"). */
static const char *check_list(const char *v, size_t len)
{
	(void)len;
	return all_chars(v, "-_. ()+/", 1) ? NULL : "Use a list's name or zone: letters, digits, spaces, dots and dashes.";
}

static const char *check_login(const char *v, size_t len)
{
	(void)len;
	return all_chars(v, "-_.@+", 1) ? NULL : "This is not a valid login name.";
}

static const char *check_token(const char *v, size_t len)
{
	(void)len;
	return all_chars(v, "-_", 1) ? NULL : "Invalid token.";
}

static const char *check_local_path(const char *v, size_t len)
{
	(void)len;
	/* only our own absolute paths: "/x", never "//host" or "/\host" */
	if (v[0] != '/' || v[1] == '/' || v[1] == '\\' || !all_chars(v, "/-_.?=&", 1))
		return "Invalid return address.";
	return NULL;
}

static const char *check_date(const char *v, size_t len)
{
	if (len != 10 || v[4] != '-' || v[7] != '-')
		return "Use a date like 2026-11-27.";
	for (size_t i = 0; i < len; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)v[i]))
			return "Use a date like 2026-11-27.";
	int m = (v[5] - '0') * 10 + (v[6] - '0'), d = (v[8] - '0') * 10 + (v[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return "Use a date like 2026-11-27.";
	return NULL;
}

static const char *check_number(const char *v, size_t len)
{
	if (len > 6 || v[0] == '0')
		return "Use a number from 1 to 999999.";
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)v[i]))
			return "Use a number from 1 to 999999.";
	return NULL;
}

static const char *check_state(const char *v, size_t len)
{
	(void)len;
	return strcmp(v, "on") == 0 || strcmp(v, "off") == 0 ? NULL : "Choose on or off.";
}

static const char *check_code(const char *v, size_t len)
{
	(void)len;
	return all_chars(v, ":-_.[]", 1) ? NULL : "A provider code has only letters, digits and :-_.[].";
}

static const struct field_spec specs[FIELD__MAX] = {
	[FIELD_BOUNCE] = { "bounce", LIMIT_BOUNCE_DEFAULT, check_text },
	[FIELD_IP] = { "ip", 64, check_ip },
	[FIELD_TICKET] = { "ticket", LIMIT_TICKET_CHARS, check_ticket },
	[FIELD_ISP] = { "isp", 64, check_word },
	[FIELD_LOGIN] = { "login", 64, check_login },
	[FIELD_PASSWORD] = { "password", 256, check_text },
	[FIELD_CSRF] = { "csrf", 64, check_token },
	[FIELD_NEXT] = { "next", 256, check_local_path },
	[FIELD_LIST] = { "list", 253, check_list },
	[FIELD_PROVIDER] = { "provider", 32, check_word },
	[FIELD_FROM] = { "from", 10, check_date },
	[FIELD_TO] = { "to", 10, check_date },
	[FIELD_PAGE] = { "page", 6, check_number },
	[FIELD_DAYS] = { "days", 3, check_number },
	[FIELD_STATE] = { "state", 3, check_state },
	[FIELD_CAUSE] = { "cause", 24, check_word },
	[FIELD_CODE] = { "code", 32, check_code },
	[FIELD_CHANGED] = { "changed", 15, check_number },
};

const char *field_name(enum field f)
{
	return (unsigned)f < FIELD__MAX ? specs[f].name : "?";
}

struct field_value field_validate(enum field f, const char *raw, size_t len, size_t max_len)
{
	struct field_value out = { FIELD_ABSENT, NULL, NULL, raw, 0 };
	if ((unsigned)f >= FIELD__MAX || raw == NULL || len == 0)
		return out;
	out.raw_is_text = memchr(raw, '\0', len) == NULL && field_is_utf8(raw, len);
	const struct field_spec *s = &specs[f];
	size_t limit = max_len ? max_len : s->max_len;
	out.state = FIELD_INVALID;
	if (len > limit) {
		out.message = f == FIELD_BOUNCE ? "This is longer than we accept: paste only the bounce message."
						: "This is too long.";
		return out;
	}
	if (memchr(raw, '\0', len) != NULL || !field_is_utf8(raw, len)) {
		out.message = "This contains bytes that are not text.";
		return out;
	}
	out.message = s->check(raw, len);
	if (out.message == NULL) {
		out.state = FIELD_VALID;
		out.value = raw;
	}
	return out;
}
