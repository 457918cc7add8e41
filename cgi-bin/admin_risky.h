/* The dashboard's list of risky forwards that are on, with their
 * customers (admin_risky.c). */
#ifndef PORTAL_ADMIN_RISKY_H
#define PORTAL_ADMIN_RISKY_H

struct request;
struct view;

#define ADMIN_RISKY_SHOWN 100   /* forwards listed; the count says if there are more */

/* Sets admin.risky.N.{customer,address,destination,provider,id} for every
 * forward that is on and goes to a provider whose spam clicks count
 * against us (at most ADMIN_RISKY_SHOWN), and admin.risky_count. */
void admin_risky_fill(struct request *req, struct view *v);

#endif
