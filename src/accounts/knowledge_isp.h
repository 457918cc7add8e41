/* Consumer mail providers (db/knowledge/consumer_isps.hdf): which mail
 * domains belong to which provider, whether the provider takes "report
 * spam" clicks that count against the server that forwarded the mail
 * (risky), and the provider's own SMTP submission settings for the "send
 * through your ISP's server" advice. Loaded once per process, read-only
 * afterwards. */
#ifndef PORTAL_KNOWLEDGE_ISP_H
#define PORTAL_KNOWLEDGE_ISP_H

#include <stddef.h>

#include "core/err.h"

#define ISP_ID_MAX 32          /* provider id: "aol", "comcast", ... */
#define ISP_NAME_MAX 96
#define ISP_HOST_MAX 128
#define ISP_TEXT_MAX 512
#define ISP_DOMAIN_MAX 253
#define ISP_PROVIDERS_MAX 64   /* providers in one catalogue */
#define ISP_DOMAINS_MAX 2048   /* mail domains in one catalogue */

enum isp_security {
	ISP_SEC_NONE = 0,      /* not given */
	ISP_SEC_STARTTLS,      /* plain connect, then STARTTLS (port 587) */
	ISP_SEC_SSL,           /* TLS from the first byte (port 465) */
	ISP_SEC__MAX
};
/* "none", "STARTTLS", "SSL". */
const char *isp_security_str(enum isp_security s);

/* The isp= value of "my provider isn't listed" on the report page. */
#define ISP_NOT_LISTED "other"

struct isp_provider {
	char id[ISP_ID_MAX];            /* stable id, as the bounce analyzer names providers */
	char name[ISP_NAME_MAX];        /* display name: "AOL Mail" */
	char handled_by[ISP_ID_MAX];    /* provider whose servers take this mail ("aol" for
					   verizon.net); the id itself when it runs its own */
	int risky;                      /* spam clicks there count against the forwarder */
	char report[ISP_TEXT_MAX];      /* how users report spam there, for people */
	struct {
		char host[ISP_HOST_MAX];  /* "" = the provider offers no submission server */
		unsigned port;
		enum isp_security security;
		int login_needed;         /* a mailbox/login at that provider is required */
		char note[ISP_TEXT_MAX];  /* app passwords, OAuth, ... */
		int own_address_only;     /* web-mail: sends only as its own addresses,
					     not as the customer's own domain */
	} smtp;
	struct {
		char host[ISP_HOST_MAX];  /* for "read the mailbox over IMAP" advice */
		unsigned port;
	} imap;
	size_t ndomains;                /* mail domains of this provider */
};

struct isp_catalogue;

/* Reads the catalogue file at path. PERR_CONFIG with a message in errbuf
 * for a malformed entry (unknown security, duplicate domain, ...).
 * *out is freed with isp_catalogue_free(). */
enum perr isp_catalogue_load(const char *path, struct isp_catalogue **out,
			     char *errbuf, size_t errlen);
/* The same from HDF text in memory (tests). */
enum perr isp_catalogue_parse(const char *text, struct isp_catalogue **out,
			      char *errbuf, size_t errlen);
void isp_catalogue_free(struct isp_catalogue *c);

/* The provider of a mail domain ("aol.com", "NYC.rr.com": case-insensitive,
 * parent domains are tried, a trailing dot is ignored), or NULL. */
const struct isp_provider *isp_lookup_domain(const struct isp_catalogue *c, const char *domain);
/* The provider of the domain part of an address ("x@aol.com"), or NULL. */
const struct isp_provider *isp_lookup_address(const struct isp_catalogue *c, const char *address);
/* The provider with this id ("aol"), or NULL. */
const struct isp_provider *isp_by_provider(const struct isp_catalogue *c, const char *id);
/* 1 when mail to p is received by provider_id's servers: p is that
 * provider, or is handled by it (a bounce from "aol" concerns verizon.net). */
int isp_received_by(const struct isp_provider *p, const char *provider_id);

/* Iteration, in file order. */
size_t isp_count(const struct isp_catalogue *c);
const struct isp_provider *isp_at(const struct isp_catalogue *c, size_t i);
/* The i-th mail domain of p (i < p->ndomains), or NULL. */
const char *isp_domain_at(const struct isp_catalogue *c, const struct isp_provider *p, size_t i);

#endif
