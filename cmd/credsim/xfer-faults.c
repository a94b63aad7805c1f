/* Transfer faults (see xfer-faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fault-spec.h"
#include "xfer-faults.h"

static const struct fault_kind_def kinds[XF_KINDS] = {
	[XF_CORRUPT] = { "corrupt", true, 200, 0, 1L << 30 },
	[XF_LOSE] = { "lose", true, 200, 0, 1L << 30 },
	[XF_CUT] = { "cut", true, 200, 0, 1L << 30 },
	[XF_NAK] = { "nak", true, 3, 0, 1L << 30 },
	[XF_CANCEL] = { "cancel", true, 1, 1, 1L << 30 },
	[XF_CHECKSUM] = { "checksum", false, 0, 0, 0 },
	[XF_FETCH_FAIL] = { "fetch-fail", false, 0, 0, 0 },
	[XF_DISCARD] = { "discard", false, 0, 0, 0 },
};

static const struct fault_grammar grammar = {
	.what = "transfer fault", .kinds = kinds, .nkinds = XF_KINDS,
	.at_min = 1, .at_max = 1L << 30,
};

int xfault_parse(const char *spec, struct xfault *f, char *err, size_t size)
{
	struct fault_spec fs;

	memset(f, 0, sizeof(*f));
	if (fault_spec_parse(&grammar, spec, &fs, err, size))
		return -1;
	f->kind = fs.kind;
	f->arg = fs.arg;
	f->nth = fs.has_at ? fs.at : 0;
	return 0;
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
