#include "knowledge_isp.h"
#include "log.h"
#include "modules.h"

/* Consumer mail providers: forwards' risk badges and the SMTP advice. */
static int isp_init(struct app *app)
{
	char path[CONFIG_PATH_MAX], err[256] = "";
	struct isp_catalogue *isp = NULL;
	config_data_path(&app->cfg, "db/knowledge/consumer_isps.hdf", path, sizeof path);
	if (isp_catalogue_load(path, &isp, err, sizeof err) != PERR_OK) {
		log_event(LOG_ERROR, NULL, "%s: %s", path, err);
		return 1;
	}
	app->modules[APP_ISP] = isp;
	return 0;
}

int modules_init(struct app *app)
{
	if (isp_init(app) != 0)
		return 1;
	return 0;
}

void modules_free(struct app *app)
{
	isp_catalogue_free(app->modules[APP_ISP]);
	app->modules[APP_ISP] = NULL;
}
