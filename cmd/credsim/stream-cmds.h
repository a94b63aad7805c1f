/* The simulator's commands about frames (`sim frames ...`, `sim usb ...`),
 * listed in the sim table (cmds-sim.c). */
#ifndef CREDSIM_STREAM_CMDS_H
#define CREDSIM_STREAM_CMDS_H

#include "interp.h"

void h_sim_frames(struct interp_ctx *c);
void h_sim_frames_faults(struct interp_ctx *c);
void h_sim_frames_fault_clear(struct interp_ctx *c);
void h_sim_frames_fault_add(struct interp_ctx *c);
void h_sim_usb_record(struct interp_ctx *c);
void h_sim_usb_device(struct interp_ctx *c);

#endif
