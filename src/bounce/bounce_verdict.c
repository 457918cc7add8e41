/* The verdict: category, receiving provider, provider code and its
 * meaning, lists, recipient, reply codes. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal/bounce_ctx.h"
#include "internal/bounce_decode.h"
#include "internal/bounce_header.h"

/* True when host (or an e-mail address's domain) ends in domain at a
 * label boundary. */
static bool domain_match(const char *host, const char *domain)
{
	const char *at = strrchr(host, '@');
	if (at)
		host = at + 1;
	size_t hl = strlen(host), dl = strlen(domain);
	while (hl > 0 && (host[hl - 1] == '.' || host[hl - 1] == '>'))
		hl--;
	if (hl < dl || strncasecmp(host + hl - dl, domain, dl) != 0)
		return false;
	return hl == dl || host[hl - dl - 1] == '.' || host[hl - dl - 1] == '@';
}

static const struct kb_provider *provider_by_domain(const struct bounce_ctx *c, const char *host)
{
	if (host == NULL || host[0] == '\0')
		return NULL;
	/* the last letter of the host, for a cheap first test */
	const char *at = strrchr(host, '@');
	const char *h = at ? at + 1 : host;
	size_t hl = strlen(h);
	while (hl > 0 && (h[hl - 1] == '.' || h[hl - 1] == '>'))
		hl--;
	if (hl == 0)
		return NULL;
	char last = (char)(h[hl - 1] | 0x20);
	for (size_t i = 0; i < c->k->nproviders; i++)
		for (size_t j = 0; j < c->k->providers[i].ndomains; j++) {
			const char *d = c->k->providers[i].domains[j];
			size_t dl = c->k->providers[i].domlen[j];
			if (dl > 0 && dl <= hl && (d[dl - 1] | 0x20) == last && domain_match(host, d))
				return &c->k->providers[i];
		}
	return NULL;
}

/* Receiving provider: a rule that knows it, the receiving host's name,
 * the provider's own words, then the recipient's domain. */
static void find_provider(struct bounce_ctx *c, const struct bounce_hit *best)
{
	if (best && best->rule->has_provider) {
		c->r->provider = best->rule->provider;
		for (size_t i = 0; i < c->k->nproviders; i++)
			if (c->k->providers[i].provider == best->rule->provider) {
				bounce_evidence(c, "%s: named by %s", c->k->providers[i].id, best->rule->id);
				break;
			}
		return;
	}
	const struct kb_provider *p = provider_by_domain(c, c->remote_host);
	const char *why = "receiving host";
	if (p == NULL) {
		for (size_t i = 0; i < c->k->nproviders && p == NULL; i++)
			if (bounce_match_scan(c, &c->k->providers[i].pat, 0, c->reach) >= 0) {
				p = &c->k->providers[i];
				why = "provider's wording";
			}
	}
	if (p == NULL && c->r->recipient) {
		p = provider_by_domain(c, c->r->recipient);
		why = "recipient domain";
	}
	if (p) {
		c->r->provider = p->provider;
		bounce_evidence(c, "%s: %s", p->id, why);
	}
}

/* Decodes a bit-flag code such as BL000011 or IPBL0101 into its lists.
 * Returns true when code belongs to table b. */
static bool decode_bits(struct bounce_ctx *c, const struct kb_bitflag *b, const char *code)
{
	size_t pl = strlen(b->prefix);
	if (strncasecmp(code, b->prefix, pl) != 0 || strlen(code + pl) != (size_t)b->digits)
		return false;
	unsigned v = 0;
	for (int i = 0; i < b->digits; i++) {
		char d = code[pl + (size_t)i];
		if (d != '0' && d != '1')
			return false;
		v = v << 1 | (unsigned)(d - '0');
	}
	if (v == 0)
		return false; /* all-zero codes have their own meaning: a Code entry */
	char names[256] = "";
	size_t nl = 0;
	for (int i = 0; i < b->digits; i++) {
		if (!(v & (1u << i)) || b->bit[i] == NULL)
			continue;
		bounce_add_list(c, b->bit[i]);
		int w = snprintf(names + nl, sizeof names - nl, "%s%s", nl ? ", " : "", b->bit[i]);
		if (w > 0 && (size_t)w < sizeof names - nl)
			nl += (size_t)w;
	}
	char meaning[400];
	/* the knowledge's "listed on: " loses its trailing space to HDF */
	const char *lead = b->meaning ? b->meaning : "Listed on:";
	size_t ll = strlen(lead);
	snprintf(meaning, sizeof meaning, "%s%s%s", lead, ll && lead[ll - 1] == ':' ? " " : "", names);
	c->r->provider_code_meaning = bounce_ctx_dup_str(c, meaning);
	c->r->advice = bounce_ctx_dup_str(c, b->advice);
	c->r->category = b->category;
	bounce_evidence(c, "%s: %s decoded as %s", b->id, code, names);
	return true;
}

/* Looks the provider code up: its meaning, advice, category and lists. */
static void explain_code(struct bounce_ctx *c, const char *code, const char *prov)
{
	for (size_t i = 0; i < c->k->ncodes; i++) {
		const struct kb_code *k = &c->k->codes[i];
		if (strcasecmp(k->code, code) != 0 || (k->has_provider && prov != BOUNCE_PROV_OTHER &&
		                                       k->provider != prov))
			continue;
		c->r->provider_code_meaning = bounce_ctx_dup_str(c, k->meaning);
		c->r->advice = bounce_ctx_dup_str(c, k->advice);
		if (k->has_category)
			c->r->category = k->category;
		if (k->has_provider && c->r->provider == BOUNCE_PROV_OTHER)
			c->r->provider = k->provider;
		for (size_t j = 0; j < k->nlists; j++)
			bounce_add_list(c, k->lists[j]);
		bounce_evidence(c, "%s: %s", k->id, k->meaning);
		return;
	}
	for (size_t i = 0; i < c->k->nbitflags; i++)
		if ((prov == BOUNCE_PROV_OTHER || c->k->bitflags[i].provider == prov) &&
		    decode_bits(c, &c->k->bitflags[i], code)) {
			if (c->r->provider == BOUNCE_PROV_OTHER)
				c->r->provider = c->k->bitflags[i].provider;
			return;
		}
}

/* Canonical name of a list named in the text, via the List patterns. */
static const struct kb_list *list_alias(struct bounce_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->k->nlists; i++)
		if (bounce_match_text(c, c->k->lists[i].pat.re, name, strlen(name), 0) >= 0)
			return &c->k->lists[i];
	return NULL;
}

static void find_lists(struct bounce_ctx *c)
{
	for (size_t i = 0; i < c->nhits; i++) {
		const struct bounce_hit *h = &c->hits[i];
		if (h->rule->category != BOUNCE_CAT_BLACKLIST && h->rule->category != BOUNCE_CAT_CONTENT)
			continue;
		if (h->rule->list)
			bounce_add_list(c, h->rule->list);
		if (h->list[0]) {
			const struct kb_list *a = list_alias(c, h->list);
			bounce_add_list(c, a ? a->name : h->list);
		}
	}
	for (size_t i = 0; i < c->k->nlists; i++)
		if (bounce_match_scan(c, &c->k->lists[i].pat, 0, c->reach) >= 0) {
			bounce_add_list(c, c->k->lists[i].name);
			bounce_evidence(c, "%s: %s named", c->k->lists[i].id, c->k->lists[i].name);
		}
}

/* First e-mail address in s, into out. */
static bool first_address(const char *s, size_t n, char *out, size_t outsz)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '@' || i == 0)
			continue;
		size_t a = i, z = i + 1;
		while (a > 0 && strchr(" \t\n<>()[]\"',;:", s[a - 1]) == NULL)
			a--;
		while (z < n && strchr(" \t\n<>()[]\"',;:", s[z]) == NULL)
			z++;
		while (z > i + 1 && s[z - 1] == '.')
			z--;
		if (a == i || z <= i + 1 || z - a >= outsz || memchr(s + i + 1, '.', z - i - 1) == NULL)
			continue;
		memcpy(out, s + a, z - a);
		out[z - a] = '\0';
		return true;
	}
	return false;
}

static void find_recipient(struct bounce_ctx *c)
{
	char buf[256];
	const char *v = c->dsn.final_rcpt[0] ? c->dsn.final_rcpt : c->dsn.orig_rcpt[0] ? c->dsn.orig_rcpt : NULL;
	if (v == NULL && c->doc.tophdr.len) {
		const char *p = c->doc.tophdr.p, *end = p + c->doc.tophdr.len;
		struct bounce_hdr h;
		while ((p = bounce_hdr_next(p, end, &h)) != NULL)
			if (bounce_hdr_is(&h, "X-Failed-Recipients")) {
				bounce_hdr_unfold(h.val, h.vallen, buf, sizeof buf);
				buf[strcspn(buf, ", ")] = '\0';
				v = buf;
				break;
			}
	}
	if (v == NULL && c->diaglen && first_address(c->diag, c->diaglen, buf, sizeof buf))
		v = buf;
	if (v == NULL && first_address(c->notice, c->noticelen, buf, sizeof buf))
		v = buf;
	if (v == NULL)
		return;
	while (*v == '<')
		v++;
	size_t n = strcspn(v, "> ");
	c->r->recipient = bounce_ctx_dup(c, v, n);
}

void bounce_find_codes(struct bounce_ctx *c)
{
	int code = 0;
	char st[16];
	bounce_reply_parse(c->diag, c->diaglen, &code, st);
	if (!st[0] && c->dsn.status[0]) {
		int dummy;
		bounce_reply_parse(c->dsn.status, strlen(c->dsn.status), &dummy, st);
	}
	c->r->smtp_code = code;
	if (st[0])
		c->r->status = bounce_ctx_dup_str(c, st);
}

/* Category from the enhanced status when no rule spoke: longest prefix. */
static void category_from_status(struct bounce_ctx *c)
{
	if (c->r->status == NULL)
		return;
	const struct kb_status *best = NULL;
	for (size_t i = 0; i < c->k->nstatuses; i++) {
		const struct kb_status *s = &c->k->statuses[i];
		size_t l = strlen(s->status);
		if (strncmp(c->r->status, s->status, l) == 0 &&
		    (c->r->status[l] == '\0' || s->status[l - 1] == '.') &&
		    (best == NULL || l > strlen(best->status)))
			best = s;
	}
	if (best) {
		c->r->category = best->category;
		bounce_evidence(c, "%s: status %s means %s", best->id, c->r->status,
		         bounce_category_str(best->category));
	}
}

void bounce_verdict(struct bounce_ctx *c)
{
	const struct bounce_hit *best = c->nhits ? &c->hits[0] : NULL;
	struct bounce_result *r = c->r;
	if (best) {
		r->category = best->rule->category;
		for (size_t i = 0; i < c->nhits; i++)
			bounce_evidence(c, "%s: %s%s", c->hits[i].rule->id, c->hits[i].rule->description,
			         i == 0 ? " (decisive)" : "");
	} else {
		category_from_status(c);
	}
	find_recipient(c);
	find_provider(c, best);
	const char *code = NULL;
	for (size_t i = 0; i < c->nhits && code == NULL; i++)
		if (c->hits[i].code[0])
			code = c->hits[i].code;
	if (code) {
		r->provider_code = bounce_ctx_dup_str(c, code);
		explain_code(c, code, r->provider);
	}
	find_lists(c);
	/* a block list named in the rejection is a listing even when no rule
	 * knew the wording around it */
	if (r->category == BOUNCE_CAT_OTHER && r->nlists > 0) {
		r->category = BOUNCE_CAT_BLACKLIST;
		bounce_evidence(c, "list:named: the rejection names a block list (%s), so it is a listing",
		                r->lists[0]);
	}
	if (r->advice == NULL && best && best->rule->advice && best->rule->category == r->category)
		r->advice = bounce_ctx_dup_str(c, best->rule->advice);
	if (r->advice == NULL)
		r->advice = bounce_ctx_dup_str(c, c->k->cat_advice[r->category]);
	r->blacklist = r->category == BOUNCE_CAT_BLACKLIST || r->category == BOUNCE_CAT_REPUTATION;
}
