/* Every page handler. Each answers through http_send_* exactly once. */
#ifndef PORTAL_PAGES_H
#define PORTAL_PAGES_H

struct request;

typedef void (*page_handler)(struct request *req);

void page_home(struct request *req);
void page_healthz(struct request *req);
void page_metrics(struct request *req);        /* GET /metrics (loopback or admins) */
void page_check_post(struct request *req);     /* POST /check */
void page_check_get(struct request *req);      /* GET /check?ip=&ticket= */
void page_api_check(struct request *req);      /* GET /api/v1/check?ip= */
void page_report(struct request *req);         /* GET /r/<token> */
void page_report_recheck(struct request *req); /* POST /r/<token>/recheck */
void page_api_report(struct request *req);     /* GET /api/v1/reports/<token> */
void page_login(struct request *req);          /* GET, POST /login */
void page_logout(struct request *req);         /* POST /logout */
void page_forwards(struct request *req);       /* GET /forwards */
void page_forward_toggle(struct request *req); /* POST /forwards/<id>/toggle */
void page_admin(struct request *req);          /* GET /admin (admins; else 404) */
void page_submissions(struct request *req);    /* GET /admin/submissions */
void page_submissions_csv(struct request *req); /* GET /admin/submissions.csv */
void page_deliveries(struct request *req);     /* GET /deliveries (logged in) */

#endif
