/* Knowledge and checkers a worker loads once: bounce patterns, the DNSBL
 * catalogue and its c-ares checker, consumer ISPs, explanation wording. */
#include "bounce/bounce.h"
#include "dnsbl/dnsbl.h"
#include "explain/explain.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "accounts/knowledge_isp.h"
#include "core/log.h"
#include "modules.h"

static int load_failed(const char *what, const char *path, const char *err)
{
	log_event(LOG_ERROR, NULL, "%s %s: %s", what, path, err[0] ? err : "cannot load");
	return 1;
}

int modules_init(struct app *app)
{
	char path[CONFIG_PATH_MAX], err[512] = "";
	const struct config *cfg = &app->cfg;

	config_data_path(cfg, "db/knowledge/consumer_isps.hdf", path, sizeof path);
	if (isp_catalogue_load(path, &app->isp, err, sizeof err) != PERR_OK)
		return load_failed("ISP catalogue", path, err);

	config_data_path(cfg, "db/knowledge", path, sizeof path);
	if (bounce_knowledge_load_err(path, &app->bounce, err, sizeof err) != PERR_OK)
		return load_failed("bounce knowledge", path, err);

	config_data_path(cfg, "db/knowledge/dnsbl_catalogue.hdf", path, sizeof path);
	if (dnsbl_catalogue_load(path, &app->catalogue, err, sizeof err) != PERR_OK)
		return load_failed("DNSBL catalogue", path, err);
	struct dnsbl_options o;
	dnsbl_options_from_config(&o, cfg, app->store);
	if (dnsbl_checker_new(app->catalogue, &o, &app->dnsbl, err, sizeof err) != PERR_OK)
		return load_failed("DNSBL checker for", cfg->dns_lists[0] ? cfg->dns_lists : "default lists", err);

	config_data_path(cfg, "db/knowledge/report.hdf", path, sizeof path);
	if (explain_knowledge_load(path, &app->explain, err, sizeof err) != PERR_OK)
		return load_failed("report knowledge", path, err);
	return 0;
}

void modules_free(struct app *app)
{
	explain_knowledge_free(app->explain);
	dnsbl_checker_free(app->dnsbl);
	dnsbl_catalogue_free(app->catalogue);
	bounce_knowledge_free(app->bounce);
	isp_catalogue_free(app->isp);
	app->explain = NULL;
	app->dnsbl = NULL;
	app->catalogue = NULL;
	app->bounce = NULL;
	app->isp = NULL;
}
