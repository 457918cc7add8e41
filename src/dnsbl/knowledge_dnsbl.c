/* Loader and decoder for the DNSBL catalogue (HDF). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ipaddr.h"
#include "knowledge_dnsbl.h"
#include "hdf/hdf_load.h"

static const char *const severity_names[DNSBL_SEV__MAX] = {
	[DNSBL_SEV_NONE] = "none",
	[DNSBL_SEV_POLICY] = "policy",
	[DNSBL_SEV_LOW] = "low",
	[DNSBL_SEV_MEDIUM] = "medium",
	[DNSBL_SEV_HIGH] = "high",
};

const char *dnsbl_severity_str(enum dnsbl_severity s)
{
	return (unsigned)s < DNSBL_SEV__MAX ? severity_names[s] : "unknown";
}

int dnsbl_zone_valid(const char *s)
{
	size_t len = strlen(s);
	if (len < 3 || len >= DNSBL_ZONE_MAX)
		return 0;
	size_t label = 0;
	int labels = 1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			labels++;
			continue;
		}
		if (!(isalnum((unsigned char)c) || c == '-') || (c & 0x80))
			return 0;
		if (label == 0 && c == '-')
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && s[len - 1] != '-' && labels >= 2;
}

/* Parses "127.0.0.2" into a host-order IPv4 inside 127.0.0.0/8. */
static int parse_code(const char *s, size_t len, uint32_t *out)
{
	struct ipaddr ip;
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (ipaddr_parse(s, len, &ip, NULL) != PERR_OK || ip.family != 4 || ip.b[0] != 127)
		return -1;
	*out = (uint32_t)ip.b[0] << 24 | (uint32_t)ip.b[1] << 16 | (uint32_t)ip.b[2] << 8 | ip.b[3];
	return 0;
}

/* Parses a comma-separated list of codes into out[max] (NULL = none). */
static int parse_code_list(const char *v, uint32_t *out, size_t max, size_t *n)
{
	*n = 0;
	while (v != NULL && *v) {
		const char *end = strchr(v, ',');
		size_t len = end ? (size_t)(end - v) : strlen(v);
		if (*n == max || parse_code(v, len, &out[*n]) != 0)
			return -1;
		(*n)++;
		v += len;
		if (*v == ',')
			v++;
	}
	return 0;
}

static int check_url(const char *u)
{
	if (*u == '\0')
		return 0;
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return -1;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>' ||
		    *p == '\'' || *p == '\\' || (unsigned char)*p >= 0x7f)
			return -1;
	return 0;
}

#define LIST_TEXT(k, m) HDFL_F_TEXT(struct dnsbl_list, k, m, 0)
#define LIST_BOOL(k, m) HDFL_F_BOOL(struct dnsbl_list, k, m)

/* The plain fields of a list, after "zone" (read and checked first).
 * Absent texts stay empty, absent flags keep the defaults load_list sets. */
static const struct hdfl_field list_fields[] = {
	LIST_TEXT("name", name),
	LIST_TEXT("lists", lists),
	LIST_TEXT("lookup_url", lookup_url),
	LIST_TEXT("delist_url", delist_url),
	LIST_TEXT("duration", duration),
	LIST_TEXT("quirks", quirks),
	LIST_TEXT("dqs_zone", dqs_zone),
	LIST_BOOL("self_service", self_service),
	LIST_BOOL("policy", policy),
	LIST_BOOL("ipv6", ipv6),
	LIST_BOOL("txt", txt),
	LIST_BOOL("dead", dead),
	LIST_BOOL("default", default_on),
	LIST_BOOL("bitmask", bitmask),
	LIST_BOOL("test.enabled", test),
	LIST_BOOL("test.clean_listed", test_clean_listed),
};

/* A code's fields after "code" (whose reading depends on the list). The
 * severity must be named: NONE (index 0) is not a choice. */
static const struct hdfl_field code_fields[] = {
	HDFL_F_ENUM(struct dnsbl_code, "severity", severity, severity_names, DNSBL_SEV_POLICY,
		    DNSBL_SEV__MAX - 1, HDFL_REQUIRED),
	HDFL_F_BOOL(struct dnsbl_code, "policy", policy),
	HDFL_F_BOOL(struct dnsbl_code, "self_service", self_service),
	HDFL_F_TEXT(struct dnsbl_code, "meaning", meaning, HDFL_REQUIRED),
};

/* Reads the "code" key of c for list l: a bit (bitmask lists) or an
 * address in 127.0.0.0/8. */
static enum perr read_code_value(const struct hdfl_node *c, const struct dnsbl_list *l,
				 struct dnsbl_code *code)
{
	const char *v = hdfl_value(c, "code");
	if (v == NULL)
		v = "";
	if (l->bitmask) {
		char *end;
		unsigned long bit = strtoul(v, &end, 10);
		if (*v == '\0' || *end != '\0' || bit == 0 || bit > 255 || (bit & (bit - 1)))
			return hdfl_fail(c, "code", "a bitmask code must be a power of two 1-128");
		code->value = (uint32_t)bit;
	} else if (parse_code(v, strlen(v), &code->value) != 0) {
		return hdfl_fail(c, "code", "must be an address in 127.0.0.0/8");
	}
	return PERR_OK;
}

static enum perr load_codes(const struct hdfl_node *node, struct dnsbl_list *l)
{
	struct hdfl_node codes, c;
	if (!hdfl_get(node, "codes", &codes))
		return PERR_OK;
	for (int more = hdfl_first(&codes, &c); more; more = hdfl_next(&c)) {
		if (l->ncodes == DNSBL_CODES_MAX)
			return hdfl_fail(&codes, NULL, "more than %d codes", DNSBL_CODES_MAX);
		struct dnsbl_code *code = &l->codes[l->ncodes];
		code->severity = DNSBL_SEV_NONE;
		code->policy = -1;      /* absent: follows the severity */
		code->self_service = -1; /* absent: the list's */
		enum perr e = read_code_value(&c, l, code);
		if (e == PERR_OK)
			e = hdfl_apply(&c, code_fields, sizeof code_fields / sizeof code_fields[0], code);
		if (e != PERR_OK)
			return e;
		if (code->policy == -1)
			code->policy = code->severity == DNSBL_SEV_POLICY;
		if (code->self_service == -1)
			code->self_service = l->self_service;
		l->ncodes++;
	}
	return PERR_OK;
}

/* Validates what the table cannot: zone syntax, URL patterns, the dead
 * and default combination, the code lists. */
static enum perr check_list(const struct hdfl_node *node, struct dnsbl_list *l)
{
	if (l->name[0] == '\0')
		snprintf(l->name, sizeof l->name, "%s", l->zone);
	if (check_url(l->lookup_url) != 0)
		return hdfl_fail(node, "lookup_url", "URL patterns must be plain http(s) URLs");
	if (check_url(l->delist_url) != 0)
		return hdfl_fail(node, "delist_url", "URL patterns must be plain http(s) URLs");
	if (l->dqs_zone[0] != '\0' && !dnsbl_zone_valid(l->dqs_zone))
		return hdfl_fail(node, "dqs_zone", "not a valid DNS name");
	if (l->dead && l->default_on)
		return hdfl_fail(node, "default", "a dead list cannot be queried by default");
	if (parse_code_list(hdfl_value(node, "refused"), l->refused, DNSBL_REFUSED_MAX,
			    &l->nrefused) != 0)
		return hdfl_fail(node, "refused", "must be a list of 127.0.0.0/8 addresses");
	if (parse_code_list(hdfl_value(node, "test.codes"), l->test_codes, DNSBL_TESTCODES_MAX,
			    &l->ntest_codes) != 0)
		return hdfl_fail(node, "test.codes", "must be a list of 127.0.0.0/8 addresses");
	return PERR_OK;
}

static enum perr load_list(const struct hdfl_node *node, struct dnsbl_list *l)
{
	memset(l, 0, sizeof *l);
	l->txt = 1;
	l->test = 1;
	snprintf(l->key, sizeof l->key, "%s", hdfl_name(node));
	static const struct hdfl_field zone_field[] = { LIST_TEXT("zone", zone) };
	enum perr e = hdfl_apply(node, zone_field, 1, l);
	if (e != PERR_OK)
		return e;
	for (char *p = l->zone; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!dnsbl_zone_valid(l->zone))
		return hdfl_fail(node, "zone", "not a valid DNS name");
	e = hdfl_apply(node, list_fields, sizeof list_fields / sizeof list_fields[0], l);
	if (e == PERR_OK)
		e = check_list(node, l);
	if (e == PERR_OK)
		e = load_codes(node, l);
	return e;
}

/* Builds the catalogue from a parsed document (closes it). */
static enum perr load_doc(struct hdfl_doc *doc, struct dnsbl_catalogue **out)
{
	enum perr rc = PERR_CONFIG;
	struct hdfl_node top = hdfl_root(doc), root, n;
	struct dnsbl_catalogue *cat = calloc(1, sizeof *cat);
	if (cat == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	size_t count = hdfl_get(&top, "dnsbl", &root) ? hdfl_count(&root) : 0;
	if (count == 0) {
		hdfl_fail_doc(doc, "dnsbl catalogue has no entries");
		goto out;
	}
	if (count > DNSBL_CATALOGUE_MAX) {
		hdfl_fail_doc(doc, "dnsbl catalogue has more than %d entries", DNSBL_CATALOGUE_MAX);
		goto out;
	}
	if ((cat->lists = calloc(count, sizeof *cat->lists)) == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	for (int more = hdfl_first(&root, &n); more; more = hdfl_next(&n)) {
		if ((rc = load_list(&n, &cat->lists[cat->n])) != PERR_OK)
			goto out;
		rc = PERR_CONFIG;
		if (dnsbl_catalogue_find(cat, cat->lists[cat->n].zone) != NULL) {
			hdfl_fail(&n, "zone", "zone listed twice");
			goto out;
		}
		cat->n++;
	}
	*out = cat;
	cat = NULL;
	rc = PERR_OK;
out:
	dnsbl_catalogue_free(cat);
	hdfl_close(doc);
	return rc;
}

enum perr dnsbl_catalogue_load(const char *path, struct dnsbl_catalogue **out,
			       char *errbuf, size_t errlen)
{
	struct hdfl_doc *doc = NULL;
	enum perr rc = hdfl_open_file(&doc, path, errbuf, errlen);
	return rc == PERR_OK ? load_doc(doc, out) : rc;
}

enum perr dnsbl_catalogue_parse(const char *text, struct dnsbl_catalogue **out,
				char *errbuf, size_t errlen)
{
	struct hdfl_doc *doc = NULL;
	/* In-memory text may not #include files: the toolkit refuses it. */
	enum perr rc = hdfl_open_text(&doc, text, "<catalogue>", errbuf, errlen);
	return rc == PERR_OK ? load_doc(doc, out) : rc;
}

void dnsbl_catalogue_free(struct dnsbl_catalogue *cat)
{
	if (cat == NULL)
		return;
	free(cat->lists);
	free(cat);
}

const struct dnsbl_list *dnsbl_catalogue_find(const struct dnsbl_catalogue *cat, const char *zone)
{
	size_t len = strlen(zone);
	if (len > 0 && zone[len - 1] == '.')
		len--;
	for (size_t i = 0; i < cat->n; i++)
		if (strlen(cat->lists[i].zone) == len && strncasecmp(cat->lists[i].zone, zone, len) == 0)
			return &cat->lists[i];
	return NULL;
}

const struct dnsbl_list *dnsbl_catalogue_find_name(const struct dnsbl_catalogue *cat, const char *name)
{
	while (*name == ' ')
		name++;
	size_t len = strlen(name);
	while (len > 0 && name[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < cat->n && len > 0; i++)
		if (strlen(cat->lists[i].name) == len && strncasecmp(cat->lists[i].name, name, len) == 0)
			return &cat->lists[i];
	return NULL;
}

/* 1 when needle (n bytes) occurs in hay, letter case ignored. */
static int contains_nocase(const char *hay, const char *needle, size_t n)
{
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

const struct dnsbl_list *dnsbl_catalogue_guess_name(const struct dnsbl_catalogue *cat, const char *typed,
						     int *several)
{
	*several = 0;
	size_t n = strlen(typed);
	if (n < 3)
		return NULL;
	const struct dnsbl_list *found = NULL;
	for (size_t i = 0; i < cat->n; i++) {
		const struct dnsbl_list *l = &cat->lists[i];
		if (!contains_nocase(l->name, typed, n) && !contains_nocase(l->zone, typed, n))
			continue;
		if (found != NULL) {
			*several = 1;
			return NULL;
		}
		found = l;
	}
	return found;
}

int dnsbl_code_refused(const struct dnsbl_list *l, uint32_t code)
{
	if ((code >> 24) != 127)
		return 1;
	for (size_t i = 0; i < l->nrefused; i++)
		if (l->refused[i] == code)
			return 1;
	return 0;
}

static void append(char *buf, size_t len, const char *text)
{
	size_t used = strlen(buf);
	if (strstr(buf, text) != NULL)
		return;    /* two bits, one meaning: say it once */
	snprintf(buf + used, len - used, "%s%s", used ? "; " : "", text);
}

void dnsbl_decode(const struct dnsbl_list *l, const uint32_t *codes, size_t ncodes,
		  char *meaning, size_t meaninglen, enum dnsbl_severity *severity, int *policy)
{
	enum dnsbl_severity sev = DNSBL_SEV_NONE;
	int all_policy = ncodes > 0;
	meaning[0] = '\0';
	for (size_t i = 0; i < ncodes; i++) {
		int found = 0;
		for (size_t k = 0; k < l->ncodes; k++) {
			const struct dnsbl_code *c = &l->codes[k];
			int match = l->bitmask ? ((codes[i] >> 24) == 127 && (codes[i] & 0xff & c->value))
					       : codes[i] == c->value;
			if (!match)
				continue;
			found = 1;
			append(meaning, meaninglen, c->meaning);
			if (c->severity > sev)
				sev = c->severity;
			if (!c->policy)
				all_policy = 0;
		}
		if (!found) {
			char unknown[64];
			snprintf(unknown, sizeof unknown, "listed (return code %u.%u.%u.%u not documented)",
				 codes[i] >> 24, (codes[i] >> 16) & 0xff, (codes[i] >> 8) & 0xff, codes[i] & 0xff);
			append(meaning, meaninglen, unknown);
			if (sev < DNSBL_SEV_MEDIUM)
				sev = l->policy ? DNSBL_SEV_POLICY : DNSBL_SEV_MEDIUM;
			if (!l->policy)
				all_policy = 0;
		}
	}
	*severity = sev;
	*policy = l->policy || all_policy;
}

int dnsbl_codes_self_service(const struct dnsbl_list *l, const uint32_t *codes, size_t ncodes)
{
	int self = ncodes > 0;
	for (size_t i = 0; i < ncodes; i++) {
		int found = 0;
		for (size_t k = 0; k < l->ncodes; k++) {
			const struct dnsbl_code *c = &l->codes[k];
			if (l->bitmask ? ((codes[i] >> 24) == 127 && (codes[i] & 0xff & c->value))
				       : codes[i] == c->value) {
				found = 1;
				self &= c->self_service;
			}
		}
		if (!found)
			self &= l->self_service;
	}
	return self;
}

void dnsbl_build_url(const char *pattern, const char *ip, char *out, size_t outlen)
{
	size_t o = 0;
	if (outlen == 0)
		return;
	for (const char *p = pattern; *p && o + 1 < outlen; ) {
		if (strncmp(p, "$IP", 3) == 0) {
			size_t n = strlen(ip);
			if (o + n >= outlen) {
				out[0] = '\0';   /* a cut URL is worse than none */
				return;
			}
			memcpy(out + o, ip, n);
			o += n;
			p += 3;
		} else {
			out[o++] = *p++;
		}
		if (*p && o + 1 >= outlen) {
			out[0] = '\0';
			return;
		}
	}
	out[o] = '\0';
}
