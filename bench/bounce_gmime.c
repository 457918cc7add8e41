/* bench/bounce_gmime: the MIME work the analyzer needs (parse the message,
 * walk every part, decode text and delivery-status bodies to UTF-8), done
 * with GMime 3, against the hand-written layer (bounce_mime_parse) on the
 * same preloaded files. Prints msgs/s for each and the process peak RSS.
 *   build/bench/bounce_gmime gmime|own ROUNDS FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <gmime/gmime.h>

#include "bounce/internal/bounce_mime.h"

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

static size_t total;

static void part_cb(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	(void)parent;
	(void)data;
	if (GMIME_IS_MESSAGE_PART(part)) {
		GMimeMessage *m = g_mime_message_part_get_message((GMimeMessagePart *)part);
		if (m)
			total += strlen(g_mime_object_get_headers((GMimeObject *)m, NULL) ? "h" : "");
		return;
	}
	if (!GMIME_IS_PART(part))
		return;
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	if (!g_mime_content_type_is_type(ct, "text", "*") &&
	    !g_mime_content_type_is_type(ct, "message", "delivery-status"))
		return;
	GMimeDataWrapper *w = g_mime_part_get_content((GMimePart *)part);
	if (w == NULL)
		return;
	GMimeStream *mem = g_mime_stream_mem_new();
	GMimeStream *filt = g_mime_stream_filter_new(mem);
	const char *cs = g_mime_content_type_get_parameter(ct, "charset");
	GMimeFilter *conv = NULL;
	if (cs && g_ascii_strcasecmp(cs, "utf-8") != 0 && g_ascii_strcasecmp(cs, "us-ascii") != 0) {
		conv = g_mime_filter_charset_new(cs, "UTF-8");
		if (conv)
			g_mime_stream_filter_add((GMimeStreamFilter *)filt, conv);
	}
	g_mime_data_wrapper_write_to_stream(w, filt);
	g_mime_stream_flush(filt);
	total += g_mime_stream_length(mem) > 0 ? (size_t)g_mime_stream_length(mem) : 0;
	if (conv)
		g_object_unref(conv);
	g_object_unref(filt);
	g_object_unref(mem);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	int gm = strcmp(argv[1], "gmime") == 0;
	int rounds = atoi(argv[2]);
	int nf = argc - 3;
	char **bufs = calloc((size_t)nf, sizeof *bufs);
	size_t *lens = calloc((size_t)nf, sizeof *lens);
	for (int i = 0; i < nf; i++)
		bufs[i] = slurp(argv[i + 3], &lens[i]);
	if (gm)
		g_mime_init();
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < nf; i++) {
			if (bufs[i] == NULL)
				continue;
			if (gm) {
				GMimeStream *s = g_mime_stream_mem_new_with_buffer(bufs[i], lens[i]);
				GMimeParser *p = g_mime_parser_new_with_stream(s);
				GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
				if (m) {
					g_mime_message_foreach(m, part_cb, NULL);
					g_object_unref(m);
				}
				g_object_unref(p);
				g_object_unref(s);
			} else {
				struct bounce_doc d;
				memset(&d, 0, sizeof d);
				bounce_mime_parse(bufs[i], lens[i], &d);
				total += d.text.len + d.dsn.len;
				bounce_doc_free(&d);
			}
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%s: msgs/s %.0f maxrss_kib %ld (bytes %zu)\n", gm ? "gmime" : "own", (double)nf * rounds / s,
	       ru.ru_maxrss, total);
	return 0;
}
