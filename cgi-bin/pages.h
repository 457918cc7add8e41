/* Every page handler. Each answers through http_send_* exactly once. */
#ifndef PORTAL_PAGES_H
#define PORTAL_PAGES_H

struct request;

typedef void (*page_handler)(struct request *req);

void page_home(struct request *req);
void page_healthz(struct request *req);

#endif
