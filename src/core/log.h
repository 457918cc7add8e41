/* One line per event on stderr (nginx/systemd collect it):
 *   2026-11-27T19:40:14Z portal[1234] ref=5f2c... level=error msg...
 * Never pass passwords, session tokens, DQS keys or whole bounce bodies. */
#ifndef PORTAL_LOG_H
#define PORTAL_LOG_H

#include <stddef.h>

enum log_level { LOG_INFO, LOG_WARN, LOG_ERROR, LOG__MAX };

/* Writes one line; ref may be NULL. Newlines and control bytes in the
 * formatted message are replaced so one event stays one line. */
void log_event(enum log_level level, const char *ref, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fills buf (>= 17 bytes) with a fresh 16-hex-digit reference id. */
void log_new_ref(char *buf, size_t len);

#endif
