#include <stdio.h>
#include <string.h>

#include "app.h"
#include "check_host.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "fields.h"
#include "http.h"

/* The field's text without the spaces a paste brings and a final dot, in
 * lower case, into out; 0 when it is not a host name. */
static int host_text(const struct field_value *f, char *out, size_t len)
{
	if (f->state != FIELD_INVALID || !f->raw_is_text || f->raw == NULL)
		return 0;
	const char *s = f->raw;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '.'))
		n--;
	if (n == 0 || n >= len)
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	out[n] = '\0';
	/* "203.0.113" or "1.2.3.4.5" is a mistyped address, not a name */
	if (strspn(out, "0123456789.") == n)
		return 0;
	return dnsbl_zone_valid(out);
}

int check_host_name(const struct request *req, char *out, size_t len)
{
	return host_text(&req->fields[FIELD_IP], out, len);
}

int check_host_wanted(const struct request *req)
{
	char name[254];
	return check_host_name(req, name, sizeof name);
}

enum host_outcome check_host_resolve(struct request *req, struct host_answer *out)
{
	memset(out, 0, sizeof *out);
	if (!host_text(&req->fields[FIELD_IP], out->name, sizeof out->name))
		return HOST_NOT_FOUND;
	enum perr rc = dnsbl_resolve_host(req->app->dnsbl, out->name, out->addrs, DNSBL_HOST_ADDRS_MAX, &out->n);
	if (rc == PERR_OK)
		return out->n == 1 ? HOST_ONE : HOST_MANY;
	return rc == PERR_DNS ? HOST_DNS_DOWN : HOST_NOT_FOUND;
}

void check_host_refuse(struct request *req, enum host_outcome outcome)
{
	struct field_value *f = &req->fields[FIELD_IP];
	f->state = FIELD_INVALID;
	f->message = outcome == HOST_DNS_DOWN
		? "We could not look this name up right now. Try again in a few minutes, or enter the IP address from the bounce."
		: "This server name has no address in DNS. Check the spelling, or enter the IP address from the bounce.";
}
