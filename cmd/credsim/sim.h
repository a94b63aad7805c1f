/* The simulator as a whole: one camera, its command table, the fault list
 * and the open links. */
#ifndef CREDSIM_SIM_H
#define CREDSIM_SIM_H

#include <stdint.h>
#include "camera.h"
#include "cmdtab.h"
#include "faults.h"
#include "xfer-faults.h"

struct link;
struct frames;

struct sim {
	struct camera *cam;
	const struct cmd_table *table;   /* the model's commands */
	struct fault_list faults;
	struct xfault_list xfaults;      /* faults of file transfers */
	long baud;                       /* --baud: emulated line rate, 0: none */
	struct link *links;
	struct frames *frames;           /* the frame output (stream.h) */
	struct logs_server *logs;        /* exec logs over HTTP (logs.h) */
	uint64_t rng;                    /* fault randomness (--seed) */
	int verbose;
};

/* Per-model and simulator command tables (cmds-*.c). */
const struct cmd_table *cred3_commands(void);
const struct cmd_table *credone_commands(void);
const struct cmd_table *sim_commands(void);

/* Send pending camera events to every link ("event: TEXT\r\n"). */
void sim_broadcast_events(struct sim *sim);

#endif
