/* The host's own outgoing mail servers by name (site.outgoing_servers =
 * NAME=IP, NAME=IP, ...): which address a bounce means when it names one
 * of our servers only by its host name. Plain data, filled once from the
 * configuration and handed to the bounce analyzer. */
#ifndef PORTAL_SERVERS_H
#define PORTAL_SERVERS_H

#include <stddef.h>

#include "core/err.h"
#include "core/ipaddr.h"

#define SERVERS_MAX     32   /* entries in site.outgoing_servers */
#define SERVER_NAME_MAX 253  /* a DNS name */

struct outgoing_server {
	char name[SERVER_NAME_MAX + 1];  /* lower case, no trailing dot */
	char ip[IPADDR_STR_LEN];         /* canonical text form */
};

struct outgoing_servers {
	struct outgoing_server v[SERVERS_MAX];
	size_t n;
};

/* Parses "NAME=IP, NAME=IP, ..." (white space around items ignored; an
 * empty text is an empty map) into *out. NAME is a host name, or one
 * label such as "mail3". PERR_CONFIG, with the offending item in err,
 * for an item that is not NAME=IP, a NAME that is not a host name, an IP
 * that is not an address, a NAME given twice or more than SERVERS_MAX
 * items; *out is then empty. */
enum perr outgoing_servers_parse(const char *text, struct outgoing_servers *out, char *err,
                                 size_t errlen);

/* The IP of the server called host (compared without case and trailing
 * dot), or NULL. A one-label entry ("mail3") also matches a host whose
 * first label it is ("mail3.example.net"). NULL-safe on servers. */
const char *outgoing_servers_find(const struct outgoing_servers *servers, const char *host);

#endif
