/* Reads db/knowledge/report.hdf, and the providers' names and lists from
 * db/knowledge/bounce_providers.hdf (a provider is one entry, shared with
 * the bounce analyzer), into struct explain_knowledge. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/explain_knowledge.h"
#include "hdf/hdf_load.h"

static const char *const kind_ids[KIND__MAX] = {
	"complaints", "reputation", "spam", "spamtrap", "exploit", "backscatter", "policy",
};
static const char *const cause_ids[CAUSE__MAX] = {
	"selfreport", "complaints", "exploit", "newsletter", "policy", "own_network", "other_provider",
};
static const char *const outcome_ids[EXPLAIN_OUTCOMES] = {
	"our_server_listed", "server_listed", "provider_filter", "your_address_listed",
	"not_blocklist", "could_not_tell", "could_not_check",
};

const char *explain_outcome_id(int i)
{
	return i >= 0 && i < EXPLAIN_OUTCOMES ? outcome_ids[i] : "could_not_tell";
}

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

/* List items: each takes one item into its struct; -1 when bad or full. */
static int add_provider_list(void *ctx, const char *item)
{
	struct explain_provider *p = ctx;
	if (p->nlists == EXPLAIN_PROVIDER_LISTS_MAX || strlen(item) >= EXPLAIN_ZONE_MAX)
		return -1;
	snprintf(p->lists[p->nlists++], EXPLAIN_ZONE_MAX, "%s", item);
	return 0;
}

static int add_code(void *ctx, const char *item)
{
	struct explain_listing *l = ctx;
	struct in_addr a;
	if (l->ncodes == EXPLAIN_CODES_MAX || inet_pton(AF_INET, item, &a) != 1)
		return -1;
	l->codes[l->ncodes++] = ntohl(a.s_addr);
	return 0;
}

static int add_cause(void *ctx, const char *item)
{
	struct explain_kind_info *k = ctx;
	int c = explain_cause_from_id(item);
	if (c < 0 || k->ncauses == CAUSE__MAX)
		return -1;
	k->causes[k->ncauses++] = (enum explain_cause)c;
	return 0;
}

/* Kind.<id>.away: the causes of a listing of an address that is not ours. */
static int add_away(void *ctx, const char *item)
{
	struct explain_kind_info *k = ctx;
	int c = explain_cause_from_id(item);
	if (c < 0 || k->naway == CAUSE__MAX)
		return -1;
	k->away[k->naway++] = (enum explain_cause)c;
	return 0;
}

static const struct hdfl_field provider_fields[] = {
	HDFL_F_TEXT(struct explain_provider, "name", name, HDFL_REQUIRED),
	HDFL_F_BOOL(struct explain_provider, "consumer", consumer),
	HDFL_F_LIST("lists", add_provider_list, 0),
};

static const struct hdfl_field listing_fields[] = {
	HDFL_F_TEXT(struct explain_listing, "zone", zone, HDFL_REQUIRED),
	HDFL_F_ENUM(struct explain_listing, "kind", kind, kind_ids, 0, KIND__MAX - 1, HDFL_REQUIRED),
	HDFL_F_LIST("codes", add_code, 0),
};

static const struct hdfl_field kind_fields[] = {
	HDFL_F_TEXT(struct explain_kind_info, "why", why, HDFL_REQUIRED),
	HDFL_F_LIST("causes", add_cause, HDFL_REQUIRED),
	HDFL_F_LIST("away", add_away, HDFL_REQUIRED),
};

static const struct hdfl_field outcome_fields[] = {
	HDFL_F_TEXT(struct explain_outcome_info, "heading", heading, HDFL_REQUIRED),
	HDFL_F_TEXT(struct explain_outcome_info, "next", next, HDFL_REQUIRED),
	HDFL_F_TEXT(struct explain_outcome_info, "ip_heading", ip_heading, 0),
	HDFL_F_TEXT(struct explain_outcome_info, "ip_next", ip_next, 0),
};

static const struct hdfl_field cause_fields[] = {
	HDFL_F_TEXT(struct explain_cause_info, "title", title, HDFL_REQUIRED),
	HDFL_F_TEXT(struct explain_cause_info, "text", text, HDFL_REQUIRED),
	HDFL_F_TEXT(struct explain_cause_info, "todo", todo, HDFL_REQUIRED),
};

#define NFIELDS(t) (sizeof t / sizeof t[0])

/* Provider.*: any number of entries, in file order, added to k. */
static enum perr load_providers(const struct hdfl_node *root, struct explain_knowledge *k)
{
	struct hdfl_node sec, n;
	enum perr e = PERR_OK;
	int more = hdfl_get(root, "Provider", &sec) && hdfl_first(&sec, &n);
	for (; more && e == PERR_OK; more = hdfl_next(&n)) {
		if (k->nproviders == EXPLAIN_PROVIDERS_MAX)
			return hdfl_fail(&sec, NULL, "more than %d providers", EXPLAIN_PROVIDERS_MAX);
		struct explain_provider *p = &k->providers[k->nproviders++];
		snprintf(p->id, sizeof p->id, "%s", hdfl_name(&n));
		e = hdfl_apply(&n, provider_fields, NFIELDS(provider_fields), p);
	}
	return e;
}

/* Listing.*: any number of entries, in file order. */
static enum perr load_listings(const struct hdfl_node *root, struct explain_knowledge *k)
{
	struct hdfl_node sec, n;
	enum perr e = PERR_OK;
	int more = hdfl_get(root, "Listing", &sec) && hdfl_first(&sec, &n);
	for (; more && e == PERR_OK; more = hdfl_next(&n)) {
		if (k->nlistings == EXPLAIN_LISTINGS_MAX)
			return hdfl_fail(&sec, NULL, "more than %d listings", EXPLAIN_LISTINGS_MAX);
		e = hdfl_apply(&n, listing_fields, NFIELDS(listing_fields), &k->listings[k->nlistings++]);
	}
	return e;
}

/* Kind.<id> and Cause.<id>: exactly the ids the code knows, each required. */
static enum perr load_kinds_and_causes(const struct hdfl_node *root, struct explain_knowledge *k)
{
	struct hdfl_node n;
	for (int i = 0; i < KIND__MAX; i++) {
		char key[64];
		snprintf(key, sizeof key, "Kind.%s", kind_ids[i]);
		if (!hdfl_get(root, key, &n))
			return hdfl_fail(root, key, "missing");
		enum perr e = hdfl_apply(&n, kind_fields, NFIELDS(kind_fields), &k->kinds[i]);
		if (e != PERR_OK)
			return e;
		if (k->kinds[i].ncauses == 0)
			return hdfl_fail(&n, "causes", "names no cause");
	}
	for (int i = 0; i < CAUSE__MAX; i++) {
		char key[64];
		snprintf(key, sizeof key, "Cause.%s", cause_ids[i]);
		if (!hdfl_get(root, key, &n))
			return hdfl_fail(root, key, "missing");
		enum perr e = hdfl_apply(&n, cause_fields, NFIELDS(cause_fields), &k->causes[i]);
		if (e != PERR_OK)
			return e;
	}
	for (int i = 0; i < EXPLAIN_OUTCOMES; i++) {
		char key[64];
		snprintf(key, sizeof key, "Outcome.%s", outcome_ids[i]);
		if (!hdfl_get(root, key, &n))
			return hdfl_fail(root, key, "missing");
		enum perr e = hdfl_apply(&n, outcome_fields, NFIELDS(outcome_fields), &k->outcomes[i]);
		if (e != PERR_OK)
			return e;
	}
	struct hdfl_node sec;
	int more = hdfl_get(root, "NotBlacklist", &sec) && hdfl_first(&sec, &n);
	for (; more && k->nnot_blacklist < EXPLAIN_CATEGORIES_MAX; more = hdfl_next(&n)) {
		char (*row)[EXPLAIN_TEXT_MAX] = k->not_blacklist[k->nnot_blacklist++];
		const char *v = hdfl_value(&n, NULL);
		snprintf(row[0], EXPLAIN_TEXT_MAX, "%s", hdfl_name(&n));
		snprintf(row[1], EXPLAIN_TEXT_MAX, "%s", v ? v : "");
	}
	return PERR_OK;
}

/* Builds the knowledge from the report document and, when given, the
 * providers document (read first: its entries come before report's own
 * Provider.other). Closes both. */
static enum perr load(struct hdfl_doc *doc, struct hdfl_doc *providers,
		      struct explain_knowledge **out)
{
	enum perr e = PERR_NOMEM;
	struct hdfl_node root = hdfl_root(doc);
	struct explain_knowledge *k = calloc(1, sizeof *k);
	if (k != NULL) {
		struct hdfl_node proot = providers ? hdfl_root(providers) : root;
		e = providers ? load_providers(&proot, k) : PERR_OK;
	}
	if (e == PERR_OK)
		e = load_providers(&root, k);
	if (e == PERR_OK)
		e = load_listings(&root, k);
	if (e == PERR_OK)
		e = load_kinds_and_causes(&root, k);
	if (e == PERR_OK)
		*out = k;
	else
		free(k);
	hdfl_close(providers);
	hdfl_close(doc);
	return e;
}

/* Opens path, mapping an unreadable file to PERR_CONFIG (as before: the
 * knowledge is configuration). */
static enum perr open_file(struct hdfl_doc **doc, const char *path, char *err, size_t errlen)
{
	enum perr rc = hdfl_open_file(doc, path, err, errlen);
	return rc == PERR_NOT_FOUND ? PERR_CONFIG : rc;
}

enum perr explain_knowledge_load(const char *path, struct explain_knowledge **out, char *err, size_t errlen)
{
	*out = NULL;
	char ppath[4096];
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) : 1;
	if ((size_t)snprintf(ppath, sizeof ppath, "%.*s/%s", dirlen, slash ? path : ".",
			     EXPLAIN_PROVIDERS_FILE) >= sizeof ppath) {
		snprintf(err, errlen, "%s: path too long", path);
		return PERR_CONFIG;
	}
	struct hdfl_doc *providers = NULL, *doc = NULL;
	enum perr rc = open_file(&providers, ppath, err, errlen);
	if (rc == PERR_OK && (rc = open_file(&doc, path, err, errlen)) != PERR_OK)
		hdfl_close(providers);
	return rc == PERR_OK ? load(doc, providers, out) : rc;
}

enum perr explain_knowledge_parse(const char *text, struct explain_knowledge **out, char *err, size_t errlen)
{
	*out = NULL;
	struct hdfl_doc *doc = NULL;
	enum perr rc = hdfl_open_text(&doc, text, "<report knowledge>", err, errlen);
	return rc == PERR_OK ? load(doc, NULL, out) : rc;
}

void explain_knowledge_free(struct explain_knowledge *k)
{
	free(k);
}
