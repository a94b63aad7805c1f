/* Fault injection (see faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fault-spec.h"
#include "faults.h"
#include "link.h"

#define PROMPT "\r\nfli-cli>"

static const struct fault_kind_def kinds[F_KINDS] = {
	[F_DROP] = { "drop", true, 3, 1, 600000 },
	[F_LATE_TAIL] = { "late-tail", true, 200, 1, 600000 },
	[F_DOUBLE_PROMPT] = { "double-prompt", false, 0, 0, 0 },
	[F_STALL] = { "stall", true, 3000, 1, 600000 },
	[F_GARBAGE] = { "garbage", true, 8, 1, 600000 },
	[F_NO_ANSWER] = { "no-answer", false, 0, 0, 0 },
};

static const struct fault_grammar grammar = {
	.what = "fault", .kinds = kinds, .nkinds = F_KINDS, .command = true,
	.at_min = 1, .at_max = 1000000,
};

int fault_parse(const char *spec, struct fault *f, char *err, size_t size)
{
	struct fault_spec fs;

	memset(f, 0, sizeof(*f));
	if (fault_spec_parse(&grammar, spec, &fs, err, size))
		return -1;
	f->kind = fs.kind;
	f->arg = fs.arg;
	f->nth = fs.has_at ? fs.at : 0;
	snprintf(f->command, sizeof(f->command), "%s", fs.command);
	return 0;
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

	if (kinds[f->kind].has_arg)
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
