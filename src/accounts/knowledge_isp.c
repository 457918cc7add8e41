/* The consumer-provider catalogue: HDF in, plain structs out. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "knowledge_isp.h"
#include "hdf/hdf_load.h"

struct isp_domain {
	char name[ISP_DOMAIN_MAX + 1];   /* lower case, no trailing dot */
	size_t provider;
};

struct isp_catalogue {
	size_t nproviders;
	struct isp_provider providers[ISP_PROVIDERS_MAX];
	size_t first_domain[ISP_PROVIDERS_MAX];   /* index into domains[] */
	size_t ndomains;
	struct isp_domain domains[ISP_DOMAINS_MAX];   /* file order */
	size_t sorted[ISP_DOMAINS_MAX];               /* indices, by name */
};

static const char *const security_names[ISP_SEC__MAX] = {
	[ISP_SEC_NONE] = "none",
	[ISP_SEC_STARTTLS] = "STARTTLS",
	[ISP_SEC_SSL] = "SSL",
};

const char *isp_security_str(enum isp_security s)
{
	return (unsigned)s < ISP_SEC__MAX ? security_names[s] : "none";
}

/* A host name or mail domain: letters, digits, '-' and '.', labels of 1-63
 * bytes, at least two labels. Lower-cases in place. */
static int domain_ok(char *d)
{
	size_t n = strlen(d), label = 0, labels = 1;
	if (n == 0 || n > ISP_DOMAIN_MAX || d[0] == '.' || d[n - 1] == '.')
		return 0;
	for (char *p = d; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return 0;
			label = 0;
			labels++;
		} else if (isalnum((unsigned char)*p) || (*p == '-' && label > 0)) {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return labels >= 2;
}

static int id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n >= ISP_ID_MAX)
		return 0;
	for (const char *p = id; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
			return 0;
	return 1;
}

/* Adds the mail domains of a "domains" value to provider idx. */
static enum perr add_domains(struct isp_catalogue *c, size_t provider, const struct hdfl_node *node)
{
	const char *p = hdfl_value(node, "domains");
	while (p != NULL && *p) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ", \t");
		if (n == 0)
			break;
		if (c->ndomains == ISP_DOMAINS_MAX)
			return hdfl_fail(node, "domains", "more than %d mail domains in the catalogue",
					 ISP_DOMAINS_MAX);
		struct isp_domain *d = &c->domains[c->ndomains];
		if (n > ISP_DOMAIN_MAX)
			return hdfl_fail(node, "domains", "a domain is too long");
		memcpy(d->name, p, n);
		d->name[n] = '\0';
		if (!domain_ok(d->name))
			return hdfl_fail(node, "domains", "\"%s\" is not a mail domain", d->name);
		d->provider = provider;
		c->ndomains++;
		c->providers[provider].ndomains++;
		p += n;
	}
	return PERR_OK;
}

#define P_TEXT(k, m, fl) HDFL_F_TEXT(struct isp_provider, k, m, fl)

/* A provider's fields. Absent ones keep what parse_provider preset:
 * empty texts, no ports, login needed, not risky. */
static const struct hdfl_field provider_fields[] = {
	P_TEXT("name", name, HDFL_REQUIRED),
	P_TEXT("handled_by", handled_by, 0),
	P_TEXT("report", report, 0),
	P_TEXT("smtp.host", smtp.host, 0),
	P_TEXT("smtp.note", smtp.note, 0),
	P_TEXT("imap.host", imap.host, 0),
	HDFL_F_BOOL(struct isp_provider, "risky", risky),
	HDFL_F_BOOL(struct isp_provider, "smtp.login", smtp.login_needed),
	HDFL_F_BOOL(struct isp_provider, "smtp.own_address_only", smtp.own_address_only),
	HDFL_F_UINT(struct isp_provider, "smtp.port", smtp.port, 1, 65535),
	HDFL_F_UINT(struct isp_provider, "imap.port", imap.port, 1, 65535),
	HDFL_F_ENUM(struct isp_provider, "smtp.security", smtp.security, security_names,
		    ISP_SEC_STARTTLS, ISP_SEC__MAX - 1, HDFL_CASELESS),
};

/* Checks what the table cannot: handled_by, the smtp triple, duplicates. */
static enum perr check_provider(const struct isp_catalogue *c, const struct hdfl_node *node,
				struct isp_provider *p)
{
	if (p->handled_by[0] == '\0')
		memcpy(p->handled_by, p->id, sizeof p->handled_by);
	else if (!id_ok(p->handled_by))
		return hdfl_fail(node, "handled_by", "not a provider id");
	if (p->smtp.host[0] && (p->smtp.port == 0 || p->smtp.security == ISP_SEC_NONE))
		return hdfl_fail(node, "smtp", "needs host, port and security (STARTTLS or SSL)");
	for (size_t i = 0; i < c->nproviders; i++)
		if (strcmp(c->providers[i].id, p->id) == 0)
			return hdfl_fail(node, NULL, "given twice");
	return PERR_OK;
}

static enum perr parse_provider(struct isp_catalogue *c, const struct hdfl_node *node)
{
	if (c->nproviders == ISP_PROVIDERS_MAX)
		return hdfl_fail(node, NULL, "more than %d providers", ISP_PROVIDERS_MAX);
	size_t idx = c->nproviders;
	struct isp_provider *p = &c->providers[idx];
	memset(p, 0, sizeof *p);
	p->smtp.login_needed = 1;
	const char *id = hdfl_name(node);
	if (!id_ok(id))
		return hdfl_fail(node, NULL, "ids are lower-case letters, digits and _");
	snprintf(p->id, sizeof p->id, "%s", id);
	enum perr e = hdfl_apply(node, provider_fields,
				 sizeof provider_fields / sizeof provider_fields[0], p);
	if (e == PERR_OK)
		e = check_provider(c, node, p);
	if (e != PERR_OK)
		return e;
	c->first_domain[idx] = c->ndomains;
	c->nproviders++;
	if ((e = add_domains(c, idx, node)) != PERR_OK)
		return e;
	if (p->ndomains == 0)
		return hdfl_fail(node, "domains", "no domains");
	return PERR_OK;
}

static const struct isp_catalogue *sort_ctx;

static int cmp_sorted(const void *a, const void *b)
{
	return strcmp(sort_ctx->domains[*(const size_t *)a].name,
		      sort_ctx->domains[*(const size_t *)b].name);
}

/* Builds the catalogue from a parsed document (closes it). */
static enum perr build(struct hdfl_doc *doc, struct isp_catalogue **out)
{
	enum perr rc = PERR_NOMEM;
	struct hdfl_node top = hdfl_root(doc), root, n;
	struct isp_catalogue *c = calloc(1, sizeof *c);
	if (c == NULL)
		goto out;
	rc = PERR_CONFIG;
	int have = hdfl_get(&top, "isp", &root);
	for (int more = have && hdfl_first(&root, &n); more; more = hdfl_next(&n))
		if (parse_provider(c, &n) != PERR_OK)
			goto out;
	if (c->nproviders == 0) {
		hdfl_fail_doc(doc, "no isp.* entries");
		goto out;
	}
	for (size_t i = 0; i < c->ndomains; i++)
		c->sorted[i] = i;
	sort_ctx = c;
	qsort(c->sorted, c->ndomains, sizeof c->sorted[0], cmp_sorted);
	sort_ctx = NULL;
	for (size_t i = 1; i < c->ndomains; i++) {
		const struct isp_domain *a = &c->domains[c->sorted[i - 1]], *b = &c->domains[c->sorted[i]];
		if (strcmp(a->name, b->name) == 0) {
			hdfl_fail_doc(doc, "domain %s is listed for isp.%s and isp.%s", a->name,
				      c->providers[a->provider].id, c->providers[b->provider].id);
			goto out;
		}
	}
	*out = c;
	c = NULL;
	rc = PERR_OK;
out:
	free(c);
	hdfl_close(doc);
	return rc;
}

static enum perr load(int from_file, const char *src, struct isp_catalogue **out,
		      char *errbuf, size_t errlen)
{
	*out = NULL;
	struct hdfl_doc *doc = NULL;
	enum perr rc = from_file ? hdfl_open_file(&doc, src, errbuf, errlen)
				 : hdfl_open_text(&doc, src, "<isp>", errbuf, errlen);
	if (rc == PERR_NOMEM)
		return rc;
	if (rc != PERR_OK)
		return from_file ? PERR_IO : PERR_CONFIG;
	return build(doc, out);
}

enum perr isp_catalogue_load(const char *path, struct isp_catalogue **out, char *errbuf, size_t errlen)
{
	return load(1, path, out, errbuf, errlen);
}

enum perr isp_catalogue_parse(const char *text, struct isp_catalogue **out, char *errbuf, size_t errlen)
{
	return load(0, text, out, errbuf, errlen);
}

void isp_catalogue_free(struct isp_catalogue *c)
{
	free(c);
}

static const struct isp_domain *find_exact(const struct isp_catalogue *c, const char *name)
{
	size_t lo = 0, hi = c->ndomains;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct isp_domain *d = &c->domains[c->sorted[mid]];
		int cmp = strcmp(name, d->name);
		if (cmp == 0)
			return d;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct isp_provider *isp_lookup_domain(const struct isp_catalogue *c, const char *domain)
{
	if (c == NULL || domain == NULL)
		return NULL;
	char buf[ISP_DOMAIN_MAX + 2];
	size_t n = strlen(domain);
	if (n > 0 && domain[n - 1] == '.')
		n--;
	if (n == 0 || n > ISP_DOMAIN_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)domain[i]);
	buf[n] = '\0';
	/* "mail.nyc.rr.com" -> "nyc.rr.com" -> "rr.com"; never a bare TLD */
	for (const char *p = buf; p != NULL; ) {
		if (strchr(p, '.') == NULL)
			break;
		const struct isp_domain *d = find_exact(c, p);
		if (d != NULL)
			return &c->providers[d->provider];
		p = strchr(p, '.');
		if (p != NULL)
			p++;
	}
	return NULL;
}

const struct isp_provider *isp_lookup_address(const struct isp_catalogue *c, const char *address)
{
	const char *at = address ? strrchr(address, '@') : NULL;
	return at ? isp_lookup_domain(c, at + 1) : NULL;
}

const struct isp_provider *isp_by_provider(const struct isp_catalogue *c, const char *id)
{
	if (c == NULL || id == NULL)
		return NULL;
	for (size_t i = 0; i < c->nproviders; i++)
		if (strcmp(c->providers[i].id, id) == 0)
			return &c->providers[i];
	return NULL;
}

int isp_received_by(const struct isp_provider *p, const char *provider_id)
{
	return p != NULL && provider_id != NULL &&
	       (strcmp(p->id, provider_id) == 0 || strcmp(p->handled_by, provider_id) == 0);
}

size_t isp_count(const struct isp_catalogue *c)
{
	return c ? c->nproviders : 0;
}

const struct isp_provider *isp_at(const struct isp_catalogue *c, size_t i)
{
	return c && i < c->nproviders ? &c->providers[i] : NULL;
}

const char *isp_domain_at(const struct isp_catalogue *c, const struct isp_provider *p, size_t i)
{
	if (c == NULL || p == NULL || p < c->providers || p >= c->providers + c->nproviders ||
	    i >= p->ndomains)
		return NULL;
	size_t idx = (size_t)(p - c->providers);
	return c->domains[c->first_domain[idx] + i].name;
}
