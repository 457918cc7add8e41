/* libFuzzer target: the whole bounce analyzer (MIME layer, DSN and reply
 * finding, every knowledge pattern, the sending server by name, JSON
 * output) on arbitrary bytes, with a site.outgoing_servers map as the
 * portal passes it. The knowledge is loaded once from the source tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bounce/bounce.h"
#include "core/limits.h"
#include "core/servers.h"

#ifndef PORTAL_DATADIR
#define PORTAL_DATADIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct bounce_knowledge *kb;
static struct outgoing_servers ours;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (bounce_knowledge_load(PORTAL_DATADIR "/db/knowledge", &kb) != PERR_OK) {
		fprintf(stderr, "fuzz_bounce: cannot load knowledge\n");
		abort();
	}
	char err[128];
	if (outgoing_servers_parse("mail1.example-host.net=203.0.113.25, mail2=203.0.113.26, relay=2001:db8::25",
	                           &ours, err, sizeof err) != PERR_OK)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bounce_result r;
	if (bounce_analyze_ours(kb, (const char *)data, size, LIMIT_BOUNCE_MAX, &ours, &r) != PERR_OK)
		return 0;
	json_t *j = bounce_result_to_json(&r);
	if (j == NULL)
		abort(); /* every result string must be valid UTF-8 */
	char *s = json_dumps(j, JSON_COMPACT);
	if (s == NULL)
		abort();
	free(s);
	json_decref(j);
	bounce_result_free(&r);
	return 0;
}
