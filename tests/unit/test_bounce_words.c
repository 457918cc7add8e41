/* Unit tests of the wording rules (db/knowledge/bounce_rules_words.hdf):
 * one row per family and language, in words that no fixture uses, so that
 * a rule tuned to one fixture's sentence fails here. Each row is a pasted
 * rejection line; the category and the deciding rule are checked, and
 * every row must name its rule in the evidence.
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bounce/bounce.h"

#define KBDIR "db/knowledge"

static struct bounce_knowledge *kb;

struct row {
	const char *text;      /* a rejection as a customer pastes it */
	const char *category;
	const char *rule;      /* "rule:x" that decides; NULL = not checked */
};

static const struct row rows[] = {
	/* a public list, named or not */
	{"554 5.7.1 Service unavailable; Client host [192.0.2.8] listed at bl.example-rbl.net",
	 "blacklist", "rule:listed_at_zone"},
	{"550 rejected because 192.0.2.8 is in a black list at dnsbl.example.org",
	 "blacklist", "rule:exim_dnslist"},
	{"550 5.7.1 Our server has your server on a DNSBL, delivery refused",
	 "blacklist", "rule:ip_on_list_words"},
	{"550 Listed by PBL, see the Spamhaus site", "blacklist", "rule:listed_by_sublist"},
	{"554 Die IP-Adresse 192.0.2.8 steht auf einer Sperrliste", "blacklist", "rule:ip_on_list_words_de_nl"},
	{"550 Votre adresse IP 192.0.2.8 est listée dans une liste de blocage", "blacklist", NULL},
	{"550 La dirección IP 192.0.2.8 aparece en una lista negra", "blacklist", "rule:ip_on_list_words_romance"},
	{"550 O servidor 192.0.2.8 está na lista de bloqueio", "blacklist", NULL},
	{"550 L'indirizzo IP 192.0.2.8 è inserito in una lista nera", "blacklist", NULL},
	{"550 Het IP-adres 192.0.2.8 staat op een zwarte lijst", "blacklist", NULL},
	{"550 IP-адрес 192.0.2.8 внесен в черный список", "blacklist", NULL},
	/* the receiver's own verdict on the IP */
	{"421 4.7.0 Your IP has a poor reputation here, try again later", "reputation", "rule:ip_reputation_en"},
	{"554 Der Server hat eine geringe Reputation bei uns", "reputation", "rule:ip_reputation_words"},
	{"554 Votre serveur a une mauvaise réputation", "reputation", "rule:ip_reputation_words"},
	{"554 El servidor tiene baja reputación", "reputation", "rule:ip_reputation_words"},
	{"554 Servidor com má reputação", "reputation", "rule:ip_reputation_words"},
	{"554 Server con scarsa reputazione", "reputation", "rule:ip_reputation_words"},
	{"554 Server met een lage reputatie", "reputation", "rule:ip_reputation_words"},
	{"554 У сервера низкая репутация", "reputation", "rule:ip_reputation_words"},
	{"554 Ihr Mailserver wurde gesperrt", "reputation", "rule:ip_blocked_words"},
	{"554 Сервер заблокирован", "reputation", "rule:ip_blocked_words"},
	{"550 The sending host is not allowed to connect to this system", "reputation", "rule:host_not_allowed"},
	{"421 Too many messages from an unknown IP address, slow down", "reputation", "rule:untrusted_ip"},
	/* the message */
	{"550 Nachricht wurde als Spam eingestuft", "content", "rule:spam_verdict_words"},
	{"550 Message classé comme indésirable", "content", "rule:spam_verdict_words"},
	{"550 Correo marcado como spam", "content", "rule:spam_verdict_words"},
	{"550 Mensagem classificada como spam", "content", "rule:spam_verdict_words"},
	{"550 Messaggio riconosciuto come spam", "content", "rule:spam_verdict_words"},
	{"550 Bericht aangemerkt als spam", "content", "rule:spam_verdict_words"},
	{"550 Письмо распознано как спам", "content", "rule:spam_verdict_words"},
	{"550 Rejected due to suspected spam", "content", "rule:spam_verdict_en"},
	/* policy */
	{"421 Zu viele Verbindungen von Ihrer Adresse", "policy", "rule:rate_limit_words"},
	{"421 Trop de connexions simultanées", "policy", "rule:rate_limit_words"},
	{"421 Слишком много соединений", "policy", "rule:rate_limit_words"},
	{"550 Wir nehmen keine Mails von dynamischen IP-Adressen an (dynamische IP)", "policy", "rule:dynamic_ip_words"},
	{"451 4.7.1 Greylisted for 5 minutes", "policy", "rule:greylisting"},
	{"550 Sender is on the blocked list of this domain", "policy", NULL},
	/* the recipient and the mailbox */
	{"550 Empfänger unbekannt", "recipient", "rule:user_unknown_de"},
	{"550 Destinataire inconnu", "recipient", "rule:user_unknown_fr"},
	{"550 Usuario desconocido", "recipient", "rule:user_unknown_es"},
	{"550 Destinatário não existe", "recipient", "rule:user_unknown_pt"},
	{"550 Utente sconosciuto", "recipient", "rule:user_unknown_it"},
	{"550 Ontvanger onbekend", "recipient", "rule:user_unknown_nl"},
	{"550 Получатель не найден", "recipient", "rule:user_unknown_ru"},
	{"550 This address is no longer in use", "recipient", "rule:address_no_longer"},
	{"552 Postfach ist voll", "mailbox", "rule:mailbox_full_words"},
	{"552 Boîte aux lettres pleine", "mailbox", "rule:mailbox_full_words"},
	{"552 Casella piena", "mailbox", "rule:mailbox_full_words"},
	{"552 Ящик переполнен", "mailbox", "rule:mailbox_full_words"},
	/* hedged wording is not a verdict: a bounce naming possibilities */
	{"550 The account or domain may not exist, or the server may be blacklisted", "recipient", NULL},
};

/* True when one evidence line of r starts with rule and says it decided. */
static bool decided_by(const struct bounce_result *r, const char *rule)
{
	size_t n = strlen(rule);
	for (size_t i = 0; i < r->nevidence; i++)
		if (strncmp(r->evidence[i], rule, n) == 0 && r->evidence[i][n] == ':' &&
		    strstr(r->evidence[i], "(decisive)") != NULL)
			return true;
	return false;
}

static void test_rows(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct bounce_result r;
		assert_int_equal(bounce_analyze(kb, rows[i].text, strlen(rows[i].text), &r), PERR_OK);
		const char *got = bounce_category_str(r.category);
		if (strcmp(got, rows[i].category) != 0 || (rows[i].rule && !decided_by(&r, rows[i].rule))) {
			print_error("row %zu \"%s\": %s (want %s, %s)\n", i, rows[i].text, got, rows[i].category,
			            rows[i].rule ? rows[i].rule : "any rule");
			for (size_t e = 0; e < r.nevidence; e++)
				print_error("    %s\n", r.evidence[e]);
			bad++;
		}
		bounce_result_free(&r);
	}
	assert_int_equal(bad, 0);
}

static int setup(void **state)
{
	(void)state;
	return bounce_knowledge_load(KBDIR, &kb) == PERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	bounce_knowledge_free(kb);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
	};
	return cmocka_run_group_tests_name("bounce_words", tests, setup, teardown);
}
