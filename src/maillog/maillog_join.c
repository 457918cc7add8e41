/* The joiner: a fixed set-associative table from (host, queue id) to the
 * message's sender. A bucket holds MAILLOG_JOIN_WAYS entries; a new id in
 * a full bucket takes the place of the one seen longest ago, so ids whose
 * "removed" line never comes (the log started or was cut mid-message)
 * cannot grow the table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "maillog.h"

struct join_entry {
	uint64_t key;                       /* hash of host and id, never 0; 0 = free */
	unsigned long long seen;            /* the joiner's clock when last touched */
	char qid[MAILLOG_QID_MAX + 1];
	char sender[MAILLOG_ADDR_MAX + 1];
};

struct maillog_joiner {
	size_t nbuckets;
	unsigned long long clock;
	size_t live;
	struct maillog_join_stats stats;
	struct join_entry *e;               /* nbuckets * MAILLOG_JOIN_WAYS */
};

/* FNV-1a over s, continuing from h. */
static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t key_of(const struct maillog_line *l)
{
	uint64_t h = fnv(fnv(0xcbf29ce484222325ULL, l->host), "\x01");
	h = fnv(h, l->qid);
	return h ? h : 1;
}

enum perr maillog_joiner_new(size_t entries, struct maillog_joiner **out)
{
	*out = NULL;
	if (entries == 0)
		entries = MAILLOG_JOIN_DEFAULT;
	if (entries > SIZE_MAX / 2 / sizeof(struct join_entry))
		return PERR_TOO_LARGE;
	struct maillog_joiner *j = calloc(1, sizeof *j);
	if (j == NULL)
		return PERR_NOMEM;
	j->nbuckets = (entries + MAILLOG_JOIN_WAYS - 1) / MAILLOG_JOIN_WAYS;
	j->e = calloc(j->nbuckets * MAILLOG_JOIN_WAYS, sizeof *j->e);
	if (j->e == NULL) {
		free(j);
		return PERR_NOMEM;
	}
	*out = j;
	return PERR_OK;
}

void maillog_joiner_free(struct maillog_joiner *j)
{
	if (j == NULL)
		return;
	free(j->e);
	free(j);
}

/* The entry of l's id, or NULL; *slot gets the free or oldest entry of
 * its bucket (where a new id would go). */
static struct join_entry *find(struct maillog_joiner *j, const struct maillog_line *l, uint64_t key,
			       struct join_entry **slot)
{
	struct join_entry *b = j->e + (key % j->nbuckets) * MAILLOG_JOIN_WAYS;
	*slot = NULL;
	for (size_t i = 0; i < MAILLOG_JOIN_WAYS; i++) {
		struct join_entry *e = &b[i];
		if (e->key == key && strcmp(e->qid, l->qid) == 0)
			return e;
		if (e->key == 0) {
			if (*slot == NULL || (*slot)->key != 0)
				*slot = e;
		} else if (*slot == NULL || ((*slot)->key != 0 && e->seen < (*slot)->seen)) {
			*slot = e;
		}
	}
	return NULL;
}

/* A from= line: remember (or refresh) the id's sender. */
static void take_from(struct maillog_joiner *j, const struct maillog_line *l, uint64_t key)
{
	struct join_entry *slot, *e = find(j, l, key, &slot);
	j->stats.messages++;
	if (e == NULL) {
		e = slot;
		if (e->key != 0)
			j->stats.evicted++;
		else
			j->live++;
		e->key = key;
		strcpy(e->qid, l->qid);
	}
	e->seen = ++j->clock;
	strcpy(e->sender, l->addr);
}

int maillog_join(struct maillog_joiner *j, const struct maillog_line *l, struct maillog_delivery *d)
{
	if (l->qid[0] == '\0')
		return 0;
	uint64_t key = key_of(l);
	struct join_entry *slot, *e;
	switch (l->event) {
	case MAILLOG_EV_FROM:
		take_from(j, l, key);
		return 0;
	case MAILLOG_EV_DONE:
		if ((e = find(j, l, key, &slot)) != NULL) {
			e->key = 0;
			j->live--;
		}
		j->stats.done++;
		return 0;
	case MAILLOG_EV_TO:
		break;
	default:
		return 0;
	}
	if (l->status != MAILLOG_ST_BOUNCED && !(l->status == MAILLOG_ST_DEFERRED && l->has_reply))
		return 0;
	e = find(j, l, key, &slot);
	d->to = l;
	d->sender_known = e != NULL;
	strcpy(d->sender, e ? e->sender : "");
	if (e)
		e->seen = ++j->clock;
	else
		j->stats.orphans++;
	return 1;
}

void maillog_join_stats(const struct maillog_joiner *j, struct maillog_join_stats *s, size_t *live)
{
	*s = j->stats;
	if (live)
		*live = j->live;
}
