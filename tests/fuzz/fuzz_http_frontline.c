/* Fuzz target: one FastCGI request through the worker's own front line
 * (cgi-bin/http.c: http_frontline, then the CGI kit's query, body and
 * cookie parsing in http_parse and the field table), then the cookie
 * reads and the CSRF check every page makes. The request arrives as
 * FastCGI gives it: parameters and a body stream, here in memory.
 *
 * Input: "NAME=VALUE" lines (the FastCGI parameters), an empty line, then
 * the body. Properties: never crashes or leaks; the front line answers 0
 * or one of its documented refusals; an accepted path is one path_ok
 * allows; every valid field passes its validator again; csrf_ok passes
 * only a token from the body for a visitor cookie we issued (the seed
 * corpus holds one signed with this target's key, so that path runs). */
#include <fcgiapp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cgi-bin/app.h"
#include "../../cgi-bin/csrf.h"
#include "../../cgi-bin/fields.h"
#include "../../cgi-bin/http.h"
#include "core/config.h"

#define MAX_PARAMS 64
#define MAX_INPUT (1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct app app;

/* A reader stream over a fixed buffer: EOF once it is used up. */
static void reader_eof(FCGX_Stream *s)
{
	s->isClosed = 1;
}

/* A writer stream that discards what it is given (the answer is not
 * checked here, only that writing it is safe). */
static unsigned char sink[4096];
static void writer_drop(FCGX_Stream *s, int doClose)
{
	s->wrNext = sink;
	if (doClose)
		s->isClosed = 1;
}

static void init_once(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	char err[256];
	if (config_parse(&app.cfg, "db.path = /nonexistent/fuzz.sqlite\n", err, sizeof err) != PERR_OK) {
		fprintf(stderr, "fuzz_http_frontline: %s\n", err);
		abort();
	}
	for (size_t i = 0; i < sizeof app.csrf_key; i++)
		app.csrf_key[i] = (uint8_t)(i * 7 + 1);
}

static int status_known(int s)
{
	static const int known[] = { 0, 400, 411, 413, 414, 415 };
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (s == known[i])
			return 1;
	return 0;
}

/* Splits the input into envp (copies) and the body; returns the count. */
static int split(const char *in, size_t n, char *envp[MAX_PARAMS + 1], const char **body, size_t *body_len)
{
	int k = 0;
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(in + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (in + i)) : n - i;
		if (len == 0) {
			i++;
			break;
		}
		if (k < MAX_PARAMS && memchr(in + i, '=', len) != NULL && memchr(in + i, '\0', len) == NULL)
			envp[k++] = strndup(in + i, len);
		i += len + (nl != NULL);
	}
	envp[k] = NULL;
	*body = in + i;
	*body_len = i <= n ? n - i : 0;
	return k;
}

static void check_fields(struct request *req)
{
	for (int f = 0; f < FIELD__MAX; f++) {
		const struct field_value *v = &req->fields[f];
		if (v->state != FIELD_VALID)
			continue;
		struct field_value again = field_validate((enum field)f, v->value, strlen(v->value),
							  f == FIELD_BOUNCE ? app.cfg.bounce_limit : 0);
		if (again.state != FIELD_VALID)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	init_once();
	char *envp[MAX_PARAMS + 1];
	const char *body;
	size_t body_len;
	int nparams = split((const char *)data, size, envp, &body, &body_len);

	/* the body in a buffer of its own size, so a read past it is caught */
	unsigned char *copy = malloc(body_len ? body_len : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, body, body_len);
	FCGX_Stream in = { 0 }, out = { 0 };
	in.rdNext = in.stopUnget = copy;
	in.stop = copy + body_len;
	in.wrNext = in.stop;
	in.isReader = 1;
	in.fillBuffProc = reader_eof;
	out.rdNext = out.wrNext = out.stopUnget = sink;
	out.stop = sink + sizeof sink;
	out.emptyBuffProc = writer_drop;
	FCGX_Request fr = { 0 };
	fr.in = &in;
	fr.out = fr.err = &out;
	fr.envp = envp;

	struct request req;
	int status = http_frontline(&req, &app, &fr);
	if (!status_known(status))
		abort();
	if (status == 0 && req.path[0] != '/')
		abort();
	if (status == 0 && http_parse(&req) == 0) {
		check_fields(&req);
		(void)http_cookie(&req, "sid");
		(void)http_cookie(&req, "holder");
		csrf_attach(&req, NULL);
		/* a token passes only from the body, for a cookie we issued */
		if (csrf_ok(&req) && (req.csrf_in_query || req.viewer.csrf_fresh ||
				      req.fields[FIELD_CSRF].state != FIELD_VALID))
			abort();
	}
	http_request_end(&req);
	for (int i = 0; i < nparams; i++)
		free(envp[i]);
	free(copy);
	return 0;
}
