/* What a worker holds for its whole life: settings, the store connection,
 * parsed templates and the knowledge and checkers loaded at start-up
 * (cgi-bin/modules.c). One per process, never shared between processes. */
#ifndef PORTAL_APP_H
#define PORTAL_APP_H

#include <stdint.h>

#include "core/config.h"
#include "core/token.h"

struct store;
struct render;
struct bounce_knowledge;
struct dnsbl_catalogue;
struct dnsbl_checker;
struct isp_catalogue;
struct explain_knowledge;

struct check_pool;

struct app {
	struct config cfg;
	struct store *store;
	struct render *render;
	struct bounce_knowledge *bounce;     /* bounce.h: patterns and codes */
	struct dnsbl_catalogue *catalogue;   /* knowledge_dnsbl.h: every known list */
	struct dnsbl_checker *dnsbl;         /* dnsbl.h: one c-ares channel */
	struct isp_catalogue *isp;           /* knowledge_isp.h: consumer providers */
	struct explain_knowledge *explain;   /* explain.h: causes and verdict wording */
	struct check_pool *checks;           /* check_pool.h: DNS halves of checks, off the request */
	uint8_t csrf_key[TOKEN_KEY_BYTES];   /* signs anonymous CSRF tokens (db.path + ".csrf-key") */
};

#endif
