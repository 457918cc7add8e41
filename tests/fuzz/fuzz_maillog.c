/* Fuzz target: maillog_parse and the joiner on arbitrary bytes, one line
 * per "\n". Properties: never crashes; a refused line leaves nothing to
 * join; what parses has NUL-terminated fields within their limits and a
 * known event and status; the joiner stays within its fixed size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "maillog/maillog.h"

#define FUZZ_JOIN_ENTRIES 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks the invariants of one parsed line. */
static void check_line(const struct maillog_line *l)
{
	if ((unsigned)l->event >= MAILLOG_EV__MAX || (unsigned)l->status >= MAILLOG_ST__MAX ||
	    (unsigned)l->format >= MAILLOG_FMT__MAX)
		abort();
	if (strlen(l->host) > MAILLOG_HOST_MAX || strlen(l->qid) > MAILLOG_QID_MAX ||
	    strlen(l->addr) > MAILLOG_ADDR_MAX || strlen(l->relay) > MAILLOG_RELAY_MAX ||
	    strlen(l->dsn) > MAILLOG_DSN_MAX || strlen(l->reply) > MAILLOG_REPLY_MAX)
		abort();
	if (l->event == MAILLOG_EV_TO && l->status == MAILLOG_ST_NONE)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct maillog_clock clk = { 1796385600LL, "fuzz" };
	struct maillog_joiner *j;
	if (maillog_joiner_new(FUZZ_JOIN_ENTRIES, &j) != PERR_OK)
		abort();
	struct maillog_line *l = malloc(sizeof *l);
	if (l == NULL)
		abort();
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (maillog_parse(p, n, &clk, l) == PERR_OK) {
			check_line(l);
			struct maillog_delivery d;
			if (maillog_join(j, l, &d)) {
				if (d.to != l || strlen(d.sender) > MAILLOG_ADDR_MAX)
					abort();
				char dsn[4096];
				size_t k = maillog_dsn_text(l->host, l->addr, l->relay, l->dsn,
							    maillog_status_str(l->status), l->reply, dsn, sizeof dsn);
				if (k != strlen(dsn))
					abort();
			}
		}
		p += n;
	}
	struct maillog_join_stats st;
	size_t live;
	maillog_join_stats(j, &st, &live);
	if (live > FUZZ_JOIN_ENTRIES)
		abort();
	free(l);
	maillog_joiner_free(j);
	return 0;
}
