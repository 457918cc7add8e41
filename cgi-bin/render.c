/* The only place that renders ClearSilver templates. */
#include <ClearSilver.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "hdf/neo_error.h"
#include "render.h"

static const char *const page_files[PAGE__MAX] = {
	[PAGE_HOME] = "pages/home.cs",
	[PAGE_ERROR] = "pages/error.cs",
	[PAGE_REPORT] = "pages/report.cs",
	[PAGE_LOGIN] = "pages/login.cs",
	[PAGE_FORWARDS] = "pages/forwards.cs",
	[PAGE_ADMIN] = "pages/admin.cs",
	[PAGE_SUBMISSIONS] = "pages/submissions.cs",
	[PAGE_DELIVERIES] = "pages/deliveries.cs",
	[PAGE_PENDING] = "pages/pending.cs",
};

struct render {
	HDF *config;             /* given to cs_init: escape mode, load path */
	HDF *site;               /* global dataset: site.* */
	CSPARSE *pages[PAGE__MAX];
};

struct view {
	HDF *hdf;
};

static enum perr log_neo(NEOERR *err, const char *what)
{
	char msg[512];
	neo_error_take(err, msg, sizeof msg);
	log_event(LOG_ERROR, NULL, "%s: %s", what, msg);
	return PERR_TEMPLATE;
}

/* Parses one page with its includes. Missing optional pages (not yet
 * written) are left NULL and answer PERR_NOT_FOUND at render time. */
static enum perr parse_page(struct render *r, enum page p, const char *dir)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, page_files[p]);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return PERR_OK;
	fclose(f);
	CSPARSE *cs = NULL;
	NEOERR *err = cs_init(&cs, r->config);
	if (err == STATUS_OK)
		err = cgi_register_strfuncs(cs);
	if (err == STATUS_OK)
		err = cs_parse_file(cs, path);
	if (err != STATUS_OK) {
		cs_destroy(&cs);
		return log_neo(err, path);
	}
	cs->global_hdf = r->site;
	r->pages[p] = cs;
	return PERR_OK;
}

enum perr render_open(const char *template_dir, struct render **out)
{
	*out = NULL;
	struct render *r = calloc(1, sizeof *r);
	if (r == NULL)
		return PERR_NOMEM;
	enum perr rc = PERR_TEMPLATE;
	NEOERR *err = hdf_init(&r->config);
	if (err == STATUS_OK)
		err = hdf_init(&r->site);
	/* Must be in the HDF given to cs_init: it is read there, at parse time. */
	if (err == STATUS_OK)
		err = hdf_set_value(r->config, "Config.VarEscapeMode", "html");
	if (err == STATUS_OK)
		err = hdf_set_value(r->config, "hdf.loadpaths.0", template_dir);
	if (err != STATUS_OK) {
		rc = log_neo(err, "render init");
		goto fail;
	}
	for (int p = 0; p < PAGE__MAX; p++)
		if ((rc = parse_page(r, (enum page)p, template_dir)) != PERR_OK)
			goto fail;
	if (r->pages[PAGE_ERROR] == NULL) {
		log_event(LOG_ERROR, NULL, "render: %s/%s is missing", template_dir, page_files[PAGE_ERROR]);
		rc = PERR_TEMPLATE;
		goto fail;
	}
	*out = r;
	return PERR_OK;
fail:
	render_close(r);
	return rc;
}

void render_close(struct render *r)
{
	if (r == NULL)
		return;
	for (int p = 0; p < PAGE__MAX; p++)
		if (r->pages[p] != NULL) {
			r->pages[p]->global_hdf = NULL;
			cs_destroy(&r->pages[p]);
		}
	hdf_destroy(&r->site);
	hdf_destroy(&r->config);
	free(r);
}

enum perr render_site(struct render *r, const char *key, const char *value)
{
	NEOERR *err = hdf_set_value(r->site, key, value);
	return err == STATUS_OK ? PERR_OK : log_neo(err, "render_site");
}

struct view *view_new(void)
{
	struct view *v = calloc(1, sizeof *v);
	if (v == NULL)
		return NULL;
	NEOERR *err = hdf_init(&v->hdf);
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		free(v);
		return NULL;
	}
	return v;
}

void view_free(struct view *v)
{
	if (v == NULL)
		return;
	hdf_destroy(&v->hdf);
	free(v);
}

enum perr view_set(struct view *v, const char *key, const char *value)
{
	if (value == NULL)
		return PERR_OK;
	NEOERR *err = hdf_set_value(v->hdf, key, value);
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		return PERR_NOMEM;
	}
	return PERR_OK;
}

enum perr view_set_time(struct view *v, const char *key, long long t)
{
	char when[64];
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(when, sizeof when, "%d %B %Y, %H:%M UTC", &tm) == 0)
		snprintf(when, sizeof when, "-");
	return view_set(v, key, when);
}

enum perr view_set_int(struct view *v, const char *key, long long n)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", n);
	return view_set(v, key, buf);
}

static NEOERR *append_cb(void *ctx, char *s)
{
	return nerr_pass(string_append((STRING *)ctx, s));
}

enum perr render_page(struct render *r, enum page p, struct view *v, char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	if ((unsigned)p >= PAGE__MAX || r->pages[p] == NULL)
		return PERR_NOT_FOUND;
	CSPARSE *cs = r->pages[p];
	STRING buf;
	string_init(&buf);
	HDF *saved = cs->hdf;
	cs->hdf = v->hdf;          /* swap the request's dataset in for this render */
	NEOERR *err = cs_render(cs, &buf, append_cb);
	cs->hdf = saved;
	if (err != STATUS_OK) {
		string_clear(&buf);
		return log_neo(err, page_files[p]);
	}
	if (buf.buf == NULL) {     /* an empty page: give the caller a real buffer */
		*out = strdup("");
		return *out ? PERR_OK : PERR_NOMEM;
	}
	*out = buf.buf;            /* hand STRING's malloc'd buffer over */
	*outlen = (size_t)buf.len;
	return PERR_OK;
}
