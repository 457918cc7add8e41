/* Loader and decoder for the DNSBL catalogue (HDF). */
#include <ClearSilver.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ipaddr.h"
#include "knowledge_dnsbl.h"
#include "hdf/neo_error.h"

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

static void set_err(char *errbuf, size_t errlen, const char *key, const char *what)
{
	snprintf(errbuf, errlen, "dnsbl catalogue entry %s: %s", key, what);
}

/* Copies an optional text field; -1 (with a message) when too long. */
static int get_text(HDF *node, const char *field, char *dst, size_t n, const char *key,
		    char *errbuf, size_t errlen)
{
	const char *v = hdf_get_value(node, field, "");
	if (strlen(v) >= n) {
		char what[96];
		snprintf(what, sizeof what, "%s is too long (at most %zu bytes)", field, n - 1);
		set_err(errbuf, errlen, key, what);
		return -1;
	}
	snprintf(dst, n, "%s", v);
	return 0;
}

/* Reads a 0/1 flag (absent = def). */
static int get_flag(HDF *node, const char *field, int def, int *out, const char *key,
		    char *errbuf, size_t errlen)
{
	const char *v = hdf_get_value(node, field, NULL);
	if (v == NULL || *v == '\0') {
		*out = def;
		return 0;
	}
	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
		char what[96];
		snprintf(what, sizeof what, "%s must be 0 or 1", field);
		set_err(errbuf, errlen, key, what);
		return -1;
	}
	*out = v[0] == '1';
	return 0;
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

/* Parses a comma-separated list of codes into out[max]. */
static int parse_code_list(const char *v, uint32_t *out, size_t max, size_t *n)
{
	*n = 0;
	while (*v) {
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

static enum dnsbl_severity parse_severity(const char *s)
{
	for (int i = DNSBL_SEV_POLICY; i < DNSBL_SEV__MAX; i++)
		if (strcmp(s, severity_names[i]) == 0)
			return (enum dnsbl_severity)i;
	return DNSBL_SEV_NONE;
}

static int load_codes(HDF *node, struct dnsbl_list *l, char *errbuf, size_t errlen)
{
	HDF *codes = hdf_get_obj(node, "codes");
	for (HDF *c = codes ? hdf_obj_child(codes) : NULL; c; c = hdf_obj_next(c)) {
		if (l->ncodes == DNSBL_CODES_MAX) {
			set_err(errbuf, errlen, l->key, "too many codes");
			return -1;
		}
		struct dnsbl_code *code = &l->codes[l->ncodes];
		const char *v = hdf_get_value(c, "code", "");
		if (l->bitmask) {
			char *end;
			unsigned long bit = strtoul(v, &end, 10);
			if (*v == '\0' || *end != '\0' || bit == 0 || bit > 255 || (bit & (bit - 1))) {
				set_err(errbuf, errlen, l->key, "bitmask code must be a power of two 1-128");
				return -1;
			}
			code->value = (uint32_t)bit;
		} else if (parse_code(v, strlen(v), &code->value) != 0) {
			set_err(errbuf, errlen, l->key, "code must be an address in 127.0.0.0/8");
			return -1;
		}
		code->severity = parse_severity(hdf_get_value(c, "severity", ""));
		if (code->severity == DNSBL_SEV_NONE) {
			set_err(errbuf, errlen, l->key, "severity must be policy, low, medium or high");
			return -1;
		}
		if (get_flag(c, "policy", code->severity == DNSBL_SEV_POLICY, &code->policy,
			     l->key, errbuf, errlen) != 0 ||
		    get_flag(c, "self_service", l->self_service, &code->self_service,
			     l->key, errbuf, errlen) != 0 ||
		    get_text(c, "meaning", code->meaning, sizeof code->meaning, l->key,
			     errbuf, errlen) != 0)
			return -1;
		if (code->meaning[0] == '\0') {
			set_err(errbuf, errlen, l->key, "code without a meaning");
			return -1;
		}
		l->ncodes++;
	}
	return 0;
}

static int load_list(HDF *node, struct dnsbl_list *l, char *errbuf, size_t errlen)
{
	memset(l, 0, sizeof *l);
	snprintf(l->key, sizeof l->key, "%s", hdf_obj_name(node));

	if (get_text(node, "zone", l->zone, sizeof l->zone, l->key, errbuf, errlen) != 0)
		return -1;
	for (char *p = l->zone; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!dnsbl_zone_valid(l->zone)) {
		set_err(errbuf, errlen, l->key, "zone is not a valid DNS name");
		return -1;
	}
	if (get_text(node, "name", l->name, sizeof l->name, l->key, errbuf, errlen) != 0 ||
	    get_text(node, "lists", l->lists, sizeof l->lists, l->key, errbuf, errlen) != 0 ||
	    get_text(node, "lookup_url", l->lookup_url, sizeof l->lookup_url, l->key, errbuf, errlen) != 0 ||
	    get_text(node, "delist_url", l->delist_url, sizeof l->delist_url, l->key, errbuf, errlen) != 0 ||
	    get_text(node, "duration", l->duration, sizeof l->duration, l->key, errbuf, errlen) != 0 ||
	    get_text(node, "quirks", l->quirks, sizeof l->quirks, l->key, errbuf, errlen) != 0 ||
	    get_text(node, "dqs_zone", l->dqs_zone, sizeof l->dqs_zone, l->key, errbuf, errlen) != 0)
		return -1;
	if (l->name[0] == '\0')
		snprintf(l->name, sizeof l->name, "%s", l->zone);
	if (check_url(l->lookup_url) != 0 || check_url(l->delist_url) != 0) {
		set_err(errbuf, errlen, l->key, "URL patterns must be plain http(s) URLs");
		return -1;
	}
	if (l->dqs_zone[0] != '\0' && !dnsbl_zone_valid(l->dqs_zone)) {
		set_err(errbuf, errlen, l->key, "dqs_zone is not a valid DNS name");
		return -1;
	}
	if (get_flag(node, "self_service", 0, &l->self_service, l->key, errbuf, errlen) != 0 ||
	    get_flag(node, "policy", 0, &l->policy, l->key, errbuf, errlen) != 0 ||
	    get_flag(node, "ipv6", 0, &l->ipv6, l->key, errbuf, errlen) != 0 ||
	    get_flag(node, "txt", 1, &l->txt, l->key, errbuf, errlen) != 0 ||
	    get_flag(node, "dead", 0, &l->dead, l->key, errbuf, errlen) != 0 ||
	    get_flag(node, "default", 0, &l->default_on, l->key, errbuf, errlen) != 0 ||
	    get_flag(node, "bitmask", 0, &l->bitmask, l->key, errbuf, errlen) != 0 ||
	    get_flag(node, "test.enabled", 1, &l->test, l->key, errbuf, errlen) != 0 ||
	    get_flag(node, "test.clean_listed", 0, &l->test_clean_listed, l->key, errbuf, errlen) != 0)
		return -1;
	if (l->dead && l->default_on) {
		set_err(errbuf, errlen, l->key, "a dead list cannot be queried by default");
		return -1;
	}
	if (parse_code_list(hdf_get_value(node, "refused", ""), l->refused,
			    DNSBL_REFUSED_MAX, &l->nrefused) != 0) {
		set_err(errbuf, errlen, l->key, "refused must be a list of 127.0.0.0/8 addresses");
		return -1;
	}
	if (parse_code_list(hdf_get_value(node, "test.codes", ""), l->test_codes,
			    DNSBL_TESTCODES_MAX, &l->ntest_codes) != 0) {
		set_err(errbuf, errlen, l->key, "test.codes must be a list of 127.0.0.0/8 addresses");
		return -1;
	}
	return load_codes(node, l, errbuf, errlen);
}

static enum perr load_hdf(HDF *hdf, struct dnsbl_catalogue **out, char *errbuf, size_t errlen)
{
	enum perr rc = PERR_CONFIG;
	struct dnsbl_catalogue *cat = calloc(1, sizeof *cat);
	if (cat == NULL)
		return PERR_NOMEM;
	HDF *root = hdf_get_obj(hdf, "dnsbl");
	size_t count = 0;
	for (HDF *n = root ? hdf_obj_child(root) : NULL; n; n = hdf_obj_next(n))
		count++;
	if (count == 0) {
		snprintf(errbuf, errlen, "dnsbl catalogue has no entries");
		goto out;
	}
	if (count > DNSBL_CATALOGUE_MAX) {
		snprintf(errbuf, errlen, "dnsbl catalogue has more than %d entries", DNSBL_CATALOGUE_MAX);
		goto out;
	}
	cat->lists = calloc(count, sizeof *cat->lists);
	if (cat->lists == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	for (HDF *n = hdf_obj_child(root); n; n = hdf_obj_next(n)) {
		if (load_list(n, &cat->lists[cat->n], errbuf, errlen) != 0)
			goto out;
		if (dnsbl_catalogue_find(cat, cat->lists[cat->n].zone) != NULL) {
			set_err(errbuf, errlen, cat->lists[cat->n].key, "zone listed twice");
			goto out;
		}
		cat->n++;
	}
	*out = cat;
	cat = NULL;
	rc = PERR_OK;
out:
	dnsbl_catalogue_free(cat);
	return rc;
}

enum perr dnsbl_catalogue_load(const char *path, struct dnsbl_catalogue **out,
			       char *errbuf, size_t errlen)
{
	HDF *hdf = NULL;
	enum perr rc;
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(errbuf, errlen, "cannot open dnsbl catalogue %s", path);
		return PERR_NOT_FOUND;
	}
	fclose(f);
	char why[512];
	if ((rc = neo_hdf_read(&hdf, path, 0, why, sizeof why)) != PERR_OK) {
		snprintf(errbuf, errlen, "dnsbl catalogue %s: %s", path, why);
		goto out;
	}
	rc = load_hdf(hdf, out, errbuf, errlen);
out:
	hdf_destroy(&hdf);
	return rc;
}

enum perr dnsbl_catalogue_parse(const char *text, struct dnsbl_catalogue **out,
				char *errbuf, size_t errlen)
{
	HDF *hdf = NULL;
	enum perr rc;
	NEOERR *err = hdf_init(&hdf);
	/* In-memory text may not #include files: hdf_read_string fails on it. */
	if (err == STATUS_OK)
		err = hdf_read_string(hdf, text);
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		snprintf(errbuf, errlen, "dnsbl catalogue does not parse");
		rc = PERR_CONFIG;
		goto out;
	}
	rc = load_hdf(hdf, out, errbuf, errlen);
out:
	hdf_destroy(&hdf);
	return rc;
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
