#include "internal/bounce_ip.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* inet_pton(AF_INET) without the call: the same acceptance rules. */
static bool ipv4_valid(const char *s, size_t n)
{
	unsigned octets = 0, cur = 0;
	bool digit = false;
	if (n > 15)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= '0' && ch <= '9') {
			if (digit && cur == 0)
				return false; /* leading zero */
			cur = cur * 10 + (unsigned)(ch - '0');
			if (cur > 255)
				return false;
			if (!digit) {
				if (++octets > 4)
					return false;
				digit = true;
			}
		} else if (ch == '.' && digit) {
			if (octets == 4)
				return false;
			cur = 0;
			digit = false;
		} else {
			return false;
		}
	}
	return octets == 4 && digit;
}

bool bounce_ip_parse(const char *s, size_t n, char out[BOUNCE_IP_STRLEN], bool *v6)
{
	char tmp[BOUNCE_IP_STRLEN + 8];
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n > 5 && strncasecmp(s, "IPv6:", 5) == 0) {
		s += 5;
		n -= 5;
	}
	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	unsigned char bin[16];
	if (memchr(tmp, ':', n) == NULL) {
		/* IPv4 by inet_pton's rules (four decimal octets up to 255, no
		 * leading zeros), whose canonical form is then the text itself */
		if (!ipv4_valid(tmp, n))
			return false;
		if (v6)
			*v6 = false;
		memcpy(out, tmp, n + 1);
		return true;
	}
	if (inet_pton(AF_INET6, tmp, bin) != 1)
		return false;
	if (v6)
		*v6 = true;
	return inet_ntop(AF_INET6, bin, out, BOUNCE_IP_STRLEN) != NULL;
}

/* Byte classes: 1 = hex digit, 2 = word byte (letters, digits, '_', '.', '-'). */
static const unsigned char ip_cls[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0,
	0, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2,
	0, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 3, 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static inline bool is_hex(unsigned char c)
{
	return ip_cls[c] & 1;
}

static inline bool is_word(unsigned char c)
{
	return ip_cls[c] & 2;
}

/* The first byte of s[i, n) that is a digit or ':' (0x30..0x3a), or n;
 * eight bytes at a time. */
static size_t next_digit_colon(const char *s, size_t i, size_t n)
{
	const uint64_t hi = 0x8080808080808080ull, one = 0x0101010101010101ull;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t x = w & ~hi;
		/* >= 0x30 and not >= 0x3b, for bytes below 0x80 (no carries) */
		uint64_t in = (x + one * 0x50) & ~(x + one * 0x45) & ~w & hi;
		if (in)
			return i + (size_t)(__builtin_ctzll(in) / 8);
	}
	for (; i < n; i++)
		if (s[i] >= '0' && s[i] <= ':')
			return i;
	return n;
}

size_t bounce_ip_find(const char *s, size_t n, struct bounce_ip *ips, size_t max)
{
	size_t found = 0;
	size_t i = 0;
	size_t q = 0;      /* next digit or ':' at or after i (valid when q >= i) */
	bool have_q = false;
	while (i < n && found < max) {
		/* Every address has a digit or a ':' in it. Text before the next
		 * one can be skipped up to the last byte that ends a word (not a
		 * word byte, not ':'): no token runs across such a byte, and the
		 * scan below, started there, is where it would have been. */
		if (!have_q || q < i) {
			q = next_digit_colon(s, i, n);
			have_q = true;
			if (q >= n)
				break;
		}
		if (q > i) {
			size_t p = q;
			while (p > i && (is_word((unsigned char)s[p - 1]) || s[p - 1] == ':'))
				p--;
			if (p > i) {
				i = p;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[i];
		/* a word that starts with a letter other than a-f (or '.', '-',
		 * '_') holds no address: nothing in it starts a token */
		if (is_word(c) && !is_hex(c)) {
			i++;
			while (i < n && is_word((unsigned char)s[i]))
				i++;
			continue;
		}
		if (!is_hex(c) && !(c == ':' && i + 1 < n && s[i + 1] == ':')) {
			i++;
			continue;
		}
		/* a token glued to a word is part of a host name or an id; the
		 * "IPv6:" literal prefix is the exception */
		bool v6prefix = i >= 5 && s[i - 1] == ':' && strncasecmp(s + i - 5, "IPv6:", 5) == 0;
		if (i > 0 && is_word((unsigned char)s[i - 1]) && !v6prefix) {
			i++; /* always move on, even from a ':' */
			while (i < n && is_word((unsigned char)s[i]))
				i++;
			continue;
		}
		size_t j = i;
		bool colon = false;
		while (j < n && (is_hex((unsigned char)s[j]) || s[j] == ':' || s[j] == '.')) {
			colon |= s[j] == ':';
			j++;
		}
		size_t end = j;
		/* a sentence or a "host:" label may end right after an address */
		while (end > i && (s[end - 1] == '.' ||
		                   (s[end - 1] == ':' && !(end - i >= 2 && s[end - 2] == ':'))))
			end--;
		unsigned char nx = j < n ? (unsigned char)s[j] : ' ';
		bool glued = ((nx | 0x20) >= 'g' && (nx | 0x20) <= 'z') || nx == '_' || nx == '-';
		if (!glued && end > i && (colon || (s[i] >= '0' && s[i] <= '9'))) {
			char canon[BOUNCE_IP_STRLEN];
			bool v6;
			if (bounce_ip_parse(s + i, end - i, canon, &v6)) {
				ips[found].off = i;
				ips[found].len = end - i;
				ips[found].v6 = v6;
				memcpy(ips[found].text, canon, sizeof canon);
				found++;
			}
		}
		i = j;
		/* skip the rest of a word the token ran into */
		while (i < n && is_word((unsigned char)s[i]))
			i++;
	}
	return found;
}

bool bounce_ip_is_special(const char *canon)
{
	if (strchr(canon, ':') == NULL) {
		int o = 0;
		for (const char *p = canon; *p >= '0' && *p <= '9' && o < 1000; p++)
			o = o * 10 + (*p - '0');
		return o == 0 || o == 127 || o >= 224;
	}
	return strcmp(canon, "::") == 0 || strcmp(canon, "::1") == 0 ||
	       strncasecmp(canon, "ff", 2) == 0;
}
