/* A worker's life: set up its own app state, then answer FastCGI requests
 * from the listening socket until told to stop. */
#ifndef PORTAL_WORKER_H
#define PORTAL_WORKER_H

#include "app.h"

/* Loads configuration, opens the store, parses templates and knowledge.
 * Prints the reason to stderr and returns non-zero on failure. */
int app_init(struct app *app, const char *conf_path);
void app_free(struct app *app);

/* Serves requests on listen_fd until FCGX_Accept fails or SIGTERM. */
int worker_run(struct app *app, int listen_fd);

#endif
