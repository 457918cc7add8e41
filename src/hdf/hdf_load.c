/* The HDF loader toolkit (see hdf_load.h): documents, nodes, one error
 * style, and the field tables. */
#include <ClearSilver.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hdf/hdf_load.h"
#include "hdf/neo_error.h"
#include "internal/hdf_guard.h"

struct hdfl_doc {
	HDF *hdf;
	char name[256];        /* the file, for messages */
	char *err;
	size_t errlen;
	char refused[320];     /* "FILE:LINE: why" from the scan, if it refused */
};

/* Formats into the document's error buffer. */
static void vsay(const struct hdfl_doc *d, const char *fmt, va_list ap)
{
	if (d->err != NULL && d->errlen > 0)
		vsnprintf(d->err, d->errlen, fmt, ap);
}

/* The same with arguments. */
static void say(const struct hdfl_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(const struct hdfl_doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(d, fmt, ap);
	va_end(ap);
}

enum perr hdfl_fail_doc(const struct hdfl_doc *d, const char *fmt, ...)
{
	char what[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	say(d, "%s: %s", d->name, what);
	return PERR_CONFIG;
}

enum perr hdfl_fail(const struct hdfl_node *n, const char *key, const char *fmt, ...)
{
	char what[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	const char *dot = n->path[0] && key ? "." : "";
	say(n->doc, "%s: %s%s%s: %s", n->doc->name, n->path, dot, key ? key : "", what);
	return PERR_CONFIG;
}

/* Refuses a link left in the tree (the text scan should have caught it
 * first; this keeps the promise even if the two ever disagree). Depth is
 * bounded by the scan's HDFL_DEPTH_MAX. Returns 0 or -1. */
static int tree_has_link(HDF *h)
{
	for (; h != NULL; h = h->next)
		if (h->link || tree_has_link(h->child))
			return -1;
	return 0;
}

/* Scans text named name. When refused, d->refused says "FILE:LINE: why"
 * and a NEOERR stops ClearSilver. */
static NEOERR *guard(struct hdfl_doc *d, const char *name, const char *text)
{
	const char *why = NULL;
	int line = hdf_guard_scan(text, &why);
	if (line == 0)
		return STATUS_OK;
	snprintf(d->refused, sizeof d->refused, "%s:%d: %s", name, line, why);
	return nerr_raise(NERR_PARSE, "%s", d->refused);
}

/* ClearSilver's file hook: every file it reads, the first and each
 * #include, passes the scan before the parser sees a byte of it. */
static NEOERR *load_hook(void *ctx, HDF *hdf, const char *path, char **contents)
{
	(void)hdf;
	NEOERR *err = ne_load_file(path, contents);
	if (err == STATUS_OK && (err = guard(ctx, path, *contents)) != STATUS_OK) {
		free(*contents);
		*contents = NULL;
	}
	return err;
}

/* A new empty document named name, errors to err. NULL on ENOMEM. */
static struct hdfl_doc *doc_new(const char *name, char *err, size_t errlen)
{
	struct hdfl_doc *d = calloc(1, sizeof *d);
	if (d == NULL)
		return NULL;
	snprintf(d->name, sizeof d->name, "%s", name);
	d->err = err;
	d->errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	NEOERR *e = hdf_init(&d->hdf);
	if (e != STATUS_OK) {
		nerr_ignore(&e);
		free(d);
		return NULL;
	}
	hdf_register_fileload(d->hdf, d, load_hook);
	return d;
}

/* Finishes a parse: turns e into a message, refuses left-over links. */
static enum perr doc_done(struct hdfl_doc *d, NEOERR *e, struct hdfl_doc **out)
{
	if (e != STATUS_OK) {
		char why[512];
		neo_error_take(e, why, sizeof why);
		if (d->refused[0] != '\0')
			say(d, "%s", d->refused);
		else
			say(d, "%s: %s", d->name, why);
		hdfl_close(d);
		return PERR_CONFIG;
	}
	if (tree_has_link(d->hdf) != 0) {
		hdfl_fail_doc(d, "HDF links (a : b) are not allowed");
		hdfl_close(d);
		return PERR_CONFIG;
	}
	*out = d;
	return PERR_OK;
}

enum perr hdfl_open_file(struct hdfl_doc **out, const char *path, char *err, size_t errlen)
{
	*out = NULL;
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return PERR_NOT_FOUND;
	}
	fclose(f);
	struct hdfl_doc *d = doc_new(path, err, errlen);
	if (d == NULL)
		return PERR_NOMEM;
	return doc_done(d, hdf_read_file(d->hdf, path), out);
}

enum perr hdfl_open_text(struct hdfl_doc **out, const char *text, const char *name,
			 char *err, size_t errlen)
{
	*out = NULL;
	struct hdfl_doc *d = doc_new(name ? name : "<string>", err, errlen);
	if (d == NULL)
		return PERR_NOMEM;
	NEOERR *e = guard(d, d->name, text);
	if (e == STATUS_OK)
		e = hdf_read_string(d->hdf, text);   /* refuses #include itself */
	return doc_done(d, e, out);
}

void hdfl_close(struct hdfl_doc *d)
{
	if (d == NULL)
		return;
	hdf_destroy(&d->hdf);
	free(d);
}

struct hdfl_node hdfl_root(const struct hdfl_doc *d)
{
	struct hdfl_node n = { .obj = d->hdf, .doc = d, .path = "" };
	return n;
}

/* Sets out to base + "." + name (just name when base is ""), cut to
 * HDFL_PATH_MAX - 1 bytes: the path only serves messages. out may be base. */
static void join_path(char *out, const char *base, const char *name)
{
	char tmp[HDFL_PATH_MAX];
	size_t bl = strnlen(base, sizeof tmp - 1), nl = strlen(name), o = bl;
	memcpy(tmp, base, bl);
	if (bl > 0 && o < sizeof tmp - 1)
		tmp[o++] = '.';
	if (nl > sizeof tmp - 1 - o)
		nl = sizeof tmp - 1 - o;
	memcpy(tmp + o, name, nl);
	tmp[o + nl] = '\0';
	memcpy(out, tmp, o + nl + 1);
}

int hdfl_get(const struct hdfl_node *parent, const char *key, struct hdfl_node *out)
{
	HDF *h = hdf_get_obj(parent->obj, key);
	if (h == NULL)
		return 0;
	out->obj = h;
	out->doc = parent->doc;
	join_path(out->path, parent->path, key);
	return 1;
}

int hdfl_first(const struct hdfl_node *parent, struct hdfl_node *child)
{
	HDF *h = hdf_obj_child(parent->obj);
	if (h == NULL)
		return 0;
	child->obj = h;
	child->doc = parent->doc;
	join_path(child->path, parent->path, hdf_obj_name(h));
	return 1;
}

int hdfl_next(struct hdfl_node *n)
{
	HDF *h = hdf_obj_next(n->obj);
	if (h == NULL)
		return 0;
	n->obj = h;
	char *dot = strrchr(n->path, '.');
	if (dot != NULL)
		*dot = '\0';
	else
		n->path[0] = '\0';
	join_path(n->path, n->path, hdf_obj_name(h));
	return 1;
}

size_t hdfl_count(const struct hdfl_node *parent)
{
	size_t n = 0;
	for (HDF *h = hdf_obj_child(parent->obj); h != NULL; h = hdf_obj_next(h))
		n++;
	return n;
}

const char *hdfl_name(const struct hdfl_node *n)
{
	const char *s = hdf_obj_name(n->obj);
	return s ? s : "";
}

const char *hdfl_value(const struct hdfl_node *n, const char *key)
{
	if (key == NULL)
		return hdf_obj_value(n->obj);
	return hdf_get_value(n->obj, key, NULL);
}

int hdfl_int(const struct hdfl_node *n, const char *key, int def)
{
	return hdf_get_int_value(n->obj, key, def);
}
