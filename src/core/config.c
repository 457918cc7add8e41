/* Reads conf/portal.hdf-style settings into struct config. */
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "config.h"
#include "limits.h"
#include "hdf/hdf_load.h"
#include "time_span.h"

#ifndef PORTAL_DATADIR
#define PORTAL_DATADIR "."
#endif

static void copy_text(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void set_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	copy_text(cfg->db_path, sizeof cfg->db_path, "run/portal.sqlite");
	copy_text(cfg->datadir, sizeof cfg->datadir, PORTAL_DATADIR);
	cfg->dns_timeout_ms = LIMIT_DNS_TIMEOUT_MS;
	cfg->dns_cache_max_s = SECONDS_PER_HOUR;
	cfg->dns_health_interval_s = SECONDS_PER_HOUR;
	cfg->dns_max_inflight = 64;
	cfg->dns_backoff_after = 3;
	cfg->dns_backoff_s = 300;
	cfg->checks_per_minute = 20;
	cfg->check_threads = 64;
	cfg->checks_global_per_minute = 1200;
	cfg->body_limit = LIMIT_BODY_DEFAULT;
	cfg->bounce_limit = LIMIT_BOUNCE_DEFAULT;
	cfg->retention_days = 365;
	cfg->session_hours = 12;
	copy_text(cfg->site_company, sizeof cfg->site_company, "Example Hosting");
	copy_text(cfg->site_support_url, sizeof cfg->site_support_url, "https://support.example.com/");
	copy_text(cfg->site_dedicated_url, sizeof cfg->site_dedicated_url, "https://www.example.com/dedicated-server-quote");
	copy_text(cfg->site_gateway_url, sizeof cfg->site_gateway_url, "https://www.example.com/anti-spam-gateway");
}

#define CFG_UINT(k, lo, hi, m) HDFL_F_UINT(struct config, k, m, lo, hi)
#define CFG_SIZE(k, lo, hi, m) HDFL_F_SIZE(struct config, k, m, lo, hi)
#define CFG_TEXT(k, m) HDFL_F_TEXT(struct config, k, m, 0)

/* Every key of conf/portal.hdf.example. Absent keys keep the defaults
 * above; an empty text value empties the setting, an empty number keeps
 * its default. */
static const struct hdfl_field config_fields[] = {
	CFG_TEXT("db.path", db_path),
	CFG_TEXT("postfix.db_path", postfix_db_path),
	CFG_TEXT("paths.data", datadir),
	CFG_TEXT("dns.servers", dns_servers),
	CFG_TEXT("dns.lists", dns_lists),
	CFG_TEXT("dns.dqs_key", dns_dqs_key),
	CFG_TEXT("dns.budgets", dns_budgets),
	CFG_TEXT("site.company", site_company),
	CFG_TEXT("site.support_url", site_support_url),
	CFG_TEXT("site.dedicated_url", site_dedicated_url),
	CFG_TEXT("site.gateway_url", site_gateway_url),
	CFG_TEXT("site.outgoing_ips", site_outgoing_ips),
	CFG_TEXT("site.outgoing_servers", site_outgoing_servers),
	CFG_TEXT("site.base_url", site_base_url),
	CFG_UINT("dns.timeout_ms", 50, LIMIT_DNS_TIMEOUT_MAX, dns_timeout_ms),
	CFG_UINT("dns.allow_reserved", 0, 1, dns_allow_reserved),
	CFG_UINT("dns.cache_max_seconds", 0, SECONDS_PER_WEEK, dns_cache_max_s),
	CFG_UINT("dns.health_interval_seconds", 10, SECONDS_PER_WEEK, dns_health_interval_s),
	CFG_UINT("dns.max_inflight", 1, 4096, dns_max_inflight),
	CFG_UINT("dns.backoff_after", 1, 1000, dns_backoff_after),
	CFG_UINT("dns.backoff_seconds", 1, SECONDS_PER_DAY, dns_backoff_s),
	CFG_UINT("checks.per_minute", 0, 100000, checks_per_minute),
	CFG_UINT("checks.threads", 0, 256, check_threads),
	CFG_UINT("checks.global_per_minute", 0, 1000000, checks_global_per_minute),
	CFG_SIZE("limits.body_bytes", 1024, LIMIT_BODY_MAX, body_limit),
	CFG_SIZE("limits.bounce_bytes", 1024, LIMIT_BOUNCE_MAX, bounce_limit),
	CFG_UINT("reports.retention_days", 1, 36500, retention_days),
	CFG_UINT("auth.session_hours", 1, 24 * 90, session_hours),
	CFG_UINT("demo.seed", 0, 1, demo_seed),
	CFG_UINT("site.behind_tls", 0, 1, trust_proxy_tls),
};

/* Applies the table to a parsed document and frees it. */
static enum perr apply(struct config *cfg, struct hdfl_doc *doc, enum perr rc, char *errbuf,
		       size_t errlen)
{
	if (rc == PERR_OK) {
		struct hdfl_node root = hdfl_root(doc);
		rc = hdfl_apply(&root, config_fields, sizeof config_fields / sizeof config_fields[0], cfg);
	}
	if (rc == PERR_OK)
		rc = outgoing_servers_parse(cfg->site_outgoing_servers, &cfg->outgoing_servers, errbuf, errlen);
	hdfl_close(doc);
	return rc == PERR_NOMEM ? rc : rc == PERR_OK ? PERR_OK : PERR_CONFIG;
}

enum perr config_load(struct config *cfg, const char *path, char *errbuf, size_t errlen)
{
	set_defaults(cfg);
	if (path == NULL || *path == '\0')
		return PERR_OK;
	struct hdfl_doc *doc = NULL;
	enum perr rc = hdfl_open_file(&doc, path, errbuf, errlen);
	return apply(cfg, doc, rc, errbuf, errlen);
}

enum perr config_parse(struct config *cfg, const char *text, char *errbuf, size_t errlen)
{
	set_defaults(cfg);
	struct hdfl_doc *doc = NULL;
	enum perr rc = hdfl_open_text(&doc, text, "<config>", errbuf, errlen);
	return apply(cfg, doc, rc, errbuf, errlen);
}

void config_data_path(const struct config *cfg, const char *rel, char *out, size_t outlen)
{
	if (rel[0] == '/')
		snprintf(out, outlen, "%s", rel);
	else
		snprintf(out, outlen, "%s/%s", cfg->datadir, rel);
}
