/* One error enum for the whole portal: every fallible function of ours
 * returns one of these, and perr_str() names it for logs. */
#ifndef PORTAL_ERR_H
#define PORTAL_ERR_H

enum perr {
	PERR_OK = 0,
	PERR_NOMEM,        /* allocation failed */
	PERR_INVALID,      /* input failed validation */
	PERR_TOO_LARGE,    /* input above a configured limit */
	PERR_NOT_FOUND,    /* no such row, file or key */
	PERR_IO,           /* read/write/open failed */
	PERR_DB,           /* SQLite reported an error */
	PERR_DNS,          /* resolver could not be set up or used */
	PERR_CONFIG,       /* configuration or knowledge file is wrong */
	PERR_TEMPLATE,     /* a template failed to parse or render */
	PERR_DENIED,       /* not allowed (auth, CSRF, ownership) */
	PERR_LIMITED,      /* rate limit or throttle hit */
	PERR_INTERNAL,     /* an invariant broke: a bug */
	PERR__MAX
};

const char *perr_str(enum perr e);

#endif
