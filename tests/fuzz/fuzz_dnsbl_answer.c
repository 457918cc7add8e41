/* Fuzz target: dnsbl_answer_parse on arbitrary bytes (what a hostile or
 * broken DNS server could send back through c-ares). Properties: never
 * crashes or reads out of bounds; the result is bounded and its TXT is
 * NUL-terminated printable ASCII. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl/dnsbl_answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy so ASan catches reads past the message end. */
	uint8_t *copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	struct dnsbl_answer a;
	enum perr rc = dnsbl_answer_parse(copy, size, &a);
	free(copy);
	if (rc != PERR_OK && rc != PERR_INVALID)
		abort();
	if (a.na > DNSBL_ANSWER_A_MAX || a.rcode < 0 || a.rcode > 15)
		abort();
	size_t len = strnlen(a.txt, sizeof a.txt);
	if (len == sizeof a.txt)
		abort();
	for (size_t i = 0; i < len; i++)
		if (a.txt[i] < 0x20 || a.txt[i] > 0x7e)
			abort();
	if (a.ttl > 0x7fffffffu)
		abort();
	return 0;
}
