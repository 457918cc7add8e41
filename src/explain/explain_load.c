/* Reads db/knowledge/report.hdf into struct explain_knowledge. */
#include <ClearSilver.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/explain_knowledge.h"
#include "hdf/neo_error.h"

static const char *const kind_ids[KIND__MAX] = {
	"complaints", "reputation", "spam", "spamtrap", "exploit", "backscatter", "policy",
};
static const char *const cause_ids[CAUSE__MAX] = {
	"selfreport", "complaints", "exploit", "newsletter", "policy",
};

const char *explain_cause_id(enum explain_cause c)
{
	return (unsigned)c < CAUSE__MAX ? cause_ids[c] : "none";
}

int explain_cause_from_id(const char *id)
{
	for (int i = 0; id && i < CAUSE__MAX; i++)
		if (!strcmp(id, cause_ids[i]))
			return i;
	return -1;
}

static int kind_from_id(const char *id)
{
	for (int i = 0; id && i < KIND__MAX; i++)
		if (!strcmp(id, kind_ids[i]))
			return i;
	return -1;
}

/* Copies a required value; fails with a message naming the key. */
static int need(HDF *node, const char *key, char *dst, size_t n, char *err, size_t errlen)
{
	const char *v = hdf_get_value(node, key, NULL);
	if (v == NULL || *v == '\0' || strlen(v) >= n) {
		snprintf(err, errlen, "%s.%s is missing or too long", hdf_obj_name(node), key);
		return -1;
	}
	snprintf(dst, n, "%s", v);
	return 0;
}

/* Splits "a, b, c" calling fn(item) for each; stops on fn's -1. */
static int each_item(const char *list, int (*fn)(const char *item, void *ctx), void *ctx)
{
	char buf[2048];
	snprintf(buf, sizeof buf, "%s", list ? list : "");
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ' || *t == '\t')
			t++;
		size_t n = strlen(t);
		while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			t[--n] = '\0';
		if (n && fn(t, ctx) != 0)
			return -1;
	}
	return 0;
}

static int add_provider_list(const char *item, void *ctx)
{
	struct explain_provider *p = ctx;
	if (p->nlists == EXPLAIN_PROVIDER_LISTS_MAX || strlen(item) >= EXPLAIN_ZONE_MAX)
		return -1;
	snprintf(p->lists[p->nlists++], EXPLAIN_ZONE_MAX, "%s", item);
	return 0;
}

static int add_code(const char *item, void *ctx)
{
	struct explain_listing *l = ctx;
	struct in_addr a;
	if (l->ncodes == EXPLAIN_CODES_MAX || inet_pton(AF_INET, item, &a) != 1)
		return -1;
	l->codes[l->ncodes++] = ntohl(a.s_addr);
	return 0;
}

static int add_cause(const char *item, void *ctx)
{
	struct explain_kind_info *k = ctx;
	int c = explain_cause_from_id(item);
	if (c < 0 || k->ncauses == CAUSE__MAX)
		return -1;
	k->causes[k->ncauses++] = (enum explain_cause)c;
	return 0;
}

static int load_providers(HDF *root, struct explain_knowledge *k, char *err, size_t errlen)
{
	for (HDF *n = hdf_obj_child(hdf_get_obj(root, "Provider")); n; n = hdf_obj_next(n)) {
		if (k->nproviders == EXPLAIN_PROVIDERS_MAX) {
			snprintf(err, errlen, "too many providers");
			return -1;
		}
		struct explain_provider *p = &k->providers[k->nproviders++];
		snprintf(p->id, sizeof p->id, "%s", hdf_obj_name(n));
		if (need(n, "name", p->name, sizeof p->name, err, errlen) != 0)
			return -1;
		p->consumer = hdf_get_int_value(n, "consumer", 0);
		if (each_item(hdf_get_value(n, "lists", ""), add_provider_list, p) != 0) {
			snprintf(err, errlen, "Provider.%s.lists has a bad or extra entry", p->id);
			return -1;
		}
	}
	return 0;
}

static int load_listings(HDF *root, struct explain_knowledge *k, char *err, size_t errlen)
{
	for (HDF *n = hdf_obj_child(hdf_get_obj(root, "Listing")); n; n = hdf_obj_next(n)) {
		if (k->nlistings == EXPLAIN_LISTINGS_MAX) {
			snprintf(err, errlen, "too many listings");
			return -1;
		}
		struct explain_listing *l = &k->listings[k->nlistings++];
		char kind[32];
		if (need(n, "zone", l->zone, sizeof l->zone, err, errlen) != 0 ||
		    need(n, "kind", kind, sizeof kind, err, errlen) != 0)
			return -1;
		int kd = kind_from_id(kind);
		if (kd < 0 || each_item(hdf_get_value(n, "codes", ""), add_code, l) != 0) {
			snprintf(err, errlen, "Listing.%s has an unknown kind or a bad code", hdf_obj_name(n));
			return -1;
		}
		l->kind = (enum explain_kind)kd;
	}
	return 0;
}

static int load_kinds_and_causes(HDF *root, struct explain_knowledge *k, char *err, size_t errlen)
{
	for (int i = 0; i < KIND__MAX; i++) {
		HDF *n = hdf_get_obj(hdf_get_obj(root, "Kind"), kind_ids[i]);
		if (n == NULL) {
			snprintf(err, errlen, "Kind.%s is missing", kind_ids[i]);
			return -1;
		}
		if (need(n, "why", k->kinds[i].why, sizeof k->kinds[i].why, err, errlen) != 0)
			return -1;
		if (each_item(hdf_get_value(n, "causes", ""), add_cause, &k->kinds[i]) != 0 ||
		    k->kinds[i].ncauses == 0) {
			snprintf(err, errlen, "Kind.%s.causes names an unknown cause", kind_ids[i]);
			return -1;
		}
	}
	for (int i = 0; i < CAUSE__MAX; i++) {
		HDF *n = hdf_get_obj(hdf_get_obj(root, "Cause"), cause_ids[i]);
		struct explain_cause_info *c = &k->causes[i];
		if (n == NULL) {
			snprintf(err, errlen, "Cause.%s is missing", cause_ids[i]);
			return -1;
		}
		if (need(n, "title", c->title, sizeof c->title, err, errlen) != 0 ||
		    need(n, "text", c->text, sizeof c->text, err, errlen) != 0 ||
		    need(n, "todo", c->todo, sizeof c->todo, err, errlen) != 0)
			return -1;
	}
	for (HDF *n = hdf_obj_child(hdf_get_obj(root, "NotBlacklist")); n; n = hdf_obj_next(n)) {
		if (k->nnot_blacklist == EXPLAIN_CATEGORIES_MAX)
			break;
		char (*row)[EXPLAIN_TEXT_MAX] = k->not_blacklist[k->nnot_blacklist++];
		snprintf(row[0], EXPLAIN_TEXT_MAX, "%s", hdf_obj_name(n));
		snprintf(row[1], EXPLAIN_TEXT_MAX, "%s", hdf_obj_value(n) ? hdf_obj_value(n) : "");
	}
	return 0;
}

static enum perr load(HDF *root, struct explain_knowledge **out, char *err, size_t errlen)
{
	struct explain_knowledge *k = calloc(1, sizeof *k);
	if (k == NULL)
		return PERR_NOMEM;
	if (load_providers(root, k, err, errlen) != 0 || load_listings(root, k, err, errlen) != 0 ||
	    load_kinds_and_causes(root, k, err, errlen) != 0) {
		free(k);
		return PERR_CONFIG;
	}
	*out = k;
	return PERR_OK;
}

static enum perr read_and_load(const char *src, int is_text, struct explain_knowledge **out,
				char *err, size_t errlen)
{
	*out = NULL;
	HDF *root = NULL;
	enum perr rc = neo_hdf_read(&root, src, is_text, err, errlen);
	if (rc == PERR_OK)
		rc = load(root, out, err, errlen);
	hdf_destroy(&root);
	return rc;
}

enum perr explain_knowledge_load(const char *path, struct explain_knowledge **out, char *err, size_t errlen)
{
	return read_and_load(path, 0, out, err, errlen);
}

enum perr explain_knowledge_parse(const char *text, struct explain_knowledge **out, char *err, size_t errlen)
{
	return read_and_load(text, 1, out, err, errlen);
}

void explain_knowledge_free(struct explain_knowledge *k)
{
	free(k);
}
