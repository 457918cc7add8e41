/* RFC 4180 CSV with formula-injection protection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* A spreadsheet evaluates a cell that starts with one of these. */
static int looks_like_formula(const char *v)
{
	return v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL;
}

static int needs_quotes(const char *v)
{
	return strpbrk(v, ",\"\r\n") != NULL;
}

size_t csv_escape(const char *value, char *out, size_t outlen)
{
	const char *v = value ? value : "";
	int quote = needs_quotes(v);
	size_t n = 0;
#define PUT(ch) do { if (n + 1 < outlen) out[n] = (ch); n++; } while (0)
	if (quote)
		PUT('"');
	if (looks_like_formula(v))
		PUT('\'');
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			PUT('"');
		PUT(*p);
	}
	if (quote)
		PUT('"');
#undef PUT
	if (outlen > 0)
		out[n < outlen ? n : outlen - 1] = '\0';
	return n;
}

static int reserve(struct csv *c, size_t more)
{
	if (c->err != PERR_OK)
		return 0;
	if (c->len + more + 1 <= c->cap)
		return 1;
	size_t cap = c->cap ? c->cap : 4096;
	while (cap < c->len + more + 1) {
		if (cap > ((size_t)-1) / 2) {
			c->err = PERR_NOMEM;
			return 0;
		}
		cap *= 2;
	}
	char *nb = realloc(c->buf, cap);
	if (nb == NULL) {
		c->err = PERR_NOMEM;
		return 0;
	}
	c->buf = nb;
	c->cap = cap;
	return 1;
}

void csv_cell(struct csv *c, const char *value)
{
	size_t need = csv_escape(value, NULL, 0) + 1;   /* + the separator */
	if (!reserve(c, need))
		return;
	if (c->cells++ > 0)
		c->buf[c->len++] = ',';
	csv_escape(value, c->buf + c->len, c->cap - c->len);
	c->len += need - 1;
}

void csv_cell_int(struct csv *c, long long n)
{
	char num[24];
	snprintf(num, sizeof num, "%lld", n);
	/* a negative number would start with '-': numbers stay numbers */
	if (!reserve(c, strlen(num) + 1))
		return;
	if (c->cells++ > 0)
		c->buf[c->len++] = ',';
	memcpy(c->buf + c->len, num, strlen(num) + 1);
	c->len += strlen(num);
}

void csv_row_end(struct csv *c)
{
	if (!reserve(c, 2))
		return;
	c->buf[c->len++] = '\r';
	c->buf[c->len++] = '\n';
	c->buf[c->len] = '\0';
	c->cells = 0;
}

void csv_clear(struct csv *c)
{
	c->len = 0;
	if (c->buf)
		c->buf[0] = '\0';
}

void csv_free(struct csv *c)
{
	free(c->buf);
	memset(c, 0, sizeof *c);
}
