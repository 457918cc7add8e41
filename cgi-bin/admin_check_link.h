/* The dashboard's prefilled-check link builder (admin_check_link.c). */
#ifndef PORTAL_ADMIN_CHECK_LINK_H
#define PORTAL_ADMIN_CHECK_LINK_H

struct request;
struct view;

/* With ?ip= (and ?ticket=) on /admin: sets admin.link.url, the link
 * /check?ip=&ticket= on this site, or admin.link.error. */
void admin_check_link_fill(struct request *req, struct view *v);

#endif
