/* Cropping windows (see crop.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crop.h"

#define ONE_BLOCKS 10
#define ONE_ROWS 256

void crop_full(enum sim_model m, struct crop *c)
{
	memset(c, 0, sizeof(*c));
	c->c0 = 0;
	c->c1 = 639;
	c->r0 = 0;
	c->r1 = 511;
	c->cblocks = (1u << ONE_BLOCKS) - 1;
	memset(c->rows, 0xff, sizeof(c->rows));
	(void)m;
}

/* A decimal number without sign or spaces; advances *p. */
static int read_uint(const char **p, int *out)
{
	long v = 0;

	if (!isdigit((unsigned char)**p))
		return -1;
	while (isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		if (v > 100000)
			return -1;
		(*p)++;
	}
	*out = (int)v;
	return 0;
}

static int parse_window(enum crop_axis axis, const char *text, struct crop *c,
			char *err, size_t errlen)
{
	int step = axis == CROP_COLUMNS ? 32 : 4, max = axis == CROP_COLUMNS ? 639 : 511;
	const char *p = text;
	int a, b;

	if (read_uint(&p, &a) || *p++ != '-' || read_uint(&p, &b) || *p ||
	    a >= b || b > max || a % step || (b + 1) % step) {
		snprintf(err, errlen, "invalid cropping %s '%s': expected A-B within 0-%d, "
			 "A and B+1 multiples of %d", axis == CROP_COLUMNS ? "columns" : "rows",
			 text, max, step);
		return -1;
	}
	if (axis == CROP_COLUMNS) {
		c->c0 = a;
		c->c1 = b;
	} else {
		c->r0 = a;
		c->r1 = b;
	}
	return 0;
}

static void set_bit(uint8_t *bits, int i)
{
	bits[i / 8] |= 1u << (i % 8);
}

static bool get_bit(const uint8_t *bits, int i)
{
	return bits[i / 8] & (1u << (i % 8));
}

/* "1,3,9-10" into a bitset of 1..max (bit i-1). */
static int parse_list(const char *text, int max, uint8_t *bits)
{
	const char *p = text;

	for (;;) {
		int a, b;

		if (read_uint(&p, &a))
			return -1;
		b = a;
		if (*p == '-') {
			p++;
			if (read_uint(&p, &b))
				return -1;
		}
		if (a < 1 || b > max || a > b)
			return -1;
		for (int i = a; i <= b; i++)
			set_bit(bits, i - 1);
		if (*p != ',')
			return *p ? -1 : 0;
		p++;
	}
}

static int parse_one(enum crop_axis axis, const char *text, struct crop *c,
		     char *err, size_t errlen)
{
	int max = axis == CROP_COLUMNS ? ONE_BLOCKS : ONE_ROWS;
	uint8_t bits[32] = { 0 };

	if (parse_list(text, max, bits)) {
		snprintf(err, errlen, "invalid cropping %s '%s': expected a list like 1,3,9-10 "
			 "within 1-%d", axis == CROP_COLUMNS ? "columns" : "rows", text, max);
		return -1;
	}
	if (axis == CROP_COLUMNS)
		c->cblocks = bits[0] | (uint16_t)bits[1] << 8;
	else
		memcpy(c->rows, bits, sizeof(c->rows));
	return 0;
}

int crop_parse(enum sim_model m, enum crop_axis axis, const char *text, struct crop *c,
	       char *err, size_t errlen)
{
	if (m == SIM_CRED3)
		return parse_window(axis, text, c, err, errlen);
	return parse_one(axis, text, c, err, errlen);
}

/* Compress a bitset of 1..max into "1,3,9-10". */
static void format_list(const uint8_t *bits, int max, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < max; i++) {
		int j = i;

		if (!get_bit(bits, i))
			continue;
		while (j + 1 < max && get_bit(bits, j + 1))
			j++;
		n += snprintf(buf + n, n < size ? size - n : 0, "%s%d", n ? "," : "", i + 1);
		if (j > i)
			n += snprintf(buf + n, n < size ? size - n : 0, "-%d", j + 1);
		i = j;
	}
}

const char *crop_format(enum sim_model m, enum crop_axis axis, const struct crop *c,
			char *buf, size_t size)
{
	if (m == SIM_CRED3) {
		if (axis == CROP_COLUMNS)
			snprintf(buf, size, "%d-%d", c->c0, c->c1);
		else
			snprintf(buf, size, "%d-%d", c->r0, c->r1);
	} else if (axis == CROP_COLUMNS) {
		uint8_t bits[2] = { c->cblocks & 0xff, c->cblocks >> 8 };

		format_list(bits, ONE_BLOCKS, buf, size);
	} else {
		format_list(c->rows, ONE_ROWS, buf, size);
	}
	return buf;
}

int crop_blocks(const struct crop *c)
{
	return __builtin_popcount(c->cblocks);
}

int crop_width(enum sim_model m, const struct crop *c)
{
	return m == SIM_CRED3 ? c->c1 - c->c0 + 1 : 32 * crop_blocks(c);
}

int crop_height(enum sim_model m, const struct crop *c)
{
	int n = 0;

	if (m == SIM_CRED3)
		return c->r1 - c->r0 + 1;
	for (int i = 0; i < ONE_ROWS; i++)
		n += get_bit(c->rows, i);
	return n;
}
