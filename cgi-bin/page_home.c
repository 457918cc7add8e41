/* GET /: the check form and what the portal is for. */
#include "app.h"
#include "http.h"
#include "pages.h"

void page_home(struct request *req)
{
	struct view *v = view_new();
	if (v == NULL) {
		http_send_error(req, 500);
		return;
	}
	http_view_common(req, v);
	view_set(v, "page.title", "Is your mail server on a blacklist?");
	view_set(v, "page.nav", "home");
	http_send_page(req, 200, PAGE_HOME, v);
	view_free(v);
}
