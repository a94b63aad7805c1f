/* Fault injection (see faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "faults.h"
#include "link.h"

#define PROMPT "\r\nfli-cli>"

static const struct {
	const char *name;
	long def;      /* default ARG, -1: takes none */
} kinds[F_KINDS] = {
	[F_DROP] = { "drop", 3 },
	[F_LATE_TAIL] = { "late-tail", 200 },
	[F_DOUBLE_PROMPT] = { "double-prompt", -1 },
	[F_STALL] = { "stall", 3000 },
	[F_GARBAGE] = { "garbage", 8 },
	[F_NO_ANSWER] = { "no-answer", -1 },
};

static int parse_count(const char *s, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

int fault_parse(const char *spec, struct fault *f, char *err, size_t size)
{
	char buf[160], *at, *slash, *colon;
	int k;

	memset(f, 0, sizeof(*f));
	if (strlen(spec) >= sizeof(buf))
		goto bad;
	strcpy(buf, spec);
	if ((at = strrchr(buf, '@'))) {
		*at++ = '\0';
		if (parse_count(at, 1000000, &f->nth))
			goto bad;
	}
	if ((slash = strchr(buf, '/'))) {
		*slash++ = '\0';
		if (!*slash || strlen(slash) >= sizeof(f->command))
			goto bad;
		strcpy(f->command, slash);
	}
	if ((colon = strchr(buf, ':')))
		*colon++ = '\0';
	for (k = 0; k < F_KINDS && strcmp(buf, kinds[k].name); k++)
		;
	if (k == F_KINDS || (colon && kinds[k].def < 0))
		goto bad;
	f->kind = k;
	f->arg = kinds[k].def;
	if (colon && parse_count(colon, 600000, &f->arg))
		goto bad;
	return 0;
bad:
	snprintf(err, size, "invalid fault '%s': expected KIND[:ARG][/COMMAND][@N] with KIND "
		 "drop, late-tail, double-prompt, stall, garbage or no-answer", spec);
	return -1;
}

int faults_add(struct fault_list *fl, const char *spec, char *err, size_t size)
{
	struct fault f;

	if (fault_parse(spec, &f, err, size))
		return -1;
	if (fl->n == MAX_FAULTS) {
		snprintf(err, size, "too many faults (at most %d)", MAX_FAULTS);
		return -1;
	}
	fl->f[fl->n++] = f;
	return 0;
}

void faults_clear(struct fault_list *fl)
{
	fl->n = 0;
}

const char *fault_describe(const struct fault *f, char *buf, size_t size)
{
	size_t n = snprintf(buf, size, "%s", kinds[f->kind].name);

	if (kinds[f->kind].def >= 0)
		n += snprintf(buf + n, n < size ? size - n : 0, ":%ld", f->arg);
	if (f->command[0])
		n += snprintf(buf + n, n < size ? size - n : 0, "/%s", f->command);
	if (f->nth)
		n += snprintf(buf + n, n < size ? size - n : 0, "@%ld", f->nth);
	snprintf(buf + n, n < size ? size - n : 0, " (matched %ld, fired %ld)", f->seen, f->fired);
	return buf;
}

/* line starts with the words of command */
static int command_matches(const char *command, const char *line)
{
	size_t n = strlen(command);

	return !n || (!strncmp(line, command, n) && (line[n] == '\0' || line[n] == ' '));
}

void faults_match(struct fault_list *fl, const char *line, struct fault_effect *eff)
{
	memset(eff, 0, sizeof(*eff));
	for (int i = 0; i < fl->n; i++) {
		struct fault *f = &fl->f[i];

		if (!command_matches(f->command, line))
			continue;
		f->seen++;
		if (f->nth && f->seen != f->nth)
			continue;
		f->fired++;
		eff->mask |= 1u << f->kind;
		switch (f->kind) {
		case F_DROP: eff->drop += f->arg; break;
		case F_GARBAGE: eff->garbage += f->arg; break;
		case F_STALL: eff->stall_ms += f->arg; break;
		case F_LATE_TAIL: eff->tail_ms = f->arg; break;
		default: break;
		}
	}
}

static uint32_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 0x2545F4914F6CDD1DULL) >> 32);
}

static void append(char **buf, size_t *len, const void *data, size_t n)
{
	char *p = realloc(*buf, *len + n + 1);

	if (!p)
		abort();
	memcpy(p + *len, data, n);
	*len += n;
	*buf = p;
}

int64_t faults_emit(struct link *l, const struct fault_effect *eff, const char *body, size_t len,
		    int64_t at, uint64_t *rng)
{
	char *out = NULL, *text = malloc(len + 1);
	size_t outlen = 0, textlen = len;

	if (!text)
		abort();
	memcpy(text, body, len);
	at += eff->stall_ms;
	if (eff->mask & (1u << F_NO_ANSWER)) {
		free(text);
		return at;
	}
	if ((eff->mask & (1u << F_DROP)) && textlen) {
		size_t n = (size_t)eff->drop < textlen ? (size_t)eff->drop : textlen;
		size_t pos = next_random(rng) % (textlen - n + 1);

		memmove(text + pos, text + pos + n, textlen - pos - n);
		textlen -= n;
	}
	for (long i = 0; i < eff->garbage; i++) {
		char b = (char)next_random(rng);

		append(&out, &outlen, &b, 1);
	}
	append(&out, &outlen, text, textlen);
	append(&out, &outlen, PROMPT, strlen(PROMPT));
	if (eff->mask & (1u << F_DOUBLE_PROMPT))
		append(&out, &outlen, PROMPT, strlen(PROMPT));
	link_queue(l, out, outlen, at);
	if (eff->mask & (1u << F_LATE_TAIL)) {
		outlen = 0;
		append(&out, &outlen, text + textlen / 2, textlen - textlen / 2);
		append(&out, &outlen, PROMPT, strlen(PROMPT));
		link_queue(l, out, outlen, at + eff->tail_ms);
	}
	free(out);
	free(text);
	return at;
}
