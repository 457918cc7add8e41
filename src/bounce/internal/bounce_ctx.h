/* The working state one analysis shares between the analyzer's steps
 * (bounce_analyze.c runs them in order): where the rejection is
 * (bounce_locate.c), the gated pattern matcher (bounce_match.c), who sent
 * it (bounce_sender.c) and the verdict (bounce_verdict.c). Internal to
 * the bounce engine; one struct bounce_ctx lives for one bounce_analyze()
 * call and is never shared between threads. */
#ifndef PORTAL_BOUNCE_CTX_H
#define PORTAL_BOUNCE_CTX_H

#include <stdbool.h>
#include <stddef.h>

#include "../bounce.h"
#include "bounce_buf.h"
#include "bounce_dsn.h"
#include "bounce_ip.h"
#include "bounce_mime.h"
#include "knowledge_bounce.h"
#include "core/limits.h"

#define MAX_HITS      48
#define MAX_EXCLUDED  16
#define NREGIONS      8    /* literal scans kept: the rejection + the IP windows */

/* One rule that matched. */
struct bounce_hit {
	const struct kb_rule *rule;
	size_t off;
	bool in_diag;
	int score;
	char ip[BOUNCE_IP_STRLEN];
	char list[128];
	char code[64];
};

struct outgoing_servers;

/* Working state of one analysis. */
struct bounce_ctx {
	const struct bounce_knowledge *k;
	struct bounce_result *r;
	pcre2_match_data *md;
	struct bounce_doc doc;
	struct bounce_dsn dsn;
	const char *notice;          /* notification text without the returned message */
	size_t noticelen;
	const char *embedded_hdr;    /* header block of a returned message inside the text */
	size_t embedded_hdrlen;
	char diag[LIMIT_DIAGNOSTIC_BYTES];
	size_t diaglen;
	struct bounce_buf scan;      /* diag + notice: what the rules read */
	size_t reach;                /* scan[0, reach) is what the verdict rests on */
	pcre2_match_context *mctx;   /* carries the offset limit */
	unsigned next_region;
	unsigned last_region;        /* the region asked for last */
	size_t nhits;
	char excluded[MAX_EXCLUDED][BOUNCE_IP_STRLEN];
	size_t nexcluded;
	char remote_host[256];
	char reporting_host[256];    /* the host that wrote the bounce, lower case, or "" */
	const struct outgoing_servers *ours; /* site.outgoing_servers, or NULL */
	bool oom;
	/* not zeroed: filled as used */
	struct bounce_hit hits[MAX_HITS];
	struct bounce_occs regions[NREGIONS]; /* gate literals found per region of scan */
};

/* ---- bounce_sender.c / bounce_sender_host.c: who sent it ---- */

/* Which side wrote the bounce: the server that tried to deliver (ours,
 * usually) or the receiving side (a provider's own notice). */
enum bounce_reporter { REPORTER_UNKNOWN, REPORTER_SENDER, REPORTER_RECEIVER };

/* True when ip may be reported as the sender: an address, not special
 * purpose, not a receiving server's. */
bool bounce_sender_usable(const struct bounce_ctx *c, const char *ip);
/* True for RFC 1918 / ULA / link-local / CGNAT addresses. */
bool bounce_ip_is_private(const char *ip);
/* True when the Received: value v says a mail program handed the message
 * in (authenticated submission, web mail, a local program): its client is
 * the customer's machine, never a sending server. */
bool bounce_received_is_submission(const char *v);
/* Fills c->reporting_host: Reporting-MTA, Mailer-Daemon@HOST or
 * postmaster@HOST in From, "the mail system at host HOST", or the
 * bounce's own first "Received: by HOST"; "" when none names a host. */
void bounce_find_reporting_host(struct bounce_ctx *c);
/* Which side c->reporting_host is on. A host of site.outgoing_servers
 * sends; a receiving provider's host, or the remote host quoted,
 * receives; otherwise the returned message's topmost Received: line
 * decides (a submission by a mail program to that host: it sends; a
 * server-to-server hop to it: it receives), and a bounce quoting a remote
 * server was written by the sender. */
enum bounce_reporter bounce_reporter_side(const struct bounce_ctx *c);
/* Our outgoing server's address when the bounce names one by its host
 * name (as its writer, or as the client of the returned message's first
 * hop); NULL without a map or a match. Adds evidence. */
const char *bounce_ip_of_our_server(struct bounce_ctx *c);
/* The writer's address, when it is the sending side, from the Received:
 * line of the bounce that names it as the client; else NULL. */
const char *bounce_ip_of_reporting_host(struct bounce_ctx *c, char canon[BOUNCE_IP_STRLEN]);

/* ---- bounce_analyze.c: results ---- */

/* Duplicates s (n bytes) as valid UTF-8. NULL for empty input (not an
 * error) or ENOMEM (sets c->oom). The caller (the result) frees it. */
char *bounce_ctx_dup(struct bounce_ctx *c, const char *s, size_t n);
/* bounce_ctx_dup() of a NUL-terminated string; NULL stays NULL. */
char *bounce_ctx_dup_str(struct bounce_ctx *c, const char *s);
/* Adds a line of evidence ("kind:id: text") to the result. */
void bounce_evidence(struct bounce_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Adds a list name to the result unless present (case-insensitive). */
void bounce_add_list(struct bounce_ctx *c, const char *name);

/* ---- bounce_match.c: the patterns over the text ---- */

/* Copies capture group g of the last match over subj into out (outsz
 * bytes); false if the group is unset, empty or too long. */
bool bounce_capture(struct bounce_ctx *c, const char *subj, uint32_t g, char *out, size_t outsz);
/* Parses a captured address into canonical form; false if it is none. */
bool bounce_capture_ip(const char *cap, char out[BOUNCE_IP_STRLEN]);
/* First match of p in scan[0, n) starting at or after start, reading the
 * gate literals of region [from, n); the match offset or -1. */
long bounce_match_from(struct bounce_ctx *c, const struct kb_pattern *p, size_t from, size_t start,
                       size_t n);
/* bounce_match_from() with the region starting at start. */
long bounce_match_scan(struct bounce_ctx *c, const struct kb_pattern *p, size_t start, size_t n);
/* Ungated match of re over s[0, n) from start; the offset or -1. */
long bounce_match_text(struct bounce_ctx *c, const pcre2_code *re, const char *s, size_t n,
                       size_t start);

/* ---- bounce_locate.c: where the rejection is ---- */

/* Splits the text into the notification and an inline returned message. */
void bounce_find_notice(struct bounce_ctx *c);
/* Chooses the rejection text (c->diag). */
void bounce_find_diagnostic(struct bounce_ctx *c);
/* Runs the rules and sorts the hits, best first. */
void bounce_find_hits(struct bounce_ctx *c);
/* Without a rejection, the decisive rule's line becomes it. */
void bounce_diagnostic_from_hit(struct bounce_ctx *c);

/* ---- bounce_sender.c: the sending and receiving servers ---- */

/* Collects the receiving servers' addresses in scan[from, n). */
void bounce_find_receivers(struct bounce_ctx *c, size_t from, size_t n);
/* Fills r->sending_ip, strongest evidence first (or leaves it NULL). */
void bounce_find_sending_ip(struct bounce_ctx *c);

/* ---- bounce_verdict.c ---- */

/* Reply code and enhanced status of the rejection. */
void bounce_find_codes(struct bounce_ctx *c);
/* Category, provider, code meaning, advice, lists, recipient. */
void bounce_verdict(struct bounce_ctx *c);

#endif
