/* Transfer faults (see xfer-faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xfer-faults.h"

static const struct {
	const char *name;
	long def;      /* default ARG */
	bool has_arg;
} kinds[XF_KINDS] = {
	[XF_CORRUPT] = { "corrupt", 200, true },
	[XF_LOSE] = { "lose", 200, true },
	[XF_CUT] = { "cut", 200, true },
	[XF_NAK] = { "nak", 3, true },
	[XF_CANCEL] = { "cancel", 1, true },
	[XF_CHECKSUM] = { "checksum", 0, false },
	[XF_FETCH_FAIL] = { "fetch-fail", 0, false },
	[XF_DISCARD] = { "discard", 0, false },
};

static int number(const char *text, long lo, long *out)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (end == text || *end || v < lo || v > 1L << 30)
		return -1;
	*out = v;
	return 0;
}

int xfault_parse(const char *spec, struct xfault *f, char *err, size_t size)
{
	char buf[64], *at, *colon;
	int k;

	memset(f, 0, sizeof(*f));
	snprintf(buf, sizeof(buf), "%s", spec);
	if ((at = strchr(buf, '@'))) {
		*at++ = '\0';
		if (number(at, 1, &f->nth))
			goto bad;
	}
	if ((colon = strchr(buf, ':')))
		*colon++ = '\0';
	for (k = 0; k < XF_KINDS && strcmp(buf, kinds[k].name); k++)
		;
	if (k == XF_KINDS || (colon && !kinds[k].has_arg))
		goto bad;
	f->kind = k;
	f->arg = kinds[k].def;
	if (colon && number(colon, k == XF_CANCEL ? 1 : 0, &f->arg))
		goto bad;
	return 0;
bad:
	snprintf(err, size, "invalid transfer fault '%s' (KIND[:ARG][@N], KIND one of corrupt, "
		 "lose, cut, nak, cancel, checksum, fetch-fail, discard)", spec);
	return -1;
}

int xfaults_add(struct xfault_list *fl, const char *spec, char *err, size_t size)
{
	if (xfault_parse(spec, &fl->f[fl->n < MAX_XFAULTS ? fl->n : 0], err, size))
		return -1;
	if (fl->n == MAX_XFAULTS) {
		snprintf(err, size, "too many transfer faults (at most %d)", MAX_XFAULTS);
		return -1;
	}
	fl->n++;
	return 0;
}

void xfaults_clear(struct xfault_list *fl)
{
	fl->n = 0;
}

const char *xfault_describe(const struct xfault *f, char *buf, size_t size)
{
	char arg[24] = "", nth[24] = "";

	if (kinds[f->kind].has_arg)
		snprintf(arg, sizeof(arg), ":%ld", f->arg);
	if (f->nth)
		snprintf(nth, sizeof(nth), "@%ld", f->nth);
	snprintf(buf, size, "%s%s%s (seen %ld, fired %ld)", kinds[f->kind].name, arg, nth,
		 f->seen, f->fired);
	return buf;
}

void xfer_effect_none(struct xfer_effect *eff)
{
	memset(eff, 0, sizeof(*eff));
	eff->corrupt_at = eff->lose_at = eff->cut_at = -1;
}

static void apply(const struct xfault *f, struct xfer_effect *eff)
{
	switch (f->kind) {
	case XF_CORRUPT: eff->corrupt_at = f->arg; break;
	case XF_LOSE: eff->lose_at = f->arg; break;
	case XF_CUT: eff->cut_at = f->arg; break;
	case XF_NAK: eff->nak_count = f->arg; break;
	case XF_CANCEL: eff->cancel_block = f->arg; break;
	case XF_CHECKSUM: eff->checksum = true; break;
	case XF_FETCH_FAIL: eff->fetch_fail = true; break;
	case XF_DISCARD: eff->discard = true; break;
	default: break;
	}
}

void xfaults_match(struct xfault_list *fl, struct xfer_effect *eff)
{
	xfer_effect_none(eff);
	for (int i = 0; i < fl->n; i++) {
		struct xfault *f = &fl->f[i];

		f->seen++;
		if (f->nth && f->seen != f->nth)
			continue;
		f->fired++;
		apply(f, eff);
	}
}

size_t xfer_line_filter(const struct xfer_effect *eff, uint64_t pos, uint8_t *buf, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		int64_t at = (int64_t)(pos + i);

		if ((eff->cut_at >= 0 && at >= eff->cut_at) || at == eff->lose_at)
			continue;
		buf[out] = buf[i];
		if (at == eff->corrupt_at)
			buf[out] ^= 0x01;
		out++;
	}
	return out;
}
