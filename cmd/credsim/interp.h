/* The command interpreter of one link: cuts input into lines (\n, \r or
 * \r\n), strips the `raw` keyword, finds the row, checks the camera state,
 * runs the handler and sends the answer followed by "\r\nfli-cli>",
 * through the faults. While a transfer runs the link's bytes go to its
 * receiver instead. */
#ifndef CREDSIM_INTERP_H
#define CREDSIM_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "answer.h"
#include "cmdtab.h"

struct sim;
struct link;
struct camera;
struct receiver;

/* What a handler gets. */
struct interp_ctx {
	struct sim *sim;
	struct camera *cam;
	struct link *link;
	struct answer *ans;
	const struct cmd_row *row;
	char *args[MAX_ARGS];
	int nargs;
	bool raw;        /* the command ended with `raw` */
	double now;      /* simulated seconds */
	int64_t now_ms;  /* real ms */
};

/* Bytes arrived on a link. */
void interp_input(struct sim *sim, struct link *l, const uint8_t *data, size_t len);
/* Run what was waiting (a busy period ended, a transfer timed out). */
void interp_poll(struct sim *sim, struct link *l, int64_t now_ms);
/* From a handler: hand the link's next bytes to rx; the answer is deferred
 * until the receiver finishes. */
void interp_receive(struct interp_ctx *c, struct receiver *rx);

#endif
