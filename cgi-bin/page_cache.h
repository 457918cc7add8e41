/* A small per-worker cache of rendered pages whose content only depends
 * on stored, immutable data (report snapshots seen by anonymous visitors).
 * The visitor's CSRF token is the one per-visitor part: pages are rendered
 * with PAGE_CACHE_CSRF_MARK in its place and the real token is put in as
 * the page is sent. */
#ifndef PORTAL_PAGE_CACHE_H
#define PORTAL_PAGE_CACHE_H

#include <stddef.h>

struct request;

#define PAGE_CACHE_CSRF_MARK "\x01" "csrf" "\x01"
#define PAGE_CACHE_KEY_MAX 512   /* longer keys are not cached */

/* Sends the cached page for key (200, text/html) with this visitor's CSRF
 * token; returns 0 when key is not cached. */
int page_cache_send(struct request *req, const char *key);

/* Stores html (len bytes, rendered with the marker) under key, then sends
 * it as page_cache_send() would. Takes ownership of html. */
void page_cache_put_send(struct request *req, const char *key, char *html, size_t len);

#endif
