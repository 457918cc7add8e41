/* Fuzz target: the Postfix virtual map parser on arbitrary bytes.
 * Properties: never crashes or leaks; on success every key and destination
 * passes the validators and is lower case, and every entry's line lies
 * within the input; on failure the message names a line inside the input
 * (or none) and is printable ASCII. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/forwards_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count_lines(const uint8_t *d, size_t n)
{
	unsigned lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += d[i] == '\n';
	return lines;
}

static int lower_ascii(const char *s)
{
	for (; *s; s++)
		if ((*s >= 'A' && *s <= 'Z') || (unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwd_map m;
	struct fwd_error e;
	enum perr rc = forwards_parse((const char *)data, size, &m, &e);
	unsigned lines = count_lines(data, size);
	if (rc == PERR_OK) {
		for (size_t i = 0; i < m.n; i++) {
			const struct fwd_entry *x = &m.entries[i];
			if (!forwards_address_ok(x->source) || !lower_ascii(x->source) || x->ndest == 0 ||
			    x->line == 0 || x->line > lines)
				abort();
			for (size_t j = 0; j < x->ndest; j++)
				if (!lower_ascii(x->dest[j]) || strcmp(x->dest[j], x->source) == 0 ||
				    (strchr(x->dest[j], '@') && !forwards_address_ok(x->dest[j])))
					abort();
		}
	} else {
		if (e.line > lines || e.message[0] == '\0')
			abort();
		for (const char *p = e.message; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				abort();
	}
	forwards_map_free(&m);
	return 0;
}
