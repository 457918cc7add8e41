/* What a worker holds for its whole life: settings, the store connection,
 * parsed templates and (as modules land) the analyzers. One per process. */
#ifndef PORTAL_APP_H
#define PORTAL_APP_H

#include "config.h"

struct store;
struct render;

struct app {
	struct config cfg;
	struct store *store;
	struct render *render;
	void *modules[8];     /* per-feature state, indexed by enum app_module */
};

enum app_module {
	APP_BOUNCE,           /* struct bounce_knowledge * */
	APP_DNSBL,            /* struct dnsbl_checker * */
	APP_ISP,              /* struct isp_catalogue * (knowledge_isp.h) */
	APP_MODULE__MAX
};

#endif
