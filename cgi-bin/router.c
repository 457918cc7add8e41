#include <string.h>

#include "http.h"
#include "pages.h"
#include "router.h"

#define M_GET  (1u << HTTP_GET | 1u << HTTP_HEAD)
#define M_POST (1u << HTTP_POST)

struct route {
	const char *pattern;
	unsigned methods;
	page_handler handler;
};

static const struct route routes[] = {
	{ "/", M_GET, page_home },
	{ "/healthz", M_GET, page_healthz },
	{ "/metrics", M_GET, page_metrics },
	{ "/check", M_POST, page_check_post },
	{ "/check", M_GET, page_check_get },
	{ "/r/*", M_GET, page_report },
	{ "/r/*/recheck", M_POST, page_report_recheck },
	{ "/api/v1/check", M_GET, page_api_check },
	{ "/api/v1/reports/*", M_GET, page_api_report },
	{ "/login", M_GET | M_POST, page_login },
	{ "/logout", M_POST, page_logout },
	{ "/forwards", M_GET, page_forwards },
	{ "/forwards/*/toggle", M_POST, page_forward_toggle },
	{ "/admin", M_GET, page_admin },
	{ "/admin/submissions", M_GET, page_submissions },
	{ "/admin/submissions.csv", M_GET, page_submissions_csv },
	{ "/deliveries", M_GET, page_deliveries },
};

/* Matches path against pattern, copying '*' segments into req->args. */
static int match(const char *pattern, const char *path, struct request *req)
{
	int nargs = 0;
	char *buf = req->argbuf;
	size_t room = sizeof req->argbuf;
	while (*pattern && *path) {
		if (*pattern == '*') {
			size_t n = strcspn(path, "/");
			if (n == 0 || n >= room || nargs == ROUTE_MAX_ARGS)
				return 0;
			memcpy(buf, path, n);
			buf[n] = '\0';
			req->args[nargs++] = buf;
			buf += n + 1;
			room -= n + 1;
			path += n;
			pattern++;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	return *pattern == '\0' && *path == '\0';
}

void router_dispatch(struct request *req)
{
	int path_known = 0;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (!match(routes[i].pattern, req->path, req))
			continue;
		path_known = 1;
		if (routes[i].methods & (1u << req->method)) {
			routes[i].handler(req);
			return;
		}
	}
	http_send_error(req, path_known ? 405 : 404);
}
