/* The bounce analyzer's knowledge, as loaded from db/knowledge/bounce_*.hdf:
 * patterns (compiled PCRE2 + JIT), providers, provider codes, bit-flag
 * code tables, list names. Internal to the bounce module: the public API
 * is in bounce.h. Read-only after loading, so one copy serves every
 * request of a process.
 *
 * File format (HDF; every section may appear in any bounce_*.hdf file):
 *   Category.<name>.advice            default advice per category
 *   Provider.<id>.domains             host/recipient domain suffixes
 *   Provider.<id>.pattern             optional text hint (regex)
 *   Rule.<id>.pattern                 regex; named groups ip, list, code
 *   Rule.<id>.category / provider / priority / list / code / description / advice
 *   Code.<id>.provider / code / category / meaning / advice / lists
 *   Bitflag.<id>.provider / prefix / digits / category / meaning / advice / bit.<n>
 *   List.<id>.name / pattern / kind (ip | domain)
 *   Ipctx.<id>.pattern / description  (group ip: the sending server)
 *   Receiver.<id>.pattern / description (group ip: the receiving MX, never reported)
 *   Status.<id>.status / category     (enhanced status prefix -> category)
 *   Pattern.<NAME> = regex            a named piece of regex; any pattern
 *                                     writes {NAME} for it (expanded before
 *                                     compiling; a definition uses no name)
 *   (no speed hints: each pattern's gate literals are derived from its
 *    regex, bounce_gate.c; a "gate" line is refused)
 */
#ifndef PORTAL_KNOWLEDGE_BOUNCE_H
#define PORTAL_KNOWLEDGE_BOUNCE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../bounce.h"
#include "bounce_gate.h"

#define KB_MAX_BITS 8

struct kb_pattern {
	pcre2_code *re;
	struct bounce_gate gate;         /* literals a match must contain */
	uint32_t g_ip, g_list, g_code;   /* named group numbers, 0 when absent */
};

struct kb_rule {
	char *id;                        /* "rule:<name>" */
	struct kb_pattern pat;
	enum bounce_category category;
	const char *provider;            /* interned name; NULL = says nothing about it */
	bool has_provider;
	int priority;
	char *list, *code, *description, *advice;
};

struct kb_provider {
	char *id;                        /* "provider:<name>" */
	const char *provider;            /* "<name>", interned: what results say */
	char **domains;
	size_t *domlen;                  /* strlen of each domain */
	size_t ndomains;
	struct kb_pattern pat;           /* re may be NULL */
};

struct kb_code {
	char *id;                        /* "code:<name>" */
	const char *provider;            /* interned name, when has_provider */
	bool has_provider;
	char *code;
	bool has_category;
	enum bounce_category category;
	char *meaning, *advice;
	char **lists;
	size_t nlists;
};

struct kb_bitflag {
	char *id;                        /* "bits:<name>" */
	const char *provider;            /* interned name */
	char *prefix;
	int digits;
	enum bounce_category category;
	char *meaning, *advice;
	char *bit[KB_MAX_BITS];
};

struct kb_list {
	char *id;                        /* "list:<name>" */
	char *name;
	struct kb_pattern pat;
	bool domain;                     /* lists domains/URLs (content), not IPs */
};

struct kb_ipctx {
	char *id;                        /* "ipctx:<name>" or "receiver:<name>" */
	struct kb_pattern pat;
	char *description;
};

struct kb_status {
	char *id;                        /* "status:<name>" */
	char *status;                    /* prefix such as "5.1.1" or "5.2." */
	enum bounce_category category;
};

/* A provider name as entries use it. Every provider field points at one
 * of these, so providers compare by pointer; the set is the knowledge's,
 * not a C enum: a Provider entry is all it takes to add one. */
struct kb_pname {
	char *name;                      /* "aol" */
	const char *named_by;            /* id of the first entry naming it */
	bool defined;                    /* it has a Provider entry */
};

/* A named pattern: Pattern.IP = regex, used as {IP} in other patterns. */
struct kb_name {
	char *name;                      /* "IP": used as {IP} in patterns */
	char *regex;                     /* what {IP} stands for */
};

struct bounce_knowledge {
	char *cat_advice[BOUNCE_CAT__MAX];
	struct kb_rule *rules;         size_t nrules;
	struct kb_provider *providers; size_t nproviders;
	struct kb_code *codes;         size_t ncodes;
	struct kb_bitflag *bitflags;   size_t nbitflags;
	struct kb_list *lists;         size_t nlists;
	struct kb_ipctx *ipctx;        size_t nipctx;
	struct kb_ipctx *receivers;    size_t nreceivers;
	struct kb_status *statuses;    size_t nstatuses;
	struct kb_name *names;         size_t nnames;
	uint32_t max_groups;           /* largest capture count, for match data */
	struct bounce_litset *lits;    /* every gate literal, for one scan per text */
	const char **ids;              /* every entry id, for coverage checks */
	size_t nids;
	struct kb_pname *pnames;       size_t npnames;
};

/* ---- knowledge_compile.c: from pattern text to struct kb_pattern ---- */

/* Adds Pattern.<name> = regex to k. PERR_CONFIG (reason in err) for a
 * name that is not A-Z/0-9/_ starting with a letter, an empty regex, one
 * that uses another name, or a name defined twice; PERR_NOMEM. */
enum perr kb_add_pattern_name(struct bounce_knowledge *k, const char *name, const char *regex,
                              char *err, size_t errlen);
/* Frees k's pattern names. */
void kb_free_pattern_names(struct bounce_knowledge *k);
/* Compiles pattern raw of entry id into *p: {NAME} references replaced
 * by the Pattern entries, caseless unless case_sensitive, JIT, its gate
 * derived, its named groups (ip, list, code) looked up; k->max_groups
 * grows to fit. PERR_CONFIG (reason in err, naming id) for an unknown
 * name or a regex that does not compile; PERR_NOMEM. p->re is freed
 * with the knowledge. */
enum perr kb_compile_pattern(struct bounce_knowledge *k, const char *id, const char *raw,
                             bool case_sensitive, struct kb_pattern *p, char *err, size_t errlen);

#endif
