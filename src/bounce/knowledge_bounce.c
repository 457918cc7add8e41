/* Loads db/knowledge/bounce_*.hdf into struct bounce_knowledge. The only
 * bounce file that reads HDF (through the src/hdf/ toolkit) or the disk. */
#include "internal/knowledge_bounce.h"
#include "hdf/hdf_load.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KB_MAX_FILES 32

struct loader {
	struct bounce_knowledge *k;
	char *err;
	size_t errlen;
	const char *file;
};

static enum perr fail(struct loader *l, enum perr e, const char *fmt, ...)
{
	if (l->err != NULL && l->errlen > 0) {
		va_list ap;
		int n = snprintf(l->err, l->errlen, "%s: ", l->file ? l->file : "knowledge");
		if (n < 0 || (size_t)n >= l->errlen)
			n = 0;
		va_start(ap, fmt);
		vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return e;
}

/* Grows *arr (of *n elements of size sz) by one zeroed element. Returns
 * the new element or NULL on ENOMEM. */
static void *grow(void *arr, size_t *n, size_t sz)
{
	void **pa = arr;
	char *p = realloc(*pa, (*n + 1) * sz);
	if (p == NULL)
		return NULL;
	*pa = p;
	memset(p + *n * sz, 0, sz);
	return p + (*n)++ * sz;
}

/* strdup of an HDF value, or NULL (no error) when absent. Sets *oom. */
static char *dupval(const struct hdfl_node *node, const char *key, bool *oom)
{
	const char *v = hdfl_value(node, key);
	if (v == NULL || v[0] == '\0')
		return NULL;
	char *s = strdup(v);
	if (s == NULL)
		*oom = true;
	return s;
}

static char *mkid(const char *kind, const char *name, bool *oom)
{
	size_t n = strlen(kind) + strlen(name) + 2;
	char *s = malloc(n);
	if (s == NULL) {
		*oom = true;
		return NULL;
	}
	snprintf(s, n, "%s:%s", kind, name);
	return s;
}

/* Compiles pattern key of node into *p (knowledge_compile.c). A missing
 * pattern is an error when required. */
static enum perr compile(struct loader *l, const struct hdfl_node *node, bool required,
                         struct kb_pattern *p)
{
	const char *raw = hdfl_value(node, "pattern");
	if (raw == NULL || raw[0] == '\0')
		return required ? hdfl_fail(node, "pattern", "missing") : PERR_OK;
	if (hdfl_value(node, "gate") != NULL)
		return hdfl_fail(node, NULL, "gate is derived from the pattern now; remove the line");
	char why[256] = "";
	bool case_sensitive = hdfl_int(node, "case_sensitive", 0) != 0;
	const char *id = hdfl_name(node);
	enum perr e = kb_compile_pattern(l->k, id, raw, case_sensitive, p, why, sizeof why);
	if (e != PERR_CONFIG)
		return e;
	/* the message starts with the entry's name, which hdfl_fail() gives */
	size_t n = strlen(id);
	const char *msg = strncmp(why, id, n) == 0 && why[n] == ':' ? why + n + 2 : why;
	return hdfl_fail(node, "pattern", "%s", msg);
}

static enum perr get_category(const struct hdfl_node *node, bool required,
                              enum bounce_category *c, bool *has)
{
	const char *v = hdfl_value(node, "category");
	if (has)
		*has = false;
	if (v == NULL)
		return required ? hdfl_fail(node, "category", "missing") : PERR_OK;
	int x = bounce_category_from_str(v);
	if (x < 0)
		return hdfl_fail(node, "category", "unknown category '%s'", v);
	*c = (enum bounce_category)x;
	if (has)
		*has = true;
	return PERR_OK;
}

/* The interned copy of provider name (added when new), or NULL on
 * ENOMEM. named_by is the id of the entry naming it (kept by the entry);
 * defined marks a Provider entry. Whether every name has an entry is
 * checked once all files are read (check_providers). */
static const char *intern_provider(struct loader *l, const char *name, const char *named_by,
                                   bool defined)
{
	struct bounce_knowledge *k = l->k;
	for (size_t i = 0; i < k->npnames; i++)
		if (strcmp(k->pnames[i].name, name) == 0) {
			k->pnames[i].defined |= defined;
			return k->pnames[i].name;
		}
	char *copy = strdup(name);
	struct kb_pname *pn = copy ? grow(&k->pnames, &k->npnames, sizeof *pn) : NULL;
	if (pn == NULL) {
		free(copy);
		return NULL;
	}
	*pn = (struct kb_pname){ .name = copy, .named_by = named_by, .defined = defined };
	return copy;
}

static enum perr get_provider(struct loader *l, const struct hdfl_node *node, const char *id,
                              bool required, const char **p, bool *has)
{
	const char *v = hdfl_value(node, "provider");
	if (has)
		*has = false;
	if (v == NULL)
		return required ? hdfl_fail(node, "provider", "missing") : PERR_OK;
	if (v[0] == '\0')
		return hdfl_fail(node, "provider", "empty");
	if ((*p = intern_provider(l, v, id, false)) == NULL)
		return PERR_NOMEM;
	if (has)
		*has = true;
	return PERR_OK;
}

/* Splits a "a, b c" value into a NULL-free array of strdup'ed words. */
static enum perr split_words(const char *v, const char *seps, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (v == NULL)
		return PERR_OK;
	char *copy = strdup(v);
	if (copy == NULL)
		return PERR_NOMEM;
	char *save = NULL;
	for (char *w = strtok_r(copy, seps, &save); w; w = strtok_r(NULL, seps, &save)) {
		while (*w == ' ')
			w++;
		size_t wl = strlen(w);
		while (wl > 0 && w[wl - 1] == ' ')
			w[--wl] = '\0';
		if (wl == 0)
			continue;
		char **slot = grow(out, n, sizeof **out);
		if (slot == NULL || (*slot = strdup(w)) == NULL) {
			free(copy);
			return PERR_NOMEM;
		}
	}
	free(copy);
	return PERR_OK;
}

static enum perr load_rule(struct loader *l, const struct hdfl_node *node)
{
	bool oom = false;
	struct kb_rule *r = grow(&l->k->rules, &l->k->nrules, sizeof *r);
	if (r == NULL || (r->id = mkid("rule", hdfl_name(node), &oom)) == NULL)
		return PERR_NOMEM;
	enum perr e = compile(l, node, true, &r->pat);
	if (e == PERR_OK)
		e = get_category(node, true, &r->category, NULL);
	if (e == PERR_OK)
		e = get_provider(l, node, r->id, false, &r->provider, &r->has_provider);
	if (e != PERR_OK)
		return e;
	r->priority = hdfl_int(node, "priority", 50);
	r->list = dupval(node, "list", &oom);
	r->code = dupval(node, "code", &oom);
	r->description = dupval(node, "description", &oom);
	r->advice = dupval(node, "advice", &oom);
	if (r->description == NULL && !oom)
		return hdfl_fail(node, "description", "missing");
	return oom ? PERR_NOMEM : PERR_OK;
}

static enum perr load_provider(struct loader *l, const struct hdfl_node *node)
{
	bool oom = false;
	struct kb_provider *p = grow(&l->k->providers, &l->k->nproviders, sizeof *p);
	if (p == NULL || (p->id = mkid("provider", hdfl_name(node), &oom)) == NULL)
		return PERR_NOMEM;
	if ((p->provider = intern_provider(l, hdfl_name(node), p->id, true)) == NULL)
		return PERR_NOMEM;
	enum perr e = split_words(hdfl_value(node, "domains"), ", \t\n", &p->domains,
	                          &p->ndomains);
	if (e != PERR_OK)
		return e;
	if ((p->domlen = calloc(p->ndomains ? p->ndomains : 1, sizeof *p->domlen)) == NULL)
		return PERR_NOMEM;
	for (size_t i = 0; i < p->ndomains; i++)
		p->domlen[i] = strlen(p->domains[i]);
	return compile(l, node, false, &p->pat);
}

static enum perr load_code(struct loader *l, const struct hdfl_node *node)
{
	bool oom = false;
	struct kb_code *c = grow(&l->k->codes, &l->k->ncodes, sizeof *c);
	if (c == NULL || (c->id = mkid("code", hdfl_name(node), &oom)) == NULL)
		return PERR_NOMEM;
	enum perr e = get_provider(l, node, c->id, false, &c->provider, &c->has_provider);
	if (e == PERR_OK)
		e = get_category(node, false, &c->category, &c->has_category);
	if (e == PERR_OK)
		e = split_words(hdfl_value(node, "lists"), ",", &c->lists, &c->nlists);
	if (e != PERR_OK)
		return e;
	c->code = dupval(node, "code", &oom);
	c->meaning = dupval(node, "meaning", &oom);
	c->advice = dupval(node, "advice", &oom);
	if (!oom && (c->code == NULL || c->meaning == NULL))
		return hdfl_fail(node, NULL, "needs code and meaning");
	return oom ? PERR_NOMEM : PERR_OK;
}

static enum perr load_bitflag(struct loader *l, const struct hdfl_node *node)
{
	bool oom = false;
	struct kb_bitflag *b = grow(&l->k->bitflags, &l->k->nbitflags, sizeof *b);
	if (b == NULL || (b->id = mkid("bits", hdfl_name(node), &oom)) == NULL)
		return PERR_NOMEM;
	enum perr e = get_provider(l, node, b->id, true, &b->provider, NULL);
	if (e == PERR_OK)
		e = get_category(node, true, &b->category, NULL);
	if (e != PERR_OK)
		return e;
	b->prefix = dupval(node, "prefix", &oom);
	b->digits = hdfl_int(node, "digits", 0);
	b->meaning = dupval(node, "meaning", &oom);
	b->advice = dupval(node, "advice", &oom);
	for (int i = 0; i < KB_MAX_BITS; i++) {
		char key[16];
		snprintf(key, sizeof key, "bit.%d", i);
		b->bit[i] = dupval(node, key, &oom);
	}
	if (!oom && (b->prefix == NULL || b->digits < 1 || b->digits > KB_MAX_BITS))
		return hdfl_fail(node, NULL, "needs prefix and digits 1..%d", KB_MAX_BITS);
	return oom ? PERR_NOMEM : PERR_OK;
}

static enum perr load_list(struct loader *l, const struct hdfl_node *node)
{
	bool oom = false;
	struct kb_list *li = grow(&l->k->lists, &l->k->nlists, sizeof *li);
	if (li == NULL || (li->id = mkid("list", hdfl_name(node), &oom)) == NULL)
		return PERR_NOMEM;
	li->name = dupval(node, "name", &oom);
	const char *kind = hdfl_value(node, "kind");
	if (kind == NULL)
		kind = "ip";
	li->domain = strcmp(kind, "domain") == 0;
	if (oom)
		return PERR_NOMEM;
	if (li->name == NULL)
		return hdfl_fail(node, "name", "missing");
	return compile(l, node, true, &li->pat);
}

static enum perr load_ipctx(struct loader *l, const struct hdfl_node *node, bool receiver)
{
	bool oom = false;
	struct kb_ipctx *c = receiver ? grow(&l->k->receivers, &l->k->nreceivers, sizeof *c)
	                              : grow(&l->k->ipctx, &l->k->nipctx, sizeof *c);
	if (c == NULL || (c->id = mkid(receiver ? "receiver" : "ipctx", hdfl_name(node), &oom)) == NULL)
		return PERR_NOMEM;
	c->description = dupval(node, "description", &oom);
	if (oom)
		return PERR_NOMEM;
	enum perr e = compile(l, node, true, &c->pat);
	if (e == PERR_OK && c->pat.g_ip == 0)
		return hdfl_fail(node, "pattern", "has no (?<ip>...) group");
	return e;
}

static enum perr load_status(struct loader *l, const struct hdfl_node *node)
{
	bool oom = false;
	struct kb_status *s = grow(&l->k->statuses, &l->k->nstatuses, sizeof *s);
	if (s == NULL || (s->id = mkid("status", hdfl_name(node), &oom)) == NULL)
		return PERR_NOMEM;
	s->status = dupval(node, "status", &oom);
	if (oom)
		return PERR_NOMEM;
	if (s->status == NULL)
		return hdfl_fail(node, "status", "missing");
	return get_category(node, true, &s->category, NULL);
}

static enum perr load_categories(struct loader *l, const struct hdfl_node *sec)
{
	struct hdfl_node c;
	for (int more = hdfl_first(sec, &c); more; more = hdfl_next(&c)) {
		int x = bounce_category_from_str(hdfl_name(&c));
		if (x < 0)
			return hdfl_fail(&c, NULL, "unknown category");
		bool oom = false;
		free(l->k->cat_advice[x]);
		l->k->cat_advice[x] = dupval(&c, "advice", &oom);
		if (oom)
			return PERR_NOMEM;
	}
	return PERR_OK;
}

/* Adds every Pattern.NAME = regex of the section to l->k. */
static enum perr load_pattern_names(const struct hdfl_node *sec, struct loader *l)
{
	struct hdfl_node n;
	for (int m = hdfl_first(sec, &n); m; m = hdfl_next(&n)) {
		char why[256] = "";
		enum perr e = kb_add_pattern_name(l->k, hdfl_name(&n), hdfl_value(&n, NULL), why, sizeof why);
		if (e != PERR_OK)
			return e == PERR_NOMEM ? e : hdfl_fail(&n, NULL, "%s", why);
	}
	return PERR_OK;
}

/* First pass over a file: its named patterns, which every other file's
 * patterns may use. */
static enum perr load_names_file(struct loader *l, const char *path)
{
	struct hdfl_doc *doc = NULL;
	l->file = path;
	enum perr e = hdfl_open_file(&doc, path, l->err, l->errlen);
	if (e != PERR_OK)
		return e == PERR_NOMEM ? e : PERR_CONFIG;
	struct hdfl_node root = hdfl_root(doc), sec;
	if (hdfl_get(&root, "Pattern", &sec))
		e = load_pattern_names(&sec, l);
	hdfl_close(doc);
	return e;
}

/* Reads one HDF file and adds its sections to l->k. */
static enum perr load_file(struct loader *l, const char *path)
{
	struct hdfl_doc *doc = NULL;
	l->file = path;
	enum perr e = hdfl_open_file(&doc, path, l->err, l->errlen);
	if (e != PERR_OK)
		return e == PERR_NOMEM ? e : PERR_CONFIG;
	struct hdfl_node root = hdfl_root(doc), sec, n;
	for (int ms = hdfl_first(&root, &sec); ms && e == PERR_OK; ms = hdfl_next(&sec)) {
		const char *name = hdfl_name(&sec);
		if (strcmp(name, "Category") == 0) {
			e = load_categories(l, &sec);
			continue;
		}
		if (strcmp(name, "Pattern") == 0)
			continue; /* read by load_names_file() */
		for (int mn = hdfl_first(&sec, &n); mn && e == PERR_OK; mn = hdfl_next(&n)) {
			if (strcmp(name, "Rule") == 0)
				e = load_rule(l, &n);
			else if (strcmp(name, "Provider") == 0)
				e = load_provider(l, &n);
			else if (strcmp(name, "Code") == 0)
				e = load_code(l, &n);
			else if (strcmp(name, "Bitflag") == 0)
				e = load_bitflag(l, &n);
			else if (strcmp(name, "List") == 0)
				e = load_list(l, &n);
			else if (strcmp(name, "Ipctx") == 0)
				e = load_ipctx(l, &n, false);
			else if (strcmp(name, "Receiver") == 0)
				e = load_ipctx(l, &n, true);
			else if (strcmp(name, "Status") == 0)
				e = load_status(l, &n);
			else
				e = hdfl_fail(&sec, NULL, "unknown section");
		}
	}
	hdfl_close(doc);
	return e;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects every entry id into k->ids, and refuses duplicates (two
 * entries with one id would make evidence ambiguous). */
static enum perr index_ids(struct loader *l)
{
	struct bounce_knowledge *k = l->k;
	size_t n = k->nrules + k->nproviders + k->ncodes + k->nbitflags + k->nlists + k->nipctx +
	           k->nreceivers + k->nstatuses;
	k->ids = calloc(n ? n : 1, sizeof *k->ids);
	if (k->ids == NULL)
		return PERR_NOMEM;
#define ADD(arr, cnt) for (size_t i = 0; i < k->cnt; i++) k->ids[k->nids++] = k->arr[i].id
	ADD(rules, nrules);
	ADD(providers, nproviders);
	ADD(codes, ncodes);
	ADD(bitflags, nbitflags);
	ADD(lists, nlists);
	ADD(ipctx, nipctx);
	ADD(receivers, nreceivers);
	ADD(statuses, nstatuses);
#undef ADD
	const char **sorted = malloc((n ? n : 1) * sizeof *sorted);
	if (sorted == NULL)
		return PERR_NOMEM;
	memcpy(sorted, k->ids, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmpstr);
	enum perr e = PERR_OK;
	l->file = NULL;
	for (size_t i = 1; i < n; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0) {
			e = fail(l, PERR_CONFIG, "duplicate entry %s", sorted[i]);
			break;
		}
	free(sorted);
	return e;
}

/* Refuses a provider that entries name but no Provider entry defines
 * (a typo would otherwise make a provider of its own). */
static enum perr check_providers(struct loader *l)
{
	l->file = NULL;
	for (size_t i = 0; i < l->k->npnames; i++)
		if (!l->k->pnames[i].defined)
			return fail(l, PERR_CONFIG, "%s: provider '%s' has no Provider entry",
			            l->k->pnames[i].named_by, l->k->pnames[i].name);
	return PERR_OK;
}

/* Puts every pattern's gate literals into one set, scanned once per text. */
static enum perr build_litset(struct bounce_knowledge *k)
{
	if ((k->lits = calloc(1, sizeof *k->lits)) == NULL)
		return PERR_NOMEM;
#define ADD(arr, cnt) \
	for (size_t i = 0; i < k->cnt; i++) \
		if (k->arr[i].pat.re) \
			bounce_litset_add(k->lits, &k->arr[i].pat.gate)
	ADD(rules, nrules);
	ADD(providers, nproviders);
	ADD(lists, nlists);
	ADD(ipctx, nipctx);
	ADD(receivers, nreceivers);
#undef ADD
	bounce_litset_finish(k->lits);
	return PERR_OK;
}

enum perr bounce_knowledge_load_err(const char *dir, struct bounce_knowledge **out,
                                    char *err, size_t errlen)
{
	struct loader l = {.err = err, .errlen = errlen};
	char *names[KB_MAX_FILES];
	size_t nnames = 0;
	enum perr e = PERR_OK;
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	DIR *d = opendir(dir);
	if (d == NULL)
		return fail(&l, PERR_NOT_FOUND, "cannot open directory %s", dir);
	struct dirent *de;
	while ((de = readdir(d)) != NULL && nnames < KB_MAX_FILES) {
		size_t nl = strlen(de->d_name);
		if (strncmp(de->d_name, "bounce_", 7) != 0 || nl < 11 ||
		    strcmp(de->d_name + nl - 4, ".hdf") != 0)
			continue;
		if ((names[nnames] = strdup(de->d_name)) == NULL) {
			e = PERR_NOMEM;
			break;
		}
		nnames++;
	}
	closedir(d);
	if (e == PERR_OK && nnames == 0)
		e = fail(&l, PERR_NOT_FOUND, "no bounce_*.hdf in %s", dir);
	if (e == PERR_OK && (l.k = calloc(1, sizeof *l.k)) == NULL)
		e = PERR_NOMEM;
	qsort(names, nnames, sizeof names[0], cmpstr);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nnames && e == PERR_OK; i++) {
			char path[4096];
			if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path) {
				e = fail(&l, PERR_CONFIG, "path too long");
				break;
			}
			e = pass == 0 ? load_names_file(&l, path) : load_file(&l, path);
		}
	if (e == PERR_OK)
		e = index_ids(&l);
	if (e == PERR_OK)
		e = check_providers(&l);
	if (e == PERR_OK)
		e = build_litset(l.k);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	if (e != PERR_OK) {
		bounce_knowledge_free(l.k);
		return e;
	}
	*out = l.k;
	return PERR_OK;
}

enum perr bounce_knowledge_load(const char *dir, struct bounce_knowledge **out)
{
	return bounce_knowledge_load_err(dir, out, NULL, 0);
}

size_t bounce_knowledge_count(const struct bounce_knowledge *k)
{
	return k ? k->nids : 0;
}

const char *bounce_knowledge_entry_id(const struct bounce_knowledge *k, size_t i)
{
	return k && i < k->nids ? k->ids[i] : NULL;
}
