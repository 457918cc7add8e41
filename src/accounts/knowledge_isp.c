/* The consumer-provider catalogue: HDF in, plain structs out. */
#include <ClearSilver.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "knowledge_isp.h"
#include "hdf/neo_error.h"

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

static void fail(char *errbuf, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(char *errbuf, size_t errlen, const char *fmt, ...)
{
	if (errbuf == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
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

static int copy_field(HDF *node, const char *key, char *dst, size_t n)
{
	const char *v = hdf_get_value(node, key, "");
	if (strlen(v) >= n)
		return -1;
	snprintf(dst, n, "%s", v);
	return 0;
}

static int read_port(HDF *node, const char *key, unsigned *out)
{
	const char *v = hdf_get_value(node, key, NULL);
	if (v == NULL || *v == '\0') {
		*out = 0;
		return 0;
	}
	char *end;
	unsigned long n = strtoul(v, &end, 10);
	if (*end != '\0' || n == 0 || n > 65535)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int add_domains(struct isp_catalogue *c, size_t provider, const char *list,
		       char *errbuf, size_t errlen)
{
	const char *p = list;
	while (*p) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ", \t");
		if (n == 0)
			break;
		if (c->ndomains == ISP_DOMAINS_MAX) {
			fail(errbuf, errlen, "more than %d mail domains", ISP_DOMAINS_MAX);
			return -1;
		}
		struct isp_domain *d = &c->domains[c->ndomains];
		if (n > ISP_DOMAIN_MAX) {
			fail(errbuf, errlen, "isp.%s: a domain is too long", c->providers[provider].id);
			return -1;
		}
		memcpy(d->name, p, n);
		d->name[n] = '\0';
		if (!domain_ok(d->name)) {
			fail(errbuf, errlen, "isp.%s: \"%s\" is not a mail domain",
			     c->providers[provider].id, d->name);
			return -1;
		}
		d->provider = provider;
		c->ndomains++;
		c->providers[provider].ndomains++;
		p += n;
	}
	return 0;
}

static int parse_provider(struct isp_catalogue *c, HDF *node, char *errbuf, size_t errlen)
{
	if (c->nproviders == ISP_PROVIDERS_MAX) {
		fail(errbuf, errlen, "more than %d providers", ISP_PROVIDERS_MAX);
		return -1;
	}
	size_t idx = c->nproviders;
	struct isp_provider *p = &c->providers[idx];
	memset(p, 0, sizeof *p);
	const char *id = hdf_obj_name(node);
	if (id == NULL || !id_ok(id)) {
		fail(errbuf, errlen, "isp.%s: ids are lower-case letters, digits and _", id ? id : "?");
		return -1;
	}
	snprintf(p->id, sizeof p->id, "%s", id);
	if (copy_field(node, "name", p->name, sizeof p->name) || p->name[0] == '\0' ||
	    copy_field(node, "handled_by", p->handled_by, sizeof p->handled_by) ||
	    copy_field(node, "report", p->report, sizeof p->report) ||
	    copy_field(node, "smtp.host", p->smtp.host, sizeof p->smtp.host) ||
	    copy_field(node, "smtp.note", p->smtp.note, sizeof p->smtp.note) ||
	    copy_field(node, "imap.host", p->imap.host, sizeof p->imap.host)) {
		fail(errbuf, errlen, "isp.%s: name missing or a text too long", p->id);
		return -1;
	}
	if (p->handled_by[0] == '\0')
		memcpy(p->handled_by, p->id, sizeof p->handled_by);
	else if (!id_ok(p->handled_by)) {
		fail(errbuf, errlen, "isp.%s: handled_by is not a provider id", p->id);
		return -1;
	}
	const char *risky = hdf_get_value(node, "risky", "0");
	if (strcmp(risky, "0") != 0 && strcmp(risky, "1") != 0) {
		fail(errbuf, errlen, "isp.%s: risky is 0 or 1", p->id);
		return -1;
	}
	p->risky = risky[0] == '1';
	p->smtp.login_needed = hdf_get_int_value(node, "smtp.login", 1) != 0;
	if (read_port(node, "smtp.port", &p->smtp.port) || read_port(node, "imap.port", &p->imap.port)) {
		fail(errbuf, errlen, "isp.%s: a port is not a number from 1 to 65535", p->id);
		return -1;
	}
	const char *sec = hdf_get_value(node, "smtp.security", "");
	p->smtp.security = ISP_SEC_NONE;
	for (int s = ISP_SEC_STARTTLS; s < ISP_SEC__MAX; s++)
		if (strcasecmp(sec, security_names[s]) == 0)
			p->smtp.security = (enum isp_security)s;
	if (p->smtp.host[0] && (p->smtp.port == 0 || p->smtp.security == ISP_SEC_NONE)) {
		fail(errbuf, errlen, "isp.%s: smtp needs host, port and security (STARTTLS or SSL)", p->id);
		return -1;
	}
	for (size_t i = 0; i < idx; i++) {
		if (strcmp(c->providers[i].id, p->id) == 0) {
			fail(errbuf, errlen, "isp.%s is given twice", p->id);
			return -1;
		}
	}
	c->first_domain[idx] = c->ndomains;
	c->nproviders++;
	if (add_domains(c, idx, hdf_get_value(node, "domains", ""), errbuf, errlen) != 0)
		return -1;
	if (p->ndomains == 0) {
		fail(errbuf, errlen, "isp.%s has no domains", p->id);
		return -1;
	}
	return 0;
}

static const struct isp_catalogue *sort_ctx;

static int cmp_sorted(const void *a, const void *b)
{
	return strcmp(sort_ctx->domains[*(const size_t *)a].name,
		      sort_ctx->domains[*(const size_t *)b].name);
}

static enum perr build(HDF *hdf, struct isp_catalogue **out, char *errbuf, size_t errlen)
{
	struct isp_catalogue *c = calloc(1, sizeof *c);
	if (c == NULL)
		return PERR_NOMEM;
	HDF *root = hdf_get_obj(hdf, "isp");
	for (HDF *n = root ? hdf_obj_child(root) : NULL; n; n = hdf_obj_next(n)) {
		if (parse_provider(c, n, errbuf, errlen) != 0) {
			free(c);
			return PERR_CONFIG;
		}
	}
	if (c->nproviders == 0) {
		fail(errbuf, errlen, "no isp.* entries");
		free(c);
		return PERR_CONFIG;
	}
	for (size_t i = 0; i < c->ndomains; i++)
		c->sorted[i] = i;
	sort_ctx = c;
	qsort(c->sorted, c->ndomains, sizeof c->sorted[0], cmp_sorted);
	sort_ctx = NULL;
	for (size_t i = 1; i < c->ndomains; i++) {
		const struct isp_domain *a = &c->domains[c->sorted[i - 1]], *b = &c->domains[c->sorted[i]];
		if (strcmp(a->name, b->name) == 0) {
			fail(errbuf, errlen, "domain %s is listed for %s and %s", a->name,
			     c->providers[a->provider].id, c->providers[b->provider].id);
			free(c);
			return PERR_CONFIG;
		}
	}
	*out = c;
	return PERR_OK;
}

static enum perr load(int from_file, const char *src, struct isp_catalogue **out,
		      char *errbuf, size_t errlen)
{
	*out = NULL;
	if (errbuf && errlen)
		errbuf[0] = '\0';
	HDF *hdf = NULL;
	char why[512];
	if (neo_hdf_read(&hdf, src, !from_file, why, sizeof why) != PERR_OK) {
		fail(errbuf, errlen, "%s", why);
		return from_file ? PERR_IO : PERR_CONFIG;
	}
	enum perr rc = build(hdf, out, errbuf, errlen);
	hdf_destroy(&hdf);
	return rc;
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
