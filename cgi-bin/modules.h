/* Feature modules a worker loads once at start (bounce knowledge, DNSBL
 * checker, ...). Each returns non-zero with a logged reason on failure. */
#ifndef PORTAL_MODULES_H
#define PORTAL_MODULES_H

#include "app.h"

int modules_init(struct app *app);
void modules_free(struct app *app);

#endif
