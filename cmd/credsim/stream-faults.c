/* Faults on the frame stream (see stream-faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stream-faults.h"

static const struct {
	const char *name;
	long def;      /* default ARG, -1: takes none */
	long min;
} kinds[FF_KINDS] = {
	[FF_DROP] = { "drop", 1, 1 },
	[FF_CORRUPT] = { "corrupt", 8, 1 },
	[FF_TRUNCATE] = { "truncate", 1024, 1 },
	[FF_SHORT] = { "short", 0, 0 },
	[FF_STALL] = { "stall", 1000, 1 },
	[FF_GONE] = { "gone", -1, 0 },
};

static int parse_num(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int ffault_parse(const char *spec, struct ffault *f, char *err, size_t size)
{
	char buf[96], *at, *colon;
	long v;
	int k;

	memset(f, 0, sizeof(*f));
	if (strlen(spec) >= sizeof(buf))
		goto bad;
	strcpy(buf, spec);
	if ((at = strrchr(buf, '@'))) {
		*at++ = '\0';
		if (parse_num(at, 0, 0xffffffffL, &v))
			goto bad;
		f->has_at = true;
		f->at = (uint32_t)v;
	}
	if ((colon = strchr(buf, ':')))
		*colon++ = '\0';
	for (k = 0; k < FF_KINDS && strcmp(buf, kinds[k].name); k++)
		;
	if (k == FF_KINDS || (colon && kinds[k].def < 0))
		goto bad;
	f->kind = k;
	f->arg = kinds[k].def;
	if (colon && parse_num(colon, kinds[k].min, 1L << 30, &f->arg))
		goto bad;
	return 0;
bad:
	snprintf(err, size, "invalid frame fault '%s': expected KIND[:ARG][@N] with KIND drop, "
		 "corrupt, truncate, short, stall or gone", spec);
	return -1;
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
	if (kinds[f->kind].def < 0)
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
