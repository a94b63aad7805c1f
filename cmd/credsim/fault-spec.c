/* The fault spec grammar (see fault-spec.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fault-spec.h"

/* Digits only: no sign, no blanks, no other base. */
static bool parse_count(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int find_kind(const struct fault_grammar *g, const char *name)
{
	for (int k = 0; k < g->nkinds; k++)
		if (!strcmp(name, g->kinds[k].name))
			return k;
	return -1;
}

static int bad_spec(const struct fault_grammar *g, const char *spec, char *err, size_t size)
{
	size_t n = snprintf(err, size, "invalid %s '%s': expected KIND[:ARG]%s[@N] with KIND ",
			    g->what, spec, g->command ? "[/COMMAND]" : "");

	for (int k = 0; k < g->nkinds && n < size; k++)
		n += snprintf(err + n, size - n, "%s%s", k == 0 ? "" : k + 1 < g->nkinds ? ", " : " or ",
			      g->kinds[k].name);
	return -1;
}

int fault_spec_parse(const struct fault_grammar *g, const char *spec, struct fault_spec *out,
		     char *err, size_t size)
{
	char buf[160], *at, *slash = NULL, *colon;
	const struct fault_kind_def *d;
	int k;

	memset(out, 0, sizeof(*out));
	if (strlen(spec) >= sizeof(buf))
		return bad_spec(g, spec, err, size);
	strcpy(buf, spec);
	/* @N is the last '@'; /COMMAND runs from the first '/' (its words may
	 * hold ':'); ARG follows the first ':' of what is left. */
	if ((at = strrchr(buf, '@'))) {
		*at++ = '\0';
		if (!parse_count(at, g->at_min, g->at_max, &out->at))
			return bad_spec(g, spec, err, size);
		out->has_at = true;
	}
	if (g->command && (slash = strchr(buf, '/'))) {
		*slash++ = '\0';
		if (!*slash || strlen(slash) >= sizeof(out->command))
			return bad_spec(g, spec, err, size);
		strcpy(out->command, slash);
	}
	if ((colon = strchr(buf, ':')))
		*colon++ = '\0';
	k = find_kind(g, buf);
	if (k < 0)
		return bad_spec(g, spec, err, size);
	d = &g->kinds[k];
	out->kind = k;
	out->arg = d->def;
	if (colon && (!d->has_arg || !parse_count(colon, d->min, d->max, &out->arg)))
		return bad_spec(g, spec, err, size);
	return 0;
}
