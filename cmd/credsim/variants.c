/* Answer variants (see variants.h). */
#include <string.h>
#include "cmds.h"
#include "variants.h"

static const char *const names[VARIANT_COUNT] = {
	"result-nospace", "syntax-lower", "syntax-upper", "event-bare",
};
static bool on[VARIANT_COUNT];

bool variant_on(enum variant v)
{
	return on[v];
}

void h_sim_variants(struct interp_ctx *c)
{
	int n = 0;

	for (int i = 0; i < VARIANT_COUNT; i++)
		if (on[i]) {
			answer_line(c->ans, "%s", names[i]);
			n++;
		}
	if (!n)
		answer_line(c->ans, "no variants");
}

void h_sim_variant_clear(struct interp_ctx *c)
{
	memset(on, 0, sizeof(on));
	answer_ok(c->ans);
}

void h_sim_variant_add(struct interp_ctx *c)
{
	for (int i = 0; i < VARIANT_COUNT; i++)
		if (!strcmp(c->args[0], names[i])) {
			/* one case of "syntax error" at a time */
			if (i == VARIANT_SYNTAX_LOWER || i == VARIANT_SYNTAX_UPPER)
				on[VARIANT_SYNTAX_LOWER] = on[VARIANT_SYNTAX_UPPER] = false;
			on[i] = true;
			answer_ok(c->ans);
			return;
		}
	answer_error(c->ans, "unknown variant '%s' (result-nospace, syntax-lower, syntax-upper, "
		     "event-bare)", c->args[0]);
}
