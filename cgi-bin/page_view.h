/* The start every HTML page shares: its dataset with the common parts
 * (viewer, CSRF token, site) and its title and navigation entry, and the
 * way a customer-only page sends visitors to the login form. */
#ifndef PORTAL_PAGE_VIEW_H
#define PORTAL_PAGE_VIEW_H

struct request;
struct view;

/* A new page dataset, or NULL after answering 500 (out of memory). */
struct view *page_view_begin(struct request *req, const char *title, const char *nav);

/* 1 when someone is logged in; else redirects to the login form, which
 * comes back to back_to after login, and returns 0. */
int page_require_login(struct request *req, const char *back_to);

#endif
