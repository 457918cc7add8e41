/* Spans of time in seconds, named once. Day numbers throughout the portal
 * (reports.day, the admin filters) are unix time / SECONDS_PER_DAY, UTC. */
#ifndef PORTAL_TIME_SPAN_H
#define PORTAL_TIME_SPAN_H

#define SECONDS_PER_MINUTE 60
#define SECONDS_PER_HOUR   3600
#define SECONDS_PER_DAY    86400
#define SECONDS_PER_WEEK   (7 * SECONDS_PER_DAY)
#define SECONDS_PER_YEAR   (365 * SECONDS_PER_DAY)   /* 31536000: cookie lifetimes */
#define HOURS_PER_DAY      24
#define MINUTES_PER_HOUR   60

/* A span as SQL text, for queries that compute day numbers themselves. */
#define TIME_SPAN_STR_(x) #x
#define TIME_SPAN_SQL(x)  TIME_SPAN_STR_(x)

#endif
