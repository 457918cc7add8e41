/* Names of the bounce categories and providers, and the release of a result. */
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

const char *bounce_category_str(enum bounce_category c)
{
	return (unsigned)c < BOUNCE_CAT__MAX ? category_names[c] : "other";
}

const char *bounce_provider_str(const char *p)
{
	return p != NULL ? p : "other";
}

int bounce_category_from_str(const char *s)
{
	for (int i = 0; s && i < BOUNCE_CAT__MAX; i++)
		if (strcmp(s, category_names[i]) == 0)
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
