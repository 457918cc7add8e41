#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check_pool.h"
#include "http.h"
#include "core/log.h"
#include "core/token.h"
#include "modules.h"
#include "render.h"
#include "router.h"
#include "session.h"
#include "store/store_metrics.h"
#include "store/store_postfix.h"
#include "worker.h"

/* Site-wide values every template may show, from configuration. */
static int fill_site(struct app *app)
{
	const struct config *c = &app->cfg;
	return render_site(app->render, "site.company", c->site_company) ||
	       render_site(app->render, "site.support_url", c->site_support_url) ||
	       render_site(app->render, "site.dedicated_url", c->site_dedicated_url) ||
	       render_site(app->render, "site.gateway_url", c->site_gateway_url) ||
	       render_site(app->render, "site.version", PORTAL_VERSION);
}

int app_init(struct app *app, const char *conf_path)
{
	memset(app, 0, sizeof *app);
	char err[512] = "";
	if (config_load(&app->cfg, conf_path, err, sizeof err) != PERR_OK) {
		log_event(LOG_ERROR, NULL, "configuration: %s", err);
		return 1;
	}
	enum perr rc = store_open_with_postfix(app->cfg.db_path, app->cfg.postfix_db_path, &app->store);
	if (rc != PERR_OK) {
		log_event(LOG_ERROR, NULL, "cannot open database %s: %s", app->cfg.db_path, perr_str(rc));
		return 1;
	}
	char keyfile[CONFIG_PATH_MAX + 16];
	snprintf(keyfile, sizeof keyfile, "%s.csrf-key", app->cfg.db_path);
	if ((rc = token_secret_load(keyfile, app->csrf_key)) != PERR_OK) {
		log_event(LOG_ERROR, NULL, "cannot load the CSRF secret %s: %s", keyfile, perr_str(rc));
		return 1;
	}
	char dir[CONFIG_PATH_MAX];
	config_data_path(&app->cfg, "templates", dir, sizeof dir);
	if ((rc = render_open(dir, &app->render)) != PERR_OK || fill_site(app) != 0) {
		log_event(LOG_ERROR, NULL, "cannot load templates from %s: %s", dir, perr_str(rc));
		return 1;
	}
	if (modules_init(app) != 0)
		return 1;
	return 0;
}

void app_free(struct app *app)
{
	token_wipe(app->csrf_key, sizeof app->csrf_key);
	modules_free(app);
	render_close(app->render);
	store_close(app->store);
	memset(app, 0, sizeof *app);
}

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

/* Monotonic microseconds, for request durations. */
static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Serves one request and counts its duration in the shared histogram. */
static void handle(struct app *app, FCGX_Request *fr)
{
	int64_t t0 = mono_us();
	struct request req;
	int status = http_frontline(&req, app, fr);
	if (status == 0)
		status = http_parse(&req);
	if (status != 0) {
		http_send_error(&req, status);   /* logs the refusal with its reference */
	} else {
		session_load(&req);
		router_dispatch(&req);
		if (!req.responded) {
			log_event(LOG_ERROR, req.ref, "handler for %s sent no answer", req.path);
			http_send_error(&req, 500);
		}
	}
	http_request_end(&req);
	(void)store_latency_observe(app->store, mono_us() - t0);
}

int worker_run(struct app *app, int listen_fd)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* threads only now: after fork, with the signal mask they inherit */
	if (check_pool_start(app) != 0)
		log_event(LOG_WARN, NULL, "check threads unavailable: checks run inside the request");
	FCGX_Request fr;
	if (FCGX_InitRequest(&fr, listen_fd, 0) != 0) {
		check_pool_stop(app);
		return 1;
	}
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		handle(app, &fr);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
	check_pool_stop(app);   /* every accepted check still gets its report */
	return 0;
}
