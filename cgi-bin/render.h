/* Pages: ClearSilver templates parsed once per process, rendered with
 * Config.VarEscapeMode = html so every <?cs var: ?> is HTML-escaped.
 * Handlers fill a view (a per-request dataset) through this API and never
 * touch ClearSilver themselves. */
#ifndef PORTAL_RENDER_H
#define PORTAL_RENDER_H

#include <stddef.h>
#include "core/err.h"

/* One entry per template file under templates/pages/. */
enum page {
	PAGE_HOME,
	PAGE_ERROR,
	PAGE_REPORT,
	PAGE_LOGIN,
	PAGE_FORWARDS,
	PAGE_ADMIN,
	PAGE_SUBMISSIONS,
	PAGE_DELIVERIES,
	PAGE_PENDING,
	PAGE__MAX
};

struct render;
struct view;

/* Parses every template under dir once. Site-wide values (company name,
 * links) go into the returned renderer's global dataset via render_site().
 * Returns PERR_TEMPLATE with the file and line in the log on a bad template. */
enum perr render_open(const char *template_dir, struct render **out);
void render_close(struct render *r);

/* Sets a site-wide value visible to every page as e.g. site.company. */
enum perr render_site(struct render *r, const char *key, const char *value);

/* A per-request dataset. view_free() releases it and all it holds. */
struct view *view_new(void);
void view_free(struct view *v);

/* Sets key (dotted HDF path, e.g. "report.lists.3.zone") to a copy of
 * value; NULL value leaves the key unset. Returns PERR_NOMEM on failure. */
enum perr view_set(struct view *v, const char *key, const char *value);
enum perr view_set_int(struct view *v, const char *key, long long n);
/* Sets key to a Unix time as people read it: "03 December 2026, 17:22 UTC". */
enum perr view_set_time(struct view *v, const char *key, long long t);

/* Renders page with v into a malloc'd buffer (*out, *outlen; caller frees). */
enum perr render_page(struct render *r, enum page p, struct view *v, char **out, size_t *outlen);

#endif
