/* Fuzz target: HDF text through the loader path every binary uses
 * (src/hdf/ scan + ClearSilver's hdf_read_string + the field tables):
 * the configuration loader first, then the DNSBL, ISP and report
 * knowledge loaders on the same text. Properties: never crashes (a link
 * cycle used to overflow the stack); a refusal always says why; text the
 * scan refuses is refused by every loader; an accepted configuration
 * keeps its numbers inside their documented ranges. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/knowledge_isp.h"
#include "core/config.h"
#include "core/limits.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "explain/explain.h"
#include "hdf/internal/hdf_guard.h"

#define MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless a loader's answer is consistent with the scan. */
static void check(enum perr rc, const char *err, int refused)
{
	if (rc != PERR_OK && err[0] == '\0')
		abort();
	if (refused && rc == PERR_OK)
		abort();
}

static void check_config(const struct config *cfg)
{
	if (cfg->dns_timeout_ms < 50 || cfg->dns_timeout_ms > LIMIT_DNS_TIMEOUT_MAX ||
	    cfg->body_limit < 1024 || cfg->body_limit > LIMIT_BODY_MAX ||
	    cfg->bounce_limit < 1024 || cfg->bounce_limit > LIMIT_BOUNCE_MAX ||
	    cfg->demo_seed > 1 || cfg->dns_allow_reserved > 1 ||
	    memchr(cfg->db_path, '\0', sizeof cfg->db_path) == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	const char *why = NULL;
	int refused = hdf_guard_scan(text, &why) != 0;
	if (refused && why == NULL)
		abort();

	char err[512] = "";
	struct config cfg;
	enum perr rc = config_parse(&cfg, text, err, sizeof err);
	check(rc, err, refused);
	if (rc == PERR_OK)
		check_config(&cfg);

	struct dnsbl_catalogue *cat = NULL;
	err[0] = '\0';
	check(dnsbl_catalogue_parse(text, &cat, err, sizeof err), err, refused);
	dnsbl_catalogue_free(cat);

	struct isp_catalogue *isp = NULL;
	err[0] = '\0';
	check(isp_catalogue_parse(text, &isp, err, sizeof err), err, refused);
	isp_catalogue_free(isp);

	struct explain_knowledge *k = NULL;
	err[0] = '\0';
	check(explain_knowledge_parse(text, &k, err, sizeof err), err, refused);
	explain_knowledge_free(k);
	free(text);
	return 0;
}
