/* GET /: the check form and what the portal is for. */
#include <stdlib.h>

#include "app.h"
#include "http.h"
#include "page_cache.h"
#include "pages.h"

void page_home(struct request *req)
{
	/* Anonymous visitors all get the same page but for their CSRF token. */
	int cacheable = req->session == NULL;
	if (cacheable && page_cache_send(req, "home"))
		return;
	struct view *v = view_new();
	if (v == NULL) {
		http_send_error(req, 500);
		return;
	}
	http_view_common(req, v);
	view_set(v, "page.title", "Is your mail server on a blacklist?");
	view_set(v, "page.nav", "home");
	if (!cacheable) {
		http_send_page(req, 200, PAGE_HOME, v);
	} else {
		char *html = NULL;
		size_t len = 0;
		view_set(v, "page.csrf", PAGE_CACHE_CSRF_MARK);
		if (render_page(req->app->render, PAGE_HOME, v, &html, &len) == PERR_OK)
			page_cache_put_send(req, "home", html, len);
		else
			http_send_error(req, 500);
	}
	view_free(v);
}
