/* ClearSilver's NEOERR turned into our errors: one place for the
 * format-then-free dance every HDF reader and template user needs. */
#ifndef PORTAL_NEO_ERROR_H
#define PORTAL_NEO_ERROR_H

#include <ClearSilver.h>
#include <stddef.h>
#include "core/err.h"

/* Writes err's message into buf (never empty) and frees err. */
void neo_error_take(NEOERR *err, char *buf, size_t len);

/* A new HDF read from the file at src (or parsed from src itself when
 * is_text). On failure *out is NULL, errbuf says why (with the file and
 * line), and PERR_CONFIG is returned. Free *out with hdf_destroy(). */
enum perr neo_hdf_read(HDF **out, const char *src, int is_text, char *errbuf, size_t errlen);

#endif
