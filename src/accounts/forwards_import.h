/* Parser for Postfix virtual(5) alias maps, the format hosts keep their
 * forwards in:
 *
 *   # comment
 *   info@example.com      owner@aol.com, info@example.com
 *   sales@example.com     a@example.net
 *       b@example.org            <- continuation of the line above
 *
 * A logical line starts with non-whitespace; a line starting with
 * whitespace continues it; blank and '#' lines are ignored (also between a
 * line and its continuation). The key is a full address; destinations are
 * separated by commas and/or whitespace. A destination equal to the key
 * means "keep a copy in the mailbox". Catch-alls (@domain), domain lines and
 * quoted local parts are refused. Addresses come out in lower case.
 *
 * Pure: bytes in, entries out, no I/O; errors name the line. */
#ifndef PORTAL_FORWARDS_IMPORT_H
#define PORTAL_FORWARDS_IMPORT_H

#include <stddef.h>

#include "core/err.h"

#define FWD_ADDR_MAX 254          /* one address */
#define FWD_LOCAL_MAX 64          /* its local part */
#define FWD_DESTS_MAX 64          /* destinations of one key */
#define FWD_LINE_MAX 16384        /* one logical line, bytes */
#define FWD_ENTRIES_MAX 100000    /* keys in one file */
#define FWD_INPUT_MAX (32u << 20) /* a whole file */

struct fwd_entry {
	unsigned line;                /* first physical line of the entry (1-based) */
	char source[FWD_ADDR_MAX + 1];
	int keep_copy;                /* the key was among its own destinations */
	size_t ndest;
	char **dest;                  /* ndest addresses (or local names), owned */
};

struct fwd_map {
	size_t n, cap;
	struct fwd_entry *entries;
};

struct fwd_error {
	unsigned line;                /* 0 when not about one line */
	char message[256];            /* "line 7: ..." */
};

/* Parses len bytes of text into *out (zeroed first; free with
 * forwards_map_free(), also after an error). Returns PERR_OK, PERR_INVALID
 * or PERR_TOO_LARGE with *err filled, or PERR_NOMEM. */
enum perr forwards_parse(const char *text, size_t len, struct fwd_map *out, struct fwd_error *err);
void forwards_map_free(struct fwd_map *m);

/* 1 when s is an address local@domain (ASCII, unquoted, lengths within
 * limits). Does not change s. */
int forwards_address_ok(const char *s);
/* 1 when s is a mail domain (letters, digits, '-', at least two labels). */
int forwards_domain_ok(const char *s);
/* Lower-cases s in place (ASCII) and returns it. */
char *forwards_lower(char *s);

#endif
