/* `sim frames ...` and `sim usb ...` (see stream-cmds.h). */
#include <stdio.h>
#include <stdlib.h>
#include "pcap.h"
#include "sim.h"
#include "stream-cmds.h"
#include "stream.h"

static void add_line(void *ctx, const char *text)
{
	answer_line(ctx, "%s", text);
}

void h_sim_frames(struct interp_ctx *c)
{
	frames_describe(c->sim->frames, add_line, c->ans);
}

void h_sim_frames_faults(struct interp_ctx *c)
{
	const struct ffault_list *fl = frames_faults(c->sim->frames);
	char buf[160];

	for (int i = 0; i < fl->n; i++)
		answer_line(c->ans, "%s", ffault_describe(&fl->f[i], buf, sizeof(buf)));
	if (!fl->n)
		answer_line(c->ans, "no frame faults");
}

void h_sim_frames_fault_clear(struct interp_ctx *c)
{
	frames_fault_clear(c->sim->frames);
	answer_ok(c->ans);
}

void h_sim_frames_fault_add(struct interp_ctx *c)
{
	char err[300];

	if (frames_fault_add(c->sim->frames, c->args[0], err, sizeof(err)))
		answer_error(c->ans, "%s", err);
	else
		answer_ok(c->ans);
}

void h_sim_usb_record(struct interp_ctx *c)
{
	char msg[600], *end;
	long n = strtol(c->args[1], &end, 10);

	if (end == c->args[1] || *end || n < 1 || n > 1000000) {
		answer_error(c->ans, "invalid frame count '%s' (1 to 1000000)", c->args[1]);
		return;
	}
	if (camera_is_one(c->cam)) {
		answer_error(c->ans, "a C-RED One has no USB link (Camera Link only)");
		return;
	}
	if (usb_record(c->sim->frames, c->args[0], n, msg, sizeof(msg)) < 0) {
		answer_error(c->ans, "%s", msg);
		return;
	}
	answer_line(c->ans, "%s", msg);
	answer_ok(c->ans);
}

void h_sim_usb_device(struct interp_ctx *c)
{
	char msg[600];

	if (usb_describe(c->cam, c->args[0], msg, sizeof(msg))) {
		answer_error(c->ans, "%s", msg);
		return;
	}
	answer_line(c->ans, "%s", msg);
	answer_ok(c->ans);
}
