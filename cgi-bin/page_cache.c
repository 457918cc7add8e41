#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "page_cache.h"

#define SLOTS 64          /* ~64 x 20 KB per worker */
#define KEY_MAX PAGE_CACHE_KEY_MAX

struct slot {
	char key[KEY_MAX];
	char *html;
	size_t len;
	unsigned long used;   /* LRU clock */
};

static struct slot slots[SLOTS];
static unsigned long clock_now;

/* Writes html with every marker replaced by the visitor's token. */
static void send_filled(struct request *req, const char *html, size_t len)
{
	const char *token = http_viewer_csrf(req);
	size_t tlen = strlen(token), mlen = strlen(PAGE_CACHE_CSRF_MARK), n = 0;
	for (const char *p = html; (p = memmem(p, len - (size_t)(p - html), PAGE_CACHE_CSRF_MARK, mlen)); p += mlen)
		n++;
	size_t out_len = len + n * tlen - n * mlen;
	char *out = malloc(out_len + 1);
	if (out == NULL) {
		http_send_error(req, 500);
		return;
	}
	char *w = out;
	const char *r = html, *end = html + len, *m;
	while ((m = memmem(r, (size_t)(end - r), PAGE_CACHE_CSRF_MARK, mlen)) != NULL) {
		memcpy(w, r, (size_t)(m - r));
		w += m - r;
		memcpy(w, token, tlen);
		w += tlen;
		r = m + mlen;
	}
	memcpy(w, r, (size_t)(end - r));
	http_send(req, 200, "text/html; charset=utf-8", NULL, out, out_len);
	free(out);
}

int page_cache_send(struct request *req, const char *key)
{
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].html && strcmp(slots[i].key, key) == 0) {
			slots[i].used = ++clock_now;
			send_filled(req, slots[i].html, slots[i].len);
			return 1;
		}
	}
	return 0;
}

void page_cache_put_send(struct request *req, const char *key, char *html, size_t len)
{
	struct slot *victim = &slots[0];
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].html == NULL) {
			victim = &slots[i];
			break;
		}
		if (slots[i].used < victim->used)
			victim = &slots[i];
	}
	free(victim->html);
	victim->html = NULL;
	if (strlen(key) < KEY_MAX) {
		strcpy(victim->key, key);
		victim->html = html;
		victim->len = len;
		victim->used = ++clock_now;
		send_filled(req, html, len);
		return;
	}
	send_filled(req, html, len);
	free(html);
}
