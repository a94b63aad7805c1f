/* Command handlers shared by both models (cmds-common.c) and the
 * parameters both tables use. Each model's table is in cmds-cred3.c and
 * cmds-credone.c; the simulator's own commands in cmds-sim.c. */
#ifndef CREDSIM_CMDS_H
#define CREDSIM_CMDS_H

#include "cmdtab.h"
#include "interp.h"
#include "params.h"

/* Limits that follow the configuration (arg of h_limit). */
enum limit {
	L_MINFPS, L_MAXFPS, L_MAXFPSUSB, L_MINTINT, L_MAXTINT, L_MAXTINTITR,
	L_MINSYNCDELAY, L_MAXSYNCDELAY, L_STEPSYNCDELAY, L_MAXGAIN,
};
extern const int limit_ids[];      /* &limit_ids[L_x] is a row's arg */

/* Version lines (arg of h_version). */
enum version_part { V_ALL, V_FIRMWARE, V_FIRMWARE_DETAILED, V_FIRMWARE_BUILD, V_FPGA,
		    V_FPGA_DETAILED, V_HARDWARE };
extern const int version_ids[];

extern const int axis_ids[];       /* &axis_ids[CROP_COLUMNS], &axis_ids[CROP_ROWS] */
extern const int temp_ids[];       /* &temp_ids[i]: temperature sensor i */
extern const int nuc_ids[];        /* &nuc_ids[NUC_BIAS] ... */

void h_help(struct interp_ctx *c);
void h_status(struct interp_ctx *c);
void h_status_detailed(struct interp_ctx *c);
void h_version(struct interp_ctx *c);
void h_cameratype(struct interp_ctx *c);
void h_hwuid(struct interp_ctx *c);
void h_ipaddress(struct interp_ctx *c);
void h_ip_refresh(struct interp_ctx *c);
void h_continue(struct interp_ctx *c);
void h_save(struct interp_ctx *c);
void h_restorefactory(struct interp_ctx *c);
void h_shutdown(struct interp_ctx *c);
void h_reboot(struct interp_ctx *c);
void h_limit(struct interp_ctx *c);
void h_temperatures(struct interp_ctx *c);
void h_temperature(struct interp_ctx *c);
void h_cropping(struct interp_ctx *c);
void h_cropping_axis(struct interp_ctx *c);
void h_set_cropping_axis(struct interp_ctx *c);
void h_sendfile(struct interp_ctx *c);          /* arg: kind ("bias"), NULL: license */
void h_xsendfile(struct interp_ctx *c);
void h_url_fetch(struct interp_ctx *c);         /* arg: kind; getbias URL, exec upgradefirmware URL */
void h_exec_build(struct interp_ctx *c);        /* arg: &nuc_ids[kind] */
void h_logs(struct interp_ctx *c);
void h_uploadfirmware(struct interp_ctx *c);

extern const struct param P_FPS, P_BIAS, P_FLAT, P_IMAGETAGS, P_LED, P_EVENTS, P_EXTSYNCHRO,
	P_CROPPING, P_PASSWORD, P_IPMODE, P_IPADDRESS, P_IPNETMASK, P_IPGATEWAY, P_IPDNS,
	P_IPALTDNS, P_TELNET, P_REMOTEMAINTENANCE;

#endif
