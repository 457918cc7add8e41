/* `portalctl [--conf FILE] maillog [--follow] [--host NAME] [FILE|-]`:
 * loads the analyzer's knowledge, reads the log, prints one summary line
 * (on stop too: SIGTERM and SIGINT end a --follow run cleanly). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bounce/bounce.h"
#include "explain/explain.h"
#include "maillog.h"
#include "maillog_run.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* SIGTERM/SIGINT set the stop flag without SA_RESTART, so a blocking
 * read returns and the reader commits and stops. */
static void catch_stop(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

struct args {
	int follow;
	const char *host, *path;
};

/* The arguments, or -1 on a usage error (said on stderr). */
static int parse_args(int argc, char **argv, struct args *a)
{
	a->follow = 0, a->host = NULL, a->path = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--follow") == 0)
			a->follow = 1;
		else if (strcmp(argv[i], "--host") == 0 && i + 1 < argc)
			a->host = argv[++i];
		else if (a->path == NULL && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
			a->path = argv[i];
		else {
			fprintf(stderr, "portalctl: maillog: unexpected argument %s\n", argv[i]);
			return -1;
		}
	}
	if (a->path == NULL)
		a->path = "-";
	return 0;
}

/* Loads the bounce and report knowledge of cfg's data directory. */
static int load_knowledge(const struct config *cfg, struct bounce_knowledge **b, struct explain_knowledge **e)
{
	char path[CONFIG_PATH_MAX], err[512] = "";
	config_data_path(cfg, "db/knowledge", path, sizeof path);
	if (bounce_knowledge_load_err(path, b, err, sizeof err) != PERR_OK) {
		fprintf(stderr, "portalctl: maillog: bounce knowledge %s: %s\n", path, err);
		return -1;
	}
	config_data_path(cfg, "db/knowledge/report.hdf", path, sizeof path);
	if (explain_knowledge_load(path, e, err, sizeof err) != PERR_OK) {
		fprintf(stderr, "portalctl: maillog: report knowledge %s: %s\n", path, err);
		return -1;
	}
	return 0;
}

int maillog_command(const struct config *cfg, struct store *st, int argc, char **argv)
{
	struct args a;
	if (parse_args(argc, argv, &a) != 0)
		return 2;
	char hostname[256] = "";
	if (a.host == NULL && gethostname(hostname, sizeof hostname - 1) == 0)
		a.host = hostname;
	struct bounce_knowledge *bk = NULL;
	struct explain_knowledge *ek = NULL;
	struct maillog_ingest *in = NULL;
	int status = 1;
	if (load_knowledge(cfg, &bk, &ek) != 0)
		goto out;
	struct maillog_env env = { st, bk, ek, &cfg->outgoing_servers, a.host, 0 };
	if (maillog_ingest_new(&env, &in) != PERR_OK)
		goto out;
	catch_stop();
	enum perr rc = maillog_read(in, a.path, a.follow, &stop_flag);
	struct maillog_counts n;
	maillog_ingest_counts(in, &n);
	printf("maillog: %llu lines, %llu malformed, %llu refused or deferred, %llu stored, %llu already stored, "
	       "%llu without sender\n", n.lines, n.malformed, n.deliveries, n.stored, n.duplicates, n.orphans);
	if (rc != PERR_OK)
		fprintf(stderr, "portalctl: maillog: %s: %s\n", a.path, perr_str(rc));
	else
		status = 0;
out:
	maillog_ingest_free(in);
	explain_knowledge_free(ek);
	bounce_knowledge_free(bk);
	return status;
}
