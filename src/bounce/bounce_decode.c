#include "internal/bounce_decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

void bounce_decode_base64(const char *s, size_t n, struct bounce_buf *out)
{
	if (!bounce_buf_reserve(out, n / 4 * 3 + 3))
		return;
	unsigned acc = 0;
	int bits = 0;
	char *o = out->p + out->len;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		int v = b64val((unsigned char)s[i]);
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*o++ = (char)((acc >> bits) & 0xff);
		}
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void bounce_decode_qp(const char *s, size_t n, struct bounce_buf *out)
{
	if (!bounce_buf_reserve(out, n))
		return;
	char *o = out->p + out->len;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '=') {
			/* copy the run up to the next '=' at once */
			const char *eq = memchr(s + i, '=', n - i);
			size_t run = eq ? (size_t)(eq - (s + i)) : n - i;
			memcpy(o, s + i, run);
			o += run;
			i += run - 1;
			continue;
		}
		/* soft line break: '=' then optional blanks then newline */
		size_t j = i + 1;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j < n && s[j] == '\n') {
			i = j;
			continue;
		}
		if (j >= n) {
			i = j;
			continue;
		}
		int h = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
		int l = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
		if (h >= 0 && l >= 0) {
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else {
			*o++ = '=';
		}
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
}

/* Case-insensitive "does s (n bytes) start with the tag name t". */
static bool tag_is(const char *s, size_t n, const char *t)
{
	size_t tl = strlen(t);
	if (n < tl || strncasecmp(s, t, tl) != 0)
		return false;
	return n == tl || !((s[tl] | 0x20) >= 'a' && (s[tl] | 0x20) <= 'z');
}

/* Length of the run of ASCII letters at s (n bytes). */
static size_t letters(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (unsigned)((s[i] | 0x20) - 'a') < 26)
		i++;
	return i;
}

static const struct {
	const char *name;
	const char *text;
} html_entities[] = {
	{"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""},
	{"apos;", "'"}, {"nbsp;", " "}, {"#39;", "'"},
};

void bounce_decode_html(const char *s, size_t n, struct bounce_buf *out)
{
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if (c == '<') {
			const char *t = s + i + 1;
			size_t rest = n - i - 1;
			const char *gt;
			if (rest >= 3 && memcmp(t, "!--", 3) == 0) {
				const char *e = memmem(t, rest, "-->", 3);
				i = e ? (size_t)(e - s) + 3 : n;
				continue;
			}
			size_t sl = letters(t, rest);
			bool skipbody = (sl == 5 && tag_is(t, rest, "style")) ||
			                (sl == 6 && tag_is(t, rest, "script"));
			gt = memchr(t, '>', rest);
			if (gt == NULL)
				break;
			size_t tl = (size_t)(gt - t);
			const char *name = t[0] == '/' ? t + 1 : t;
			size_t nl = t[0] == '/' ? tl - (tl > 0) : tl;
			/* the tag name is the run of letters ("h1": "h" and a digit) */
			size_t ll = letters(name, nl);
			if ((ll == 2 && (tag_is(name, nl, "br") || tag_is(name, nl, "tr") || tag_is(name, nl, "li"))) ||
			    (ll == 1 && (tag_is(name, nl, "p") || tag_is(name, nl, "h1") ||
			                 tag_is(name, nl, "h2") || tag_is(name, nl, "h3"))) ||
			    (ll == 3 && tag_is(name, nl, "div")) || (ll == 5 && tag_is(name, nl, "table")))
				bounce_buf_putc(out, '\n');
			else if (ll == 2 && (tag_is(name, nl, "td") || tag_is(name, nl, "th")))
				bounce_buf_putc(out, ' ');
			i = (size_t)(gt - s) + 1;
			if (skipbody) {
				const char *e = NULL;
				for (const char *q = s + i; q < s + n && (q = memchr(q, '<', (size_t)(s + n - q))) != NULL; q++) {
					if (q + 1 < s + n && q[1] == '/') {
						e = q;
						break;
					}
				}
				i = e ? (size_t)(e - s) : n;
			}
			continue;
		}
		if (c == '&') {
			bool done = false;
			for (size_t k = 0; k < sizeof html_entities / sizeof html_entities[0]; k++) {
				size_t el = strlen(html_entities[k].name);
				if (n - i - 1 >= el && strncasecmp(s + i + 1, html_entities[k].name, el) == 0) {
					bounce_buf_puts(out, html_entities[k].text);
					i += 1 + el;
					done = true;
					break;
				}
			}
			if (done)
				continue;
		}
		/* copy the run of plain text up to the next tag or entity in one
		 * go; HTML line breaks are not layout, so they become spaces */
		size_t j = i + 1;
		while (j < n && s[j] != '<' && s[j] != '&')
			j++;
		size_t at = out->len;
		bounce_buf_put(out, s + i, j - i);
		if (!out->oom)
			for (size_t k = at; k < out->len; k++)
				if (out->p[k] == '\n')
					out->p[k] = ' ';
		i = j;
	}
}

static bool is_ascii(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			return false;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

void bounce_decode_charset(const char *s, size_t n, const char *charset,
                           struct bounce_buf *out)
{
	if (is_ascii(s, n) || charset == NULL || charset[0] == '\0' ||
	    strcasecmp(charset, "utf-8") == 0 || strcasecmp(charset, "utf8") == 0 ||
	    strcasecmp(charset, "us-ascii") == 0) {
		bounce_buf_put(out, s, n);
		return;
	}
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "ISO-8859-1");
	if (cd == (iconv_t)-1) {
		bounce_buf_put(out, s, n);
		return;
	}
	char *in = (char *)(uintptr_t)s; /* iconv's prototype is not const-correct */
	size_t inleft = n;
	while (inleft > 0) {
		if (!bounce_buf_reserve(out, inleft * 4 + 16))
			break;
		char *o = out->p + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		out->len = (size_t)(o - out->p);
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* EILSEQ / EINVAL: mark and step over one byte */
			out->p[out->len++] = '?';
			in++;
			inleft--;
		}
	}
	if (out->p)
		out->p[out->len] = '\0';
	iconv_close(cd);
}

size_t bounce_utf8_sanitize(const char *s, size_t n, char *out)
{
	size_t o = 0;
	size_t i = 0;
	while (i < n) {
		/* 8 printable ASCII bytes at a time: copied as they are */
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			/* every byte in 0x20..0x7e: no high bit; +1 sets none (no 0x7f);
			 * +0x60 sets all (none below 0x20). No carries between bytes. */
			const uint64_t hi = 0x8080808080808080ull, one = 0x0101010101010101ull;
			if ((w & hi) == 0 && ((w + one) & hi) == 0 && ((w + one * 0x60) & hi) == hi) {
				memcpy(out + o, s + i, 8);
				o += 8;
				i += 8;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			out[o++] = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?' : (char)c;
			i++;
			continue;
		}
		size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
		if (c >= 0xf5)
			len = 0;
		bool ok = len > 0 && i + len <= n;
		for (size_t k = 1; ok && k < len; k++)
			if (((unsigned char)s[i + k] & 0xc0) != 0x80)
				ok = false;
		if (ok && len == 3) {
			unsigned char d = (unsigned char)s[i + 1];
			if ((c == 0xe0 && d < 0xa0) || (c == 0xed && d >= 0xa0))
				ok = false;
		}
		if (ok && len == 4) {
			unsigned char d = (unsigned char)s[i + 1];
			if ((c == 0xf0 && d < 0x90) || (c == 0xf4 && d >= 0x90))
				ok = false;
		}
		if (!ok) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, s + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return o;
}
