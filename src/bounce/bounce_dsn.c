#include "internal/bounce_dsn.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal/bounce_header.h"

/* Copies an unfolded field value without its "type;" prefix (RFC 3464
 * address-type / diagnostic-type / mta-name-type). */
static void put_field(const struct bounce_hdr *h, char *out, size_t outsz)
{
	char tmp[LIMIT_DIAGNOSTIC_BYTES];
	size_t n = bounce_hdr_unfold(h->val, h->vallen, tmp, sizeof tmp);
	const char *v = tmp;
	const char *semi = memchr(tmp, ';', n);
	if (semi != NULL && semi - tmp <= 16 && memchr(tmp, ' ', (size_t)(semi - tmp)) == NULL) {
		v = semi + 1;
		while (*v == ' ')
			v++;
	}
	snprintf(out, outsz, "%s", v);
}

static bool failed(const struct bounce_dsn *d)
{
	return strncasecmp(d->action, "failed", 6) == 0;
}

void bounce_dsn_read(const char *s, size_t n, struct bounce_dsn *d)
{
	struct bounce_dsn cur;
	memset(d, 0, sizeof *d);
	memset(&cur, 0, sizeof cur);
	bool have_best = false;
	const char *p = s, *end = s + n;
	while (p < end) {
		struct bounce_hdr h;
		const char *q = bounce_hdr_next(p, end, &h);
		if (q == NULL) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
			continue;
		}
		p = q;
		if (bounce_hdr_is(&h, "Reporting-MTA")) {
			put_field(&h, d->reporting_mta, sizeof d->reporting_mta);
			continue;
		}
		bool rcpt = bounce_hdr_is(&h, "Final-Recipient") || bounce_hdr_is(&h, "Original-Recipient");
		/* a new recipient group starts when a recipient field repeats */
		if (rcpt && ((bounce_hdr_is(&h, "Final-Recipient") && cur.final_rcpt[0]) ||
		             (bounce_hdr_is(&h, "Original-Recipient") && (cur.orig_rcpt[0] || cur.final_rcpt[0])))) {
			if (!have_best || (!failed(d) && failed(&cur))) {
				char rep[256];
				memcpy(rep, d->reporting_mta, sizeof rep);
				*d = cur;
				memcpy(d->reporting_mta, rep, sizeof rep);
				have_best = true;
			}
			memset(&cur, 0, sizeof cur);
		}
		if (bounce_hdr_is(&h, "Final-Recipient"))
			put_field(&h, cur.final_rcpt, sizeof cur.final_rcpt);
		else if (bounce_hdr_is(&h, "Original-Recipient"))
			put_field(&h, cur.orig_rcpt, sizeof cur.orig_rcpt);
		else if (bounce_hdr_is(&h, "Action"))
			put_field(&h, cur.action, sizeof cur.action);
		else if (bounce_hdr_is(&h, "Status"))
			put_field(&h, cur.status, sizeof cur.status);
		else if (bounce_hdr_is(&h, "Remote-MTA"))
			put_field(&h, cur.remote_mta, sizeof cur.remote_mta);
		else if (bounce_hdr_is(&h, "Diagnostic-Code"))
			put_field(&h, cur.diag, sizeof cur.diag);
		else
			continue;
		cur.found = true;
	}
	if (cur.found && (!have_best || (!failed(d) && failed(&cur)) || (!d->diag[0] && cur.diag[0]))) {
		char rep[256];
		memcpy(rep, d->reporting_mta, sizeof rep);
		*d = cur;
		memcpy(d->reporting_mta, rep, sizeof rep);
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* If a reply code [45]xx starts at s[i] as a token, returns it, else 0.
 * min is the lowest first digit accepted ('2' or '4'). */
static int code_at(const char *s, size_t n, size_t i, char min)
{
	if (i + 3 > n || s[i] < min || s[i] > '5' || s[i] == '3' || !is_digit(s[i + 1]) ||
	    !is_digit(s[i + 2]))
		return 0;
	if (i > 0 && !strchr(" \t\n(:;'\"<>[*", s[i - 1]))
		return 0;
	if (i + 3 < n && !strchr(" \t\n-,)]'\"", s[i + 3]))
		return 0;
	/* "554-2026-11-30", "1-800-550-4210": a number going on after the
	 * dash is a date or a telephone number; a reply's continuation dash
	 * is followed by text or an enhanced status ("550-5.7.1") */
	if (i + 4 < n && s[i + 3] == '-' && is_digit(s[i + 4]) && !(i + 5 < n && s[i + 5] == '.'))
		return 0;
	return (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
}

/* Contexts in which a number is a remote server's reply (or the MTA's
 * own verdict) rather than prose. */
static const char *const reply_markers[] = {
	"said:", "<<<", "remote host said", "smtp error", "error that the other server returned",
	"remote server returned", "reason:", "diagnostic-code:", "refused to talk to me",
	"server replied", "diagnostic code:", "smtp response", "remote-mta", "returned was:",
};

static bool has_marker(const char *line, size_t n)
{
	/* one pass over the line; the markers start with one of "<sredo" */
	for (size_t i = 0; i < n; i++) {
		char c = (char)(line[i] | 0x20);
		if (c != 's' && c != '<' && c != 'r' && c != 'e' && c != 'd' && c != 'o')
			continue;
		for (size_t m = 0; m < sizeof reply_markers / sizeof reply_markers[0]; m++) {
			const char *mk = reply_markers[m];
			if (mk[0] != c)
				continue;
			size_t ml = strlen(mk);
			if (i + ml <= n && strncasecmp(line + i, mk, ml) == 0)
				return true;
		}
	}
	return false;
}

bool bounce_reply_find(const char *s, size_t n, size_t *off, size_t *len)
{
	size_t best = (size_t)-1;
	int best_score = 0;
	const char *p = s, *end = s + n;
	const char *prev = NULL; /* previous line, for markers that end it */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t ll = (size_t)(le - p);
		for (size_t i = 0; i < ll; i++) {
			if (!is_digit(p[i]) || code_at(p, ll, i, '4') == 0)
				continue;
			int score = 1;
			if (has_marker(p, ll) || (prev && has_marker(prev, (size_t)(p - prev))))
				score = 3;
			else if (i < 4)
				score = 2; /* a line that starts with the reply */
			if (score > best_score) {
				best_score = score;
				best = (size_t)(p - s);
			}
			break;
		}
		if (best_score == 3)
			break;
		prev = p;
		p = nl ? nl + 1 : end;
	}
	if (best == (size_t)-1)
		return false;
	/* the paragraph: back to a blank line (at most 8 lines), forward to
	 * the next blank line */
	size_t a = best;
	for (int k = 0; k < 8 && a > 0; k++) {
		size_t b = a - 1; /* the '\n' ending the previous line */
		size_t c = b;
		while (c > 0 && s[c - 1] != '\n')
			c--;
		bool blank = true;
		for (size_t i = c; i < b; i++)
			if (s[i] != ' ' && s[i] != '\t')
				blank = false;
		if (blank)
			break;
		a = c;
	}
	size_t z = best;
	while (z < n) {
		const char *nl = memchr(s + z, '\n', n - z);
		size_t le = nl ? (size_t)(nl - s) : n;
		bool blank = true;
		for (size_t i = z; i < le; i++)
			if (s[i] != ' ' && s[i] != '\t')
				blank = false;
		if (blank)
			break;
		z = nl ? le + 1 : n;
		if (z - a > LIMIT_DIAGNOSTIC_BYTES)
			break;
	}
	*off = a;
	*len = z - a;
	return true;
}

/* The first reply code of class min or above in s[0, n), or 0. */
static int first_code(const char *s, size_t n, char min)
{
	for (size_t i = 0; i < n; i++)
		if (is_digit(s[i])) {
			int c = code_at(s, n, i, min);
			if (c)
				return c;
		}
	return 0;
}

void bounce_reply_parse(const char *s, size_t n, int *code, char status[16])
{
	/* a refusal (4xx/5xx) outranks the 2xx lines of a pasted EHLO
	 * transcript before it; 2xx only when there is nothing else */
	*code = first_code(s, n, '4');
	if (*code == 0)
		*code = first_code(s, n, '2');
	status[0] = '\0';
	for (size_t i = 0; i < n && status[0] == '\0'; i++) {
		if (!is_digit(s[i]))
			continue;
		/* enhanced status: class.subject.detail, not part of a longer
		 * dotted number such as 4.16.55.1 or an IP address */
		if (status[0] == '\0' && (s[i] == '2' || s[i] == '4' || s[i] == '5') && i + 1 < n &&
		    s[i + 1] == '.' && (i == 0 || (!is_digit(s[i - 1]) && s[i - 1] != '.'))) {
			size_t j = i + 2, d1 = 0, d2 = 0;
			while (j < n && is_digit(s[j]) && d1 < 4) {
				j++;
				d1++;
			}
			if (d1 == 0 || d1 > 3 || j >= n || s[j] != '.')
				continue;
			j++;
			while (j < n && is_digit(s[j]) && d2 < 4) {
				j++;
				d2++;
			}
			if (d2 == 0 || d2 > 3 || (j < n && (is_digit(s[j]) || s[j] == '.' ) &&
			                          !(s[j] == '.' && (j + 1 >= n || !is_digit(s[j + 1])))))
				continue;
			size_t sl = j - i;
			memcpy(status, s + i, sl);
			status[sl] = '\0';
			i = j;
		}
	}
}
