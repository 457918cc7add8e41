/* From the text of a knowledge pattern to a compiled struct kb_pattern:
 * the named pieces ({IP} for Pattern.IP) are expanded, the regex is
 * compiled (PCRE2, JIT) and its gate derived (bounce_gate.c). No HDF
 * here: knowledge_bounce.c reads the files and hands the values over. */
#include "internal/knowledge_bounce.h"
#include "internal/bounce_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The definition of pattern name (len bytes), or NULL. */
static const char *pattern_name(const struct bounce_knowledge *k, const char *name, size_t len)
{
	for (size_t i = 0; i < k->nnames; i++)
		if (strlen(k->names[i].name) == len && memcmp(k->names[i].name, name, len) == 0)
			return k->names[i].regex;
	return NULL;
}

/* Length of a "{NAME}" reference at s (NAME: an upper-case letter, then
 * upper-case letters, digits, '_'), or 0 when s starts none. A quantifier
 * such as {2,5} is never one. */
static size_t name_ref_len(const char *s)
{
	if (s[0] != '{' || !(s[1] >= 'A' && s[1] <= 'Z'))
		return 0;
	size_t i = 2;
	while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')
		i++;
	return s[i] == '}' ? i + 1 : 0;
}

/* True when name is a valid pattern name. */
static bool valid_name(const char *name)
{
	if (!(name[0] >= 'A' && name[0] <= 'Z'))
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	return true;
}

enum perr kb_add_pattern_name(struct bounce_knowledge *k, const char *name, const char *regex,
                              char *err, size_t errlen)
{
	if (!valid_name(name)) {
		snprintf(err, errlen, "Pattern.%s: a name is A-Z, 0-9 and _, starting with a letter", name);
		return PERR_CONFIG;
	}
	if (regex == NULL || regex[0] == '\0') {
		snprintf(err, errlen, "Pattern.%s: empty", name);
		return PERR_CONFIG;
	}
	for (const char *c = regex; *c; c++)
		if (name_ref_len(c)) {
			snprintf(err, errlen, "Pattern.%s: may not use another name", name);
			return PERR_CONFIG;
		}
	if (pattern_name(k, name, strlen(name))) {
		snprintf(err, errlen, "Pattern.%s: defined twice", name);
		return PERR_CONFIG;
	}
	struct kb_name *grown = realloc(k->names, (k->nnames + 1) * sizeof *grown);
	if (grown == NULL)
		return PERR_NOMEM;
	k->names = grown;
	struct kb_name *d = &k->names[k->nnames];
	d->name = strdup(name);
	d->regex = strdup(regex);
	if (d->name == NULL || d->regex == NULL) {
		free(d->name);
		free(d->regex);
		return PERR_NOMEM;
	}
	k->nnames++;
	return PERR_OK;
}

void kb_free_pattern_names(struct bounce_knowledge *k)
{
	for (size_t i = 0; i < k->nnames; i++) {
		free(k->names[i].name);
		free(k->names[i].regex);
	}
	free(k->names);
	k->names = NULL;
	k->nnames = 0;
}

/* Copies pattern raw into a new string (*out, the caller frees) with
 * every {NAME} replaced by its definition. An escaped "\{" is left
 * alone. */
static enum perr expand_names(const struct bounce_knowledge *k, const char *id, const char *raw,
                              char **out, char *err, size_t errlen)
{
	struct bounce_buf b = {0};
	for (const char *s = raw; *s;) {
		bool escape = s[0] == '\\' && s[1];
		size_t rl = escape ? 0 : name_ref_len(s);
		if (rl == 0) {
			bounce_buf_put(&b, s, escape ? 2 : 1);
			s += escape ? 2 : 1;
			continue;
		}
		const char *def = pattern_name(k, s + 1, rl - 2);
		if (def == NULL) {
			bounce_buf_free(&b);
			snprintf(err, errlen, "%s: unknown pattern name %.*s (no Pattern.%.*s)", id, (int)rl, s,
			         (int)(rl - 2), s + 1);
			return PERR_CONFIG;
		}
		bounce_buf_puts(&b, def);
		s += rl;
	}
	if (b.oom || b.p == NULL) {
		bounce_buf_free(&b);
		return PERR_NOMEM;
	}
	*out = b.p;
	return PERR_OK;
}

/* Number of the named group name of re, 0 when it has none. */
static uint32_t group_number(const pcre2_code *re, const char *name)
{
	int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);
	return g > 0 ? (uint32_t)g : 0;
}

/* Compiles the expanded source src into *p. */
static enum perr compile_source(struct bounce_knowledge *k, const char *id, const char *src,
                                bool case_sensitive, struct kb_pattern *p, char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE eo;
	/* the offset limit lets the analyzer start a match only where one of
	 * the pattern's literals is near */
	uint32_t opts = PCRE2_USE_OFFSET_LIMIT | (case_sensitive ? 0 : PCRE2_CASELESS);
	p->re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, opts, &ec, &eo, NULL);
	if (p->re == NULL) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof msg);
		snprintf(err, errlen, "%s: error at %lu: %s", id, (unsigned long)eo, (const char *)msg);
		return PERR_CONFIG;
	}
	bounce_gate_derive(src, &p->gate);
	p->gate.maxlen = bounce_gate_maxlen(src);
	/* JIT is an optimisation: without it matching still works */
	(void)pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);
	p->g_ip = group_number(p->re, "ip");
	p->g_list = group_number(p->re, "list");
	p->g_code = group_number(p->re, "code");
	uint32_t cap = 0;
	pcre2_pattern_info(p->re, PCRE2_INFO_CAPTURECOUNT, &cap);
	if (cap + 1 > k->max_groups)
		k->max_groups = cap + 1;
	return PERR_OK;
}

enum perr kb_compile_pattern(struct bounce_knowledge *k, const char *id, const char *raw,
                             bool case_sensitive, struct kb_pattern *p, char *err, size_t errlen)
{
	char *src = NULL;
	enum perr e = expand_names(k, id, raw, &src, err, errlen);
	if (e == PERR_OK)
		e = compile_source(k, id, src, case_sensitive, p, err, errlen);
	free(src);
	return e;
}
