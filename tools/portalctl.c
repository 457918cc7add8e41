/* portalctl: administration of the portal's accounts and forwards.
 *
 *   portalctl [--conf FILE] user add LOGIN --role customer|admin [--customer NAME]
 *   portalctl [--conf FILE] user passwd LOGIN        (new password on stdin)
 *   portalctl [--conf FILE] user disable|enable LOGIN
 *   portalctl [--conf FILE] domain add DOMAIN --customer NAME
 *   portalctl [--conf FILE] forward import FILE      (Postfix virtual map; - = stdin)
 *   portalctl [--conf FILE] forward list [--customer NAME] [--json]
 *   portalctl [--conf FILE] purge
 *   portalctl [--conf FILE] monitor [--json] [--quiet]
 *   portalctl [--conf FILE] maillog [--follow] [--host NAME] [FILE|-]
 *
 * Commands are one table (commands[]): a new one (monitor, ...) is one
 * more entry. Exit 0 on success, 1 when the work failed, 2 on usage errors. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "dnsbl/dnsbl.h"
#include "accounts/forwards_import.h"
#include "accounts/knowledge_isp.h"
#include "core/log.h"
#include "admin/monitor.h"
#include "core/password.h"
#include "core/token.h"
#include "maillog/maillog_run.h"
#include "admin/purge.h"
#include "store/store.h"
#include "store/store_postfix.h"
#include "store/store_auth.h"
#include "store/store_forwards.h"

#define EXIT_USAGE 2
#define PW_LINE_MAX 1024

struct ctl {
	struct config cfg;
	struct store *st;
	int argc;          /* the command's own arguments, after group and verb */
	char **argv;
};

static void say_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("portalctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The value of --name in the command's arguments, or NULL. */
static const char *opt(const struct ctl *c, const char *name)
{
	for (int i = 0; i + 1 < c->argc; i++)
		if (strcmp(c->argv[i], name) == 0)
			return c->argv[i + 1];
	return NULL;
}

static int flag(const struct ctl *c, const char *name)
{
	for (int i = 0; i < c->argc; i++)
		if (strcmp(c->argv[i], name) == 0)
			return 1;
	return 0;
}

/* The first argument that is neither an option nor an option's value. */
static const char *positional(const struct ctl *c, const char *const *with_value)
{
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (a[0] == '-' && a[1] == '-') {
			for (const char *const *w = with_value; w && *w; w++)
				if (strcmp(a, *w) == 0) {
					i++;
					break;
				}
			continue;
		}
		return a;
	}
	return NULL;
}

static int login_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > AUTH_LOGIN_MAX)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("-_.@+", *p) == NULL)
			return 0;
	return 1;
}

/* Reads one line from stdin as the password and hashes it. */
static int read_password_hash(char hash[PASSWORD_HASH_MAX])
{
	char line[PW_LINE_MAX];
	if (fgets(line, sizeof line, stdin) == NULL) {
		say_error("expected the password on standard input");
		return 1;
	}
	line[strcspn(line, "\r\n")] = '\0';
	enum perr rc = password_hash(line, hash);
	token_wipe(line, sizeof line);
	if (rc == PERR_INVALID) {
		say_error("a password has %d to %d characters", PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
		return 1;
	}
	if (rc != PERR_OK) {
		say_error("cannot hash the password: %s", perr_str(rc));
		return 1;
	}
	return 0;
}

static int cmd_user_add(struct ctl *c)
{
	static const char *const with_value[] = { "--role", "--customer", NULL };
	const char *login = positional(c, with_value), *role = opt(c, "--role");
	const char *customer = opt(c, "--customer");
	if (login == NULL || role == NULL || (strcmp(role, "customer") && strcmp(role, "admin")))
		return EXIT_USAGE;
	if (!login_ok(login)) {
		say_error("a login has 1 to %d letters, digits or -_.@+", AUTH_LOGIN_MAX);
		return 1;
	}
	if (strcmp(role, "customer") == 0 && (customer == NULL || customer[0] == '\0')) {
		say_error("a customer login needs --customer NAME");
		return 1;
	}
	if (strcmp(role, "admin") == 0 && customer != NULL) {
		say_error("an admin belongs to no customer: leave out --customer");
		return 1;
	}
	if (store_user_exists(c->st, login)) {
		say_error("the login %s is taken", login);
		return 1;
	}
	char hash[PASSWORD_HASH_MAX];
	if (read_password_hash(hash) != 0)
		return 1;
	long long cid = 0;
	enum perr rc = store_begin(c->st);
	if (rc == PERR_OK && customer != NULL)
		rc = store_customer_ensure(c->st, customer, &cid);
	if (rc == PERR_OK)
		rc = store_user_add(c->st, login, hash, role, cid, NULL);
	if (rc == PERR_OK)
		rc = store_commit(c->st);
	else
		store_rollback(c->st);
	token_wipe(hash, sizeof hash);
	if (rc != PERR_OK) {
		say_error("cannot add %s: %s", login, rc == PERR_INVALID ? "the login is taken" : perr_str(rc));
		return 1;
	}
	printf("added %s %s%s%s\n", role, login, customer ? " of " : "", customer ? customer : "");
	return 0;
}

static int cmd_user_passwd(struct ctl *c)
{
	const char *login = positional(c, NULL);
	if (login == NULL)
		return EXIT_USAGE;
	char hash[PASSWORD_HASH_MAX];
	if (read_password_hash(hash) != 0)
		return 1;
	enum perr rc = store_user_set_password(c->st, login, hash);
	token_wipe(hash, sizeof hash);
	if (rc != PERR_OK) {
		say_error("cannot change the password of %s: %s", login,
			  rc == PERR_NOT_FOUND ? "no such user" : perr_str(rc));
		return 1;
	}
	printf("password of %s changed; their sessions ended\n", login);
	return 0;
}

static int set_disabled(struct ctl *c, int disabled)
{
	const char *login = positional(c, NULL);
	if (login == NULL)
		return EXIT_USAGE;
	enum perr rc = store_user_set_disabled(c->st, login, disabled);
	if (rc != PERR_OK) {
		say_error("cannot change %s: %s", login, rc == PERR_NOT_FOUND ? "no such user" : perr_str(rc));
		return 1;
	}
	printf("%s %s\n", login, disabled ? "disabled; their sessions ended" : "enabled");
	return 0;
}

static int cmd_user_disable(struct ctl *c)
{
	return set_disabled(c, 1);
}

static int cmd_user_enable(struct ctl *c)
{
	return set_disabled(c, 0);
}

static int cmd_domain_add(struct ctl *c)
{
	static const char *const with_value[] = { "--customer", NULL };
	const char *domain = positional(c, with_value), *customer = opt(c, "--customer");
	if (domain == NULL || customer == NULL || customer[0] == '\0')
		return EXIT_USAGE;
	long long cid = 0;
	enum perr rc = store_begin(c->st);
	if (rc == PERR_OK)
		rc = store_customer_ensure(c->st, customer, &cid);
	if (rc == PERR_OK)
		rc = store_domain_add(c->st, domain, cid, NULL);
	if (rc == PERR_OK)
		rc = store_commit(c->st);
	else
		store_rollback(c->st);
	if (rc != PERR_OK) {
		say_error("cannot add %s: %s", domain,
			  rc == PERR_DENIED ? "it belongs to another customer" :
			  rc == PERR_INVALID ? "not a domain name" : perr_str(rc));
		return 1;
	}
	printf("domain %s belongs to %s\n", domain, customer);
	return 0;
}

/* Reads a whole file (or stdin for "-") up to FWD_INPUT_MAX bytes. */
static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL)
		return -1;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	int rc = buf ? 0 : -1;
	while (rc == 0) {
		if (n == cap) {
			if (cap > FWD_INPUT_MAX) {
				errno = EFBIG;
				rc = -1;
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				rc = -1;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				rc = -1;
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (rc != 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int cmd_forward_import(struct ctl *c)
{
	const char *path = positional(c, NULL);
	if (path == NULL)
		return EXIT_USAGE;
	char *text = NULL;
	size_t len = 0;
	if (read_all(path, &text, &len) != 0) {
		say_error("%s: %s", path, strerror(errno));
		return 1;
	}
	struct fwd_map map;
	struct fwd_error err;
	enum perr rc = forwards_parse(text, len, &map, &err);
	free(text);
	if (rc == PERR_OK) {
		struct fwd_actor who = { 0, "portalctl", "cli" };
		struct fwd_import_stats stats;
		rc = store_forwards_import(c->st, &map, &who, &stats, &err);
		if (rc == PERR_OK)
			printf("imported %lu entries: %lu mailboxes and %lu forwards added, "
			       "%lu forwards already there (left as they were)\n",
			       (unsigned long)stats.entries, (unsigned long)stats.mailboxes_added,
			       (unsigned long)stats.forwards_added, (unsigned long)stats.forwards_kept);
	}
	forwards_map_free(&map);
	if (rc != PERR_OK) {
		say_error("%s: %s; nothing was imported", path, err.message[0] ? err.message : perr_str(rc));
		return 1;
	}
	return 0;
}

struct list_ctx {
	const struct isp_catalogue *isp;
	int json;
	size_t n;
};

static int print_forward(void *ctx, const struct fwd_row *r)
{
	struct list_ctx *lc = ctx;
	const struct isp_provider *p = isp_lookup_address(lc->isp, r->destination);
	int risky = p != NULL && p->risky;
	lc->n++;
	if (lc->json) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:b,s:b,s:s?,s:b}", "id", (json_int_t)r->id,
				      "customer", r->customer, "mailbox", r->address,
				      "destination", r->destination, "active", r->active,
				      "keep_copy", r->keep_copy, "provider", p ? p->id : NULL, "risky", risky);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (s)
			puts(s);
		free(s);
		json_decref(o);
	} else {
		printf("%lld\t%s\t%s\t%s\t%s\t%s\n", r->id, r->customer, r->address, r->destination,
		       r->active ? "on" : "off", risky ? p->id : "-");
	}
	return 0;
}

static int cmd_forward_list(struct ctl *c)
{
	const char *customer = opt(c, "--customer");
	long long cid = 0;
	if (customer != NULL) {
		enum perr rc = store_customer_find(c->st, customer, &cid);
		if (rc != PERR_OK) {
			say_error("%s: %s", customer, rc == PERR_NOT_FOUND ? "no such customer" : perr_str(rc));
			return 1;
		}
	}
	char path[CONFIG_PATH_MAX], err[256] = "";
	config_data_path(&c->cfg, "db/knowledge/consumer_isps.hdf", path, sizeof path);
	struct isp_catalogue *isp = NULL;
	if (isp_catalogue_load(path, &isp, err, sizeof err) != PERR_OK)
		say_error("%s: %s (risk not shown)", path, err);
	struct list_ctx lc = { isp, flag(c, "--json"), 0 };
	if (!lc.json)
		printf("id\tcustomer\tmailbox\tdestination\tstate\trisky\n");
	enum perr rc = store_forwards_list(c->st, cid, print_forward, &lc);
	isp_catalogue_free(isp);
	if (rc != PERR_OK) {
		say_error("cannot list forwards: %s", perr_str(rc));
		return 1;
	}
	return 0;
}

static void purge_report(void *ctx, const char *step, long long removed)
{
	(void)ctx;
	printf("%s: %lld removed\n", step, removed);
}

static int cmd_purge(struct ctl *c)
{
	enum perr rc = purge_run(c->st, &c->cfg, (long long)time(NULL), purge_report, NULL);
	if (rc != PERR_OK) {
		say_error("purge failed: %s", perr_str(rc));
		return 1;
	}
	return 0;
}

/* --- monitor: our outgoing servers against the lists (cron, systemd timer) --- */

/* Exit statuses of `portalctl monitor` besides 0 (all clean), 1 (the run
 * itself failed) and 2 (usage). */
#define EXIT_MONITOR_LISTED 3        /* an address is listed somewhere */
#define EXIT_MONITOR_INCOMPLETE 4    /* nothing listed, but not every list answered */

struct monitor_out {
	int json, quiet;
	json_t *changes;
};

static void utc(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t <= 0 || gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "-");
}

static const char *event_name(enum monitor_event e)
{
	static const char *const names[] = { "none", "listed", "still_listed", "cleared" };   /* enum order */
	return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "none";
}

static void monitor_print(void *ctx, const struct monitor_change *ch)
{
	struct monitor_out *o = ctx;
	if (o->json) {
		json_array_append_new(o->changes, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}",
			"ip", ch->ip, "zone", ch->zone, "status", ch->status, "event", event_name(ch->event),
			"since", (json_int_t)ch->since, "codes", ch->codes ? ch->codes : "",
			"txt", ch->txt ? ch->txt : "", "meaning", ch->meaning ? ch->meaning : "",
			"duration", ch->duration ? ch->duration : ""));
		return;
	}
	if (o->quiet)
		return;
	char since[40];
	utc(ch->since, since, sizeof since);
	switch (ch->event) {
	case MONITOR_LISTED:
		printf("LISTED    %s on %s (new) %s %s\n", ch->ip, ch->zone, ch->codes, ch->txt);
		if (ch->duration && ch->duration[0])
			printf("          usually: %s\n", ch->duration);
		break;
	case MONITOR_STILL_LISTED:
		printf("LISTED    %s on %s since %s %s\n", ch->ip, ch->zone, since, ch->codes);
		break;
	case MONITOR_CLEARED:
		printf("CLEARED   %s on %s (listed since %s)\n", ch->ip, ch->zone, since);
		break;
	default:
		printf("UNKNOWN   %s on %s: %s%s%s\n", ch->ip, ch->zone[0] ? ch->zone : "every list",
		       ch->status, ch->meaning && ch->meaning[0] ? ": " : "", ch->meaning ? ch->meaning : "");
		break;
	}
}

static int cmd_monitor(struct ctl *c)
{
	struct monitor_out o = { flag(c, "--json"), flag(c, "--quiet"), NULL };
	static char ips[MONITOR_IPS_MAX][MONITOR_IP_MAX];
	size_t n = 0;
	const char *bad = NULL;
	enum perr rc = monitor_parse_ips(c->cfg.site_outgoing_ips, ips, MONITOR_IPS_MAX, &n, &bad);
	if (rc != PERR_OK) {
		say_error("site.outgoing_ips: %s%s", rc == PERR_INVALID ? "not an IP address: " : perr_str(rc),
			  rc == PERR_INVALID && bad ? bad : "");
		return 1;
	}
	if (n == 0) {
		say_error("site.outgoing_ips is empty: nothing to monitor");
		return 1;
	}
	char path[CONFIG_PATH_MAX], err[512] = "";
	config_data_path(&c->cfg, "db/knowledge/dnsbl_catalogue.hdf", path, sizeof path);
	struct dnsbl_catalogue *cat = NULL;
	if (dnsbl_catalogue_load(path, &cat, err, sizeof err) != PERR_OK) {
		say_error("%s: %s", path, err);
		return 1;
	}
	struct dnsbl_options opts;
	dnsbl_options_from_config(&opts, &c->cfg, c->st);
	struct dnsbl_checker *chk = NULL;
	if (dnsbl_checker_new(cat, &opts, &chk, err, sizeof err) != PERR_OK) {
		say_error("DNSBL checker: %s", err);
		dnsbl_catalogue_free(cat);
		return 1;
	}
	const char *list[MONITOR_IPS_MAX];
	for (size_t i = 0; i < n; i++)
		list[i] = ips[i];
	if (o.json)
		o.changes = json_array();
	struct monitor_summary sum;
	rc = monitor_run(c->st, chk, list, n, (long long)time(NULL), monitor_print, &o, &sum);
	dnsbl_checker_free(chk);
	dnsbl_catalogue_free(cat);
	if (rc != PERR_OK) {
		json_decref(o.changes);
		say_error("monitor run failed: %s", perr_str(rc));
		return 1;
	}
	if (o.json) {
		json_t *doc = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o}",
			"status", sum.status, "ips", sum.ips, "lists", sum.lists, "listed", sum.listed,
			"opened", sum.opened, "cleared", sum.cleared, "unknown", sum.unknown,
			"unsent", sum.unsent, "changes", o.changes);
		char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
		if (text)
			printf("%s\n", text);
		free(text);
		json_decref(doc);
	} else if (!o.quiet && (strcmp(sum.status, "clean") != 0 || sum.cleared > 0)) {
		printf("monitor: %d address%s x %d lists: %s, %d listing%s open (%d new, %d cleared), "
		       "%d answer%s missing\n", sum.ips, sum.ips == 1 ? "" : "es", sum.lists, sum.status,
		       sum.listed, sum.listed == 1 ? "" : "s", sum.opened, sum.cleared, sum.unknown,
		       sum.unknown == 1 ? "" : "s");
	}
	if (strcmp(sum.status, "listed") == 0)
		return EXIT_MONITOR_LISTED;
	return strcmp(sum.status, "clean") == 0 ? 0 : EXIT_MONITOR_INCOMPLETE;
}

/* maillog: the whole command lives in src/maillog/maillog_cli.c */
static int cmd_maillog(struct ctl *c) { return maillog_command(&c->cfg, c->st, c->argc, c->argv); }

struct command {
	const char *group;     /* "user" */
	const char *verb;      /* "add"; NULL for one-word commands ("purge") */
	int (*run)(struct ctl *c);
	const char *usage;
};

static const struct command commands[] = {
	{ "user", "add", cmd_user_add, "user add LOGIN --role customer|admin [--customer NAME]  (password on stdin)" },
	{ "user", "passwd", cmd_user_passwd, "user passwd LOGIN  (password on stdin)" },
	{ "user", "disable", cmd_user_disable, "user disable LOGIN" },
	{ "user", "enable", cmd_user_enable, "user enable LOGIN" },
	{ "domain", "add", cmd_domain_add, "domain add DOMAIN --customer NAME" },
	{ "forward", "import", cmd_forward_import, "forward import FILE  (Postfix virtual map, - = stdin)" },
	{ "forward", "list", cmd_forward_list, "forward list [--customer NAME] [--json]" },
	{ "purge", NULL, cmd_purge, "purge  (expired sessions, old audit and throttle rows)" },
	{ "monitor", NULL, cmd_monitor, "monitor [--json] [--quiet]  (site.outgoing_ips against the lists; "
	  "exit 0 clean, 3 listed, 4 incomplete)" },
	{ "maillog", NULL, cmd_maillog, "maillog [--follow] [--host NAME] [FILE|-]  (refused and deferred mail from the log)" },
};

static int usage(const struct command *only)
{
	fprintf(stderr, "usage: portalctl [--conf FILE] COMMAND\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (only == NULL || only == &commands[i])
			fprintf(stderr, "  %s\n", commands[i].usage);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *conf = NULL;
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "--conf") == 0) {
		conf = argv[i + 1];
		i += 2;
	}
	if (i < argc && (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)) {
		usage(NULL);
		return 0;
	}
	const struct command *cmd = NULL;
	for (size_t k = 0; i < argc && k < sizeof commands / sizeof commands[0]; k++) {
		const struct command *c = &commands[k];
		if (strcmp(argv[i], c->group) != 0)
			continue;
		if (c->verb == NULL || (i + 1 < argc && strcmp(argv[i + 1], c->verb) == 0)) {
			cmd = c;
			break;
		}
	}
	if (cmd == NULL)
		return usage(NULL);
	i += cmd->verb ? 2 : 1;

	struct ctl c;
	memset(&c, 0, sizeof c);
	c.argc = argc - i;
	c.argv = argv + i;
	char err[512] = "";
	if (config_load(&c.cfg, conf, err, sizeof err) != PERR_OK) {
		say_error("configuration: %s", err);
		return 1;
	}
	if (token_init() != PERR_OK) {
		say_error("libsodium would not start");
		return 1;
	}
	enum perr rc = store_open_with_postfix(c.cfg.db_path, c.cfg.postfix_db_path, &c.st);
	if (rc != PERR_OK) {
		say_error("cannot open %s: %s", c.cfg.db_path, perr_str(rc));
		return 1;
	}
	int status = cmd->run(&c);
	store_close(c.st);
	if (status == EXIT_USAGE)
		usage(cmd);
	return status;
}
