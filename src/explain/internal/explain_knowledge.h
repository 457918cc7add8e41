/* The loaded form of db/knowledge/report.hdf, shared by explain*.c only. */
#ifndef PORTAL_EXPLAIN_KNOWLEDGE_H
#define PORTAL_EXPLAIN_KNOWLEDGE_H

#include <stddef.h>
#include <stdint.h>
#include "../explain.h"

#define EXPLAIN_ID_MAX 32
#define EXPLAIN_ZONE_MAX 160
#define EXPLAIN_TEXT_MAX 512
#define EXPLAIN_PROVIDERS_MAX 32
#define EXPLAIN_PROVIDER_LISTS_MAX 8
#define EXPLAIN_LISTINGS_MAX 96
#define EXPLAIN_CODES_MAX 8
#define EXPLAIN_CATEGORIES_MAX 8

/* Beside report.hdf: the Provider entries (name, consumer, lists) */
#define EXPLAIN_PROVIDERS_FILE "bounce_providers.hdf"

enum explain_kind {
	KIND_COMPLAINTS,
	KIND_REPUTATION,
	KIND_SPAM,
	KIND_SPAMTRAP,
	KIND_EXPLOIT,
	KIND_BACKSCATTER,
	KIND_POLICY,
	KIND__MAX
};

struct explain_provider {
	char id[EXPLAIN_ID_MAX];
	char name[96];
	int consumer;
	char lists[EXPLAIN_PROVIDER_LISTS_MAX][EXPLAIN_ZONE_MAX];
	size_t nlists;
};

struct explain_listing {
	char zone[EXPLAIN_ZONE_MAX];       /* zone, or the name a bounce uses */
	uint32_t codes[EXPLAIN_CODES_MAX]; /* empty = any code */
	size_t ncodes;
	enum explain_kind kind;
};

struct explain_kind_info {
	char why[EXPLAIN_TEXT_MAX];        /* with $LISTS */
	enum explain_cause causes[CAUSE__MAX];   /* when the address is ours (or unknown) */
	size_t ncauses;
	enum explain_cause away[CAUSE__MAX];     /* when the address is not ours */
	size_t naway;
};

struct explain_outcome_info {
	char heading[128];
	char next[EXPLAIN_TEXT_MAX];
	/* for a check of an address the customer typed (no bounce), when it
	 * needs other words; "" = the same */
	char ip_heading[128];
	char ip_next[EXPLAIN_TEXT_MAX];
};

struct explain_cause_info {
	char title[128];
	char text[EXPLAIN_TEXT_MAX];
	char todo[EXPLAIN_TEXT_MAX];
};

struct explain_knowledge {
	struct explain_provider providers[EXPLAIN_PROVIDERS_MAX];
	size_t nproviders;
	struct explain_listing listings[EXPLAIN_LISTINGS_MAX];
	size_t nlistings;
	struct explain_kind_info kinds[KIND__MAX];
	struct explain_cause_info causes[CAUSE__MAX];
	struct explain_outcome_info outcomes[EXPLAIN_OUTCOMES];
	char not_blacklist[EXPLAIN_CATEGORIES_MAX][2][EXPLAIN_TEXT_MAX]; /* {category, text} */
	size_t nnot_blacklist;
};

#endif
