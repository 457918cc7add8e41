/* A host name typed in the IP field ("mail.example.com", as bounces and
 * mail clients show servers): resolved through the configured resolver,
 * then checked like the address it names. */
#ifndef PORTAL_CHECK_HOST_H
#define PORTAL_CHECK_HOST_H

#include <stddef.h>

#include "core/ipaddr.h"
#include "dnsbl/dnsbl.h"

struct request;

enum host_outcome {
	HOST_ONE,        /* one address: check it */
	HOST_MANY,       /* several: the customer picks the one that sends */
	HOST_NOT_FOUND,  /* the name has no address */
	HOST_DNS_DOWN,   /* the resolver failed or was silent */
};

struct host_answer {
	char name[254];                                      /* as looked up, lower case */
	char addrs[DNSBL_HOST_ADDRS_MAX][IPADDR_STR_LEN];    /* canonical text */
	size_t n;
};

/* 1 when the IP field failed as an address but holds a host name (the
 * only other thing it may hold), 0 otherwise. */
int check_host_wanted(const struct request *req);

/* The host name the IP field holds (trimmed, lower case, no final dot)
 * into out; 1, or 0 when it holds none (nothing is looked up). */
int check_host_name(const struct request *req, char *out, size_t len);

/* Resolves the IP field's host name into out. Call after the rate limit:
 * it costs DNS queries. */
enum host_outcome check_host_resolve(struct request *req, struct host_answer *out);

/* Marks the IP field invalid with the message for outcome (not found, or
 * the resolver down), for the form shown again. */
void check_host_refuse(struct request *req, enum host_outcome outcome);

#endif
