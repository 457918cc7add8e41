#include "err.h"

static const char *const perr_names[PERR__MAX] = {
	[PERR_OK] = "ok",
	[PERR_NOMEM] = "out of memory",
	[PERR_INVALID] = "invalid input",
	[PERR_TOO_LARGE] = "input too large",
	[PERR_NOT_FOUND] = "not found",
	[PERR_IO] = "I/O error",
	[PERR_DB] = "database error",
	[PERR_DNS] = "DNS error",
	[PERR_CONFIG] = "configuration error",
	[PERR_TEMPLATE] = "template error",
	[PERR_DENIED] = "denied",
	[PERR_LIMITED] = "rate limited",
	[PERR_INTERNAL] = "internal error",
};

const char *perr_str(enum perr e)
{
	if ((unsigned)e >= PERR__MAX)
		return "unknown error";
	return perr_names[e];
}
