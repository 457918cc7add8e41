/* Reads conf/portal.hdf-style settings into struct config. */
#include <ClearSilver.h>
#include <stdio.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "limits.h"
#include "hdf/neo_error.h"

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
	cfg->dns_cache_max_s = 3600;
	cfg->dns_health_interval_s = 3600;
	cfg->checks_per_minute = 20;
	cfg->body_limit = LIMIT_BODY_DEFAULT;
	cfg->bounce_limit = LIMIT_BOUNCE_DEFAULT;
	cfg->retention_days = 365;
	cfg->session_hours = 12;
	copy_text(cfg->site_company, sizeof cfg->site_company, "Example Hosting");
	copy_text(cfg->site_support_url, sizeof cfg->site_support_url, "https://support.example.com/");
	copy_text(cfg->site_dedicated_url, sizeof cfg->site_dedicated_url, "https://www.example.com/dedicated-server-quote");
	copy_text(cfg->site_gateway_url, sizeof cfg->site_gateway_url, "https://www.example.com/anti-spam-gateway");
}

/* Reads an unsigned number key within [lo, hi]; leaves *out alone when the
 * key is absent. Returns 0, or -1 with a message when out of range. */
static int read_uint(HDF *hdf, const char *key, unsigned long lo, unsigned long hi,
		     unsigned long *out, char *errbuf, size_t errlen)
{
	const char *v = hdf_get_value(hdf, key, NULL);
	if (v == NULL || *v == '\0')
		return 0;
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || v[0] == '-' || n < lo || n > hi) {
		snprintf(errbuf, errlen, "%s must be a number from %lu to %lu", key, lo, hi);
		return -1;
	}
	*out = n;
	return 0;
}

static int read_text(HDF *hdf, const char *key, char *dst, size_t n, char *errbuf, size_t errlen)
{
	const char *v = hdf_get_value(hdf, key, NULL);
	if (v == NULL)
		return 0;
	if (strlen(v) >= n) {
		snprintf(errbuf, errlen, "%s is too long (at most %zu bytes)", key, n - 1);
		return -1;
	}
	copy_text(dst, n, v);
	return 0;
}

struct uint_key {
	const char *key;
	unsigned long lo, hi;
	size_t offset;
	int is_size;
};

#define UINT_FIELD(k, lo, hi, field) { k, lo, hi, offsetof(struct config, field), 0 }
#define SIZE_FIELD(k, lo, hi, field) { k, lo, hi, offsetof(struct config, field), 1 }

static const struct uint_key uint_keys[] = {
	UINT_FIELD("dns.timeout_ms", 50, LIMIT_DNS_TIMEOUT_MAX, dns_timeout_ms),
	UINT_FIELD("dns.allow_reserved", 0, 1, dns_allow_reserved),
	UINT_FIELD("dns.cache_max_seconds", 0, 86400 * 7, dns_cache_max_s),
	UINT_FIELD("dns.health_interval_seconds", 10, 86400 * 7, dns_health_interval_s),
	UINT_FIELD("checks.per_minute", 0, 100000, checks_per_minute),
	SIZE_FIELD("limits.body_bytes", 1024, LIMIT_BODY_MAX, body_limit),
	SIZE_FIELD("limits.bounce_bytes", 1024, LIMIT_BOUNCE_MAX, bounce_limit),
	UINT_FIELD("reports.retention_days", 1, 36500, retention_days),
	UINT_FIELD("auth.session_hours", 1, 24 * 90, session_hours),
	UINT_FIELD("demo.seed", 0, 1, demo_seed),
	UINT_FIELD("site.behind_tls", 0, 1, trust_proxy_tls),
};

struct text_key {
	const char *key;
	size_t offset, size;
};

#define TEXT_FIELD(k, field) { k, offsetof(struct config, field), sizeof(((struct config *)0)->field) }

static const struct text_key text_keys[] = {
	TEXT_FIELD("db.path", db_path),
	TEXT_FIELD("paths.data", datadir),
	TEXT_FIELD("dns.servers", dns_servers),
	TEXT_FIELD("dns.lists", dns_lists),
	TEXT_FIELD("dns.dqs_key", dns_dqs_key),
	TEXT_FIELD("site.company", site_company),
	TEXT_FIELD("site.support_url", site_support_url),
	TEXT_FIELD("site.dedicated_url", site_dedicated_url),
	TEXT_FIELD("site.gateway_url", site_gateway_url),
	TEXT_FIELD("site.outgoing_ips", site_outgoing_ips),
	TEXT_FIELD("site.outgoing_servers", site_outgoing_servers),
	TEXT_FIELD("site.base_url", site_base_url),
};

enum perr config_load(struct config *cfg, const char *path, char *errbuf, size_t errlen)
{
	set_defaults(cfg);
	if (path == NULL || *path == '\0')
		return PERR_OK;

	HDF *hdf = NULL;
	enum perr rc = neo_hdf_read(&hdf, path, 0, errbuf, errlen);
	if (rc != PERR_OK)
		return rc;
	rc = PERR_CONFIG;
	for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++) {
		const struct text_key *k = &text_keys[i];
		if (read_text(hdf, k->key, (char *)cfg + k->offset, k->size, errbuf, errlen) != 0)
			goto out;
	}
	for (size_t i = 0; i < sizeof uint_keys / sizeof uint_keys[0]; i++) {
		const struct uint_key *k = &uint_keys[i];
		unsigned long v;
		if (k->is_size)
			v = *(size_t *)((char *)cfg + k->offset);
		else
			v = *(unsigned *)((char *)cfg + k->offset);
		if (read_uint(hdf, k->key, k->lo, k->hi, &v, errbuf, errlen) != 0)
			goto out;
		if (k->is_size)
			*(size_t *)((char *)cfg + k->offset) = v;
		else
			*(unsigned *)((char *)cfg + k->offset) = (unsigned)v;
	}
	if (outgoing_servers_parse(cfg->site_outgoing_servers, &cfg->outgoing_servers, errbuf, errlen) != PERR_OK)
		goto out;
	rc = PERR_OK;
out:
	hdf_destroy(&hdf);
	return rc;
}

void config_data_path(const struct config *cfg, const char *rel, char *out, size_t outlen)
{
	if (rel[0] == '/')
		snprintf(out, outlen, "%s", rel);
	else
		snprintf(out, outlen, "%s/%s", cfg->datadir, rel);
}
