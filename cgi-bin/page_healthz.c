/* GET /healthz: liveness for load balancers and monitoring (JSON). */
#include <jansson.h>

#include "app.h"
#include "http.h"
#include "pages.h"
#include "store/store.h"

void page_healthz(struct request *req)
{
	struct app *app = req->app;
	int db_ok = store_ping(app->store);
	json_t *doc = json_pack("{s:s, s:b, s:i, s:s}",
				"status", db_ok ? "ok" : "degraded",
				"database", db_ok,
				"schema_version", store_schema_version(app->store),
				"version", PORTAL_VERSION);
	http_send_json(req, db_ok ? 200 : 503, doc);
}
