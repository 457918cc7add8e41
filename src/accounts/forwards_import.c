/* Postfix virtual map parser (see forwards_import.h for the format). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forwards_import.h"

static void set_error(struct fwd_error *err, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_error(struct fwd_error *err, unsigned line, const char *fmt, ...)
{
	if (err == NULL)
		return;
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err->line = line;
	if (line > 0)
		snprintf(err->message, sizeof err->message, "line %u: %s", line, msg);
	else
		snprintf(err->message, sizeof err->message, "%s", msg);
}

/* A printable, bounded copy of an input token for error messages. */
static const char *show(const char *s, size_t n, char buf[48])
{
	size_t j = 0;
	for (size_t i = 0; i < n && j < 40; i++)
		buf[j++] = (s[i] >= 0x21 && s[i] < 0x7f) ? s[i] : '?';
	if (n > 40) {
		buf[j++] = '.'; buf[j++] = '.'; buf[j++] = '.';
	}
	buf[j] = '\0';
	return buf;
}

char *forwards_lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* RFC 5322 atext plus '.', not at either end, never doubled. */
static int local_ok(const char *s, size_t n)
{
	if (n == 0 || n > FWD_LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!isalnum(c) && strchr("!#$%&'*+-/=?^_`{|}~", c) == NULL) {
			return 0;
		}
	}
	return 1;
}

/* A bare local name as destination ("root"): a narrow set, so nothing
 * looks like a pipe, a path or an include to any later stage. */
static int local_name_ok(const char *s, size_t n)
{
	if (!local_ok(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("._+-", s[i]) == NULL)
			return 0;
	return 1;
}

static int domain_ok_n(const char *s, size_t n)
{
	size_t label = 0, labels = 1;
	if (n == 0 || n > 253 || s[0] == '.' || s[n - 1] == '.' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			labels++;
		} else if (isalnum(c) || (c == '-' && label > 0)) {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return labels >= 2;
}

int forwards_domain_ok(const char *s)
{
	return s != NULL && domain_ok_n(s, strlen(s));
}

static int address_ok_n(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	if (at == NULL || n > FWD_ADDR_MAX || memchr(at + 1, '@', n - (size_t)(at - s) - 1) != NULL)
		return 0;
	return local_ok(s, (size_t)(at - s)) && domain_ok_n(at + 1, n - (size_t)(at - s) - 1);
}

int forwards_address_ok(const char *s)
{
	return s != NULL && address_ok_n(s, strlen(s));
}

static void entry_free(struct fwd_entry *e)
{
	for (size_t i = 0; i < e->ndest; i++)
		free(e->dest[i]);
	free(e->dest);
	e->dest = NULL;
	e->ndest = 0;
}

void forwards_map_free(struct fwd_map *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		entry_free(&m->entries[i]);
	free(m->entries);
	memset(m, 0, sizeof *m);
}

struct parser {
	struct fwd_map *map;
	struct fwd_error *err;
	char *logical;          /* the logical line being collected */
	size_t len, cap;
	unsigned start;         /* its first physical line; 0 = none */
};

/* Orders entries by key, then by line, so duplicates sit side by side
 * with the first occurrence first. */
static int cmp_source(const void *a, const void *b)
{
	const struct fwd_entry *x = *(const struct fwd_entry *const *)a;
	const struct fwd_entry *y = *(const struct fwd_entry *const *)b;
	int c = strcmp(x->source, y->source);
	return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

static int is_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

/* Splits one logical line into a new entry. */
static enum perr flush(struct parser *p)
{
	if (p->start == 0)
		return PERR_OK;
	unsigned line = p->start;
	p->start = 0;
	char *s = p->logical, *end = s + p->len;
	char tmp[48];
	size_t klen = strcspn(s, " \t");
	if (klen > FWD_ADDR_MAX) {
		set_error(p->err, line, "the address \"%s\" is too long", show(s, klen, tmp));
		return PERR_INVALID;
	}
	if (memchr(s, '"', klen) != NULL) {
		set_error(p->err, line, "quoted addresses are not supported");
		return PERR_INVALID;
	}
	if (s[0] == '@') {
		set_error(p->err, line, "catch-all \"%s\" is not imported: add the mailboxes one by one",
			  show(s, klen, tmp));
		return PERR_INVALID;
	}
	if (!address_ok_n(s, klen)) {
		set_error(p->err, line, "\"%s\" is not a full address (local@domain)", show(s, klen, tmp));
		return PERR_INVALID;
	}
	if (p->map->n == FWD_ENTRIES_MAX) {
		set_error(p->err, line, "more than %d entries in one file", FWD_ENTRIES_MAX);
		return PERR_TOO_LARGE;
	}
	if (p->map->n == p->map->cap) {
		size_t cap = p->map->cap ? p->map->cap * 2 : 64;
		struct fwd_entry *ne = realloc(p->map->entries, cap * sizeof *ne);
		if (ne == NULL)
			return PERR_NOMEM;
		p->map->entries = ne;
		p->map->cap = cap;
	}
	struct fwd_entry *e = &p->map->entries[p->map->n];
	memset(e, 0, sizeof *e);
	e->line = line;
	memcpy(e->source, s, klen);
	e->source[klen] = '\0';
	forwards_lower(e->source);
	p->map->n++;   /* counted now so forwards_map_free() releases it on error */

	for (char *q = s + klen; q < end; ) {
		while (q < end && is_sep(*q))
			q++;
		if (q == end)
			break;
		size_t n = 0;
		while (q + n < end && !is_sep(q[n]))
			n++;
		if (memchr(q, '"', n) != NULL) {
			set_error(p->err, line, "quoted addresses are not supported");
			return PERR_INVALID;
		}
		if (q[0] == '#') {
			set_error(p->err, line, "comments must be on a line of their own");
			return PERR_INVALID;
		}
		int full = memchr(q, '@', n) != NULL;
		if (!(full ? address_ok_n(q, n) : local_name_ok(q, n))) {
			set_error(p->err, line, "destination \"%s\" is not an address", show(q, n, tmp));
			return PERR_INVALID;
		}
		char *d = strndup(q, n);
		if (d == NULL)
			return PERR_NOMEM;
		forwards_lower(d);
		q += n;
		if (strcmp(d, e->source) == 0) {
			e->keep_copy = 1;
			free(d);
			continue;
		}
		int dup = 0;
		for (size_t i = 0; i < e->ndest && !dup; i++)
			dup = strcmp(e->dest[i], d) == 0;
		if (dup) {
			free(d);
			continue;
		}
		if (e->ndest == FWD_DESTS_MAX) {
			free(d);
			set_error(p->err, line, "more than %d destinations", FWD_DESTS_MAX);
			return PERR_TOO_LARGE;
		}
		char **nd = realloc(e->dest, (e->ndest + 1) * sizeof *nd);
		if (nd == NULL) {
			free(d);
			return PERR_NOMEM;
		}
		e->dest = nd;
		e->dest[e->ndest++] = d;
	}
	if (e->ndest == 0) {
		set_error(p->err, line, e->keep_copy ? "%s only forwards to itself" : "%s has no destination",
			  e->source);
		return PERR_INVALID;
	}
	return PERR_OK;
}

static enum perr append(struct parser *p, const char *s, size_t n, unsigned line)
{
	if (p->len + n + 2 > FWD_LINE_MAX) {
		set_error(p->err, line, "the entry is longer than %d bytes", FWD_LINE_MAX);
		return PERR_TOO_LARGE;
	}
	if (p->len + n + 2 > p->cap) {
		size_t cap = p->cap ? p->cap : 256;
		while (cap < p->len + n + 2)
			cap *= 2;
		char *nb = realloc(p->logical, cap);
		if (nb == NULL)
			return PERR_NOMEM;
		p->logical = nb;
		p->cap = cap;
	}
	if (p->len > 0)
		p->logical[p->len++] = ' ';
	memcpy(p->logical + p->len, s, n);
	p->len += n;
	p->logical[p->len] = '\0';
	return PERR_OK;
}

/* After parsing: the same key twice is an error naming both lines. */
static enum perr check_duplicates(struct fwd_map *m, struct fwd_error *err)
{
	if (m->n < 2)
		return PERR_OK;
	struct fwd_entry **v = malloc(m->n * sizeof *v);
	if (v == NULL)
		return PERR_NOMEM;
	for (size_t i = 0; i < m->n; i++)
		v[i] = &m->entries[i];
	qsort(v, m->n, sizeof *v, cmp_source);
	enum perr rc = PERR_OK;
	unsigned worst = 0;
	for (size_t i = 1; i < m->n; i++) {
		if (strcmp(v[i - 1]->source, v[i]->source) == 0 && (worst == 0 || v[i]->line < worst)) {
			worst = v[i]->line;
			set_error(err, v[i]->line, "%s was already given on line %u", v[i]->source,
				  v[i - 1]->line);
			rc = PERR_INVALID;
		}
	}
	free(v);
	return rc;
}

enum perr forwards_parse(const char *text, size_t len, struct fwd_map *out, struct fwd_error *err)
{
	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (len > FWD_INPUT_MAX) {
		set_error(err, 0, "the file is larger than %u bytes", FWD_INPUT_MAX);
		return PERR_TOO_LARGE;
	}
	struct parser p = { .map = out, .err = err };
	enum perr rc = PERR_OK;
	unsigned line = 0;
	size_t off = 0;
	while (off < len && rc == PERR_OK) {
		line++;
		const char *s = text + off;
		const char *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;
		off += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == 0 || c >= 0x80 || (c < 0x20 && c != '\t')) {
				set_error(err, line, c >= 0x80 ? "only ASCII addresses are supported"
								 : "the line contains control bytes");
				rc = PERR_INVALID;
				break;
			}
		}
		if (rc != PERR_OK)
			break;
		size_t lead = 0;
		while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
			lead++;
		if (lead == n || s[lead] == '#')
			continue;   /* blank or comment */
		size_t tail = n;
		while (tail > lead && (s[tail - 1] == ' ' || s[tail - 1] == '\t'))
			tail--;
		if (lead > 0) {
			if (p.start == 0) {
				set_error(err, line, "a continuation line (starting with a space) without an entry before it");
				rc = PERR_INVALID;
				break;
			}
			rc = append(&p, s + lead, tail - lead, line);
		} else {
			if ((rc = flush(&p)) != PERR_OK)
				break;
			p.start = line;
			p.len = 0;
			rc = append(&p, s, tail, line);
		}
	}
	if (rc == PERR_OK)
		rc = flush(&p);
	free(p.logical);
	if (rc == PERR_OK)
		rc = check_duplicates(out, err);
	return rc;
}
