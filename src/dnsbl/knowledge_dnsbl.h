/* The DNSBL catalogue (db/knowledge/dnsbl_catalogue.hdf) loaded into plain
 * structs: every list the portal knows, what its return codes mean, where
 * to delist, and the quirks of its RFC 5782 test points. Loaded once per
 * process; read-only afterwards, so checkers can share it. */
#ifndef PORTAL_KNOWLEDGE_DNSBL_H
#define PORTAL_KNOWLEDGE_DNSBL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define DNSBL_ZONE_MAX 160      /* zone name; leaves room for 64 bytes of nibbles + key */
#define DNSBL_NAME_MAX DNSBL_ZONE_MAX
#define DNSBL_TEXT_MAX 384      /* free text: what it lists, meanings, quirks */
#define DNSBL_URL_MAX 384
#define DNSBL_CODES_MAX 32      /* decoded return codes per list */
#define DNSBL_REFUSED_MAX 8     /* "query refused" codes per list */
#define DNSBL_TESTCODES_MAX 4
#define DNSBL_CATALOGUE_MAX 128 /* entries in one catalogue */

/* How bad a listing is. POLICY is not a spam verdict (e.g. Spamhaus PBL:
 * "this range should not send mail directly"). */
enum dnsbl_severity {
	DNSBL_SEV_NONE = 0,    /* nothing decoded (not listed) */
	DNSBL_SEV_POLICY,
	DNSBL_SEV_LOW,
	DNSBL_SEV_MEDIUM,
	DNSBL_SEV_HIGH,
	DNSBL_SEV__MAX
};
const char *dnsbl_severity_str(enum dnsbl_severity s);

struct dnsbl_code {
	uint32_t value;        /* 127.0.0.x as host-order IPv4; with bitmask lists the bit */
	enum dnsbl_severity severity;
	int policy;
	int self_service;      /* the listed party can remove this listing itself
	                          (codes.*.self_service; default: the list's) */
	char meaning[DNSBL_TEXT_MAX];
};

struct dnsbl_list {
	char key[64];                  /* HDF node name, stable id */
	char zone[DNSBL_ZONE_MAX];     /* e.g. "zen.spamhaus.org" (lower case) */
	char name[DNSBL_NAME_MAX];     /* display name */
	char lists[DNSBL_TEXT_MAX];    /* what it lists */
	char lookup_url[DNSBL_URL_MAX];  /* pattern, $IP replaced; "" = none */
	char delist_url[DNSBL_URL_MAX];  /* pattern, $IP replaced; "" = none */
	char duration[DNSBL_TEXT_MAX]; /* usual listing duration, for people */
	char quirks[DNSBL_TEXT_MAX];   /* notes about its test points etc. */
	char dqs_zone[DNSBL_ZONE_MAX]; /* Spamhaus DQS zone ("zen.dq.spamhaus.net") or "" */
	int self_service;              /* delisting is self-service */
	int policy;                    /* the whole list is a policy list */
	int ipv6;                      /* answers IPv6 (nibble) queries */
	int txt;                       /* publishes TXT reasons */
	int dead;                      /* defunct: recognised in bounces, never queried */
	int default_on;                /* queried when dns.lists is empty */
	int bitmask;                   /* codes are bits of the last octet */
	size_t ncodes;
	struct dnsbl_code codes[DNSBL_CODES_MAX];
	size_t nrefused;
	uint32_t refused[DNSBL_REFUSED_MAX];  /* answers meaning "query refused" */
	/* RFC 5782 test points: 127.0.0.2 must be listed (with one of
	 * test_codes when given), 127.0.0.1 must not be listed unless
	 * test_clean_listed says that is a real listing on this list. */
	int test;                      /* 0 = list has no test points: skip health */
	size_t ntest_codes;
	uint32_t test_codes[DNSBL_TESTCODES_MAX];
	int test_clean_listed;
};

struct dnsbl_catalogue {
	size_t n;
	struct dnsbl_list *lists;      /* in file order */
};

/* Loads the catalogue from an HDF file. Every entry is validated (zone
 * name syntax, codes inside 127.0.0.0/8, URL patterns http(s) only); the
 * first problem fails the load with a message naming the entry in errbuf
 * (PERR_CONFIG; PERR_NOT_FOUND/PERR_IO when the file cannot be read).
 * *out is freed with dnsbl_catalogue_free(). */
enum perr dnsbl_catalogue_load(const char *path, struct dnsbl_catalogue **out,
			       char *errbuf, size_t errlen);

/* The same from HDF text in memory (tests, fuzzing). */
enum perr dnsbl_catalogue_parse(const char *text, struct dnsbl_catalogue **out,
				char *errbuf, size_t errlen);

void dnsbl_catalogue_free(struct dnsbl_catalogue *cat);

/* The entry for zone (case-insensitive, trailing dot ignored) or NULL. */
const struct dnsbl_list *dnsbl_catalogue_find(const struct dnsbl_catalogue *cat,
					      const char *zone);
/* The entry whose display name is name ("Cloudmark CSI"; case and spaces
 * around it ignored) or NULL: what people type in a filter. */
const struct dnsbl_list *dnsbl_catalogue_find_name(const struct dnsbl_catalogue *cat,
						   const char *name);
/* The one entry whose name or zone contains typed (at least 3 characters,
 * case ignored: "spamcop" is SpamCop's list), or NULL; *several is 1 when
 * more than one does ("spamhaus"). */
const struct dnsbl_list *dnsbl_catalogue_guess_name(const struct dnsbl_catalogue *cat, const char *typed,
						     int *several);

/* 1 when s is a syntactically valid DNS zone name for a list: 2..
 * DNSBL_ZONE_MAX-1 bytes, labels of 1-63 letters, digits or hyphens, not
 * starting or ending with a hyphen, at least two labels. */
int dnsbl_zone_valid(const char *s);

/* Decodes the A answers of a listing with list l. Fills meaning (joined
 * meanings, "unknown return code 127.0.0.N" when the catalogue has none),
 * *severity (the highest) and *policy (1 when every code is a policy
 * code or the list is a policy list). */
void dnsbl_decode(const struct dnsbl_list *l, const uint32_t *codes, size_t ncodes,
		  char *meaning, size_t meaninglen, enum dnsbl_severity *severity, int *policy);

/* 1 when code is one of l's "query refused" answers or lies outside
 * 127.0.0.0/8 (never a listing). */
int dnsbl_code_refused(const struct dnsbl_list *l, uint32_t code);

/* Builds a URL from l's pattern (delist or lookup) with $IP replaced by
 * the canonical address text. Empty string when there is no pattern. */
/* 1 when the listed party can remove every listing the codes name
 * itself (codes the catalogue does not know count as the list's own
 * self_service). */
int dnsbl_codes_self_service(const struct dnsbl_list *l, const uint32_t *codes, size_t ncodes);

void dnsbl_build_url(const char *pattern, const char *ip, char *out, size_t outlen);

#endif
