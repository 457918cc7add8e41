/* The DNS half of web checks, off the request (issue 13: nobody waits on
 * somebody else's DNS). A worker answers a check at once with the report
 * link and hands the lookups to one of its checks.threads threads; the
 * worker is free for the next request meanwhile. Threads are started on
 * demand, up to checks.threads, when a check finds none idle, and then
 * stay: a worker that never saw a burst costs no more memory than before
 * (each thread costs about 0.7 MiB). Each thread has its own SQLite
 * connection and c-ares checker, made by the worker's main thread (the
 * only one that creates or frees checkers: ares_library_init is not
 * thread-safe); the knowledge is read-only and shared. The queue is
 * bounded: when it is full the caller runs the check itself, as before. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_pool.h"
#include "check_web.h"
#include "core/log.h"
#include "dnsbl/dnsbl.h"
#include "store/store_pending.h"
#include "store/store_reports.h"

#define QUEUE_PER_THREAD 4   /* jobs waiting per thread before callers run their own */

struct check_job {
	struct check_input in;                /* points into the fields below */
	char ticket[128], source[16];
	uint8_t holder[32];
	json_t *doc;                          /* the analysis, owned */
	char ip[CHECK_IP_MAX];
	char token[REPORT_TOKEN_CHARS + 1];
	struct check_job *next;
};

struct check_thread {
	pthread_t id;
	struct store *store;
	struct dnsbl_checker *dnsbl;
	struct check_pool *pool;
	int started;
};

struct check_pool {
	struct app *app;
	pthread_mutex_t mu;
	pthread_cond_t more;
	struct check_job *head, *tail;
	size_t queued, max_queued;
	size_t idle;                          /* threads waiting for a job */
	int stopping;
	size_t n, max;                        /* started, and at most */
	struct check_thread t[];
};

/* Runs one job with thread t's handles and records its end. */
static void run_job(struct check_thread *t, struct check_job *j)
{
	const struct app *app = t->pool->app;
	const struct check_env env = check_web_env(app, t->store, t->dnsbl);
	json_t *out = NULL;
	enum perr rc = check_finish(&env, &j->in, j->doc, j->ip, j->token, &out);
	j->doc = NULL; /* check_finish took it */
	if (rc != PERR_OK)
		log_event(LOG_ERROR, NULL, "check %.8s... failed: %s", j->token, perr_str(rc));
	(void)store_pending_end(t->store, j->token, rc != PERR_OK);
	json_decref(out);
}

/* A thread: takes jobs until the pool stops and the queue is empty. */
static void *thread_main(void *arg)
{
	struct check_thread *t = arg;
	struct check_pool *p = t->pool;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		p->idle++;
		while (p->head == NULL && !p->stopping)
			pthread_cond_wait(&p->more, &p->mu);
		p->idle--;
		struct check_job *j = p->head;
		if (j != NULL) {
			p->head = j->next;
			if (p->head == NULL)
				p->tail = NULL;
			p->queued--;
		}
		pthread_mutex_unlock(&p->mu);
		if (j == NULL) {
			store_reports_thread_end();
			return NULL; /* stopping, nothing left */
		}
		run_job(t, j);
		free(j);
	}
}

/* Opens thread t's own connection and checker. */
static int thread_handles(struct app *app, struct check_thread *t)
{
	char err[512] = "";
	if (store_open(app->cfg.db_path, &t->store) != PERR_OK)
		return -1;
	struct dnsbl_options o;
	dnsbl_options_from_config(&o, &app->cfg, t->store);
	if (dnsbl_checker_new(app->catalogue, &o, &t->dnsbl, err, sizeof err) != PERR_OK) {
		log_event(LOG_ERROR, NULL, "check thread: DNSBL checker: %s", err);
		return -1;
	}
	return 0;
}

int check_pool_start(struct app *app)
{
	size_t n = app->cfg.check_threads;
	if (n == 0)
		return 0;
	struct check_pool *p = calloc(1, sizeof *p + n * sizeof p->t[0]);
	if (p == NULL)
		return -1;
	p->app = app;
	p->max = n;
	p->max_queued = n * QUEUE_PER_THREAD;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->more, NULL);
	app->checks = p;
	return 0;
}

/* Starts one more thread when none is idle and the limit allows; called
 * by the worker's main thread only (it alone touches p->n and the
 * threads' handles). A thread that cannot start is logged: the queued
 * job then waits for a running one, or the next submit runs inline. */
static void maybe_grow(struct check_pool *p)
{
	pthread_mutex_lock(&p->mu);
	int want = p->idle == 0 && p->n < p->max && p->queued > 0;
	pthread_mutex_unlock(&p->mu);
	if (!want)
		return;
	struct check_thread *t = &p->t[p->n];
	t->pool = p;
	if (thread_handles(p->app, t) != 0 || pthread_create(&t->id, NULL, thread_main, t) != 0) {
		log_event(LOG_ERROR, NULL, "cannot start check thread %zu of %zu", p->n + 1, p->max);
		dnsbl_checker_free(t->dnsbl);
		store_close(t->store);
		memset(t, 0, sizeof *t);
		return;
	}
	t->started = 1;
	p->n++;
}

/* Copies what check_finish() reads of in into j. */
static void copy_input(struct check_job *j, const struct check_input *in)
{
	j->in = *in;
	j->in.bounce = NULL;
	j->in.bounce_len = 0;
	j->in.ip = NULL;
	j->in.host = NULL;   /* the request's; check_prepare put it in the doc */
	j->in.analysis = NULL;
	snprintf(j->ticket, sizeof j->ticket, "%s", in->ticket ? in->ticket : "");
	j->in.ticket = in->ticket ? j->ticket : NULL;
	snprintf(j->source, sizeof j->source, "%s", in->source ? in->source : "");
	j->in.source = j->source;
	if (in->holder_hash) {
		memcpy(j->holder, in->holder_hash, sizeof j->holder);
		j->in.holder_hash = j->holder;
	}
}

enum perr check_pool_submit(struct app *app, const struct check_input *in, json_t *doc, const char *ip,
			    const char *token)
{
	struct check_pool *p = app->checks;
	if (p == NULL)
		return PERR_LIMITED;
	struct check_job *j = calloc(1, sizeof *j);
	if (j == NULL)
		return PERR_NOMEM;
	copy_input(j, in);
	j->doc = doc;
	snprintf(j->ip, sizeof j->ip, "%s", ip ? ip : "");
	snprintf(j->token, sizeof j->token, "%s", token);
	pthread_mutex_lock(&p->mu);
	int full = p->stopping || p->queued >= p->max_queued;
	if (!full) {
		if (p->tail)
			p->tail->next = j;
		else
			p->head = j;
		p->tail = j;
		p->queued++;
		pthread_cond_signal(&p->more);
	}
	pthread_mutex_unlock(&p->mu);
	if (full) {
		free(j);
		return PERR_LIMITED; /* doc stays the caller's */
	}
	maybe_grow(p);
	pthread_mutex_lock(&p->mu);
	int orphan = p->n == 0; /* no thread could start: take the job back */
	if (orphan) {
		p->head = p->tail = NULL;
		p->queued = 0;
	}
	pthread_mutex_unlock(&p->mu);
	if (orphan) {
		free(j);
		return PERR_LIMITED;
	}
	return PERR_OK;
}

void check_pool_stop(struct app *app)
{
	struct check_pool *p = app->checks;
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < p->n; i++) {
		if (p->t[i].started)
			pthread_join(p->t[i].id, NULL);
		dnsbl_checker_free(p->t[i].dnsbl);
		store_close(p->t[i].store);
	}
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->mu);
	free(p);
	app->checks = NULL;
}
