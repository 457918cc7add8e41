#include <stdio.h>

#include "http.h"
#include "page_view.h"
#include "render.h"

struct view *page_view_begin(struct request *req, const char *title, const char *nav)
{
	struct view *v = view_new();
	if (v == NULL) {
		http_send_error(req, 500);
		return NULL;
	}
	http_view_common(req, v);
	view_set(v, "page.title", title);
	view_set(v, "page.nav", nav);
	return v;
}

int page_require_login(struct request *req, const char *back_to)
{
	if (req->session != NULL)
		return 1;
	char location[128];
	snprintf(location, sizeof location, "/login?next=%s", back_to);
	http_redirect(req, location);
	return 0;
}
