/* portal.fcgi: the FastCGI program.
 *
 *   portal.fcgi [--conf FILE] [--socket PATH] [--workers N] [--check]
 *
 * With --socket it listens on a unix socket (or host:port) and keeps N
 * single-threaded workers alive (a libfcgi worker serves one connection at
 * a time; two per core is the measured sweet spot). Without it, it serves
 * on fd 0 as spawned by spawn-fcgi or Apache's mod_fcgid. SIGTERM or
 * SIGINT stops the workers and removes the socket. */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "accounts/demo.h"
#include "core/log.h"
#include "core/password.h"
#include "worker.h"

#define MAX_WORKERS 64
#define RESPAWN_WINDOW_S 10   /* this many quick deaths in a row means a broken setup */
#define RESPAWN_MAX_QUICK 5

struct options {
	const char *conf;
	const char *socket;
	int workers;
	unsigned socket_mode;
	int check_only;
};

static volatile sig_atomic_t shutting_down;

static void on_stop(int sig)
{
	(void)sig;
	shutting_down = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: portal.fcgi [--conf FILE] [--socket PATH] [--workers N] "
			"[--socket-mode OCTAL] [--check]\n");
	exit(2);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof *o);
	o->workers = 2;
	o->socket_mode = 0660;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--check")) {
			o->check_only = 1;
		} else if (i + 1 < argc && !strcmp(a, "--conf")) {
			o->conf = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--socket")) {
			o->socket = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--workers")) {
			o->workers = atoi(argv[++i]);
			if (o->workers < 1 || o->workers > MAX_WORKERS)
				usage();
		} else if (i + 1 < argc && !strcmp(a, "--socket-mode")) {
			o->socket_mode = (unsigned)strtoul(argv[++i], NULL, 8) & 0777;
		} else {
			usage();
		}
	}
}

static pid_t spawn_worker(const char *conf, int listen_fd)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	signal(SIGINT, SIG_IGN);   /* the master decides when workers stop */
	signal(SIGTERM, SIG_DFL);
	struct app app;
	if (app_init(&app, conf) != 0)
		_exit(3);
	password_warm();
	int rc = worker_run(&app, listen_fd);
	app_free(&app);
	_exit(rc);
}

/* Keeps opts->workers workers running until SIGTERM/SIGINT. */
static int supervise(const struct options *o, int listen_fd)
{
	pid_t pids[MAX_WORKERS] = { 0 };
	time_t started[MAX_WORKERS] = { 0 };
	int quick_deaths = 0;
	for (int i = 0; i < o->workers; i++) {
		pids[i] = spawn_worker(o->conf, listen_fd);
		started[i] = time(NULL);
	}
	log_event(LOG_INFO, NULL, "%d workers listening on %s", o->workers, o->socket);
	while (!shutting_down) {
		int status;
		pid_t dead = waitpid(-1, &status, 0);
		if (dead < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < o->workers; i++) {
			if (pids[i] != dead)
				continue;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
				/* a worker only exits 0 when it was told to stop (a
				 * SIGTERM to the process group): stop them all */
				pids[i] = 0;
				shutting_down = 1;
				break;
			}
			log_event(LOG_WARN, NULL, "worker %ld ended (status %d); starting another",
				  (long)dead, status);
			quick_deaths = time(NULL) - started[i] < RESPAWN_WINDOW_S ? quick_deaths + 1 : 0;
			if (quick_deaths >= RESPAWN_MAX_QUICK) {
				log_event(LOG_ERROR, NULL, "workers keep dying at start; giving up");
				shutting_down = 1;
				break;
			}
			pids[i] = shutting_down ? 0 : spawn_worker(o->conf, listen_fd);
			started[i] = time(NULL);
		}
	}
	for (int i = 0; i < o->workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return quick_deaths >= RESPAWN_MAX_QUICK ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct options o;
	parse_args(argc, argv, &o);

	/* Validate everything once up front so a bad setup fails loudly here
	 * rather than as workers dying in a loop. */
	struct app app;
	if (app_init(&app, o.conf) != 0)
		return 1;
	if (app.cfg.demo_seed && demo_seed(app.store) != PERR_OK)
		return 1;
	app_free(&app);
	if (o.check_only) {
		fprintf(stderr, "configuration ok\n");
		return 0;
	}
	if (FCGX_Init() != 0)
		return 1;
	if (o.socket == NULL) {
		if (app_init(&app, o.conf) != 0)
			return 1;
		int rc = worker_run(&app, 0);
		app_free(&app);
		return rc;
	}

	if (o.socket[0] == '/')
		unlink(o.socket);
	mode_t old = umask(0777 & ~o.socket_mode);
	int fd = FCGX_OpenSocket(o.socket, 128);
	umask(old);
	if (fd < 0) {
		log_event(LOG_ERROR, NULL, "cannot listen on %s", o.socket);
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int rc = supervise(&o, fd);
	if (o.socket[0] == '/')
		unlink(o.socket);
	log_event(LOG_INFO, NULL, "stopped");
	return rc;
}
