/* libFuzzer target: the hand-written MIME layer alone (line endings,
 * headers, multipart walk, base64/QP/HTML/charset decoding), plus the IP
 * finder and the DSN/reply readers over its output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/internal/bounce_dsn.h"
#include "bounce/internal/bounce_ip.h"
#include "bounce/internal/bounce_mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bounce_doc doc;
	memset(&doc, 0, sizeof doc);
	if (bounce_mime_parse((const char *)data, size, &doc) == PERR_OK) {
		struct bounce_dsn dsn;
		struct bounce_ip ips[8];
		const struct bounce_buf *bufs[] = {&doc.text, &doc.dsn, &doc.rethdr, &doc.tophdr};
		for (size_t i = 0; i < 4; i++) {
			const char *p = bufs[i]->p ? bufs[i]->p : "";
			size_t off, len;
			bounce_dsn_read(p, bufs[i]->len, &dsn);
			bounce_ip_find(p, bufs[i]->len, ips, 8);
			if (bounce_reply_find(p, bufs[i]->len, &off, &len) && off + len > bufs[i]->len)
				abort();
		}
	}
	bounce_doc_free(&doc);
	return 0;
}
