/* For the files of src/maillog only: the pieces the line parser is made of. */
#ifndef PORTAL_MAILLOG_INT_H
#define PORTAL_MAILLOG_INT_H

#include <stddef.h>

#include "../maillog.h"

/* A read position in one line: p[0..n) is what is left. */
struct ml_cursor {
	const char *p;
	size_t n;
};

/* Time stamps (maillog_time.c). Each reads the stamp at the cursor and
 * the one space after it, advances the cursor and stores Unix time in
 * *at. Returns 0 on success, -1 when the bytes are not such a stamp. */
int ml_time_syslog(struct ml_cursor *c, long long now, long long *at);
int ml_time_rfc3339(struct ml_cursor *c, long long *at);
int ml_time_exim(struct ml_cursor *c, long long *at);

/* Unix time of a civil UTC date and time (no range checks). */
long long ml_epoch_utc(int y, int mo, int d, int h, int mi, int s);

/* The message part of a Postfix line (after "prog[pid]: ") into out.
 * Returns PERR_OK or PERR_INVALID (maillog_postfix.c). */
enum perr ml_postfix_message(struct ml_cursor *c, struct maillog_line *out);
/* The rest of an Exim main log line after its time stamp (maillog_exim.c). */
enum perr ml_exim_message(struct ml_cursor *c, struct maillog_line *out);

/* Cursor helpers (maillog_parse.c). */
int ml_skip(struct ml_cursor *c, const char *lit);           /* 1 and advanced when c starts with lit */
size_t ml_span(const struct ml_cursor *c, const char *set);  /* bytes of c in set */
size_t ml_until(const struct ml_cursor *c, char stop);       /* bytes before stop (or all) */
/* Copies n bytes of s into dst (size dstlen), lower case when lower; -1
 * (and dst emptied) when they do not fit or hold a control byte. */
int ml_copy(char *dst, size_t dstlen, const char *s, size_t n, int lower);
/* Copies the reply text (cut at MAILLOG_REPLY_MAX, control bytes made
 * spaces); has_reply is the caller's to set. */
void ml_copy_reply(struct maillog_line *out, const char *s, size_t n);

#endif
