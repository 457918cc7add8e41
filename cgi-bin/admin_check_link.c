/* The dashboard's link builder (issue 14): support staff type an address
 * (or a server's name) and a ticket and get the prefilled check link to
 * paste to a customer,
 * GET /check?ip=&ticket=, on this site's own origin. */
#include <stdio.h>
#include <string.h>

#include "admin_check_link.h"
#include "app.h"
#include "check_host.h"
#include "http.h"
#include "report_view.h"
#include "core/ipaddr.h"

void admin_check_link_fill(struct request *req, struct view *v)
{
	const struct field_value *ip = &req->fields[FIELD_IP], *ticket = &req->fields[FIELD_TICKET];
	if (ip->state == FIELD_ABSENT && ticket->state == FIELD_ABSENT)
		return;
	/* a server's name is fine too: the check resolves it (check_host.c) */
	char canon[256];
	int by_name = ip->state != FIELD_VALID && check_host_name(req, canon, sizeof canon);
	if ((ip->state != FIELD_VALID && !by_name) || ticket->state == FIELD_INVALID) {
		view_set(v, "admin.link.error", ip->state != FIELD_VALID && !by_name
						? "Enter the IP address or server name to check."
						: "A ticket reference has only letters, digits and dashes.");
		return;
	}
	struct ipaddr a;
	if (!by_name && (ipaddr_parse(ip->value, strlen(ip->value), &a, NULL) != PERR_OK ||
			 ipaddr_format(&a, canon, sizeof canon) == 0))
		return;
	/* the origin the report links use (site.base_url, else this request's) */
	char origin[REPORT_LINK_MAX], link[REPORT_LINK_MAX + 320];
	report_link(req, "", origin, sizeof origin);
	char *cut = strstr(origin, "/r/");
	if (cut)
		*cut = '\0';
	/* an IPv6 address's colons are fine in a query, a name has letters,
	 * digits, dashes and dots; the ticket's characters are letters, digits
	 * and dashes (the validator) */
	snprintf(link, sizeof link, "%s/check?ip=%s%s%s", origin, canon, ticket->state == FIELD_VALID ? "&ticket=" : "",
		 ticket->state == FIELD_VALID ? ticket->value : "");
	view_set(v, "admin.link.url", link);
	view_set(v, "admin.link.ip", canon);
	view_set(v, "admin.link.ticket", ticket->state == FIELD_VALID ? ticket->value : "");
}
