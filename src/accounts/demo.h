/* Demo data for `make run` (demo.seed = 1): a customer and an admin with
 * known passwords (printed by make run), added once, never overwritten. */
#ifndef PORTAL_DEMO_H
#define PORTAL_DEMO_H

#include "core/err.h"

struct store;

#define DEMO_CUSTOMER_LOGIN "demo"
#define DEMO_CUSTOMER_PASSWORD "demo-customer-pw"
#define DEMO_ADMIN_LOGIN "admin"
#define DEMO_ADMIN_PASSWORD "demo-admin-pw"
#define DEMO_CUSTOMER_NAME "Demo Bakery Ltd"

/* A second customer, so tests can prove one customer never reaches
 * another's forwards. */
#define DEMO_OTHER_LOGIN "florist"
#define DEMO_OTHER_PASSWORD "demo-florist-pw"
#define DEMO_OTHER_NAME "Harbor Florist"
#define DEMO_DOMAIN "demo-bakery.example"
#define DEMO_OTHER_DOMAIN "harbor-florist.example"

/* Demo domains, mailboxes and forwards (some to consumer providers) for
 * both demo customers, and the second customer's login (demo_forwards.c). */
enum perr demo_seed_forwards(struct store *st);

/* Creates the demo rows that are missing. */
enum perr demo_seed(struct store *st);

#endif
