/* Field tables applied to HDF nodes (hdfl_apply) and list splitting.
 * Kept apart from the document code: this half never sees ClearSilver. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hdf/hdf_load.h"

/* Strict unsigned decimal in [lo, hi] (no sign, nothing after the
 * digits). Returns 0 with *out set, or -1. */
static int parse_ulong(const char *v, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || v[0] == '-' || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

/* HDFL_TEXT: copies v into the char[size] at dst; too long is an error. */
static enum perr apply_text(const struct hdfl_node *node, const struct hdfl_field *f,
			    const char *v, char *dst)
{
	if (strlen(v) >= f->size)
		return hdfl_fail(node, f->key, "too long (at most %zu bytes)", f->size - 1);
	memcpy(dst, v, strlen(v) + 1);
	return PERR_OK;
}

/* HDFL_UINT / HDFL_SIZE: a strict decimal within the field's range. */
static enum perr apply_number(const struct hdfl_node *node, const struct hdfl_field *f,
			      const char *v, void *dst)
{
	unsigned long n;
	if (parse_ulong(v, f->lo, f->hi, &n) != 0)
		return hdfl_fail(node, f->key, "must be a number from %lu to %lu", f->lo, f->hi);
	if (f->type == HDFL_SIZE)
		*(size_t *)dst = (size_t)n;
	else
		*(unsigned *)dst = (unsigned)n;
	return PERR_OK;
}

/* HDFL_ENUM: the index of v among names[lo..hi]; the error lists them. */
static enum perr apply_enum(const struct hdfl_node *node, const struct hdfl_field *f,
			    const char *v, int *dst)
{
	for (unsigned long i = f->lo; i <= f->hi; i++) {
		const char *name = f->names[i];
		if (name && ((f->flags & HDFL_CASELESS) ? strcasecmp(v, name) : strcmp(v, name)) == 0) {
			*dst = (int)i;
			return PERR_OK;
		}
	}
	char names[256] = "";
	for (unsigned long i = f->lo; i <= f->hi; i++) {
		size_t used = strlen(names);
		if (f->names[i])
			snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", f->names[i]);
	}
	return hdfl_fail(node, f->key, "unknown value '%.60s' (one of %s)", v, names);
}

/* The value of one field into base; PERR_OK when absent (and not required). */
static enum perr apply_one(const struct hdfl_node *node, const struct hdfl_field *f, char *base)
{
	const char *v = hdfl_value(node, f->key);
	void *dst = base + f->offset;
	int empty = v == NULL || v[0] == '\0';
	if (empty && (f->flags & HDFL_REQUIRED))
		return hdfl_fail(node, f->key, "missing");
	if (v == NULL || (empty && f->type != HDFL_TEXT))
		return PERR_OK;
	switch (f->type) {
	case HDFL_TEXT:
		return apply_text(node, f, v, dst);
	case HDFL_UINT:
	case HDFL_SIZE:
		return apply_number(node, f, v, dst);
	case HDFL_BOOL:
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			return hdfl_fail(node, f->key, "must be 0 or 1");
		*(int *)dst = v[0] == '1';
		return PERR_OK;
	case HDFL_ENUM:
		return apply_enum(node, f, v, dst);
	case HDFL_LIST:
		if (hdfl_split(v, ", \t", f->item, dst) != 0)
			return hdfl_fail(node, f->key, "has a bad or extra item");
		return PERR_OK;
	case HDFL_TYPE__MAX:
		break;
	}
	return hdfl_fail(node, f->key, "field of unknown type");
}

enum perr hdfl_apply(const struct hdfl_node *node, const struct hdfl_field *fields, size_t n,
		     void *base)
{
	for (size_t i = 0; i < n; i++) {
		enum perr e = apply_one(node, &fields[i], base);
		if (e != PERR_OK)
			return e;
	}
	return PERR_OK;
}

int hdfl_split(const char *list, const char *seps, int (*fn)(void *ctx, const char *item),
	       void *ctx)
{
	char item[512];
	const char *p = list ? list : "";
	while (*p) {
		p += strspn(p, seps);
		size_t n = strcspn(p, seps);
		if (n == 0)
			break;
		if (n >= sizeof item)
			return -1;
		memcpy(item, p, n);
		item[n] = '\0';
		p += n;
		/* separators without blanks ("," alone) leave blanks to trim */
		char *t = item;
		while (*t == ' ' || *t == '\t')
			t++;
		size_t tl = strlen(t);
		while (tl > 0 && (t[tl - 1] == ' ' || t[tl - 1] == '\t'))
			t[--tl] = '\0';
		if (tl == 0)
			continue;
		int rc = fn(ctx, t);
		if (rc != 0)
			return rc;
	}
	return 0;
}
