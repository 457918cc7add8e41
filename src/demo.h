/* Demo data for `make run` (demo.seed = 1): a customer and an admin with
 * known passwords (printed by make run), added once, never overwritten. */
#ifndef PORTAL_DEMO_H
#define PORTAL_DEMO_H

#include "err.h"

struct store;

#define DEMO_CUSTOMER_LOGIN "demo"
#define DEMO_CUSTOMER_PASSWORD "demo-customer-pw"
#define DEMO_ADMIN_LOGIN "admin"
#define DEMO_ADMIN_PASSWORD "demo-admin-pw"
#define DEMO_CUSTOMER_NAME "Demo Bakery Ltd"

/* Creates the demo rows that are missing. */
enum perr demo_seed(struct store *st);

#endif
