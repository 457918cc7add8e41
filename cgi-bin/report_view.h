/* Fills the report page's dataset (report.*, isp.*, selfreport.*) from a
 * stored report and what the visitor may see. */
#ifndef PORTAL_REPORT_VIEW_H
#define PORTAL_REPORT_VIEW_H

#include <jansson.h>
#include <stddef.h>
#include "core/err.h"

struct request;
struct report_stored;
struct view;

enum perr report_view_fill(struct request *req, const struct report_stored *r, json_t *doc, struct view *v);

/* The absolute link to the report for a ticket (site.base_url, else the
 * request's scheme, Host and port): part of the page, so part of its
 * cache key too. */
#define REPORT_LINK_MAX 640   /* site.base_url (CONFIG_TEXT_MAX) + "/r/" + token */
void report_link(struct request *req, const char *token, char *buf, size_t len);

/* What monitoring currently knows about the report's IP, as a short string
 * (ids of its open listings) for the rendered-page cache key. */
#define REPORT_MONITOR_SIG_MAX 200   /* 8 listing ids of up to 20 digits, comma-separated */
void report_monitor_signature(struct request *req, const struct report_stored *r, char *buf, size_t len);

/* The refusal text as this viewer may see it: word for word for the
 * report's holder, with every mail address removed for anyone else (page
 * and API alike). */
#define REPORT_DIAGNOSTIC_MAX 4096   /* the stored diagnostic is at most 2 KiB */
void report_diagnostic(json_t *doc, int holder, char *buf, size_t len);

#endif
