#include <stdio.h>
#include <string.h>

#include "app.h"
#include "http.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "monitor_view.h"
#include "render.h"
#include "store/store_monitor.h"

#define MONITOR_VIEW_LISTINGS_MAX 16

size_t monitor_view_servers(struct request *req, struct view *v, const char *prefix)
{
	struct monitor_listing open[MONITOR_VIEW_LISTINGS_MAX];
	size_t n = 0, servers = 0;
	if (store_monitor_current(req->app->store, NULL, open, MONITOR_VIEW_LISTINGS_MAX, &n) != PERR_OK)
		return 0;
	/* open listings come oldest first: a server's first row gives its "since" */
	for (size_t i = 0; i < n; i++) {
		size_t first = 0;
		while (strcmp(open[first].ip, open[i].ip) != 0)
			first++;
		if (first != i)
			continue;   /* this server's line is written */
		char lists[512] = "", k[96];
		for (size_t j = i; j < n; j++) {
			if (strcmp(open[j].ip, open[i].ip) != 0)
				continue;
			const struct dnsbl_list *l = dnsbl_catalogue_find(req->app->catalogue, open[j].zone);
			size_t used = strlen(lists);
			snprintf(lists + used, sizeof lists - used, "%s%s", used ? ", " : "", l ? l->name : open[j].zone);
		}
		snprintf(k, sizeof k, "%s.%zu.ip", prefix, servers);
		view_set(v, k, open[i].ip);
		snprintf(k, sizeof k, "%s.%zu.lists", prefix, servers);
		view_set(v, k, lists);
		snprintf(k, sizeof k, "%s.%zu.since", prefix, servers);
		view_set_time(v, k, open[i].since);
		servers++;
	}
	return servers;
}
