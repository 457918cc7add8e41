/* The reader of `portalctl maillog`: a file or stdin in 64 KiB reads,
 * split into lines; with follow it waits at the end, commits what it has
 * while waiting, and reopens the file when logrotate replaced it (another
 * inode at the path) or cut it (size below what was read). */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "maillog.h"
#include "maillog_run.h"

#define READ_CHUNK   65536
#define FOLLOW_WAIT_MS 250      /* between looks at a file that did not grow */

struct reader {
	int fd;
	int is_stdin;
	off_t offset;                    /* bytes read from this file */
	size_t len;                      /* bytes held in buf */
	int skipping;                    /* inside a line longer than the limit */
	int rotated;                     /* the path names a new file: read the old one to its end first */
	struct timespec mtime;           /* the file's change time when its end was reached */
	char buf[MAILLOG_LINE_MAX + 2 + READ_CHUNK];
};

/* Hands every complete line of r->buf to in and keeps the tail. A line
 * longer than MAILLOG_LINE_MAX is counted once as malformed and skipped. */
static enum perr drain(struct reader *r, struct maillog_ingest *in, int final)
{
	size_t start = 0;
	while (start < r->len) {
		char *nl = memchr(r->buf + start, '\n', r->len - start);
		if (nl == NULL && !final)
			break;
		size_t end = nl ? (size_t)(nl - r->buf) + 1 : r->len;
		if (!r->skipping) {
			enum perr rc = maillog_ingest_line(in, r->buf + start, end - start);
			if (rc != PERR_OK)
				return rc;
		}
		r->skipping = 0;
		start = end;
	}
	memmove(r->buf, r->buf + start, r->len - start);
	r->len -= start;
	if (r->len > MAILLOG_LINE_MAX + 1) {
		/* no newline within the limit: one malformed line, skip to its end */
		enum perr rc = maillog_ingest_line(in, r->buf, r->len);
		r->len = 0;
		r->skipping = 1;
		return rc;
	}
	return PERR_OK;
}

/* 1 when path now names another file than r->fd (rotation), a shorter
 * one, or one rewritten to the same length since its end was reached
 * (copytruncate followed by as many bytes as before). */
static int replaced(const struct reader *r, const char *path)
{
	struct stat now, open_st;
	if (stat(path, &now) != 0 || fstat(r->fd, &open_st) != 0)
		return 0;   /* between rename and create: keep the old one */
	if (now.st_ino != open_st.st_ino || now.st_dev != open_st.st_dev || now.st_size < r->offset)
		return 1;
	return now.st_size == r->offset && (now.st_mtim.tv_sec != r->mtime.tv_sec ||
					    now.st_mtim.tv_nsec != r->mtime.tv_nsec);
}

static void nap(void)
{
	struct timespec ts = { 0, FOLLOW_WAIT_MS * 1000000L };
	nanosleep(&ts, NULL);
}

/* 1 when reading fd now would block (nothing written yet). */
static int would_block(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return poll(&p, 1, 0) == 0;
}

/* At the end of the data: 1 to read again, 0 to stop. Follows rotation. */
static int at_end(struct reader *r, struct maillog_ingest *in, const char *path, int follow,
		  volatile sig_atomic_t *stop)
{
	if (!follow || r->is_stdin || (stop && *stop))
		return 0;
	if (!r->rotated) {
		struct stat sb;
		if (fstat(r->fd, &sb) == 0)
			r->mtime = sb.st_mtim;
		maillog_ingest_flush(in);
		nap();
		/* a writer may still append to the renamed file: one more read
		 * of it before the new one is opened */
		r->rotated = replaced(r, path);
		return !(stop && *stop);
	}
	r->rotated = 0;
	/* the old file is read to its end: what is left is its last line */
	drain(r, in, 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return !(stop && *stop);
	close(r->fd);
	r->fd = fd;
	r->offset = 0;
	log_event(LOG_INFO, NULL, "maillog: %s was rotated or truncated: reading it from the start", path);
	return !(stop && *stop);
}

enum perr maillog_read(struct maillog_ingest *in, const char *path, int follow, volatile sig_atomic_t *stop)
{
	static struct reader r;   /* the buffer is large: not on the stack */
	memset(&r, 0, offsetof(struct reader, buf));
	r.is_stdin = strcmp(path, "-") == 0;
	r.fd = r.is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0)
		return PERR_IO;
	enum perr rc = PERR_OK;
	for (;;) {
		if (stop && *stop)
			break;
		if (r.is_stdin && would_block(r.fd))
			maillog_ingest_flush(in);   /* a pipe that went quiet: commit */
		ssize_t got = read(r.fd, r.buf + r.len, READ_CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = PERR_IO;
			break;
		}
		if (got == 0) {
			if (at_end(&r, in, path, follow, stop))
				continue;
			break;
		}
		r.len += (size_t)got;
		r.offset += got;
		if ((rc = drain(&r, in, 0)) != PERR_OK)
			break;
	}
	if (rc == PERR_OK)
		rc = drain(&r, in, 1);
	if (!r.is_stdin)
		close(r.fd);
	enum perr frc = maillog_ingest_flush(in);
	return rc != PERR_OK ? rc : frc;
}
