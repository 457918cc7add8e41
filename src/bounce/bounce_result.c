/* Names of the bounce enums and the release of a result. */
#include <stdlib.h>
#include <string.h>

#include "bounce.h"

static const char *const category_names[BOUNCE_CAT__MAX] = {
	[BOUNCE_CAT_OTHER] = "other",
	[BOUNCE_CAT_BLACKLIST] = "blacklist",
	[BOUNCE_CAT_REPUTATION] = "reputation",
	[BOUNCE_CAT_POLICY] = "policy",
	[BOUNCE_CAT_CONTENT] = "content",
	[BOUNCE_CAT_AUTH] = "auth",
	[BOUNCE_CAT_RECIPIENT] = "recipient",
	[BOUNCE_CAT_MAILBOX] = "mailbox",
};

static const char *const provider_names[BOUNCE_PROV__MAX] = {
	[BOUNCE_PROV_OTHER] = "other",
	[BOUNCE_PROV_AOL] = "aol",
	[BOUNCE_PROV_COMCAST] = "comcast",
	[BOUNCE_PROV_MICROSOFT] = "microsoft",
	[BOUNCE_PROV_YAHOO] = "yahoo",
	[BOUNCE_PROV_GMAIL] = "gmail",
	[BOUNCE_PROV_ATT] = "att",
	[BOUNCE_PROV_COX] = "cox",
	[BOUNCE_PROV_APPLE] = "apple",
	[BOUNCE_PROV_PROOFPOINT] = "proofpoint",
	[BOUNCE_PROV_BARRACUDA] = "barracuda",
	[BOUNCE_PROV_TRENDMICRO] = "trendmicro",
	[BOUNCE_PROV_CLOUDMARK] = "cloudmark",
	[BOUNCE_PROV_MIMECAST] = "mimecast",
};

const char *bounce_category_str(enum bounce_category c)
{
	return (unsigned)c < BOUNCE_CAT__MAX ? category_names[c] : "other";
}

const char *bounce_provider_str(enum bounce_provider p)
{
	return (unsigned)p < BOUNCE_PROV__MAX ? provider_names[p] : "other";
}

int bounce_category_from_str(const char *s)
{
	for (int i = 0; s && i < BOUNCE_CAT__MAX; i++)
		if (strcmp(s, category_names[i]) == 0)
			return i;
	return -1;
}

int bounce_provider_from_str(const char *s)
{
	for (int i = 0; s && i < BOUNCE_PROV__MAX; i++)
		if (strcmp(s, provider_names[i]) == 0)
			return i;
	return -1;
}

void bounce_result_free(struct bounce_result *r)
{
	if (r == NULL)
		return;
	free(r->sending_ip);
	free(r->provider_code);
	free(r->provider_code_meaning);
	free(r->advice);
	free(r->status);
	free(r->recipient);
	free(r->diagnostic);
	for (size_t i = 0; i < r->nlists && i < BOUNCE_MAX_LISTS; i++)
		free(r->lists[i]);
	for (size_t i = 0; i < r->nevidence && i < BOUNCE_MAX_EVIDENCE; i++)
		free(r->evidence[i]);
	memset(r, 0, sizeof *r);
}
