/* portal.fcgi: the FastCGI program.
 *
 *   portal.fcgi [--conf FILE] [--socket PATH] [--workers N] [--socket-mode OCTAL]
 *               [--socket-group GROUP] [--user NAME] [--demo] [--check]
 *
 * With --socket it listens on a unix socket (or host:port) and keeps N
 * single-threaded workers alive (a libfcgi worker serves one connection at
 * a time; two per core is the measured sweet spot). Without it, it serves
 * on fd 0 as spawned by spawn-fcgi or Apache's mod_fcgid. SIGTERM or
 * SIGINT stops the workers and removes the socket.
 *
 * --check loads the configuration and every knowledge file, opens and
 * migrates the database, and exits 0 ("configuration ok") or 1 with the
 * reason: run it after editing db/knowledge/ (docs/knowledge.md).
 * --socket-group hands the socket to the web server's group (0660 by
 * default), so only that group can speak FastCGI to the workers. --user
 * (started as root) makes each worker give up root once it has loaded
 * everything (configuration, templates, knowledge, database), as nginx's
 * workers do; the master only forks and reaps. --demo
 * marks a throw-away stack (make run): without it, demo.seed = 1 logs a
 * loud warning at every start, because the demo passwords are public. */
#include <errno.h>
#include <fcgiapp.h>
#include <grp.h>
#include <pwd.h>
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
/* A worker that dies within RESPAWN_WINDOW_S of its start is a quick death.
 * Workers that cannot even start (exit WORKER_INIT_FAILED) RESPAWN_MAX_QUICK
 * times in a row mean a broken setup: give up. Any other death (a crash
 * while serving, say one bad request repeated) is respawned after a delay
 * that doubles with each quick death, up to RESPAWN_DELAY_MAX_MS: the other
 * workers keep serving and the portal never stops over one request. */
#define RESPAWN_WINDOW_S 10
#define RESPAWN_MAX_QUICK 5
#define RESPAWN_DELAY_MIN_MS 100
#define RESPAWN_DELAY_MAX_MS 5000
#define WORKER_INIT_FAILED 3

struct options {
	const char *conf;
	const char *socket;
	int workers;
	unsigned socket_mode;
	const char *socket_group;
	const char *user;
	uid_t uid;
	gid_t gid;
	int check_only;
	int demo_stack;
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
			"[--socket-mode OCTAL] [--socket-group GROUP] [--user NAME] [--demo] [--check]\n");
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
		} else if (!strcmp(a, "--demo")) {
			o->demo_stack = 1;
		} else if (i + 1 < argc && !strcmp(a, "--user")) {
			o->user = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--socket-group")) {
			o->socket_group = argv[++i];
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

/* Looks up --user once, in the master. Returns 0, or -1 (logged). */
static int resolve_user(struct options *o)
{
	if (o->user == NULL)
		return 0;
	struct passwd *pw = getpwnam(o->user);
	if (pw == NULL) {
		log_event(LOG_ERROR, NULL, "--user %s: no such user", o->user);
		return -1;
	}
	o->uid = pw->pw_uid;
	o->gid = pw->pw_gid;
	return 0;
}

/* Gives up root for good: no supplementary groups, then the group, then
 * the user; checks that root cannot be taken back. Returns 0 or -1. */
static int drop_root(const struct options *o)
{
	if (o->user == NULL || geteuid() != 0)
		return 0;
	if (setgroups(1, &o->gid) != 0 || setgid(o->gid) != 0 || setuid(o->uid) != 0)
		return -1;
	return setuid(0) == 0 ? -1 : 0;
}

static pid_t spawn_worker(const struct options *o, int listen_fd)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	signal(SIGINT, SIG_IGN);   /* the master decides when workers stop */
	signal(SIGTERM, SIG_DFL);
	struct app app;
	if (app_init(&app, o->conf) != 0)
		_exit(WORKER_INIT_FAILED);
	if (drop_root(o) != 0) {
		log_event(LOG_ERROR, NULL, "cannot drop root to user %s", o->user);
		_exit(WORKER_INIT_FAILED);
	}
	password_warm();
	int rc = worker_run(&app, listen_fd);
	app_free(&app);
	_exit(rc);
}

/* Sleeps ms milliseconds unless a stop signal arrives. */
static void pause_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (!shutting_down && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The respawn delay after quick deaths in a row: 0 for the first, then
 * doubling from RESPAWN_DELAY_MIN_MS up to RESPAWN_DELAY_MAX_MS. */
static unsigned respawn_delay_ms(int quick_deaths)
{
	if (quick_deaths <= 1)
		return 0;
	unsigned ms = RESPAWN_DELAY_MIN_MS;
	for (int i = 2; i < quick_deaths && ms < RESPAWN_DELAY_MAX_MS; i++)
		ms *= 2;
	return ms < RESPAWN_DELAY_MAX_MS ? ms : RESPAWN_DELAY_MAX_MS;
}

/* Keeps opts->workers workers running until SIGTERM/SIGINT. Returns 1 when
 * it gave up because workers could not start, else 0. */
static int supervise(const struct options *o, int listen_fd)
{
	pid_t pids[MAX_WORKERS] = { 0 };
	time_t started[MAX_WORKERS] = { 0 };
	int quick_deaths = 0, init_failures = 0;
	for (int i = 0; i < o->workers; i++) {
		pids[i] = spawn_worker(o, listen_fd);
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
			int quick = time(NULL) - started[i] < RESPAWN_WINDOW_S;
			quick_deaths = quick ? quick_deaths + 1 : 0;
			int init_failed = WIFEXITED(status) && WEXITSTATUS(status) == WORKER_INIT_FAILED;
			init_failures = init_failed ? init_failures + 1 : 0;
			if (init_failures >= RESPAWN_MAX_QUICK) {
				log_event(LOG_ERROR, NULL, "workers keep failing to start; giving up");
				shutting_down = 1;
				break;
			}
			unsigned delay = respawn_delay_ms(quick_deaths);
			log_event(LOG_WARN, NULL, "worker %ld ended (status %d); starting another in %u ms",
				  (long)dead, status, delay);
			pause_ms(delay);
			pids[i] = shutting_down ? 0 : spawn_worker(o, listen_fd);
			started[i] = time(NULL);
		}
	}
	for (int i = 0; i < o->workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return init_failures >= RESPAWN_MAX_QUICK ? 1 : 0;
}

/* Gives the socket file to group name (the web server's), keeping its mode.
 * Returns 0, or -1 (logged). */
static int socket_to_group(const char *path, const char *name)
{
	struct group *g = getgrnam(name);
	if (g == NULL) {
		log_event(LOG_ERROR, NULL, "--socket-group %s: no such group", name);
		return -1;
	}
	if (chown(path, (uid_t)-1, g->gr_gid) != 0) {
		log_event(LOG_ERROR, NULL, "cannot give %s to group %s: %s", path, name, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	parse_args(argc, argv, &o);
	if (resolve_user(&o) != 0)
		return 1;

	/* Validate everything once up front so a bad setup fails loudly here
	 * rather than as workers dying in a loop. */
	struct app app;
	if (app_init(&app, o.conf) != 0)
		return 1;
	if (app.cfg.demo_seed && !o.demo_stack)
		log_event(LOG_ERROR, NULL, "WARNING: demo.seed = 1 outside make run: the demo accounts "
			  "(demo, florist, admin) have published passwords. Set demo.seed = 0 in "
			  "production and remove them with portalctl.");
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
	if (o.socket_group && o.socket[0] == '/' && socket_to_group(o.socket, o.socket_group) != 0)
		return 1;
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
