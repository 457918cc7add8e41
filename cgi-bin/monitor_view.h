/* What monitoring knows about our outgoing servers, as page data: the
 * home page's incident notice and a report without a server both show
 * it. */
#ifndef PORTAL_MONITOR_VIEW_H
#define PORTAL_MONITOR_VIEW_H

#include <stddef.h>

struct request;
struct view;

/* Sets PREFIX.N.{ip,lists,since} for each of our servers listed right
 * now (lists: the list names joined by ", "; since: its oldest open
 * listing). Returns how many servers; 0 also when the store fails. */
size_t monitor_view_servers(struct request *req, struct view *v, const char *prefix);

#endif
