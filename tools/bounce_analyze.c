/* bounce-analyze: reads bounces from files (or "-" / no argument: stdin)
 * and prints one JSON object per input, one per line (DESIGN §4).
 *
 *   tools/bounce-analyze [--conf FILE] [--knowledge DIR] [--max-bytes N] [FILE...|-]
 *
 * --conf reads the portal's configuration: site.outgoing_servers names
 * our outgoing servers, so that a bounce naming one by its host name
 * reports its address (as the portal does), and limits.bounce_bytes is
 * the size limit unless --max-bytes is given.
 *
 * Exit 0, or 2 when an input could not be read or was refused (its line
 * is then {"input": ..., "error": ...}). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce.h"
#include "core/config.h"
#include "core/limits.h"

#ifndef PORTAL_DATADIR
#define PORTAL_DATADIR "."
#endif

static void usage(void)
{
	fprintf(stderr, "usage: bounce-analyze [--conf FILE] [--knowledge DIR] [--max-bytes N] [FILE...|-]\n");
}

/* Reads at most max + 1 bytes of f into a malloc'ed buffer (caller frees),
 * so that an input over the limit is seen without reading all of it. */
static enum perr slurp(FILE *f, size_t max, char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	if (buf == NULL)
		return PERR_NOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				return PERR_NOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t want = cap - n;
		if (n + want > max + 1)
			want = max + 1 - n;
		if (want == 0)
			break;
		size_t r = fread(buf + n, 1, want, f);
		n += r;
		if (r < want) {
			if (ferror(f)) {
				free(buf);
				return PERR_IO;
			}
			break;
		}
	}
	*out = buf;
	*len = n;
	return PERR_OK;
}

static void print_error(const char *input, const char *msg)
{
	json_t *o = json_pack("{s:s, s:s}", "input", input, "error", msg);
	if (o) {
		json_dumpf(o, stdout, JSON_COMPACT);
		json_decref(o);
	}
	fputc('\n', stdout);
}

/* Analyses one input; returns 0 or 2. */
static int one(const struct bounce_knowledge *k, const struct outgoing_servers *ours, const char *path,
               size_t max)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "bounce-analyze: %s: %s\n", path, strerror(errno));
		print_error(path, "cannot open");
		return 2;
	}
	char *buf = NULL;
	size_t len = 0;
	enum perr e = slurp(f, max, &buf, &len);
	if (f != stdin)
		fclose(f);
	if (e != PERR_OK) {
		fprintf(stderr, "bounce-analyze: %s: %s\n", path, perr_str(e));
		print_error(path, perr_str(e));
		return 2;
	}
	struct bounce_result r;
	e = bounce_analyze_ours(k, buf, len, max, ours, &r);
	free(buf);
	if (e != PERR_OK) {
		fprintf(stderr, "bounce-analyze: %s: %s\n", path, perr_str(e));
		print_error(path, e == PERR_TOO_LARGE ? "input too large" : perr_str(e));
		return 2;
	}
	json_t *j = bounce_result_to_json(&r);
	bounce_result_free(&r);
	if (j == NULL) {
		print_error(path, "out of memory");
		return 2;
	}
	json_dumpf(j, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(j);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = PORTAL_DATADIR "/db/knowledge";
	size_t max = LIMIT_BOUNCE_DEFAULT;
	const char *conf = NULL;
	int max_given = 0;
	int i = 1;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--conf") == 0 && i + 1 < argc) {
			conf = argv[++i];
		} else if (strcmp(argv[i], "--knowledge") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else if (strcmp(argv[i], "--max-bytes") == 0 && i + 1 < argc) {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(argv[++i], &end, 10);
			if (errno || *end || v == 0 || v > LIMIT_BOUNCE_MAX) {
				fprintf(stderr, "bounce-analyze: --max-bytes must be 1..%u\n", LIMIT_BOUNCE_MAX);
				return 2;
			}
			max = (size_t)v;
			max_given = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage();
			return 0;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			usage();
			return 2;
		} else {
			break;
		}
	}
	static struct config cfg; /* large: not on the stack */
	char err[512];
	if (conf != NULL) {
		if (config_load(&cfg, conf, err, sizeof err) != PERR_OK) {
			fprintf(stderr, "bounce-analyze: %s: %s\n", conf, err);
			return 2;
		}
		if (!max_given)
			max = cfg.bounce_limit;
	}
	struct bounce_knowledge *k;
	enum perr e = bounce_knowledge_load_err(dir, &k, err, sizeof err);
	if (e != PERR_OK) {
		fprintf(stderr, "bounce-analyze: knowledge: %s\n", err[0] ? err : perr_str(e));
		return 2;
	}
	int rc = 0;
	if (i >= argc)
		rc = one(k, conf ? &cfg.outgoing_servers : NULL, "-", max);
	for (; i < argc; i++)
		if (one(k, conf ? &cfg.outgoing_servers : NULL, argv[i], max) != 0)
			rc = 2;
	bounce_knowledge_free(k);
	if (fflush(stdout) != 0)
		rc = 2;
	return rc;
}
