/* site.outgoing_servers: our outgoing servers by name (servers.h). */
#include "core/servers.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* True when s (n bytes) is a host name: labels of letters, digits and
 * '-' (not at either end), 1-63 bytes each, separated by dots. */
static bool host_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > SERVER_NAME_MAX)
		return false;
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		          (c == '-' && label > 0);
		if (!ok || ++label > 63)
			return false;
	}
	return label > 0 && s[n - 1] != '-';
}

/* Trims white space around s[*a, *z). */
static void trim(const char *s, size_t *a, size_t *z)
{
	while (*a < *z && (s[*a] == ' ' || s[*a] == '\t' || s[*a] == '\n'))
		(*a)++;
	while (*z > *a && (s[*z - 1] == ' ' || s[*z - 1] == '\t' || s[*z - 1] == '\n'))
		(*z)--;
}

/* Parses one "NAME=IP" item (n bytes at s) into *srv. */
static enum perr parse_item(const char *s, size_t n, struct outgoing_server *srv, char *err,
                            size_t errlen)
{
	const char *eq = memchr(s, '=', n);
	size_t na = 0, nz = eq ? (size_t)(eq - s) : 0, ia = nz + 1, iz = n;
	if (eq == NULL) {
		snprintf(err, errlen, "site.outgoing_servers: \"%.*s\" is not NAME=IP", (int)n, s);
		return PERR_CONFIG;
	}
	trim(s, &na, &nz);
	trim(s, &ia, &iz);
	if (nz > na && s[nz - 1] == '.')
		nz--;
	if (!host_name_ok(s + na, nz - na)) {
		snprintf(err, errlen, "site.outgoing_servers: \"%.*s\" is not a host name", (int)(nz - na), s + na);
		return PERR_CONFIG;
	}
	struct ipaddr ip;
	const char *why = NULL;
	if (ipaddr_parse(s + ia, iz - ia, &ip, &why) != PERR_OK) {
		snprintf(err, errlen, "site.outgoing_servers: \"%.*s\" is not an IP address", (int)(iz - ia), s + ia);
		return PERR_CONFIG;
	}
	for (size_t i = 0; i < nz - na; i++) {
		char c = s[na + i];
		srv->name[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	srv->name[nz - na] = '\0';
	ipaddr_format(&ip, srv->ip, sizeof srv->ip);
	return PERR_OK;
}

enum perr outgoing_servers_parse(const char *text, struct outgoing_servers *out, char *err,
                                 size_t errlen)
{
	out->n = 0;
	size_t len = text ? strlen(text) : 0;
	for (size_t a = 0; a < len;) {
		const char *comma = memchr(text + a, ',', len - a);
		size_t z = comma ? (size_t)(comma - text) : len, ta = a, tz = z;
		a = comma ? z + 1 : len;
		trim(text, &ta, &tz);
		if (ta == tz)
			continue;
		if (out->n >= SERVERS_MAX) {
			snprintf(err, errlen, "site.outgoing_servers: more than %d servers", SERVERS_MAX);
			out->n = 0;
			return PERR_CONFIG;
		}
		struct outgoing_server *srv = &out->v[out->n];
		if (parse_item(text + ta, tz - ta, srv, err, errlen) != PERR_OK) {
			out->n = 0;
			return PERR_CONFIG;
		}
		for (size_t i = 0; i < out->n; i++)
			if (strcmp(out->v[i].name, srv->name) == 0) {
				snprintf(err, errlen, "site.outgoing_servers: %s is given twice", srv->name);
				out->n = 0;
				return PERR_CONFIG;
			}
		out->n++;
	}
	return PERR_OK;
}

/* True when entry name is host, or a one-label name that is host's
 * first label. */
static bool name_matches(const char *name, const char *host, size_t hl)
{
	size_t nl = strlen(name);
	if (nl == hl && strncasecmp(name, host, hl) == 0)
		return true;
	return strchr(name, '.') == NULL && nl < hl && host[nl] == '.' && strncasecmp(name, host, nl) == 0;
}

const char *outgoing_servers_find(const struct outgoing_servers *servers, const char *host)
{
	if (servers == NULL || host == NULL)
		return NULL;
	size_t hl = strlen(host);
	while (hl > 0 && host[hl - 1] == '.')
		hl--;
	for (size_t i = 0; i < servers->n; i++)
		if (name_matches(servers->v[i].name, host, hl))
			return servers->v[i].ip;
	return NULL;
}
