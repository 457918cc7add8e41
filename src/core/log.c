#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *const level_names[LOG__MAX] = { "info", "warn", "error" };

void log_event(enum log_level level, const char *ref, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';

	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s portal[%ld] ref=%s level=%s %s\n", when, (long)getpid(),
		ref ? ref : "-", level_names[level < LOG__MAX ? level : LOG_ERROR], msg);
}

void log_new_ref(char *buf, size_t len)
{
	uint64_t v = 0;
	if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
		v = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	snprintf(buf, len, "%016llx", (unsigned long long)v);
}
