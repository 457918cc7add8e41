/* bench/bounce_speed: messages per second of the bounce analyzer on one
 * core, files preloaded so only analysis is timed.
 *   build/bench/bounce_speed ROUNDS FILE...
 * Prints "files N rounds R seconds S msgs/s M maxrss_kib K". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bounce/bounce.h"
#include "core/limits.h"

#ifndef PORTAL_DATADIR
#define PORTAL_DATADIR "."
#endif

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc(n > 0 ? (size_t)n : 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int rounds = atoi(argv[1]);
	int nf = argc - 2;
	char **bufs = calloc((size_t)nf, sizeof *bufs);
	size_t *lens = calloc((size_t)nf, sizeof *lens);
	for (int i = 0; i < nf; i++)
		bufs[i] = slurp(argv[i + 2], &lens[i]);
	struct bounce_knowledge *k;
	if (bounce_knowledge_load(PORTAL_DATADIR "/db/knowledge", &k) != PERR_OK)
		return 2;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	long done = 0, bl = 0;
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < nf; i++) {
			struct bounce_result res;
			if (bufs[i] && bounce_analyze_max(k, bufs[i], lens[i], LIMIT_BOUNCE_MAX, &res) == PERR_OK) {
				bl += res.blacklist;
				bounce_result_free(&res);
			}
			done++;
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("files %d rounds %d seconds %.3f msgs/s %.0f maxrss_kib %ld (blacklist %ld)\n", nf, rounds, s,
	       (double)done / s, ru.ru_maxrss, bl);
	bounce_knowledge_free(k);
	for (int i = 0; i < nf; i++)
		free(bufs[i]);
	free(bufs);
	free(lens);
	return 0;
}
