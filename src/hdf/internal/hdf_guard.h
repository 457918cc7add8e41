/* The pre-parse check of HDF text, shared by src/hdf/ only. */
#ifndef PORTAL_HDF_GUARD_H
#define PORTAL_HDF_GUARD_H

#include <stddef.h>

/* Scans HDF text the way ClearSilver 0.10.5's parser splits it into
 * statements and refuses what the loaders must never let ClearSilver
 * follow: links (`a : b`), copies (`a := b`), attributes (`a [k] = v`)
 * and nesting deeper than HDFL_DEPTH_MAX. Returns 0, or the 1-based line
 * of the first refused statement with a reason in *why. */
int hdf_guard_scan(const char *text, const char **why);

#endif
