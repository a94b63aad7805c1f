/* Cropping window validators.
 *
 * C-RED 3 takes one window per axis, "A-B" in 0-based pixels: columns
 * within 0-639 in blocks of 32, rows within 0-511 in blocks of 4 (both the
 * start and the size are multiples of the block). HDR needs at least 96x72.
 *
 * C-RED One takes printer-style lists, 1-based: columns are 32-pixel blocks
 * 1-10, rows are single rows 1-256, e.g. "1,3,9-10". */
#include "model-impl.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

enum axis { AXIS_COLUMNS, AXIS_ROWS };

static const char *axis_name(enum axis a) { return a == AXIS_ROWS ? "rows" : "columns"; }

/* Up to 6 decimal digits at *p (no sign, no blanks); advances *p. */
static int take_uint(const char **p, int *v)
{
	size_t n = strspn(*p, "0123456789");

	if (n == 0 || n > 6)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v * 10 + ((*p)[i] - '0');
	*p += n;
	return 0;
}

/* "A-B" or "A" (single) at the start of s, ending at stop (a ',' or the
 * end of s). */
static int take_range(const char *s, const char **stop, int *a, int *b)
{
	const char *p = s;

	if (take_uint(&p, a) < 0)
		return -1;
	*b = *a;
	if (*p == '-') {
		p++;
		if (take_uint(&p, b) < 0)
			return -1;
	}
	*stop = p;
	return 0;
}

static int cred3_check(enum axis ax, const char *value, int *count)
{
	const char *name = axis_name(ax), *end;
	int block = ax == AXIS_COLUMNS ? 32 : 4, last = ax == AXIS_COLUMNS ? 639 : 511;
	int a, b;

	if (take_range(value, &end, &a, &b) < 0 || *end || !strchr(value, '-'))
		return cred_fail(CRED_ERR_ARG, "%s '%s': expected A-B within 0-%d, e.g. 0-%d",
				 name, value, last, last);
	if (a > b)
		return cred_fail(CRED_ERR_ARG, "%s '%s': start %d is after end %d", name, value, a, b);
	if (b > last)
		return cred_fail(CRED_ERR_ARG, "%s '%s': end %d is beyond %d", name, value, b, last);
	if (a % block)
		return cred_fail(CRED_ERR_ARG,
				 "%s '%s': start %d must be a multiple of %d (nearest: %d or %d)",
				 name, value, a, block, a - a % block, a - a % block + block);
	if ((b + 1) % block) {
		int down = b - (b + 1) % block, up = down + block;

		/* Offer the aligned ends on either side that keep a valid window. */
		if (down < a || up > last)
			return cred_fail(CRED_ERR_ARG,
					 "%s '%s': end+1 must be a multiple of %d (try end %d)",
					 name, value, block, down < a ? up : down);
		return cred_fail(CRED_ERR_ARG,
				 "%s '%s': end+1 must be a multiple of %d (nearest end: %d or %d)",
				 name, value, block, down, up);
	}
	*count = b - a + 1;
	return CRED_OK;
}

/* One item of a C-RED One list: "N" or "A-B" within 1..last, none of its
 * units already taken by an earlier item. owner[u] is the 1-based index
 * of the item that took unit u. */
static int credone_item(enum axis ax, const char *value, const char *item, size_t len,
			int idx, unsigned char *owner, int *units)
{
	const char *name = axis_name(ax), *unit = ax == AXIS_COLUMNS ? "column block" : "row";
	int last = ax == AXIS_COLUMNS ? 10 : 256, a, b;
	const char *stop;

	if (len == 0)
		return cred_fail(CRED_ERR_ARG, "%s '%s': item %d is empty", name, value, idx);
	if (take_range(item, &stop, &a, &b) < 0 || (size_t)(stop - item) != len)
		return cred_fail(CRED_ERR_ARG, "%s '%s': item %d '%.*s' is not N or A-B",
				 name, value, idx, (int)len, item);
	if (a > b)
		return cred_fail(CRED_ERR_ARG, "%s '%s': item %d '%.*s' is reversed (write %d-%d)",
				 name, value, idx, (int)len, item, b, a);
	if (a < 1 || b > last)
		return cred_fail(CRED_ERR_ARG, "%s '%s': %s %d is outside 1-%d", name, value, unit,
				 a < 1 ? a : b, last);
	for (int u = a; u <= b; u++) {
		if (owner[u])
			return cred_fail(CRED_ERR_ARG, "%s '%s': %s %d is selected twice (items %d and %d)",
					 name, value, unit, u, owner[u], idx);
		owner[u] = (unsigned char)(idx > 255 ? 255 : idx);
		(*units)++;
	}
	return CRED_OK;
}

/* owner: 257 zeroed bytes, owner[u] set for every unit u selected. */
static int credone_check(enum axis ax, const char *value, int *count, unsigned char *owner)
{
	const char *item = value;
	int idx = 1, units = 0, r;

	for (;;) {
		const char *comma = strchr(item, ',');
		size_t len = comma ? (size_t)(comma - item) : strlen(item);

		/* At most 256 units, so more items than that must overlap or be
		 * empty: the loop stops on the first error. */
		r = credone_item(ax, value, item, len, idx, owner, &units);
		if (r < 0)
			return r;
		if (!comma)
			break;
		item = comma + 1;
		idx++;
	}
	*count = ax == AXIS_COLUMNS ? units * 32 : units;
	return CRED_OK;
}

int cred_crop_check(enum cred_model_id model, const char *axis, const char *value, int *count)
{
	enum axis ax;
	int n = 0, r;

	cred_clear_error();
	if (count)
		*count = 0;
	if (!axis || (strcmp(axis, "columns") && strcmp(axis, "rows")))
		return cred_fail(CRED_ERR_ARG, "cropping axis must be columns or rows (got '%s')",
				 axis ? axis : "");
	ax = strcmp(axis, "rows") == 0 ? AXIS_ROWS : AXIS_COLUMNS;
	if (!value || !*value)
		return cred_fail(CRED_ERR_ARG, "%s: no cropping window given", axis);
	switch (model) {
	case CRED_MODEL_CRED3:
		r = cred3_check(ax, value, &n);
		break;
	case CRED_MODEL_CREDONE: {
		unsigned char owner[257] = { 0 };

		r = credone_check(ax, value, &n, owner);
		break;
	}
	default:
		return cred_fail(CRED_ERR_ARG, "cropping rules need a known camera model");
	}
	if (r == CRED_OK && count)
		*count = n;
	return r;
}

int cred_crop_first(enum cred_model_id model, const char *axis, const char *value, int *first)
{
	unsigned char owner[257] = { 0 };
	const char *end;
	int a = 1, b, n, r, runs = 0;

	*first = 0;
	r = cred_crop_check(model, axis, value, &n);
	if (r < 0)
		return r;
	if (model == CRED_MODEL_CRED3) {
		take_range(value, &end, &a, &b);
		*first = a;
		return 1;
	}
	credone_check(strcmp(axis, "rows") == 0 ? AXIS_ROWS : AXIS_COLUMNS, value, &n, owner);
	for (int u = 256; u >= 1; u--) {
		if (owner[u] && !owner[u - 1]) /* owner[0] is never set */
			runs++;
		if (owner[u])
			a = u;
	}
	/* 1-based units to 0-based pixels: column blocks are 32 wide */
	*first = strcmp(axis, "rows") == 0 ? a - 1 : (a - 1) * 32;
	return runs == 1;
}

int cred_crop_check_window(enum cred_model_id model, const char *columns, const char *rows, int hdr)
{
	const struct cred_model *m = cred_model_get(model);
	int w, h, r;

	cred_clear_error();
	if (!m)
		return cred_fail(CRED_ERR_ARG, "cropping rules need a known camera model");
	w = m->width;
	h = m->height;
	if (columns && (r = cred_crop_check(model, "columns", columns, &w)) < 0)
		return r;
	if (rows && (r = cred_crop_check(model, "rows", rows, &h)) < 0)
		return r;
	if (hdr && model == CRED_MODEL_CRED3 &&
	    (w < CRED_CRED3_HDR_MIN_COLUMNS || h < CRED_CRED3_HDR_MIN_ROWS))
		return cred_fail(CRED_ERR_ARG,
				 "HDR needs a window of at least %dx%d pixels (columns x rows; got %dx%d)",
				 CRED_CRED3_HDR_MIN_COLUMNS, CRED_CRED3_HDR_MIN_ROWS, w, h);
	return CRED_OK;
}
