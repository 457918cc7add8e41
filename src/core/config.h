/* The portal's settings, read once from an HDF file (conf/portal.hdf.example
 * documents every key). Keys named in docs/ARCHITECTURE.md "contracts" are
 * fixed: db.path, dns.servers, dns.timeout_ms, dns.lists, dns.allow_reserved,
 * checks.per_minute, site.outgoing_ips, site.outgoing_servers, demo.seed. */
#ifndef PORTAL_CONFIG_H
#define PORTAL_CONFIG_H

#include <stddef.h>
#include "err.h"
#include "servers.h"

#define CONFIG_PATH_MAX 1024
#define CONFIG_TEXT_MAX 512
#define CONFIG_LIST_MAX 4096

struct config {
	char db_path[CONFIG_PATH_MAX];        /* db.path */
	char postfix_db_path[CONFIG_PATH_MAX]; /* postfix.db_path: Postfix's own copy; "" = none */
	char datadir[CONFIG_PATH_MAX];        /* paths.data: holds db/ and templates/ */
	char dns_servers[CONFIG_TEXT_MAX];    /* dns.servers: "host:port,..."; "" = system */
	unsigned dns_timeout_ms;              /* dns.timeout_ms */
	char dns_lists[CONFIG_LIST_MAX];      /* dns.lists: zones; "" = catalogue defaults */
	unsigned dns_allow_reserved;              /* dns.allow_reserved */
	char dns_dqs_key[CONFIG_TEXT_MAX];    /* dns.dqs_key: Spamhaus DQS key, secret */
	unsigned dns_cache_max_s;             /* dns.cache_max_seconds */
	unsigned dns_health_interval_s;       /* dns.health_interval_seconds */
	unsigned dns_max_inflight;            /* dns.max_inflight */
	unsigned dns_backoff_after;           /* dns.backoff_after */
	unsigned dns_backoff_s;               /* dns.backoff_seconds */
	char dns_budgets[CONFIG_LIST_MAX];    /* dns.budgets: "zone=N,..." queries a day */
	unsigned checks_per_minute;           /* checks.per_minute; 0 = unlimited */
	unsigned checks_global_per_minute;    /* checks.global_per_minute: everyone together; 0 = none */
	unsigned check_threads;               /* checks.threads: per worker; 0 = checks run inline */
	size_t body_limit;                    /* limits.body_bytes */
	size_t bounce_limit;                  /* limits.bounce_bytes */
	unsigned retention_days;              /* reports.retention_days */
	unsigned session_hours;               /* auth.session_hours */
	char site_company[CONFIG_TEXT_MAX];   /* site.company */
	char site_support_url[CONFIG_TEXT_MAX];   /* site.support_url */
	char site_dedicated_url[CONFIG_TEXT_MAX]; /* site.dedicated_url */
	char site_gateway_url[CONFIG_TEXT_MAX];   /* site.gateway_url */
	char site_outgoing_ips[CONFIG_LIST_MAX];  /* site.outgoing_ips */
	char site_outgoing_servers[CONFIG_LIST_MAX]; /* site.outgoing_servers: NAME=IP, ... */
	struct outgoing_servers outgoing_servers; /* ... parsed */
	char site_base_url[CONFIG_TEXT_MAX];      /* site.base_url: for report links */
	unsigned demo_seed;                       /* demo.seed */
	unsigned trust_proxy_tls;                 /* site.behind_tls: cookies get Secure */
};

/* Fills *cfg with defaults, then overrides them from the HDF file at path
 * (NULL or "" = defaults only). Returns PERR_CONFIG with a message in
 * errbuf when a value is out of range or the file does not parse. */
enum perr config_load(struct config *cfg, const char *path, char *errbuf, size_t errlen);

/* The same from HDF text in memory (tests, fuzzing); "<config>" names it
 * in messages. */
enum perr config_parse(struct config *cfg, const char *text, char *errbuf, size_t errlen);

/* Joins cfg->datadir and a relative path ("db/knowledge") into out. */
void config_data_path(const struct config *cfg, const char *rel, char *out, size_t outlen);

#endif
