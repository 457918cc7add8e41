/* Every form and query field the portal accepts, each with one validator
 * (kcgi's pattern): handlers only ever read validated values. Unknown
 * fields are ignored. */
#ifndef PORTAL_FIELDS_H
#define PORTAL_FIELDS_H

#include <stddef.h>

enum field {
	FIELD_BOUNCE,     /* pasted bounce message */
	FIELD_IP,         /* IPv4 or IPv6 address */
	FIELD_TICKET,     /* support ticket reference */
	FIELD_ISP,        /* the customer's own ISP for the SMTP advice */
	FIELD_LOGIN,
	FIELD_PASSWORD,
	FIELD_CSRF,
	FIELD_NEXT,       /* local path to return to after login */
	FIELD_LIST,       /* admin filter: list zone */
	FIELD_PROVIDER,   /* admin filter: provider id */
	FIELD_FROM,       /* admin filter: YYYY-MM-DD */
	FIELD_TO,
	FIELD_PAGE,       /* page number */
	FIELD_DAYS,       /* admin chart range */
	FIELD_STATE,      /* forward switch: "on" or "off" */
	FIELD_CAUSE,      /* admin filter: likely cause id */
	FIELD_CODE,       /* admin filter: provider code ("RTR:BB", "[TSS04]") */
	FIELD_CHANGED,    /* forwards page: the id of the forward just switched */
	FIELD__MAX
};

enum field_state {
	FIELD_ABSENT = 0, /* not sent, or sent empty */
	FIELD_VALID,
	FIELD_INVALID,    /* sent, failed validation: see message */
};

struct field_value {
	enum field_state state;
	const char *value;    /* the raw value (owned by the request); valid only when VALID */
	const char *message;  /* why it is invalid: a fixed string, never echoing input */
	const char *raw;      /* what was sent, even when invalid (owned by the request) */
	int raw_is_text;      /* raw is valid UTF-8 without NUL: safe to show back, escaped */
};

/* The address inside what a customer typed or pasted into the IP field:
 * spaces around it, "[1.2.3.4]" and Exim/Postfix's "IPv6:" prefix are
 * taken off. 1 with its span in v (*off, *n) when that is an address. */
int field_ip_inner(const char *v, size_t len, size_t *off, size_t *n);

/* The field's form name ("bounce", "ip", ...). */
const char *field_name(enum field f);

/* Validates raw (len bytes, may be NULL) as field f; max_len overrides the
 * field's own limit when non-zero (the bounce limit is a setting). */
struct field_value field_validate(enum field f, const char *raw, size_t len, size_t max_len);

/* Helpers shared with the API and tools. */
int field_is_utf8(const char *s, size_t len);
int field_is_ip(const char *s);

#endif
