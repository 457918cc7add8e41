/* Verdict, causes and list order of a report (see explain.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal/explain_knowledge.h"
#include "dnsbl/knowledge_dnsbl.h"

#define NAMES_MAX 512

static const struct explain_provider *find_provider(const struct explain_knowledge *k, const char *id)
{
	const struct explain_provider *other = NULL;
	for (size_t i = 0; i < k->nproviders; i++) {
		if (id && !strcmp(k->providers[i].id, id))
			return &k->providers[i];
		if (!strcmp(k->providers[i].id, "other"))
			other = &k->providers[i];
	}
	return other;
}

const char *explain_provider_name(const struct explain_knowledge *k, const char *provider_id)
{
	const struct explain_provider *p = find_provider(k, provider_id);
	return p ? p->name : "the receiving server";
}

int explain_provider_consumer(const struct explain_knowledge *k, const char *provider_id)
{
	const struct explain_provider *p = find_provider(k, provider_id);
	return p ? p->consumer : 0;
}

const char *explain_cause_title(const struct explain_knowledge *k, enum explain_cause c)
{
	return (unsigned)c < CAUSE__MAX ? k->causes[c].title : "";
}

/* The kind of a listing on zone with these return codes (-1 = unknown). */
static int listing_kind(const struct explain_knowledge *k, const char *zone, json_t *codes)
{
	for (size_t i = 0; i < k->nlistings; i++) {
		const struct explain_listing *l = &k->listings[i];
		if (strcasecmp(l->zone, zone) != 0)
			continue;
		if (l->ncodes == 0)
			return (int)l->kind;
		size_t j;
		json_t *c;
		json_array_foreach(codes, j, c) {
			struct in_addr a;
			if (!json_is_string(c) || inet_pton(AF_INET, json_string_value(c), &a) != 1)
				continue;
			for (size_t m = 0; m < l->ncodes; m++)
				if (l->codes[m] == ntohl(a.s_addr))
					return (int)l->kind;
		}
	}
	return -1;
}

/* Appends name to a ", "-joined list unless it is there already. */
static void add_name(char *names, size_t len, const char *name)
{
	if (strstr(names, name) != NULL)
		return;
	size_t n = strlen(names);
	snprintf(names + n, len - n, "%s%s", n ? ", " : "", name);
}

static const char *display_name(const struct dnsbl_catalogue *cat, const char *zone)
{
	const struct dnsbl_list *l = cat ? dnsbl_catalogue_find(cat, zone) : NULL;
	return l ? l->name : zone;
}

/* Evidence gathered from the bounce and the live checks. */
struct evidence {
	char names[KIND__MAX][NAMES_MAX];   /* list names per kind */
	int has[KIND__MAX];
	int in_bounce[KIND__MAX];           /* the bounce itself names a list of this kind */
	char bounce_lists[NAMES_MAX];       /* display names named in the bounce */
	char live_listed[NAMES_MAX];        /* display names listing the IP now */
	int nlisted, nclean, nunknown, nchecked;
};

static void note_kind(struct evidence *ev, int kind, const char *name)
{
	if (kind < 0)
		kind = KIND_SPAM;   /* an unknown list: spam evidence in general */
	ev->has[kind] = 1;
	add_name(ev->names[kind], NAMES_MAX, name);
}

static void gather(const struct explain_knowledge *k, const struct dnsbl_catalogue *cat,
		   json_t *doc, struct evidence *ev)
{
	memset(ev, 0, sizeof *ev);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "lists"), i, v) {
		if (!json_is_string(v))
			continue;
		const char *zone = json_string_value(v);
		const char *name = display_name(cat, zone);
		add_name(ev->bounce_lists, NAMES_MAX, name);
		int kind = listing_kind(k, zone, NULL);
		note_kind(ev, kind, name);
		ev->in_bounce[kind < 0 ? KIND_SPAM : kind] = 1;
	}
	json_array_foreach(json_object_get(doc, "checks"), i, v) {
		const char *status = json_string_value(json_object_get(v, "status"));
		const char *zone = json_string_value(json_object_get(v, "zone"));
		if (status == NULL || zone == NULL)
			continue;
		ev->nchecked++;
		if (!strcmp(status, "clean")) {
			ev->nclean++;
		} else if (!strcmp(status, "listed")) {
			const char *name = display_name(cat, zone);
			ev->nlisted++;
			add_name(ev->live_listed, NAMES_MAX, name);
			note_kind(ev, listing_kind(k, zone, json_object_get(v, "codes")), name);
		} else {
			ev->nunknown++;
		}
	}
}

static const char *str(json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));
	return s ? s : "";
}

static const char *not_blacklist_text(const struct explain_knowledge *k, const char *category)
{
	const char *other = "we found no block-list or reputation refusal in it";
	for (size_t i = 0; i < k->nnot_blacklist; i++) {
		if (!strcmp(k->not_blacklist[i][0], category))
			return k->not_blacklist[i][1];
		if (!strcmp(k->not_blacklist[i][0], "other"))
			other = k->not_blacklist[i][1];
	}
	return other;
}

/* The first max names of a ", "-joined list, then "and N more": the
 * verdict stays short on a phone; the table names them all. */
static void first_names(const char *names, int max, char *out, size_t len)
{
	const char *p = names;
	for (int i = 0; i < max && p; i++) {
		p = strstr(p, ", ");
		if (p)
			p += 2;
	}
	if (p == NULL) {
		snprintf(out, len, "%s", names);
		return;
	}
	int more = 1;
	for (const char *q = p; (q = strstr(q, ", ")) != NULL; q += 2)
		more++;
	snprintf(out, len, "%.*s and %d more", (int)(p - 2 - names), names, more);
}

/* Chooses the verdict and writes the sentence. */
static const char *verdict(const struct explain_knowledge *k, json_t *doc, const struct evidence *ev,
			   char *sentence, size_t len)
{
	const char *ip = str(doc, "ip");
	int ours = json_is_true(json_object_get(doc, "ip_is_ours"));
	const char *prov = explain_provider_name(k, str(doc, "provider"));
	const char *category = str(doc, "category");
	char server[128];
	if (*ip)
		snprintf(server, sizeof server, "%s %s", ours ? "our server" : "the server", ip);
	else
		snprintf(server, sizeof server, "the sending server");
	char to[128] = "";
	if (strcmp(str(doc, "provider"), "other") != 0 && *str(doc, "provider"))
		snprintf(to, sizeof to, " to %s", prov);

	/* a deferral (the mail log's 4xx) is retried, not returned */
	const char *fate = json_is_true(json_object_get(doc, "deferred")) ? "is being held back and retried" : "bounced";
	if (!strcmp(str(doc, "input"), "bounce")) {
		if (!strcmp(category, "blacklist")) {
			const char *lists = *ev->bounce_lists ? ev->bounce_lists
					  : *ev->live_listed ? ev->live_listed : "a block list";
			snprintf(sentence, len, "Your mail%s %s because %s is on %s.", to, fate, server, lists);
			return "blacklist";
		}
		if (!strcmp(category, "reputation") || json_is_true(json_object_get(doc, "blacklist"))) {
			const char *code = str(doc, "provider_code");
			snprintf(sentence, len, "Your mail%s %s because %s does not trust mail from %s right now%s%s%s.",
				 to, fate, prov, server, *code ? " (code " : "", code, *code ? ")" : "");
			return "reputation";
		}
		/* Only a recognised reason that is not a block says "not a
		 * blacklist problem"; a bounce we could not read says so. */
		if (!strcmp(category, "other") || !*category) {
			if (ev->nlisted > 0)
				snprintf(sentence, len, "We could not tell from this bounce why it was refused, "
					 "but %s is listed right now on %s.", server, ev->live_listed);
			else
				snprintf(sentence, len, "We could not tell from this bounce why it was refused: "
					 "it names no reason we recognise.");
			return "unknown";
		}
		/* the bounce is not about a list, but a listing found now is
		 * still news for the reader */
		if (ev->nlisted > 0)
			snprintf(sentence, len, "This bounce is not a blacklist problem: %s. Separately, %s is listed "
				 "right now on %s.", not_blacklist_text(k, category), server, ev->live_listed);
		else
			snprintf(sentence, len, "This bounce is not a blacklist problem: %s.",
				 not_blacklist_text(k, category));
		return "not_blacklist";
	}
	/* a typed server name stays with its address: "192.0.2.2 (mail.example.com)" */
	char who[320];
	if (*str(doc, "host"))
		snprintf(who, sizeof who, "%s (%s)", ip, str(doc, "host"));
	else
		snprintf(who, sizeof who, "%s", ip);
	if (!json_is_true(json_object_get(doc, "sent"))) {
		const char *note = str(doc, "note");
		snprintf(sentence, len, "We did not check %s: %s.", *ip ? who : "this address", *note ? note : "it was not sent");
		return "unknown";
	}
	if (ev->nlisted > 0) {
		char some[NAMES_MAX];
		first_names(ev->live_listed, 3, some, sizeof some);
		snprintf(sentence, len, "%s is listed on %d of the %d block lists we checked: %s.",
			 who, ev->nlisted, ev->nchecked, some);
		return "listed";
	}
	if (ev->nunknown == 0) {
		snprintf(sentence, len, "%s is not listed on any of the %d block lists we checked.", who, ev->nchecked);
		return "clean";
	}
	if (ev->nclean == 0) {
		snprintf(sentence, len, "We could not check %s right now: none of the %d block lists answered. "
			 "Try again in a few minutes.", who, ev->nchecked);
		return "unknown";
	}
	snprintf(sentence, len, "%s is not listed on the %d %s that answered, but %d %s no answer or %s not trusted right now.",
		 who, ev->nclean, ev->nclean == 1 ? "list" : "lists", ev->nunknown, ev->nunknown == 1 ? "list gave" : "lists gave",
		 ev->nunknown == 1 ? "is" : "are");
	return "unknown";
}

static void replace_lists(const char *why, const char *names, char *out, size_t len)
{
	const char *p = strstr(why, "$LISTS");
	if (p == NULL)
		snprintf(out, len, "%s", why);
	else
		snprintf(out, len, "%.*s%s%s", (int)(p - why), why, names, p + 6);
}

/* The cause a kind of evidence points to here: its first cause that
 * applies (self-reporting needs a provider whose users press "report
 * spam"); the "away" list when the address is not ours. -1 = none. */
static int primary_cause(const struct explain_knowledge *k, json_t *doc, enum explain_kind kd, int away)
{
	const struct explain_kind_info *ki = &k->kinds[kd];
	const enum explain_cause *list = away ? ki->away : ki->causes;
	size_t n = away ? ki->naway : ki->ncauses;
	for (size_t c = 0; c < n; c++) {
		if (list[c] == CAUSE_SELFREPORT && strcmp(str(doc, "input"), "bounce") == 0 &&
		    !explain_provider_consumer(k, str(doc, "provider")))
			continue;
		return (int)list[c];
	}
	return -1;
}

/* Causes that fit: each kind of evidence names one cause (see
 * primary_cause) and gives it that kind's reasoning as its evidence. The
 * kinds the bounce itself shows rank before those only the live check
 * found; the first cause is the likely one. */
static json_t *causes(const struct explain_knowledge *k, json_t *doc, struct evidence *ev, const char **top)
{
	if (!strcmp(str(doc, "category"), "reputation") ||
	    (json_is_true(json_object_get(doc, "blacklist")) && !ev->has[KIND_COMPLAINTS] && !ev->has[KIND_SPAM] &&
	     !ev->has[KIND_EXPLOIT] && !ev->has[KIND_SPAMTRAP] && !ev->has[KIND_POLICY])) {
		ev->has[KIND_REPUTATION] = ev->in_bounce[KIND_REPUTATION] = 1;
		add_name(ev->names[KIND_REPUTATION], NAMES_MAX, explain_provider_name(k, str(doc, "provider")));
	}
	int away = *str(doc, "ip") && !json_is_true(json_object_get(doc, "ip_is_ours"));
	json_t *out = json_array();
	int chosen[CAUSE__MAX] = { 0 };
	char why[CAUSE__MAX][1024];
	memset(why, 0, sizeof why);
	static const enum explain_kind order[] = {
		KIND_REPUTATION, KIND_EXPLOIT, KIND_POLICY, KIND_COMPLAINTS, KIND_SPAM, KIND_SPAMTRAP, KIND_BACKSCATTER,
	};
	enum explain_cause ranked[CAUSE__MAX];
	size_t nranked = 0;
	for (int pass = 0; pass < 2; pass++) {   /* 0: shown by the bounce, 1: live only */
		for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
			enum explain_kind kd = order[o];
			if (!ev->has[kd] || (pass == 0) != (ev->in_bounce[kd] != 0))
				continue;
			int cause = primary_cause(k, doc, kd, away);
			if (cause < 0)
				continue;
			char reason[EXPLAIN_TEXT_MAX + NAMES_MAX];
			replace_lists(k->kinds[kd].why, ev->names[kd], reason, sizeof reason);
			if (!chosen[cause]) {
				chosen[cause] = 1;
				ranked[nranked++] = (enum explain_cause)cause;
			}
			size_t n = strlen(why[cause]);
			if (strstr(why[cause], reason) == NULL)
				snprintf(why[cause] + n, sizeof why[cause] - n, "%s%s", n ? " " : "", reason);
		}
	}
	*top = nranked ? explain_cause_id(ranked[0]) : "none";
	for (size_t i = 0; i < nranked; i++) {
		enum explain_cause c = ranked[i];
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}",
			"id", explain_cause_id(c), "title", k->causes[c].title, "text", k->causes[c].text,
			"todo", k->causes[c].todo, "why", why[c], "likely", i == 0));
	}
	return out;
}

/* The customer's verdict (an Outcome id's index) from the verdict and
 * whose address it is. */
static int outcome(const char *v, json_t *doc, const struct evidence *ev)
{
	int has_ip = *str(doc, "ip") != '\0';
	int ours = json_is_true(json_object_get(doc, "ip_is_ours"));
	if (!strcmp(v, "blacklist") || !strcmp(v, "listed"))
		return !has_ip ? 1 : ours ? 0 : 3;
	if (!strcmp(v, "reputation"))
		return 2;
	if (!strcmp(v, "clean") || !strcmp(v, "not_blacklist"))
		return 4;
	/* asked, and not one list answered: nothing was checked */
	if (json_is_true(json_object_get(doc, "sent")) && ev->nchecked > 0 && ev->nclean + ev->nlisted == 0)
		return 6;
	return 5;
}

/* Sort key of a check: the provider's own lists first (in its order),
 * then listed ones, then the rest in catalogue order. */
struct ranked_check {
	json_t *check;
	int rank;
	size_t pos;
};

static int cmp_check(const void *a, const void *b)
{
	const struct ranked_check *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void sort_checks(const struct explain_knowledge *k, json_t *doc)
{
	json_t *checks = json_object_get(doc, "checks");
	size_t n = json_array_size(checks);
	if (n < 2)
		return;
	struct ranked_check *r = calloc(n, sizeof *r);
	if (r == NULL)
		return;
	const struct explain_provider *p = find_provider(k, str(doc, "provider"));
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(checks, i);
		const char *zone = json_string_value(json_object_get(c, "zone"));
		const char *status = json_string_value(json_object_get(c, "status"));
		r[i].check = json_incref(c);
		r[i].pos = i;
		r[i].rank = 1000 + (status && !strcmp(status, "listed") ? 0 : 100);
		for (size_t j = 0; p && zone && j < p->nlists; j++)
			if (!strcasecmp(p->lists[j], zone))
				r[i].rank = (int)j;
	}
	qsort(r, n, sizeof *r, cmp_check);
	json_array_clear(checks);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(checks, r[i].check);
	free(r);
}

enum perr explain_report(const struct explain_knowledge *k, const struct dnsbl_catalogue *cat, json_t *doc)
{
	if (k == NULL || !json_is_object(doc))
		return PERR_INVALID;
	struct evidence *ev = malloc(sizeof *ev);
	if (ev == NULL)
		return PERR_NOMEM;
	sort_checks(k, doc);   /* first: the expiry text follows the table's order */
	gather(k, cat, doc, ev);
	char sentence[1024];
	const char *v = verdict(k, doc, ev, sentence, sizeof sentence);
	const char *top = "none";
	/* No causes where nothing points at a block: a clean address, a
	 * recognised other reason, or a bounce we could not read. */
	int no_block = !strcmp(v, "not_blacklist") || !strcmp(v, "clean") ||
		       (!strcmp(v, "unknown") && ev->nlisted == 0);
	json_t *list = no_block ? json_array() : causes(k, doc, ev, &top);
	/* said once: each list's own duration is in its check ("duration") */
	int only_policy = ev->has[KIND_POLICY];
	for (int kd = 0; kd < KIND__MAX; kd++)
		if (kd != KIND_POLICY && ev->has[kd])
			only_policy = 0;
	const char *expiry = only_policy ? "A policy listing does not lift by itself: it names the address range, not anything it sent."
			     : ev->nlisted || !strcmp(v, "blacklist") || !strcmp(v, "reputation")
				     ? "Most listings lift within about 72 hours once nothing new happens." : "";
	int oc = outcome(v, doc, ev);
	free(ev);
	const struct explain_outcome_info *o = &k->outcomes[oc];
	int typed = strcmp(str(doc, "input"), "ip") == 0;
	if (list == NULL || json_object_set_new(doc, "verdict", json_string(v)) ||
	    json_object_set_new(doc, "outcome", json_string(explain_outcome_id(oc))) ||
	    json_object_set_new(doc, "heading", json_string(typed && o->ip_heading[0] ? o->ip_heading : o->heading)) ||
	    json_object_set_new(doc, "next_step", json_string(typed && o->ip_next[0] ? o->ip_next : o->next)) ||
	    json_object_set_new(doc, "sentence", json_string(sentence)) ||
	    json_object_set_new(doc, "cause", json_string(top)) || json_object_set_new(doc, "causes", list) ||
	    json_object_set_new(doc, "expiry", json_string(expiry)))
		return PERR_NOMEM;
	return PERR_OK;
}

void explain_sentence(const char *sentence, const char *recipient, char *buf, size_t len)
{
	const char *p = strstr(sentence, "$RECIPIENT");
	const char *who = recipient && *recipient ? recipient : "the recipient's address";
	if (p == NULL)
		snprintf(buf, len, "%s", sentence);
	else
		snprintf(buf, len, "%.*s%s%s", (int)(p - sentence), sentence, who, p + 10);
}

const char *explain_verdict_words(const char *verdict)
{
	static const char *const words[][2] = {
		{"blacklist", "on a block list"}, {"reputation", "the provider's own filter"},
		{"listed", "listed"}, {"clean", "not listed"}, {"not_blacklist", "not a block-list problem"},
		{"unknown", "could not tell"},
	};
	for (size_t i = 0; verdict && i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i][0], verdict) == 0)
			return words[i][1];
	return "report";
}
