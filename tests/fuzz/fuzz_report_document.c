/* Fuzz target: the report document reader. Bytes go through the worker's
 * own path for a stored report: json_loadb (as page_report.c's load), then
 * report_view_fill (cgi-bin/report_view.c) with the real knowledge, store
 * and templates (app_init on a scratch database), then the report page is
 * rendered. Nothing here sends network traffic: a report page asks only
 * the store.
 *
 * Properties: never crashes or leaks on any JSON; an object always renders
 * a page; for a visitor who does not hold the report, the refusal text
 * shown never contains the report's recipient address. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cgi-bin/app.h"
#include "../../cgi-bin/http.h"
#include "../../cgi-bin/render.h"
#include "../../cgi-bin/report_view.h"
#include "../../cgi-bin/worker.h"
#include "store/store_reports.h"

#define MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct app app;

/* A scratch database and a configuration naming it; the knowledge and
 * templates come from the checkout (PORTAL_DATA, else the working
 * directory, which is the project root under make test and make fuzz). */
static void init_once(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	char dir[] = "/tmp/fuzz-report-XXXXXX";
	if (mkdtemp(dir) == NULL)
		abort();
	char conf[64], cwd[512];
	const char *data = getenv("PORTAL_DATA");
	if (data == NULL)
		data = getcwd(cwd, sizeof cwd);
	snprintf(conf, sizeof conf, "%s/portal.hdf", dir);
	FILE *f = fopen(conf, "w");
	if (f == NULL || data == NULL)
		abort();
	fprintf(f, "db.path = %s/portal.sqlite\npaths.data = %s\ndns.servers = 127.0.0.1:53\n", dir, data);
	fclose(f);
	if (app_init(&app, conf) != 0)
		abort();
}

/* 1 when s is a plain mail address (the kind the redaction must catch). */
static int plain_address(const char *s)
{
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!(p == at || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return 0;
	return at[1] != '.' && at[1] != '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	init_once();
	json_t *doc = json_loadb((const char *)data, size, 0, NULL);
	if (doc == NULL)
		return 0;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return 0;
	}
	struct request req;
	memset(&req, 0, sizeof req);
	req.app = &app;
	snprintf(req.path, sizeof req.path, "/r/fuzz");
	struct report_stored r;
	memset(&r, 0, sizeof r);
	const char *ip = json_string_value(json_object_get(doc, "ip"));
	if (ip != NULL)
		snprintf(r.ip, sizeof r.ip, "%s", ip);
	r.ip_is_ours = json_is_true(json_object_get(doc, "ip_is_ours"));
	const char *recipient = json_string_value(json_object_get(json_object_get(doc, "bounce"), "recipient"));
	if (recipient == NULL)
		recipient = json_string_value(json_object_get(doc, "recipient"));
	if (recipient != NULL)
		snprintf(r.recipient, sizeof r.recipient, "%s", recipient);

	struct view *v = view_new();
	if (v != NULL) {
		char *html = NULL;
		size_t len = 0;
		if (report_view_fill(&req, &r, doc, v) == PERR_OK &&
		    render_page(app.render, PAGE_REPORT, v, &html, &len) != PERR_OK)
			abort();
		free(html);
		view_free(v);
	}
	char shown[REPORT_DIAGNOSTIC_MAX];
	report_diagnostic(doc, 0, shown, sizeof shown);
	if (recipient != NULL && plain_address(recipient) && strstr(shown, recipient) != NULL)
		abort();
	json_decref(doc);
	return 0;
}
