/* Every page handler. Each answers through http_send_* exactly once. */
#ifndef PORTAL_PAGES_H
#define PORTAL_PAGES_H

struct request;

typedef void (*page_handler)(struct request *req);

void page_home(struct request *req);
void page_healthz(struct request *req);
void page_login(struct request *req);          /* GET, POST /login */
void page_logout(struct request *req);         /* POST /logout */
void page_forwards(struct request *req);       /* GET /forwards */
void page_forward_toggle(struct request *req); /* POST /forwards/<id>/toggle */

#endif
