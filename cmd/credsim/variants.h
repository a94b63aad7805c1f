/* Answer variants: the forms real firmware prints that credsim does not
 * by default ("Result:OK" without its space, "syntax error" in another
 * case, event lines without the "event:" word), switched on with
 * `sim variant NAME` so the client is tested against them too. */
#ifndef CREDSIM_VARIANTS_H
#define CREDSIM_VARIANTS_H

#include <stdbool.h>

enum variant {
	VARIANT_RESULT_NOSPACE,  /* "Result:OK" (the C-RED One manual's form) */
	VARIANT_SYNTAX_LOWER,    /* "syntax error next to 'x'" */
	VARIANT_SYNTAX_UPPER,    /* "SYNTAX ERROR next to 'x'" */
	VARIANT_EVENT_BARE,      /* event lines are the message alone */
	VARIANT_COUNT
};

bool variant_on(enum variant v);

struct interp_ctx;
/* `sim variant`: the variants on; `sim variant clear`; `sim variant NAME`. */
void h_sim_variants(struct interp_ctx *c);
void h_sim_variant_clear(struct interp_ctx *c);
void h_sim_variant_add(struct interp_ctx *c);

#endif
