/* A small, bounds-checked DNS response reader for DNSBL answers. */
#include <string.h>

#include "dnsbl_answer.h"

#define DNS_HEADER_LEN 12
#define DNS_TYPE_A 1
#define DNS_TYPE_SOA 6
#define DNS_TYPE_TXT 16
#define DNS_CLASS_IN 1

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Advances *off past a (possibly compressed) name. Returns 0, or -1 when
 * the name runs off the end or uses a reserved label type. */
static int skip_name(const uint8_t *buf, size_t len, size_t *off)
{
	size_t o = *off;
	for (int labels = 0; labels < 128; labels++) {
		if (o >= len)
			return -1;
		uint8_t l = buf[o];
		if (l == 0) {
			*off = o + 1;
			return 0;
		}
		if ((l & 0xc0) == 0xc0) {
			if (o + 2 > len)
				return -1;
			*off = o + 2;
			return 0;
		}
		if ((l & 0xc0) != 0)
			return -1;
		o += 1u + l;
	}
	return -1;
}

static void lower_ttl(struct dnsbl_answer *out, uint32_t ttl)
{
	/* RFC 2181 §8: a TTL with the top bit set is treated as zero. */
	if (ttl > 0x7fffffffu)
		ttl = 0;
	if (!out->has_ttl || ttl < out->ttl)
		out->ttl = ttl;
	out->has_ttl = 1;
}

/* Appends the character-strings of one TXT RDATA to out->txt. */
static void add_txt(struct dnsbl_answer *out, const uint8_t *rd, size_t rdlen)
{
	size_t used = strlen(out->txt);
	if (out->ntxt > 0 && used + 3 < sizeof out->txt) {
		memcpy(out->txt + used, " | ", 3);
		used += 3;
		out->txt[used] = '\0';
	}
	size_t i = 0;
	while (i < rdlen) {
		size_t l = rd[i++];
		if (l > rdlen - i)
			l = rdlen - i;
		for (size_t k = 0; k < l && used + 1 < sizeof out->txt; k++) {
			uint8_t c = rd[i + k];
			out->txt[used++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
		}
		out->txt[used] = '\0';
		i += l;
	}
	out->ntxt++;
}

enum perr dnsbl_answer_parse(const uint8_t *buf, size_t len, struct dnsbl_answer *out)
{
	memset(out, 0, sizeof *out);
	if (buf == NULL || len < DNS_HEADER_LEN)
		goto bad;
	out->rcode = buf[3] & 0x0f;
	unsigned qd = get16(buf + 4), an = get16(buf + 6), ns = get16(buf + 8);
	size_t off = DNS_HEADER_LEN;

	for (unsigned i = 0; i < qd; i++) {
		if (skip_name(buf, len, &off) != 0 || off + 4 > len)
			goto bad;
		off += 4;
	}
	for (unsigned i = 0; i < an + ns; i++) {
		if (skip_name(buf, len, &off) != 0 || off + 10 > len)
			goto bad;
		uint16_t type = get16(buf + off), klass = get16(buf + off + 2);
		uint32_t ttl = get32(buf + off + 4);
		size_t rdlen = get16(buf + off + 8);
		off += 10;
		if (rdlen > len - off)
			goto bad;
		const uint8_t *rd = buf + off;
		off += rdlen;
		if (klass != DNS_CLASS_IN)
			continue;
		if (i < an && type == DNS_TYPE_A) {
			if (rdlen != 4)
				goto bad;
			if (out->na < DNSBL_ANSWER_A_MAX)
				out->a[out->na++] = get32(rd);
			lower_ttl(out, ttl);
		} else if (i < an && type == DNS_TYPE_TXT) {
			add_txt(out, rd, rdlen);
			lower_ttl(out, ttl);
		} else if (i >= an && type == DNS_TYPE_SOA && out->na == 0 && out->ntxt == 0) {
			/* Negative caching TTL (RFC 2308 §5): the lower of the SOA
			 * record's TTL and its MINIMUM field. */
			size_t o = 0;
			if (skip_name(rd, rdlen, &o) != 0 || skip_name(rd, rdlen, &o) != 0 ||
			    o + 20 > rdlen)
				goto bad;
			uint32_t minimum = get32(rd + o + 16);
			lower_ttl(out, ttl < minimum ? ttl : minimum);
		}
	}
	return PERR_OK;
bad:
	memset(out, 0, sizeof *out);
	return PERR_INVALID;
}
