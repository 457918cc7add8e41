/* Strict IP address parsing, formatting, reversal and classification. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ipaddr.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses exactly len bytes as a strict dotted quad into out[4]. Returns NULL
 * on success or a static reason. */
static const char *parse_v4(const char *s, size_t len, uint8_t out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || s[i] != '.')
				return "an IPv4 address has four numbers separated by dots";
			i++;
		}
		size_t start = i;
		unsigned v = 0;
		while (i < len && is_digit(s[i]) && i - start < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		size_t digits = i - start;
		if (digits == 0)
			return "an IPv4 address has four numbers separated by dots";
		if (digits > 3 || v > 255)
			return "IPv4 octet out of range (0-255)";
		if (digits > 1 && s[start] == '0')
			return "leading zero in an IPv4 octet";
	}
	if (i != len)
		return "an IPv4 address has four numbers separated by dots";
	/* Second pass only after full validation: no partial writes. */
	i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		while (i < len && is_digit(s[i]))
			v = v * 10 + (unsigned)(s[i++] - '0');
		out[part] = (uint8_t)v;
		i++;
	}
	return NULL;
}

static const char *parse_v6(const char *s, size_t len, uint8_t out[16])
{
	uint16_t g[8];
	int n = 0, dc = -1;
	size_t i = 0;

	if (s[0] == ':') {
		if (len < 2 || s[1] != ':')
			return "IPv6 address starts with a single colon";
		dc = 0;
		i = 2;
	}
	while (i < len) {
		if (n == 8)
			return "too many groups in an IPv6 address";
		size_t j = i;
		while (j < len && hex_value(s[j]) >= 0)
			j++;
		if (j < len && s[j] == '.') {
			/* Embedded dotted quad: must be the last 32 bits. */
			uint8_t q[4];
			if (n > 6)
				return "too many groups in an IPv6 address";
			const char *why = parse_v4(s + i, len - i, q);
			if (why != NULL)
				return why;
			g[n++] = (uint16_t)(q[0] << 8 | q[1]);
			g[n++] = (uint16_t)(q[2] << 8 | q[3]);
			i = len;
			break;
		}
		if (j == i)
			return "empty or invalid group in an IPv6 address";
		if (j - i > 4)
			return "IPv6 group longer than four hex digits";
		unsigned v = 0;
		for (size_t k = i; k < j; k++)
			v = v << 4 | (unsigned)hex_value(s[k]);
		g[n++] = (uint16_t)v;
		i = j;
		if (i == len)
			break;
		if (s[i] != ':')
			return "unexpected character in an IPv6 address";
		i++;
		if (i < len && s[i] == ':') {
			if (dc >= 0)
				return "more than one :: in an IPv6 address";
			dc = n;
			i++;
		} else if (i == len) {
			return "IPv6 address ends with a single colon";
		}
	}
	if (dc < 0 && n != 8)
		return "too few groups in an IPv6 address";
	if (dc >= 0 && n > 7)
		return "too many groups in an IPv6 address";

	uint16_t full[8] = { 0 };
	if (dc < 0) {
		memcpy(full, g, sizeof full);
	} else {
		int tail = n - dc;
		for (int k = 0; k < dc; k++)
			full[k] = g[k];
		for (int k = 0; k < tail; k++)
			full[8 - tail + k] = g[dc + k];
	}
	for (int k = 0; k < 8; k++) {
		out[2 * k] = (uint8_t)(full[k] >> 8);
		out[2 * k + 1] = (uint8_t)(full[k] & 0xff);
	}
	return NULL;
}

enum perr ipaddr_parse(const char *s, size_t len, struct ipaddr *out, const char **why)
{
	const char *reason = NULL;
	struct ipaddr ip;
	memset(&ip, 0, sizeof ip);

	if (s == NULL || len == 0) {
		reason = "empty address";
		goto out;
	}
	if (len > IPADDR_TEXT_MAX) {
		reason = "too long to be an IP address";
		goto out;
	}
	int colon = 0, dot = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ':')
			colon = 1;
		else if (c == '.')
			dot = 1;
		else if (c == '%') {
			reason = "IPv6 zone index not allowed";
			goto out;
		} else if (!is_digit(c) && hex_value(c) < 0) {
			reason = "not an IP address";
			goto out;
		}
	}
	if (colon) {
		ip.family = 6;
		reason = parse_v6(s, len, ip.b);
	} else if (dot) {
		ip.family = 4;
		reason = parse_v4(s, len, ip.b);
	} else {
		reason = "not an IP address";
	}
out:
	if (reason != NULL) {
		if (why != NULL)
			*why = reason;
		return PERR_INVALID;
	}
	*out = ip;
	if (why != NULL)
		*why = NULL;
	return PERR_OK;
}

size_t ipaddr_format(const struct ipaddr *ip, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];
	if (inet_ntop(ip->family == 4 ? AF_INET : AF_INET6, ip->b, tmp, sizeof tmp) == NULL)
		return 0;
	size_t n = strlen(tmp);
	if (n >= len)
		return 0;
	memcpy(buf, tmp, n + 1);
	return n;
}

size_t ipaddr_network(const struct ipaddr *ip, unsigned v6_bits, char *buf, size_t len)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	struct ipaddr net = *ip;
	if (ip->family == 6 && memcmp(ip->b, mapped, sizeof mapped) == 0) {
		memset(&net, 0, sizeof net);
		net.family = 4;
		memcpy(net.b, ip->b + 12, 4);
	}
	if (net.family == 4)
		return ipaddr_format(&net, buf, len);
	if (v6_bits > 128)
		v6_bits = 128;
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = v6_bits > i * 8 ? v6_bits - i * 8 : 0;
		if (keep < 8)
			net.b[i] &= (uint8_t)(0xff00u >> keep);
	}
	char text[IPADDR_STR_LEN];
	if (ipaddr_format(&net, text, sizeof text) == 0)
		return 0;
	int n = snprintf(buf, len, "%s/%u", text, v6_bits);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

size_t ipaddr_reverse(const struct ipaddr *ip, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	if (ip->family == 4) {
		int n = snprintf(buf, len, "%u.%u.%u.%u", ip->b[3], ip->b[2], ip->b[1], ip->b[0]);
		return n > 0 && (size_t)n < len ? (size_t)n : 0;
	}
	if (len < 64)
		return 0;
	size_t o = 0;
	for (int i = 15; i >= 0; i--) {
		buf[o++] = hex[ip->b[i] & 0xf];
		buf[o++] = '.';
		buf[o++] = hex[ip->b[i] >> 4];
		if (i > 0)
			buf[o++] = '.';
	}
	buf[o] = '\0';
	return o;
}

static int in_v4(const uint8_t *a, uint32_t net, int bits)
{
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	uint32_t mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
	return (v & mask) == net;
}

static enum ipaddr_class classify_v4(const uint8_t *a)
{
	static const struct {
		uint32_t net;
		int bits;
		enum ipaddr_class c;
	} ranges[] = {
		{ 0x00000000, 8, IPADDR_UNSPECIFIED },
		{ 0x0a000000, 8, IPADDR_PRIVATE },
		{ 0x64400000, 10, IPADDR_SHARED },
		{ 0x7f000000, 8, IPADDR_LOOPBACK },
		{ 0xa9fe0000, 16, IPADDR_LINKLOCAL },
		{ 0xac100000, 12, IPADDR_PRIVATE },
		{ 0xc0000000, 24, IPADDR_RESERVED },
		{ 0xc0000200, 24, IPADDR_DOCUMENTATION },
		{ 0xc0a80000, 16, IPADDR_PRIVATE },
		{ 0xc6120000, 15, IPADDR_BENCHMARK },
		{ 0xc6336400, 24, IPADDR_DOCUMENTATION },
		{ 0xcb007100, 24, IPADDR_DOCUMENTATION },
		{ 0xe0000000, 4, IPADDR_MULTICAST },
		{ 0xf0000000, 4, IPADDR_RESERVED },
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		if (in_v4(a, ranges[i].net, ranges[i].bits))
			return ranges[i].c;
	return IPADDR_PUBLIC;
}

/* 1 when the first bits of a match the prefix p. */
static int in_v6(const uint8_t *a, const uint8_t *p, int bits)
{
	int bytes = bits / 8, rest = bits % 8;
	if (memcmp(a, p, (size_t)bytes) != 0)
		return 0;
	if (rest == 0)
		return 1;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[bytes] & mask) == (p[bytes] & mask);
}

static enum ipaddr_class classify_v6(const uint8_t *a)
{
	static const uint8_t zero[15];
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	static const struct {
		uint8_t p[8];
		int bits;
		enum ipaddr_class c;
	} ranges[] = {
		{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, IPADDR_DOCUMENTATION },
		{ { 0x3f, 0xff, 0x00, 0x00 }, 20, IPADDR_DOCUMENTATION },
		{ { 0x20, 0x01, 0x00, 0x02, 0x00, 0x00 }, 48, IPADDR_BENCHMARK },
		{ { 0xfc, 0x00 }, 7, IPADDR_PRIVATE },
		{ { 0xfe, 0x80 }, 10, IPADDR_LINKLOCAL },
		{ { 0xfe, 0xc0 }, 10, IPADDR_RESERVED },
		{ { 0xff, 0x00 }, 8, IPADDR_MULTICAST },
		{ { 0x01, 0x00, 0, 0, 0, 0, 0, 0 }, 64, IPADDR_RESERVED },     /* discard-only */
	};

	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return classify_v4(a + 12);
	if (memcmp(a, zero, 15) == 0) {
		if (a[15] == 0)
			return IPADDR_UNSPECIFIED;
		if (a[15] == 1)
			return IPADDR_LOOPBACK;
	}
	if (a[0] == 0)
		return IPADDR_RESERVED;   /* rest of ::/8 (IETF reserved, IPv4-compatible) */
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		if (in_v6(a, ranges[i].p, ranges[i].bits))
			return ranges[i].c;
	return IPADDR_PUBLIC;
}

enum ipaddr_class ipaddr_classify(const struct ipaddr *ip)
{
	return ip->family == 4 ? classify_v4(ip->b) : classify_v6(ip->b);
}

static const char *const class_names[IPADDR_CLASS__MAX] = {
	[IPADDR_PUBLIC] = "public",
	[IPADDR_UNSPECIFIED] = "unspecified",
	[IPADDR_LOOPBACK] = "loopback",
	[IPADDR_PRIVATE] = "private",
	[IPADDR_SHARED] = "shared",
	[IPADDR_LINKLOCAL] = "link-local",
	[IPADDR_DOCUMENTATION] = "documentation",
	[IPADDR_BENCHMARK] = "benchmark",
	[IPADDR_MULTICAST] = "multicast",
	[IPADDR_RESERVED] = "reserved",
};

static const char *const class_notes[IPADDR_CLASS__MAX] = {
	[IPADDR_PUBLIC] = "",
	[IPADDR_UNSPECIFIED] = "unspecified address: not sent to public lists",
	[IPADDR_LOOPBACK] = "loopback address: not sent to public lists",
	[IPADDR_PRIVATE] = "private address (never seen on the internet): not sent to public lists",
	[IPADDR_SHARED] = "carrier-grade NAT address (never seen on the internet): not sent to public lists",
	[IPADDR_LINKLOCAL] = "link-local address: not sent to public lists",
	[IPADDR_DOCUMENTATION] = "documentation address: not sent to public lists",
	[IPADDR_BENCHMARK] = "benchmarking address: not sent to public lists",
	[IPADDR_MULTICAST] = "multicast address: not sent to public lists",
	[IPADDR_RESERVED] = "reserved address: not sent to public lists",
};

const char *ipaddr_class_str(enum ipaddr_class c)
{
	return (unsigned)c < IPADDR_CLASS__MAX ? class_names[c] : "unknown";
}

const char *ipaddr_class_note(enum ipaddr_class c)
{
	return (unsigned)c < IPADDR_CLASS__MAX ? class_notes[c] : "";
}
