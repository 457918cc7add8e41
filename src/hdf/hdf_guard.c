/* Refuses HDF links and copies before ClearSilver parses the text.
 * Why before: ClearSilver 0.10.5 follows a link while it parses (a copy
 * `e := a` reads through every link on the way, and so does any later
 * `a.x = 1`), recursing without a bound, so `a : a.b` plus either one
 * overflows the stack. Checking the tree afterwards would come too late.
 * The scan mirrors ClearSilver's statement splitting (util/neo_hdf.c,
 * _hdf_read_string): one statement per line, a name of [A-Za-z0-9_.],
 * blanks, then the operator; multi-line values (`a << EOM`) are skipped
 * with the parser's own chunked terminator test, so text inside them is
 * never mistaken for a statement, nor a statement for text. */
#include <string.h>

#include "hdf/hdf_load.h"
#include "internal/hdf_guard.h"

/* ASCII blank as ClearSilver's SKIPWS sees it (isspace in the C locale). */
static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* A name byte. Bytes >= 0x80 count too: in a locale where isalnum() takes
 * them ClearSilver would, and treating more bytes as name only makes the
 * scan stricter (the operator after them is still seen). */
static int name_byte(char c)
{
	unsigned char u = (unsigned char)c;
	return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
	       (u >= 'A' && u <= 'Z') || c == '_' || c == '.';
}

/* Skips the body of a multi-line value that starts at *p, ended by a
 * chunk that begins with term[0..tl) and a blank. ClearSilver reads the
 * body in chunks of at most mmax-msize-1 bytes (a line or part of one)
 * and grows mmax by 128 as below; the same arithmetic here finds the same
 * end. Counts the newlines passed into *line. */
static void skip_multiline(const char **p, const char *term, size_t tl, int *line)
{
	size_t mmax = 128, msize = 0;
	const char *q = *p;
	for (;;) {
		size_t cap = mmax - msize - 1, x = 0;
		const char *chunk = q;
		while (*q && x < cap) {
			x++;
			if (*q++ == '\n') {
				(*line)++;
				break;
			}
		}
		if (x == 0)
			break;
		if (x > tl && memcmp(chunk, term, tl) == 0 && blank(chunk[tl]))
			break;
		msize += x;
		if (msize + tl + 10 > mmax)
			mmax += 128;
	}
	*p = q;
}

/* The statement of one line [s, end): 0 when fine, else refuses with *why.
 * *depth and stack[] follow `name {` ... `}` nesting. */
static int scan_line(const char *s, const char *end, const char **next, int *line,
		     int *depth, int stack[], int *levels, const char **why)
{
	while (s < end && blank(*s))
		s++;
	if (s == end || *s == '#')
		return 0;              /* blank, comment, #include (each file is scanned) */
	if (*s == '}') {
		if (*levels > 0)
			*depth -= stack[--*levels];
		return 0;
	}
	int parts = 1;
	for (; s < end && name_byte(*s); s++)
		parts += *s == '.';
	while (s < end && blank(*s))
		s++;
	if (s < end && *s == '[')
		return *why = "HDF attributes (a [x] = v) are not supported", -1;
	if (s < end && *s == ':')
		return *why = s + 1 < end && s[1] == '=' ? "HDF copies (a := b) are not allowed"
							 : "HDF links (a : b) are not allowed", -1;
	if (*depth + parts > HDFL_DEPTH_MAX)
		return *why = "nested too deep", -1;
	if (s < end && *s == '{') {
		if (*levels == HDFL_DEPTH_MAX)
			return *why = "nested too deep", -1;
		stack[(*levels)++] = parts;
		*depth += parts;
	} else if (end - s >= 2 && s[0] == '<' && s[1] == '<') {
		const char *t = s + 2, *te = end;
		while (t < te && blank(*t))
			t++;
		while (te > t && blank(te[-1]))
			te--;
		if (te > t)            /* no terminator: ClearSilver refuses the line */
			skip_multiline(next, t, (size_t)(te - t), line);
	}
	return 0;
}

int hdf_guard_scan(const char *text, const char **why)
{
	int line = 0, depth = 0, levels = 0;
	int stack[HDFL_DEPTH_MAX];
	const char *p = text;
	while (*p) {
		const char *eol = strchr(p, '\n');
		const char *end = eol ? eol : p + strlen(p);
		const char *next = eol ? eol + 1 : end;
		int at = ++line;
		if (scan_line(p, end, &next, &line, &depth, stack, &levels, why) != 0)
			return at;
		p = next;
	}
	return 0;
}
