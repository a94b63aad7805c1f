/* Image tags: the frame counter and status bits a C-RED writes into the
 * first pixels of every frame (layout in cred-frame.h). */
#include "tags-impl.h"
#include "error-impl.h"

#include <string.h>

/* C-RED 3 pixel 3: bits 15-3 are always 1, so its high byte (offset 7,
 * little-endian) is always 0xff. */
#define CRED3_FIXED_BITS 0xfff8u
#define CRED3_FIXED_BYTE_AT 7

static inline unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline void put_le16(unsigned char *p, unsigned v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

size_t cred_tags_size(enum cred_tag_kind kind)
{
	switch (kind) {
	case CRED_TAGS_CRED3: return 8;
	case CRED_TAGS_CREDONE: return 6;
	default: return 0;
	}
}

static int decode_cred3(const struct cred_tag_rules *rules, const unsigned char *p,
			struct cred_tags *out)
{
	unsigned p3 = le16(p + 6);

	out->pixel2 = le16(p + 4);
	out->gain_cap = (p3 >> 1) & 3;
	out->marker = p3 & 1;
	if ((p3 & CRED3_FIXED_BITS) != CRED3_FIXED_BITS || out->gain_cap == 3)
		return 0;
	if (rules && rules->pixel2_zero && out->pixel2 != 0)
		return 0;
	return 1;
}

static int decode_credone(const struct cred_tag_rules *rules, const unsigned char *p,
			  struct cred_tags *out)
{
	out->pixel2 = le16(p + 4);
	out->gain_cap = -1;
	out->marker = -1;
	if (rules && rules->pixel2_max > 0 && out->pixel2 > rules->pixel2_max)
		return 0;
	return 1;
}

int cred_tags_decode(enum cred_tag_kind kind, const struct cred_tag_rules *rules,
		     const void *data, size_t len, struct cred_tags *out)
{
	const unsigned char *p = data;
	size_t need = cred_tags_size(kind);

	if (need == 0)
		return cred_fail(CRED_ERR_ARG, "frames without tags have nothing to decode");
	if (!data || !out || len < need)
		return cred_fail(CRED_ERR_ARG, "tags need %zu bytes", need);
	out->counter = (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
	if (kind == CRED_TAGS_CRED3)
		return decode_cred3(rules, p, out);
	return decode_credone(rules, p, out);
}

int cred_tags_encode(enum cred_tag_kind kind, const struct cred_tags *tags,
		     void *data, size_t len)
{
	unsigned char *p = data;
	size_t need = cred_tags_size(kind);

	if (need == 0 || !tags || !data || len < need)
		return cred_fail(CRED_ERR_ARG, "no room for tags of this kind");
	put_le16(p, tags->counter & 0xffff);
	put_le16(p + 2, tags->counter >> 16);
	put_le16(p + 4, tags->pixel2);
	if (kind == CRED_TAGS_CRED3) {
		if (tags->gain_cap < 0 || tags->gain_cap > 2 || tags->marker < 0 || tags->marker > 1)
			return cred_fail(CRED_ERR_ARG, "gain capacitor must be 0-2 and marker 0-1");
		put_le16(p + 6, CRED3_FIXED_BITS | (unsigned)tags->gain_cap << 1 |
				(unsigned)tags->marker);
	}
	return CRED_OK;
}

/* Valid tags at p (the caller made sure the bytes are there). */
static int tags_at(enum cred_tag_kind kind, const struct cred_tag_rules *rules,
		   const unsigned char *p)
{
	struct cred_tags t;

	return cred_tags_decode(kind, rules, p, cred_tags_size(kind), &t) == 1;
}

size_t cred_tags_find(enum cred_tag_kind kind, const struct cred_tag_rules *rules,
		      const unsigned char *p, size_t avail)
{
	size_t last = avail - cred_tags_size(kind); /* last checkable offset */

	if (kind == CRED_TAGS_CRED3) {
		/* Only offsets whose fixed byte reads 0xff can hold tags. */
		for (size_t i = 0; i <= last;) {
			const unsigned char *ff = memchr(p + i + CRED3_FIXED_BYTE_AT, 0xff, last - i + 1);

			if (!ff)
				return last + 1;
			i = (size_t)(ff - p) - CRED3_FIXED_BYTE_AT;
			if (tags_at(kind, rules, p + i))
				return i;
			i++;
		}
		return last + 1;
	}
	for (size_t i = 0; i <= last; i++)
		if (tags_at(kind, rules, p + i))
			return i;
	return last + 1;
}
