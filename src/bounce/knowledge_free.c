/* Frees what the knowledge loader (knowledge_bounce.c) built. */
#include "internal/knowledge_bounce.h"

#include <stdlib.h>

/* Frees n words and their array. */
static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

void bounce_knowledge_free(struct bounce_knowledge *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < BOUNCE_CAT__MAX; i++)
		free(k->cat_advice[i]);
	for (size_t i = 0; i < k->nrules; i++) {
		struct kb_rule *r = &k->rules[i];
		pcre2_code_free(r->pat.re);
		free(r->id); free(r->list); free(r->code); free(r->description); free(r->advice);
	}
	for (size_t i = 0; i < k->nproviders; i++) {
		pcre2_code_free(k->providers[i].pat.re);
		free(k->providers[i].id);
		free_words(k->providers[i].domains, k->providers[i].ndomains);
		free(k->providers[i].domlen);
	}
	for (size_t i = 0; i < k->ncodes; i++) {
		struct kb_code *c = &k->codes[i];
		free(c->id); free(c->code); free(c->meaning); free(c->advice);
		free_words(c->lists, c->nlists);
	}
	for (size_t i = 0; i < k->nbitflags; i++) {
		struct kb_bitflag *b = &k->bitflags[i];
		free(b->id); free(b->prefix); free(b->meaning); free(b->advice);
		for (int j = 0; j < KB_MAX_BITS; j++)
			free(b->bit[j]);
	}
	for (size_t i = 0; i < k->nlists; i++) {
		pcre2_code_free(k->lists[i].pat.re);
		free(k->lists[i].id); free(k->lists[i].name);
	}
	for (size_t i = 0; i < k->nipctx; i++) {
		pcre2_code_free(k->ipctx[i].pat.re);
		free(k->ipctx[i].id); free(k->ipctx[i].description);
	}
	for (size_t i = 0; i < k->nreceivers; i++) {
		pcre2_code_free(k->receivers[i].pat.re);
		free(k->receivers[i].id); free(k->receivers[i].description);
	}
	for (size_t i = 0; i < k->nstatuses; i++) {
		free(k->statuses[i].id); free(k->statuses[i].status);
	}
	free(k->rules); free(k->providers); free(k->codes); free(k->bitflags);
	free(k->lists); free(k->ipctx); free(k->receivers); free(k->statuses);
	kb_free_pattern_names(k);
	free(k->ids);
	free(k->lits);
	for (size_t i = 0; i < k->npnames; i++)
		free(k->pnames[i].name);
	free(k->pnames);
	free(k);
}
