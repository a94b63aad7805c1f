/* Faults on the frame stream (see stream-faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fault-spec.h"
#include "stream-faults.h"

static const struct fault_kind_def kinds[FF_KINDS] = {
	[FF_DROP] = { "drop", true, 1, 1, 1L << 30 },
	[FF_CORRUPT] = { "corrupt", true, 8, 1, 1L << 30 },
	[FF_TRUNCATE] = { "truncate", true, 1024, 1, 1L << 30 },
	[FF_SHORT] = { "short", true, 0, 0, 1L << 30 },
	[FF_STALL] = { "stall", true, 1000, 1, 1L << 30 },
	[FF_GONE] = { "gone", false, 0, 0, 0 },
};

static const struct fault_grammar grammar = {
	.what = "frame fault", .kinds = kinds, .nkinds = FF_KINDS,
	.at_min = 0, .at_max = 0xffffffffL,
};

int ffault_parse(const char *spec, struct ffault *f, char *err, size_t size)
{
	struct fault_spec fs;

	memset(f, 0, sizeof(*f));
	if (fault_spec_parse(&grammar, spec, &fs, err, size))
		return -1;
	f->kind = fs.kind;
	f->arg = fs.arg;
	f->has_at = fs.has_at;
	f->at = (uint32_t)fs.at;
	return 0;
}

int ffaults_add(struct ffault_list *fl, const char *spec, uint32_t next_counter, char *err,
		size_t size)
{
	struct ffault f;

	if (ffault_parse(spec, &f, err, size))
		return -1;
	if (fl->n == MAX_FFAULTS) {
		snprintf(err, size, "too many frame faults (at most %d)", MAX_FFAULTS);
		return -1;
	}
	if (!f.has_at) {
		f.has_at = true;
		f.at = next_counter;
	}
	fl->f[fl->n++] = f;
	return 0;
}

void ffaults_clear(struct ffault_list *fl)
{
	fl->n = 0;
}

const char *ffault_describe(const struct ffault *f, char *buf, size_t size)
{
	if (!kinds[f->kind].has_arg)
		snprintf(buf, size, "%s@%lu (fired %ld)", kinds[f->kind].name, (unsigned long)f->at,
			 f->fired);
	else
		snprintf(buf, size, "%s:%ld@%lu (fired %ld)", kinds[f->kind].name, f->arg,
			 (unsigned long)f->at, f->fired);
	return buf;
}

static bool hits(const struct ffault *f, uint32_t counter)
{
	uint32_t span = f->kind == FF_DROP ? (uint32_t)f->arg : 1;

	return counter - f->at < span; /* unsigned: also across the wrap */
}

void ffaults_match(struct ffault_list *fl, uint32_t counter, struct ffault_effect *eff)
{
	memset(eff, 0, sizeof(*eff));
	eff->short_at = -1;
	for (int i = 0; i < fl->n; i++) {
		struct ffault *f = &fl->f[i];

		if (!hits(f, counter))
			continue;
		f->fired++;
		switch (f->kind) {
		case FF_DROP: eff->drop = true; break;
		case FF_CORRUPT: eff->corrupt += f->arg; break;
		case FF_TRUNCATE: eff->truncate += f->arg; break;
		case FF_SHORT: eff->short_at = f->arg; break;
		case FF_STALL:
			eff->stall = true;
			eff->stall_ms += f->arg;
			break;
		case FF_GONE: eff->gone = true; break;
		default: break;
		}
	}
}

void ffault_corrupt(uint8_t *data, size_t n, uint32_t counter)
{
	uint32_t x = counter * 2654435761u + 12345;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data[i] ^= (uint8_t)(1 + x % 255); /* never 0: the byte changes */
	}
}
