/* Every fixed limit of the portal, in one place. Limits that an operator
 * may tune are settings (conf/portal.hdf.example); these are their defaults
 * and the hard ceilings that settings cannot exceed. */
#ifndef PORTAL_LIMITS_H
#define PORTAL_LIMITS_H

#define LIMIT_BODY_DEFAULT      (256u * 1024)  /* request body, bytes (limits.body_bytes) */
#define LIMIT_BODY_MAX          (4u * 1024 * 1024)
#define LIMIT_BOUNCE_DEFAULT    (200u * 1024)  /* pasted bounce, bytes (limits.bounce_bytes) */
#define LIMIT_BOUNCE_MAX        (10u * 1024 * 1024)
#define LIMIT_PATH_BYTES        1024           /* request path */
#define LIMIT_QUERY_BYTES       4096           /* query string */
#define LIMIT_COOKIE_BYTES      4096           /* Cookie header */
#define LIMIT_FORM_PARAMS       256            /* name=value pairs in query + body (the CGI kit is quadratic in repeated names) */
#define LIMIT_FIELD_SHORT       256            /* login, ip, ticket, ... */
#define LIMIT_TICKET_CHARS      32             /* ticket reference [A-Za-z0-9-] */
#define LIMIT_DNS_TIMEOUT_MS    3000           /* default total DNS deadline */
#define LIMIT_DNS_TIMEOUT_MAX   30000
#define LIMIT_DNS_LISTS_MAX     128            /* lists queried in one check */
#define LIMIT_IPS_PER_CLI_RUN   100000         /* IPs blcheck reads from stdin */
#define LIMIT_DIAGNOSTIC_BYTES  2048           /* stored diagnostic text of a report */
#define LIMIT_BOUNCE_SCAN_BYTES (4u * 1024)    /* notification text the bounce patterns read */

/* Login throttling (docs/forwards.md "Login throttling"). Failures are
 * counted per (account, client network) with exponential back-off, and
 * per client network across accounts; never per account alone, so nobody
 * elsewhere can lock an account. A client network is an IPv4 address or
 * an IPv6 /64 (LIMIT_CLIENT_V6_BITS). */
#define LIMIT_LOGIN_FAILS_ACCOUNT 5           /* failures per account and network before a lock */
#define LIMIT_LOGIN_PAIR_WINDOW_S (24 * 3600) /* their window: a day */
#define LIMIT_LOGIN_BACKOFF_S   30            /* first lock after them, doubling per failure */
#define LIMIT_LOGIN_FAILS_CLIENT 20           /* failed logins per network across accounts */
#define LIMIT_LOGIN_WINDOW_S    900            /* the per-network window, seconds */
#define LIMIT_LOGIN_LOCK_S      900            /* longest lock (Retry-After), and the per-network one */
#define LIMIT_CLIENT_V6_BITS    64             /* one IPv6 client is its /64 */
#define LIMIT_AUDIT_KEEP_DAYS   730            /* forward audit lines kept by portalctl purge */
#define LIMIT_AUDIT_SHOWN       50             /* audit lines under the forwards list */

#endif
