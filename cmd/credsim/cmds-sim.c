/* Simulator extensions: commands starting with `sim`, which a real camera
 * does not have. They drive what tests cannot reach through the camera's
 * own commands: its state, its health readings, the clock, the faults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cmds.h"
#include "link.h"
#include "logs.h"
#include "sim.h"
#include "simclock.h"
#include "stream-cmds.h"
#include "variants.h"

static int number(struct interp_ctx *c, const char *text, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(text, &end);

	if (end == text || *end || v < lo || v > hi) {
		answer_error(c->ans, "invalid value '%s' (expected %g to %g)", text, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static void done(struct interp_ctx *c)
{
	camera_check_health(c->cam, c->now);
	answer_ok(c->ans);
}

static void h_sim_help(struct interp_ctx *c)
{
	cmdtab_help(sim_commands(), c->cam->firmware, c->ans);
}

static void h_sim_state(struct interp_ctx *c)
{
	int st = cam_state_parse(c->cam, c->args[0]);

	if (st < 0) {
		answer_error(c->ans, "no state '%s' on a %s", c->args[0], c->cam->model->type);
		return;
	}
	camera_force_state(c->cam, st, c->now, "forced by the simulator");
	answer_ok(c->ans);
}

static void h_sim_power(struct interp_ctx *c)
{
	char word[8];
	const char *w = cmdtab_last_word(c->row, word, sizeof(word));

	if (strcmp(w, "on"))
		camera_power_off(c->cam, c->now);
	if (strcmp(w, "off") && (c->cam->state == ST_OFF))
		camera_power_on(c->cam, c->now, "power on");
	answer_ok(c->ans);
}

static bool need_one(struct interp_ctx *c)
{
	if (camera_is_one(c->cam))
		return true;
	answer_error(c->ans, "a C-RED 3 has no cryostat");
	return false;
}

static void h_sim_pressure(struct interp_ctx *c)
{
	double v;

	if (need_one(c) && !number(c, c->args[0], 1e-9, 2000, &v)) {
		camera_set_pressure(c->cam, v, c->now);
		done(c);
	}
}

static void h_sim_leak(struct interp_ctx *c)
{
	double v;

	if (need_one(c) && !number(c, c->args[0], 0, 1, &v)) {
		/* from now on, at the new rate */
		camera_set_pressure(c->cam, camera_pressure(c->cam, c->now), c->now);
		c->cam->pressure_rise = v / 86400;
		answer_ok(c->ans);
	}
}

static void h_sim_water(struct interp_ctx *c)
{
	double v;

	if (need_one(c) && !number(c, c->args[0], -40, 150, &v)) {
		camera_set_water(c->cam, v, c->now);
		done(c);
	}
}

static void h_sim_cryostat(struct interp_ctx *c)
{
	double v;

	if (need_one(c) && !number(c, c->args[0], 1, 400, &v)) {
		camera_set_cryostat(c->cam, v, c->now);
		done(c);
	}
}

static void h_sim_temperature(struct interp_ctx *c)
{
	int n;
	const struct temp_sensor *ts = camera_temp_sensors(c->cam, &n);
	double v;

	for (int i = 0; i < n; i++) {
		size_t len = strcspn(ts[i].words, " ");

		if (strncasecmp(ts[i].words, c->args[0], len) || c->args[0][len])
			continue;
		if (number(c, c->args[1], -100, 400, &v))
			return;
		if (camera_is_one(c->cam) && i >= T1_DIODE)
			camera_set_cryostat(c->cam, v, c->now);
		else if (camera_is_one(c->cam) && i == T1_WATER)
			camera_set_water(c->cam, v, c->now);
		else
			c->cam->temp[i] = v;
		done(c);
		return;
	}
	answer_error(c->ans, "no temperature sensor '%s'", c->args[0]);
}

static void h_sim_getter(struct interp_ctx *c)
{
	double v;

	if (need_one(c) && !number(c, c->args[0], 0, 100000, &v)) {
		c->cam->nbregen = (int)v;
		answer_ok(c->ans);
	}
}

static void h_sim_advance(struct interp_ctx *c)
{
	double v;

	if (number(c, c->args[0], 0, 1e7, &v))
		return;
	simclock_advance(v);
	camera_advance(c->cam, sim_now());
	answer_ok(c->ans);
}

static void h_sim_interface(struct interp_ctx *c)
{
	char word[8];

	if (camera_is_one(c->cam)) {
		answer_error(c->ans, "a C-RED One is Camera Link only");
		return;
	}
	c->cam->interface = strcmp(cmdtab_last_word(c->row, word, sizeof(word)), "usb") ?
		IF_CAMERALINK : IF_USB;
	answer_ok(c->ans);
}

static void h_sim_faults(struct interp_ctx *c)
{
	char buf[200];

	for (int i = 0; i < c->sim->faults.n; i++)
		answer_line(c->ans, "%s", fault_describe(&c->sim->faults.f[i], buf, sizeof(buf)));
	if (!c->sim->faults.n)
		answer_line(c->ans, "no faults");
}

static void h_sim_fault_add(struct interp_ctx *c)
{
	char err[300];

	if (faults_add(&c->sim->faults, c->args[0], err, sizeof(err)))
		answer_error(c->ans, "%s", err);
	else
		answer_ok(c->ans);
}

/* Every file the camera holds: kind, size, MD5 (for tests of transfers). */
static void h_sim_files(struct interp_ctx *c)
{
	static const char *const kinds[] = { "bias", "bias_hdr_c1", "bias_hdr_c2", "flat",
		"flat_hdr_c1", "flat_hdr_c2", "userbadpixel", "factbadpixel", "testpattern" };
	char md5[STORE_MD5_HEX], kind[64];
	const uint8_t *data;
	size_t len;
	int n = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((data = store_get(camera_store_for(c->cam, kinds[i]), kinds[i], &len))) {
			md5_hex(data, len, md5);
			answer_line(c->ans, "%s %zu %s", kinds[i], len, md5);
			n++;
		}
	for (int i = 0; i < c->cam->nlic; i++) {
		snprintf(kind, sizeof(kind), "license:%s", c->cam->lic[i].name);
		if ((data = store_get(c->cam->files, kind, &len))) {
			md5_hex(data, len, md5);
			answer_line(c->ans, "%s %zu %s", kind, len, md5);
			n++;
		}
	}
	if (!n)
		answer_line(c->ans, "no files");
}

static void h_sim_xfaults(struct interp_ctx *c)
{
	char buf[160];

	for (int i = 0; i < c->sim->xfaults.n; i++)
		answer_line(c->ans, "%s", xfault_describe(&c->sim->xfaults.f[i], buf, sizeof(buf)));
	if (!c->sim->xfaults.n)
		answer_line(c->ans, "no transfer faults");
}

static void h_sim_xfault_add(struct interp_ctx *c)
{
	char err[300];

	if (xfaults_add(&c->sim->xfaults, c->args[0], err, sizeof(err)))
		answer_error(c->ans, "%s", err);
	else
		answer_ok(c->ans);
}

static void h_sim_xfault_clear(struct interp_ctx *c)
{
	xfaults_clear(&c->sim->xfaults);
	answer_ok(c->ans);
}

static void h_sim_fault_clear(struct interp_ctx *c)
{
	faults_clear(&c->sim->faults);
	answer_ok(c->ans);
}

/* The model's whole command table as TSV (kind, command, args, minimum
 * firmware, description): tests/data/commands-MODEL.tsv is this output. */
static void h_sim_commands(struct interp_ctx *c)
{
	const struct cmd_table *t = c->sim->table;

	answer_line(c->ans, "kind\tcommand\targs\tfirmware\tdescription");
	for (size_t i = 0; i < t->count; i++) {
		const struct cmd_row *r = &t->rows[i];
		const char *args = strchr(r->pattern, '<');
		int n = args ? (int)(args - r->pattern) - 1 : (int)strlen(r->pattern);

		answer_line(c->ans, "%s\t%.*s\t%s\t%s\t%s", cmd_kind_name(r->kind), n, r->pattern,
			    args ? args : "", r->fw ? r->fw : "", r->help);
	}
}

static void h_sim_info(struct interp_ctx *c)
{
	const struct camera *cam = c->cam;

	answer_line(c->ans, "model: %s", cam->model->key);
	answer_line(c->ans, "firmware: %s", cam->firmware);
	answer_line(c->ans, "state: %s", cam_state_name(cam->state));
	answer_line(c->ans, "time scale: %g", simclock_scale());
	answer_line(c->ans, "simulated time: %.1f s", c->now);
	answer_line(c->ans, "faults: %d", c->sim->faults.n);
}

#define SIM(p, fn, help) { K_SIM, p, NULL, fn, NULL, 0, help }

static const struct cmd_row rows[] = {
	SIM("sim", h_sim_help, "These commands"),
	SIM("sim help", h_sim_help, "These commands"),
	SIM("sim commands", h_sim_commands, "The model's command table, tab separated"),
	SIM("sim info", h_sim_info, "Model, firmware, state, time scale, simulated time"),
	SIM("sim state <state>", h_sim_state, "Put the camera in a state (with consistent conditions)"),
	SIM("sim power off", h_sim_power, "Cut the power: nothing answers"),
	SIM("sim power on", h_sim_power, "Power on: boot from starting"),
	SIM("sim power cycle", h_sim_power, "Power off and on"),
	SIM("sim pressure <mbar>", h_sim_pressure, "Cryostat pressure (C-RED One)"),
	SIM("sim leak <mbar-per-day>", h_sim_leak, "How fast the cryostat pressure rises (C-RED One)"),
	SIM("sim water <celsius>", h_sim_water, "Cooling water temperature (C-RED One)"),
	SIM("sim cryostat <kelvin>", h_sim_cryostat, "Cryostat temperature (C-RED One)"),
	SIM("sim temperature <sensor> <value>", h_sim_temperature, "Any temperature sensor"),
	SIM("sim getter <count>", h_sim_getter, "Getter regeneration count (C-RED One)"),
	SIM("sim advance <seconds>", h_sim_advance, "Run the simulated clock forward"),
	SIM("sim interface cl", h_sim_interface, "C-RED 3 on Camera Link"),
	SIM("sim interface usb", h_sim_interface, "C-RED 3 on USB"),
	SIM("sim fault", h_sim_faults, "List the faults"),
	SIM("sim fault clear", h_sim_fault_clear, "Remove every fault"),
	SIM("sim fault <spec...>", h_sim_fault_add, "Add a fault KIND[:ARG][/COMMAND][@N]"),
	SIM("sim light", h_sim_light, "The light on the sensor: scene, dark or flat LEVEL"),
	SIM("sim light scene", h_sim_light, "The sky with stars (the default)"),
	SIM("sim light dark", h_sim_light, "No light (a cap on the lens)"),
	SIM("sim light flat <level>", h_sim_light, "A uniform field giving about LEVEL ADU"),
	SIM("sim variant", h_sim_variants, "The answer variants on"),
	SIM("sim variant clear", h_sim_variant_clear, "Back to credsim's own answer forms"),
	SIM("sim variant <name>", h_sim_variant_add,
	    "Answer like other firmware: result-nospace, syntax-lower, syntax-upper, event-bare"),
	SIM("sim files", h_sim_files, "The files the camera holds: kind, size, MD5"),
	SIM("sim logs-archive <path>", h_sim_logs_archive, "Serve this file for exec logs (off: the logs)"),
	SIM("sim transfer-fault", h_sim_xfaults, "List the transfer faults"),
	SIM("sim transfer-fault clear", h_sim_xfault_clear, "Remove every transfer fault"),
	SIM("sim transfer-fault <spec>", h_sim_xfault_add, "Add a transfer fault KIND[:ARG][@N]"),
	SIM("sim frames", h_sim_frames, "The frame output: socket, format, state, counter, clients"),
	SIM("sim frames fault", h_sim_frames_faults, "List the frame faults"),
	SIM("sim frames fault clear", h_sim_frames_fault_clear, "Remove every frame fault"),
	SIM("sim frames fault <spec>", h_sim_frames_fault_add, "Add a frame fault KIND[:ARG][@N]"),
	SIM("sim usb record <file> <frames>", h_sim_usb_record,
	    "Record that many frames as a usbmon capture (pcap) for umockdev"),
	SIM("sim usb device <file>", h_sim_usb_device, "Write the umockdev description of the USB camera"),
};

const struct cmd_table *sim_commands(void)
{
	static const struct cmd_table t = { rows, sizeof(rows) / sizeof(rows[0]) };

	return &t;
}
