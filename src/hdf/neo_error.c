#include <stdio.h>

#include "neo_error.h"

void neo_error_take(NEOERR *err, char *buf, size_t len)
{
	STRING msg;
	string_init(&msg);
	nerr_error_string(err, &msg);
	snprintf(buf, len, "%s", msg.buf && msg.buf[0] ? msg.buf : "unknown ClearSilver error");
	string_clear(&msg);
	nerr_ignore(&err);
}

enum perr neo_hdf_read(HDF **out, const char *src, int is_text, char *errbuf, size_t errlen)
{
	*out = NULL;
	HDF *hdf = NULL;
	NEOERR *err = hdf_init(&hdf);
	if (err == STATUS_OK)
		err = is_text ? hdf_read_string(hdf, src) : hdf_read_file(hdf, src);
	if (err != STATUS_OK) {
		neo_error_take(err, errbuf, errlen);
		hdf_destroy(&hdf);
		return PERR_CONFIG;
	}
	*out = hdf;
	return PERR_OK;
}
