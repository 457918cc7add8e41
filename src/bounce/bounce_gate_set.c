/* The second way of deriving a gate (bounce_gate.h), for the patterns
 * whose alternatives hold no literal run of 3+ bytes, such as
 * "\bIP(?:[ _-]?address)?[ :=]+", "\[(?:IP)?TSS?\d\d\]" or
 * "\((?:S3\d{3}|AS\d{4})\)": from a mandatory atom on, the set of texts
 * a match must begin with there, as the product of what each following
 * atom can be (a byte, a small class, an optional piece, a group's
 * alternatives), until every text is long enough. Each text is then a
 * literal of the gate: every match holds one of them. This is what made
 * the hand-written "gate =" lines of the knowledge files unnecessary. */
#include "internal/bounce_gate.h"
#include "internal/bounce_resyntax.h"

#include <stdbool.h>
#include <string.h>

#define SET_MAX    32  /* texts followed at once; more = no gate this way */
#define CLASS_MAX  4   /* a class of more bytes ends the texts */
#define REPEAT_MAX 4   /* a bounded repeat unrolled at most this far */
#define TEXT_MIN   3   /* a text this long is a literal: not multiplied further */

/* One text a match begins with (lower case). ended: the match may go on
 * with anything after it, so it is not extended any further. */
struct text {
	char s[BOUNCE_GATE_LEN + 1];
	unsigned char len;
	bool ended;
};

struct texts {
	struct text v[SET_MAX];
	int n;
	bool overflow;
};

/* What one atom of a pattern can match. */
enum atom_kind { ATOM_BYTES, ATOM_GROUP, ATOM_ZERO, ATOM_OPAQUE };

struct atom {
	enum atom_kind kind;
	char bytes[CLASS_MAX];            /* ATOM_BYTES: the bytes it can be */
	int nbytes;
	const char *in, *in_end;          /* ATOM_GROUP: its alternatives */
	bool one_alt;                     /* ATOM_GROUP: no '|' at its top level */
	const char *end;                  /* where the atom ends (its quantifier starts) */
	int lo, hi;                       /* repeats; hi -1 unbounded */
};

static void expand_seq(struct texts *t, const char *p, const char *end);
static void expand_alts(struct texts *t, const char *p, const char *end);

/* Adds text s (n bytes) to t, merging a duplicate (ended wins: it
 * promises less). A text as long as a literal can be is ended. */
static void put(struct texts *t, const char *s, size_t n, bool ended)
{
	if (n >= BOUNCE_GATE_LEN) {
		n = BOUNCE_GATE_LEN;
		ended = true;
	}
	for (int i = 0; i < t->n; i++)
		if (t->v[i].len == n && memcmp(t->v[i].s, s, n) == 0) {
			t->v[i].ended |= ended;
			return;
		}
	if (t->n >= SET_MAX) {
		t->overflow = true;
		return;
	}
	struct text *x = &t->v[t->n++];
	memcpy(x->s, s, n);
	x->s[n] = '\0';
	x->len = (unsigned char)n;
	x->ended = ended;
}

/* Adds every text of from to into. */
static void merge(struct texts *into, const struct texts *from)
{
	into->overflow |= from->overflow;
	for (int i = 0; i < from->n; i++)
		put(into, from->v[i].s, from->v[i].len, from->v[i].ended);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Adds byte c to a's set unless there; false when the set is full. */
static bool add_byte(struct atom *a, char c)
{
	c = lower(c);
	for (int i = 0; i < a->nbytes; i++)
		if (a->bytes[i] == c)
			return true;
	if (a->nbytes >= CLASS_MAX)
		return false;
	a->bytes[a->nbytes++] = c;
	return true;
}

/* Reads the class [p, q] (q: its ']') into a's byte set; a class that
 * is negated, uses an escape class or has too many bytes is opaque. */
static void read_class(const char *p, const char *q, struct atom *a)
{
	a->kind = ATOM_OPAQUE;
	a->nbytes = 0;
	p++;
	if (p >= q || *p == '^' || *p == ']')
		return;
	while (p < q) {
		char c = *p;
		if (c == '[')
			return; /* a POSIX class */
		if (c == '\\') {
			if (p + 1 >= q || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') ||
			    (p[1] >= '0' && p[1] <= '9'))
				return;
			c = p[1];
			p++;
		}
		if (p + 2 < q && p[1] == '-' && p[2] != '\\') {
			for (int x = (unsigned char)c; x <= (unsigned char)p[2]; x++)
				if (!add_byte(a, (char)x))
					return;
			p += 3;
			continue;
		}
		if (!add_byte(a, c))
			return;
		p++;
	}
	a->kind = ATOM_BYTES;
}

/* Reads the group starting at p ('(') into a; returns its ')' or NULL. */
static const char *read_group(const char *p, const char *end, struct atom *a)
{
	const char *e = bounce_re_group_end(p, end);
	if (e == NULL)
		return NULL;
	const char *in = p + 1;
	a->kind = ATOM_GROUP;
	if (in < e && *in == '?') {
		char c = in + 1 < e ? in[1] : '\0';
		if (c == ':' || c == '|') {
			in += 2;
		} else if (c == '=' || c == '!' || (c == '<' && in + 2 < e && (in[2] == '=' || in[2] == '!'))) {
			a->kind = ATOM_ZERO; /* lookaround */
		} else if (c == '<' || (c == 'P' && in + 2 < e && in[2] == '<')) {
			const char *n = memchr(in, '>', (size_t)(e - in));
			in = n ? n + 1 : e; /* a named group */
		} else {
			a->kind = ATOM_OPAQUE; /* options, comments, conditionals, ... */
		}
	}
	a->in = in;
	a->in_end = e;
	a->one_alt = bounce_re_alt_end(in, e) >= e;
	return e;
}

/* Reads the quantifier at *pp (advancing past it) into a->lo / a->hi. */
static void read_quant(const char **pp, const char *end, struct atom *a)
{
	const char *p = *pp;
	a->lo = a->hi = 1;
	if (p >= end)
		return;
	if (*p == '?' || *p == '*' || *p == '+') {
		a->lo = *p == '+';
		a->hi = *p == '?' ? 1 : -1;
		p++;
	} else if (*p == '{') {
		const char *q = p;
		a->hi = bounce_re_quant_max(&q, end);
		if (q == p)
			return; /* a literal '{' */
		a->lo = 0;
		for (const char *d = p + 1; d < q && *d >= '0' && *d <= '9' && a->lo < 1000; d++)
			a->lo = a->lo * 10 + (*d - '0');
		*pp = q;
		return;
	} else {
		return;
	}
	if (p < end && (*p == '?' || *p == '+'))
		p++; /* lazy / possessive */
	*pp = p;
}

/* Reads the atom at p and its quantifier into a; returns the position
 * after both, or NULL when the pattern is not understood. */
static const char *read_atom(const char *p, const char *end, struct atom *a)
{
	memset(a, 0, sizeof *a);
	a->kind = ATOM_BYTES;
	if (*p == '\\') {
		if (p + 1 >= end)
			return NULL;
		char c = p[1];
		if (strchr("bBAzZG", c))
			a->kind = ATOM_ZERO;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			a->kind = ATOM_OPAQUE;
		else
			add_byte(a, c);
		p += 2;
	} else if (*p == '[') {
		const char *q = bounce_re_class_end(p, end);
		if (q >= end)
			return NULL;
		read_class(p, q, a);
		p = q + 1;
	} else if (*p == '(') {
		const char *e = read_group(p, end, a);
		if (e == NULL)
			return NULL;
		p = e + 1;
	} else if (*p == '^' || *p == '$') {
		a->kind = ATOM_ZERO;
		p++;
	} else if (*p == '.') {
		a->kind = ATOM_OPAQUE;
		p++;
	} else if (*p == '|' || *p == ')') {
		return NULL;
	} else {
		add_byte(a, *p);
		p++;
	}
	a->end = p;
	read_quant(&p, end, a);
	return p;
}

/* One copy of atom a after every text of t that is not ended. A text
 * already TEXT_MIN long is not multiplied by a choice (a class, a group
 * with alternatives): it is enough as it is, and ends there. */
static void apply_once(struct texts *t, const struct atom *a)
{
	if (a->kind == ATOM_ZERO)
		return;
	if (a->kind == ATOM_GROUP && a->one_alt) {
		expand_seq(t, a->in, a->in_end);
		return;
	}
	struct texts out = {.n = 0};
	struct texts shorts = {.n = 0};
	bool single = a->kind == ATOM_BYTES && a->nbytes == 1;
	for (int i = 0; i < t->n; i++) {
		const struct text *x = &t->v[i];
		if (x->ended || a->kind == ATOM_OPAQUE || (!single && x->len >= TEXT_MIN)) {
			put(&out, x->s, x->len, true);
		} else if (a->kind == ATOM_BYTES) {
			for (int b = 0; b < a->nbytes; b++) {
				char s[BOUNCE_GATE_LEN + 1];
				memcpy(s, x->s, x->len);
				s[x->len] = a->bytes[b];
				put(&out, s, (size_t)x->len + 1, false);
			}
		} else {
			put(&shorts, x->s, x->len, false);
		}
	}
	if (shorts.n > 0) {
		expand_alts(&shorts, a->in, a->in_end);
		merge(&out, &shorts);
	}
	out.overflow |= t->overflow;
	*t = out;
}

/* The atom with its quantifier: lo copies, then the optional ones (a
 * repeat without a useful bound: one more copy, after which the texts
 * end). */
static void apply(struct texts *t, const struct atom *a)
{
	for (int i = 0; i < a->lo && i <= REPEAT_MAX && !t->overflow; i++)
		apply_once(t, a);
	if (a->lo > REPEAT_MAX) {
		for (int i = 0; i < t->n; i++)
			t->v[i].ended = true;
		return;
	}
	bool unbounded = a->hi < 0 || a->hi - a->lo > REPEAT_MAX;
	int optional = unbounded ? 1 : a->hi - a->lo;
	for (int i = 0; i < optional && !t->overflow; i++) {
		struct texts more = *t;
		apply_once(&more, a);
		if (unbounded)
			for (int j = 0; j < more.n; j++)
				more.v[j].ended = true;
		merge(t, &more);
	}
}

/* Extends the texts of t by the sequence [p, end) (no top-level '|'). */
static void expand_seq(struct texts *t, const char *p, const char *end)
{
	while (p < end && !t->overflow) {
		struct atom a;
		const char *next = read_atom(p, end, &a);
		if (next == NULL) {
			t->overflow = true;
			return;
		}
		apply(t, &a);
		p = next;
	}
}

/* Extends the texts of t by the alternatives of [p, end): their union. */
static void expand_alts(struct texts *t, const char *p, const char *end)
{
	struct texts out = {.n = 0};
	for (const char *a = p;;) {
		const char *q = bounce_re_alt_end(a, end);
		struct texts one = *t;
		expand_seq(&one, a, q);
		merge(&out, &one);
		if (q >= end)
			break;
		a = q + 1;
	}
	out.overflow |= t->overflow;
	*t = out;
}

/* Drops every text that has another one as a prefix (a match holding
 * the longer holds the shorter); false when a text is too short to be a
 * literal. */
static bool finish(struct texts *t)
{
	int n = 0;
	for (int i = 0; i < t->n; i++) {
		if (t->v[i].len < TEXT_MIN)
			return false;
		bool redundant = false;
		for (int j = 0; j < t->n && !redundant; j++)
			redundant = j != i && t->v[j].len <= t->v[i].len &&
			            memcmp(t->v[j].s, t->v[i].s, t->v[j].len) == 0 &&
			            (t->v[j].len < t->v[i].len || j < i);
		if (!redundant)
			t->v[n++] = t->v[i];
	}
	t->n = n;
	return n > 0;
}

/* Better of two text sets: the longer shortest text, then fewer texts. */
static bool better(const struct texts *a, const struct texts *b)
{
	int amin = BOUNCE_GATE_LEN + 1, bmin = BOUNCE_GATE_LEN + 1;
	for (int i = 0; i < a->n; i++)
		amin = a->v[i].len < amin ? a->v[i].len : amin;
	for (int i = 0; i < b->n; i++)
		bmin = b->v[i].len < bmin ? b->v[i].len : bmin;
	return amin != bmin ? amin > bmin : a->n < b->n;
}

/* The literals of the alternative [p, end) by text sets (see the top of
 * the file), added to g with base (the most bytes a match can have
 * before the alternative). Tries every mandatory atom as the start and
 * keeps the best set. 0 on success, -1 when there is none. */
int bounce_gate_texts(const char *p, const char *end, struct bounce_gate *g, int base)
{
	struct texts best = {.n = 0};
	int best_pre = 0, pre = 0;
	for (const char *q = p; q < end;) {
		struct atom a;
		const char *next = read_atom(q, end, &a);
		if (next == NULL)
			return -1;
		if (a.lo > 0 && a.kind != ATOM_ZERO) {
			struct texts t = {.n = 1};
			expand_seq(&t, q, end);
			if (!t.overflow && finish(&t) && (best.n == 0 || better(&t, &best))) {
				best = t;
				best_pre = pre;
			}
		}
		pre = bounce_len_add(pre, bounce_len_mul(bounce_re_alt_maxlen(q, a.end), a.hi));
		q = next;
	}
	if (best.n == 0 || best.n > BOUNCE_GATE_MAX)
		return -1;
	for (int i = 0; i < best.n; i++)
		if (bounce_gate_add(g, best.v[i].s, best.v[i].len, bounce_len_add(base, best_pre)) != 0)
			return -1;
	return 0;
}
