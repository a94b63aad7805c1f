/* Generic get/set of settings through descriptors (see params.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer.h"
#include "interp.h"
#include "params.h"

const char *const choices_onoff[] = { "off", "on", NULL };
const char *const choices_ipmode[] = { "manual", "automatic", NULL };

static void *field(const struct camera *cam, const struct param *p)
{
	return (char *)cam + p->off;
}

const char *param_format(const struct camera *cam, const struct param *p, char *buf, size_t size)
{
	void *f = field(cam, p);

	switch (p->type) {
	case P_SWITCH:
		snprintf(buf, size, "%s", *(bool *)f ? "on" : "off");
		break;
	case P_CHOICE:
		snprintf(buf, size, "%s", p->choices[*(int *)f]);
		break;
	case P_INT:
		snprintf(buf, size, "%ld", *(long *)f);
		break;
	case P_REAL:
		fmt_real(buf, size, *(double *)f);
		break;
	case P_TEXT:
		snprintf(buf, size, "%s", (char *)f);
		break;
	}
	return buf;
}

void h_param_get(struct interp_ctx *c)
{
	const struct param *p = c->row->arg;
	char buf[256];

	if (p->type == P_REAL && p->vfmt && !c->raw) {
		snprintf(buf, sizeof(buf), p->vfmt, *(double *)field(c->cam, p));
		answer_value(c->ans, false, p->label, "%s", buf);
		return;
	}
	answer_value(c->ans, c->raw, p->label, "%s", param_format(c->cam, p, buf, sizeof(buf)));
}

static int parse_number(const struct param *p, const char *text, double *out)
{
	char *end;

	errno = 0;
	if (p->type == P_INT) {
		long v = strtol(text, &end, 10);

		*out = (double)v;
	} else {
		*out = strtod(text, &end);
	}
	return (end == text || *end || errno || !isfinite(*out)) ? -1 : 0;
}

static int parse_value(struct camera *cam, const struct param *p, const char *text,
		       union pvalue *v, char *msg, size_t size)
{
	double lo = p->min, hi = p->max, d;
	char a[32], b[32];

	switch (p->type) {
	case P_SWITCH:
		v->b = !strcmp(text, "on") || !strcmp(text, "enable");
		if (v->b || !strcmp(text, "off") || !strcmp(text, "disable"))
			return 0;
		break;
	case P_CHOICE:
		for (int i = 0; p->choices[i]; i++)
			if (!strcmp(text, p->choices[i])) {
				v->choice = i;
				return 0;
			}
		break;
	case P_TEXT:
		if (!*text || strlen(text) > (size_t)p->max) {
			snprintf(msg, size, "invalid %s '%s' (1 to %.0f characters)", p->name,
				 text, p->max);
			return -1;
		}
		v->text = text;
		return 0;
	case P_INT:
	case P_REAL:
		if (parse_number(p, text, &d))
			break;
		if (p->limits)
			p->limits(cam, &lo, &hi);
		/* a limit read back in its printed form (9 digits) may round
		 * past the exact one: take it as the limit */
		if (d > hi && d <= hi + fabs(hi) * 1e-8)
			d = hi;
		if (d < lo && d >= lo - fabs(lo) * 1e-8)
			d = lo;
		if (d < lo || d > hi) {
			snprintf(msg, size, "%s out of range [%s-%s]", p->name,
				 fmt_real(a, sizeof(a), lo), fmt_real(b, sizeof(b), hi));
			return -1;
		}
		if (p->type == P_INT)
			v->i = (long)d;
		else
			v->r = d;
		return 0;
	}
	snprintf(msg, size, "invalid value '%s' for %s", text, p->name);
	return -1;
}

int param_assign(struct camera *cam, const struct param *p, const char *text, double now,
		 char *msg, size_t size)
{
	union pvalue v;
	void *f = field(cam, p);

	if (parse_value(cam, p, text, &v, msg, size))
		return -1;
	if (p->check && p->check(cam, &v, msg, size))
		return -1;
	switch (p->type) {
	case P_SWITCH:
		*(bool *)f = v.b;
		break;
	case P_CHOICE:
		*(int *)f = v.choice;
		break;
	case P_INT:
		*(long *)f = v.i;
		break;
	case P_REAL:
		*(double *)f = v.r;
		break;
	case P_TEXT:
		snprintf(f, (size_t)p->max + 1, "%s", v.text);
		break;
	}
	if (p->changed)
		p->changed(cam, now);
	return 0;
}

void h_param_set(struct interp_ctx *c)
{
	const struct param *p = c->row->arg;
	char word[64], msg[256];
	const char *text = c->nargs ? c->args[c->nargs - 1] :
		cmdtab_last_word(c->row, word, sizeof(word));

	if (param_assign(c->cam, p, text, c->now, msg, sizeof(msg)))
		answer_error(c->ans, "%s", msg);
	else
		answer_ok(c->ans);
}

int check_ipv4(struct camera *cam, const union pvalue *v, char *msg, size_t size)
{
	struct in_addr a;

	if (strlen(v->text) < 16 && inet_pton(AF_INET, v->text, &a) == 1)
		return 0;
	snprintf(msg, size, "invalid IPv4 address '%s'", v->text);
	return -1;
}
