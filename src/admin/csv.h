/* CSV output (RFC 4180) that is safe to open in a spreadsheet: fields
 * with a comma, quote, CR or LF are quoted with quotes doubled, rows end
 * in CRLF, and a cell that a spreadsheet would take for a formula (it
 * starts with = + - @, or a tab or CR) gets a leading apostrophe, as
 * OWASP's CSV-injection advice says. Pure code, no I/O. */
#ifndef PORTAL_CSV_H
#define PORTAL_CSV_H

#include <stddef.h>

#include "core/err.h"

/* A growing output buffer. Zero-initialise; csv_free() releases it. After
 * an allocation failure every call is a no-op and err is PERR_NOMEM. */
struct csv {
	char *buf;
	size_t len, cap;
	int cells;             /* cells in the current row */
	enum perr err;
};

/* Appends one cell (NULL = empty) to the current row. */
void csv_cell(struct csv *c, const char *value);
/* Appends a number cell. */
void csv_cell_int(struct csv *c, long long n);
/* Ends the current row with CRLF. */
void csv_row_end(struct csv *c);
/* Forgets the buffered bytes (after they were sent), keeping the memory. */
void csv_clear(struct csv *c);
void csv_free(struct csv *c);

/* Escapes one value into out (outlen bytes, NUL-terminated) exactly as
 * csv_cell would write it. Returns the length written, or the length
 * needed (>= outlen) when out is too small, like snprintf. */
size_t csv_escape(const char *value, char *out, size_t outlen);

#endif
