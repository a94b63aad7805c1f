/* `sim light`: what the sensor sees (see light.h). */
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "sim.h"

void h_sim_light(struct interp_ctx *c)
{
	struct light *l = &c->cam->light;
	char word[8];
	const char *last = cmdtab_last_word(c->row, word, sizeof(word));
	char *end;
	double v;

	if (!strcmp(last, "light")) {
		if (l->mode == LIGHT_FLAT)
			answer_line(c->ans, "flat %.0f", l->level);
		else
			answer_line(c->ans, "%s", l->mode == LIGHT_DARK ? "dark" : "scene");
		return;
	}
	if (!strcmp(last, "dark") || !strcmp(last, "scene")) {
		l->mode = strcmp(last, "dark") ? LIGHT_SCENE : LIGHT_DARK;
		answer_ok(c->ans);
		return;
	}
	v = strtod(c->args[0], &end);
	if (end == c->args[0] || *end || !(v >= 0 && v <= 65535)) {
		answer_error(c->ans, "invalid level '%s' (ADU, 0-65535)", c->args[0]);
		return;
	}
	l->mode = LIGHT_FLAT;
	l->level = v;
	answer_ok(c->ans);
}
