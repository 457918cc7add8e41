/* blcheck: check IP addresses against DNS block lists from the shell.
 *
 *   tools/blcheck [--conf FILE] [--server HOST:PORT] [--lists z1,z2]
 *                 [--timeout MS] [--allow-reserved] [--json] [--db FILE]
 *                 [--no-cache] [--catalogue FILE] [--health] IP...
 *
 * Addresses come from the arguments, or from stdin (one per line; blank
 * lines and # comments skipped) when there are none. With --json, one
 * object per address per line: {"ip": ..., "results": [...]} (see
 * dnsbl_results_to_json), {"ip": ..., "error": ...} for bad input.
 * Exit 0 when every list answered clean for every address, 1 when an
 * address is listed somewhere, 2 when something could not be checked. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "dnsbl/dnsbl.h"
#include "core/ipaddr.h"
#include "dnsbl/knowledge_dnsbl.h"
#include "core/limits.h"
#include "store/store.h"

#define BLCHECK_BATCH 32          /* addresses checked together (one deadline) */
#define BLCHECK_LINE_MAX 256

enum { EXIT_CLEAN = 0, EXIT_LISTED = 1, EXIT_UNKNOWN = 2 };

struct run {
	struct dnsbl_checker *chk;
	unsigned flags;
	int json;
	int any_listed;
	int any_unknown;
	size_t count;
	char *items[BLCHECK_BATCH];
	size_t nitems;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: blcheck [--conf FILE] [--server HOST:PORT] [--lists z1,z2] [--timeout MS]\n"
		"               [--allow-reserved] [--json] [--db FILE] [--no-cache]\n"
		"               [--catalogue FILE] [--health] [IP...]\n"
		"Addresses are read from stdin when none are given.\n"
		"Exit 0 all clean, 1 listed somewhere, 2 could not check.\n");
}

/* Printable, bounded copy of untrusted input for messages. */
static void safe_copy(char *dst, size_t len, const char *src)
{
	size_t o = 0;
	for (; *src && o + 1 < len; src++)
		dst[o++] = ((unsigned char)*src >= 0x20 && (unsigned char)*src < 0x7f) ? *src : '?';
	dst[o] = '\0';
}

static void print_json(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (s != NULL) {
		puts(s);
		free(s);
	} else {
		puts("{\"error\": \"out of memory\"}");
	}
	json_decref(o);
}

static void print_invalid(struct run *run, const char *input, const char *why)
{
	char shown[80];
	safe_copy(shown, sizeof shown, input);
	run->any_unknown = 1;
	if (run->json) {
		json_t *o = json_pack("{s:s, s:s}", "ip", shown, "error", why);
		print_json(o);
	} else {
		printf("%s: invalid address: %s (nothing sent)\n", shown, why);
	}
}

static void print_table(const struct dnsbl_report *r)
{
	printf("%s\n", r->ip);
	if (r->note[0])
		printf("  note: %s\n", r->note);
	if (r->n > 0)
		printf("  %-28s %-9s %-16s %6s  %s\n", "list", "status", "codes", "ms", "meaning");
	for (size_t i = 0; i < r->n; i++) {
		const struct dnsbl_result *res = &r->results[i];
		char codes[40] = "-";
		size_t o = 0;
		for (size_t k = 0; k < res->ncodes && o + 16 < sizeof codes; k++)
			o += (size_t)snprintf(codes + o, sizeof codes - o, "%s%u.%u.%u.%u", k ? "," : "",
					      res->codes[k] >> 24, (res->codes[k] >> 16) & 0xff,
					      (res->codes[k] >> 8) & 0xff, res->codes[k] & 0xff);
		printf("  %-28s %-9s %-16s %6u  %s%s\n", res->list->zone, dnsbl_status_str(res->status),
		       codes, res->ms, res->meaning, res->cached ? " (cached)" : "");
		if (res->txt[0])
			printf("  %-28s %-9s %-16s %6s  TXT: %s\n", "", "", "", "", res->txt);
		if (res->status == DNSBL_LISTED && res->delist_url[0])
			printf("  %-28s %-9s %-16s %6s  delist: %s\n", "", "", "", "", res->delist_url);
	}
}

/* Checks the collected batch and prints its reports in input order. */
static int flush(struct run *run)
{
	struct dnsbl_report *reports[BLCHECK_BATCH];
	if (run->nitems == 0)
		return 0;
	enum perr rc = dnsbl_check_many(run->chk, (const char *const *)run->items, run->nitems,
					run->flags, reports);
	if (rc != PERR_OK) {
		fprintf(stderr, "blcheck: check failed: %s\n", perr_str(rc));
		return -1;
	}
	for (size_t i = 0; i < run->nitems; i++) {
		struct dnsbl_report *r = reports[i];
		if (r == NULL) {
			/* dnsbl_check_many only skips what does not parse. */
			struct ipaddr ip;
			const char *why = "not an IP address";
			ipaddr_parse(run->items[i], strlen(run->items[i]), &ip, &why);
			print_invalid(run, run->items[i], why ? why : "not an IP address");
			free(run->items[i]);
			continue;
		}
		if (dnsbl_report_listed(r))
			run->any_listed = 1;
		else if (!dnsbl_report_all_clean(r))
			run->any_unknown = 1;
		if (run->json)
			print_json(dnsbl_report_to_json(r));
		else
			print_table(r);
		dnsbl_report_free(r);
		free(run->items[i]);
	}
	fflush(stdout);
	run->nitems = 0;
	return 0;
}

static int add_item(struct run *run, const char *ip, size_t len)
{
	if (run->count >= LIMIT_IPS_PER_CLI_RUN) {
		fprintf(stderr, "blcheck: more than %u addresses; the rest are ignored\n",
			(unsigned)LIMIT_IPS_PER_CLI_RUN);
		run->any_unknown = 1;
		return 1;
	}
	run->count++;
	struct ipaddr parsed;
	const char *why = NULL;
	if (ipaddr_parse(ip, len, &parsed, &why) != PERR_OK) {
		char tmp[BLCHECK_LINE_MAX];
		snprintf(tmp, sizeof tmp, "%.*s", (int)(len < sizeof tmp - 1 ? len : sizeof tmp - 1), ip);
		/* Keep output in input order: flush what is before it first. */
		if (flush(run) != 0)
			return -1;
		print_invalid(run, tmp, why);
		return 0;
	}
	char *copy = strndup(ip, len);
	if (copy == NULL)
		return -1;
	run->items[run->nitems++] = copy;
	if (run->nitems == BLCHECK_BATCH)
		return flush(run);
	return 0;
}

static int read_stdin(struct run *run)
{
	char line[BLCHECK_LINE_MAX];
	int too_long = 0;
	while (fgets(line, sizeof line, stdin) != NULL) {
		size_t len = strlen(line);
		int complete = len > 0 && line[len - 1] == '\n';
		if (!complete && !feof(stdin)) {
			/* Longer than any address: report once, skip the rest of it. */
			if (!too_long) {
				if (flush(run) != 0)
					return -1;
				print_invalid(run, line, "line too long to be an IP address");
				run->count++;
			}
			too_long = 1;
			continue;
		}
		if (too_long) {
			too_long = 0;
			continue;
		}
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		len = strlen(s);
		while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ' ||
				   s[len - 1] == '\t'))
			len--;
		if (len == 0 || s[0] == '#')
			continue;
		int rc = add_item(run, s, len);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	return 0;
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || *s == '-' || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "conf", required_argument, NULL, 'c' },
		{ "server", required_argument, NULL, 's' },
		{ "lists", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 't' },
		{ "allow-reserved", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'd' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "catalogue", required_argument, NULL, 'k' },
		{ "health", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf = NULL, *server = NULL, *lists = NULL, *timeout = NULL, *db = NULL;
	const char *catalogue = NULL;
	int allow_reserved = 0, health = 0, c;
	struct run run;
	memset(&run, 0, sizeof run);

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 's': server = optarg; break;
		case 'l': lists = optarg; break;
		case 't': timeout = optarg; break;
		case 'r': allow_reserved = 1; break;
		case 'j': run.json = 1; break;
		case 'd': db = optarg; break;
		case 'n': run.flags |= DNSBL_F_NOCACHE; break;
		case 'k': catalogue = optarg; break;
		case 'H': health = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_UNKNOWN;
		}
	}

	static struct config cfg;
	char err[512];
	int status = EXIT_UNKNOWN;
	struct dnsbl_catalogue *cat = NULL;
	struct store *st = NULL;

	if (config_load(&cfg, conf, err, sizeof err) != PERR_OK) {
		fprintf(stderr, "blcheck: %s\n", err);
		goto out;
	}
	if (server != NULL && snprintf(cfg.dns_servers, sizeof cfg.dns_servers, "%s", server) >=
			      (int)sizeof cfg.dns_servers) {
		fprintf(stderr, "blcheck: --server is too long\n");
		goto out;
	}
	if (lists != NULL) {
		if (strspn(lists, ", \t") == strlen(lists)) {
			fprintf(stderr, "blcheck: --lists: empty list set\n");
			goto out;
		}
		if (snprintf(cfg.dns_lists, sizeof cfg.dns_lists, "%s", lists) >= (int)sizeof cfg.dns_lists) {
			fprintf(stderr, "blcheck: --lists is too long\n");
			goto out;
		}
	}
	if (timeout != NULL && parse_uint(timeout, 1, LIMIT_DNS_TIMEOUT_MAX, &cfg.dns_timeout_ms) != 0) {
		fprintf(stderr, "blcheck: --timeout must be 1 to %u milliseconds\n",
			(unsigned)LIMIT_DNS_TIMEOUT_MAX);
		goto out;
	}
	if (allow_reserved)
		cfg.dns_allow_reserved = 1;

	char catpath[CONFIG_PATH_MAX + 64];
	if (catalogue != NULL)
		snprintf(catpath, sizeof catpath, "%s", catalogue);
	else
		config_data_path(&cfg, "db/knowledge/dnsbl_catalogue.hdf", catpath, sizeof catpath);
	if (dnsbl_catalogue_load(catpath, &cat, err, sizeof err) != PERR_OK) {
		fprintf(stderr, "blcheck: %s\n", err);
		goto out;
	}

	const char *dbpath = db != NULL ? db : (conf != NULL && cfg.db_path[0] ? cfg.db_path : NULL);
	if (dbpath != NULL) {
		enum perr rc = store_open(dbpath, &st);
		if (rc != PERR_OK) {
			fprintf(stderr, "blcheck: cannot open database %s: %s\n", dbpath, perr_str(rc));
			goto out;
		}
	}

	struct dnsbl_options o;
	dnsbl_options_from_config(&o, &cfg, st);
	if (dnsbl_checker_new(cat, &o, &run.chk, err, sizeof err) != PERR_OK) {
		fprintf(stderr, "blcheck: %s\n", err);
		goto out;
	}

	if (health) {
		dnsbl_health_refresh(run.chk);
		json_t *h = dnsbl_health_to_json(run.chk);
		size_t nh = h ? json_array_size(h) : 0;
		status = h ? EXIT_CLEAN : EXIT_UNKNOWN;
		for (size_t i = 0; i < nh; i++) {
			json_t *v = json_array_get(h, i);
			const char *hs = json_string_value(json_object_get(v, "status"));
			if (hs == NULL || strcmp(hs, "ok") != 0)
				status = EXIT_UNKNOWN;
			if (!run.json)
				printf("%-28s IPv%-2d %-9s %s\n",
				       json_string_value(json_object_get(v, "zone")),
				       (int)json_integer_value(json_object_get(v, "family")),
				       hs ? hs : "?", json_string_value(json_object_get(v, "detail")));
		}
		if (run.json)
			print_json(h);
		else
			json_decref(h);
		goto out;
	}

	int failed = 0;
	if (optind < argc) {
		for (int i = optind; i < argc && !failed; i++) {
			int rc = add_item(&run, argv[i], strlen(argv[i]));
			if (rc < 0)
				failed = 1;
			else if (rc > 0)
				break;
		}
	} else if (read_stdin(&run) != 0) {
		failed = 1;
	}
	if (!failed && flush(&run) != 0)
		failed = 1;
	if (run.count == 0 && !failed) {
		fprintf(stderr, "blcheck: no addresses given\n");
		goto out;
	}
	if (failed)
		status = EXIT_UNKNOWN;
	else if (run.any_listed)
		status = EXIT_LISTED;
	else if (run.any_unknown)
		status = EXIT_UNKNOWN;
	else
		status = EXIT_CLEAN;
out:
	for (size_t i = 0; i < run.nitems; i++)
		free(run.items[i]);
	dnsbl_checker_free(run.chk);
	store_close(st);
	dnsbl_catalogue_free(cat);
	explicit_bzero(cfg.dns_dqs_key, sizeof cfg.dns_dqs_key);
	return status;
}
