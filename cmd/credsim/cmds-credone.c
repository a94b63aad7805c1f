/* The C-RED One command table (user manual, chapter 8) and its own handlers. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "sim.h"

#define FIELD(f) P_FIELD(f)
#define SWITCH P_SWITCH_OF
/* readout parameters: the frame rate limit follows them */
#define READOUT(n, l, f, lo, hi) { .name = n, .label = l, .type = P_INT, .off = FIELD(f), \
				   .min = lo, .max = hi, .changed = fit }

static const char *const mode_names[] = {
	"globalresetsingle", "globalresetcds", "globalresetbursts",
	"rollingresetsingle", "rollingresetnro", "rollingresetiota", NULL,
};

static void fit(struct camera *cam, double now)
{
	camera_fit_timing(cam);
}

/* "For gain N, if the COMMON voltage limit is reached, the gain will be
 * locked to N whatever the gain command above N is": any gain from 1 is
 * taken, h_set_gain locks it. */
static void gain_limits(const struct camera *cam, double *lo, double *hi)
{
	*lo = 1;
	*hi = 1e9;
}

static int gain_check(struct camera *cam, const union pvalue *v, char *msg, size_t size)
{
	/* the e-APD gain is calibrated at 80 K */
	if (cam->state != ST_OPERATIONAL && cam->state != ST_STANDBY && v->i != 1) {
		snprintf(msg, size, "gain above 1 needs a cooled camera (status: %s)",
			 cam_state_name(cam->state));
		return -1;
	}
	return 0;
}

static const struct param P_GAIN = { .name = "gain", .label = "Gain", .type = P_INT,
	.off = FIELD(set.gain), .limits = gain_limits, .check = gain_check };
static const struct param P_RAWIMAGES = SWITCH("rawimages", "Raw images", set.rawimages);
static const struct param P_TESTPATTERN = SWITCH("testpattern", "Test pattern", set.testpattern);
static const struct param P_COOLING = SWITCH("cooling", "Cooling", cooling);
static const struct param P_STANDBY = SWITCH("standby", "Standby", standby);
static const struct param P_MODE = { .name = "mode", .label = "Readout mode", .type = P_CHOICE,
	.off = FIELD(set.mode), .choices = mode_names };
static const struct param P_RESETWIDTH = P_INT_OF("resetwidth", "Reset width", set.resetwidth, 8, 64);
static const struct param P_NBREAD = READOUT("nbreadworeset", "Reads without reset",
					     set.nbreadworeset, 1, 1024);
static const struct param P_NSAMPLE = READOUT("nsamplepixel", "Samples per pixel",
					      set.nsamplepixel, 1, 64);
static const struct param P_NLOOP = READOUT("nloop", "Line reads", set.nloop, 1, 64);
static const struct param P_ADUOFFSET = P_INT_OF("aduoffset", "ADU offset", set.aduoffset, 0, 65535);

static void h_set_gain(struct interp_ctx *c)
{
	char msg[256];
	long max = camera_maxgain(c->cam);

	if (param_assign(c->cam, &P_GAIN, c->args[0], c->now, msg, sizeof(msg))) {
		answer_error(c->ans, "%s", msg);
		return;
	}
	if (c->cam->set.gain > max) {
		/* the manual says the camera locks the gain; these words are credsim's */
		c->cam->set.gain = max;
		answer_line(c->ans, "Gain locked to %ld (COMMON voltage limit)", max);
	}
	answer_ok(c->ans);
}

static void h_set_mode(struct interp_ctx *c)
{
	char word[32];
	const char *w = cmdtab_last_word(c->row, word, sizeof(word));
	struct settings *s = &c->cam->set;

	/* two old names kept for compatibility */
	if (!strcmp(w, "globalreset"))
		w = "globalresetsingle";
	else if (!strcmp(w, "rollingresetcds"))
		w = "rollingresetnro";
	for (int i = 0; mode_names[i]; i++)
		if (!strcmp(w, mode_names[i]))
			s->mode = i;
	/* as field code reports: a mode change puts the gain back to 1 and
	 * rescales the frame rate */
	s->gain = 1;
	camera_fit_timing(c->cam);
	answer_ok(c->ans);
}

static void h_set_cooling(struct interp_ctx *c)
{
	char word[8], msg[200];
	bool on = !strcmp(cmdtab_last_word(c->row, word, sizeof(word)), "on");

	if (camera_cooling(c->cam, on, c->now, msg, sizeof(msg)))
		answer_error(c->ans, "%s", msg);
	else
		answer_ok(c->ans);
}

static void h_set_standby(struct interp_ctx *c)
{
	char word[8], msg[200];
	bool on = !strcmp(cmdtab_last_word(c->row, word, sizeof(word)), "on");

	if (camera_standby(c->cam, on, msg, sizeof(msg)))
		answer_error(c->ans, "%s", msg);
	else
		answer_ok(c->ans);
}

static void h_pressure(struct interp_ctx *c)
{
	double p = camera_pressure(c->cam, c->now);

	if (c->raw)
		answer_line(c->ans, "%.1e", p);
	else
		answer_line(c->ans, "Pressure: %.1e mbar", p);
}

enum { PW_ALL, PW_GETTER, PW_PULSETUBE };
static const int power_ids[] = { PW_ALL, PW_GETTER, PW_PULSETUBE };

static void h_powers(struct interp_ctx *c)
{
	int which = *(const int *)c->row->arg;
	double g = camera_getter_power(c->cam), p = camera_pulsetube_power(c->cam, c->now);

	if (which == PW_ALL && c->raw) {
		answer_line(c->ans, "%.2f:%.2f", g, p);
		return;
	}
	if (which != PW_PULSETUBE)
		answer_value(c->ans, c->raw, "Getter power (W)", "%.2f", g);
	if (which != PW_GETTER)
		answer_value(c->ans, c->raw, "Pulse tube power (W)", "%.2f", p);
}

static void h_photocurrent(struct interp_ctx *c)
{
	/* dark photocurrent of a cold, operating sensor */
	double pc = c->cam->state == ST_OPERATIONAL ? 0.12 + c->cam->set.gain * 0.004 : 0.0;

	answer_value(c->ans, c->raw, "Photocurrent (pA)", "%.3f", pc);
}

static void h_ptready(struct interp_ctx *c)
{
	bool ready = c->cam->cooling && (c->cam->state == ST_OPERATIONAL || c->cam->state == ST_STANDBY);

	answer_value(c->ans, c->raw, "Pulse tube ready", "%s", ready ? "on" : "off");
}

static void h_nbregen(struct interp_ctx *c)
{
	answer_value(c->ans, c->raw, "Getter regenerations", "%d", c->cam->nbregen);
}

static void h_regen_remaining(struct interp_ctx *c)
{
	const struct camera *cam = c->cam;
	double left = cam->state == ST_VACUUMREGE ? cam->regen_end - c->now : 0;

	answer_value(c->ans, c->raw, "Getter regeneration remaining time (s)", "%.0f",
		     left > 0 ? left : 0);
}

static void h_redovacuum(struct interp_ctx *c)
{
	char msg[200];

	if (camera_redovacuum(c->cam, c->now, msg, sizeof(msg)))
		answer_error(c->ans, "%s", msg);
	else
		answer_ok(c->ans);
}

/* `all raw`: every parameter, colon separated, in a fixed order (see
 * credsim(1)). */
static void h_all(struct interp_ctx *c)
{
	const struct camera *cam = c->cam;
	const struct settings *s = &cam->set;
	char line[2048], cols[64], rows[1024], fps[32];
	size_t n;

	crop_format(SIM_CREDONE, CROP_COLUMNS, &s->crop, cols, sizeof(cols));
	crop_format(SIM_CREDONE, CROP_ROWS, &s->crop, rows, sizeof(rows));
	n = snprintf(line, sizeof(line), "%s:%s:%ld:%s:%ld:%ld:%ld:%ld:%s:%s:%s:%ld:%s:%s:%s:%s:%s:%s:%s:%s:%s:%s",
		     cam_state_name(cam->state), fmt_real(fps, sizeof(fps), s->fps), s->gain,
		     mode_names[s->mode], s->nbreadworeset, s->nloop, s->nsamplepixel, s->resetwidth,
		     s->cropping ? "on" : "off", cols, rows, s->aduoffset, s->bias ? "on" : "off",
		     s->flat ? "on" : "off", s->imagetags ? "on" : "off", s->extsynchro ? "on" : "off",
		     s->rawimages ? "on" : "off", s->testpattern ? "on" : "off",
		     cam->cooling ? "on" : "off", cam->standby ? "on" : "off", s->led ? "on" : "off",
		     cam->events ? "on" : "off");
	for (int i = 0; i < NTEMPS && n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - n, ":%.2f", camera_temperature(cam, i, c->now));
	if (n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, ":%.1e:%.2f:%.2f", camera_pressure(cam, c->now),
			 camera_getter_power(cam), camera_pulsetube_power(cam, c->now));
	answer_line(c->ans, "%s", line);
}

#define GET(p, fn, arg, help) { K_GET, p, NULL, fn, arg, 0, help }
#define PGET(p, arg, help) { K_GET, p, NULL, h_param_get, arg, 0, help }
#define SET(p, arg, help) { K_SET, p, NULL, h_param_set, arg, 0, help }
#define SETFN(p, fn, help) { K_SET, p, NULL, fn, NULL, 0, help }
#define OTHER(p, fn, arg, help) { K_OTHER, p, NULL, fn, arg, 0, help }
#define EXEC(p, fn, arg, help) { K_EXEC, p, NULL, fn, arg, 0, help }

static const struct cmd_row rows[] = {
	GET("all raw", h_all, NULL, "Every parameter, colon separated"),
	GET("powers", h_powers, &power_ids[PW_ALL], "Getter and pulse tube powers (W)"),
	GET("powers getter", h_powers, &power_ids[PW_GETTER], "Getter power (W)"),
	GET("powers pulsetube", h_powers, &power_ids[PW_PULSETUBE], "Pulse tube power (W)"),
	GET("temperatures", h_temperatures, NULL, "Every temperature"),
	GET("temperatures motherboard", h_temperature, &temp_ids[T1_MOTHERBOARD], "Motherboard temperature (C)"),
	GET("temperatures frontend", h_temperature, &temp_ids[T1_FRONTEND], "Front end temperature (C)"),
	GET("temperatures powerboard", h_temperature, &temp_ids[T1_POWERBOARD], "Power board temperature (C)"),
	GET("temperatures water", h_temperature, &temp_ids[T1_WATER], "Cooling water temperature (C)"),
	GET("temperatures ptmcu", h_temperature, &temp_ids[T1_PTMCU], "Pulse tube controller board temperature (C)"),
	GET("temperatures cryostat diode", h_temperature, &temp_ids[T1_DIODE], "Cryostat temperature from the diode (K)"),
	GET("temperatures cryostat ptcontroller", h_temperature, &temp_ids[T1_PTCONTROLLER],
	    "Cryostat temperature from the pulse tube controller (K)"),
	GET("temperatures cryostat setpoint", h_temperature, &temp_ids[T1_SETPOINT], "Cryostat setpoint (K)"),
	PGET("fps", &P_FPS, "Frame rate (Hz)"),
	GET("maxfps", h_limit, &limit_ids[L_MAXFPS], "Highest frame rate for this configuration"),
	GET("photocurrent", h_photocurrent, NULL, "Photocurrent"),
	GET("ptready", h_ptready, NULL, "Pulse tube ready"),
	GET("pressure", h_pressure, NULL, "Cryostat pressure (mbar)"),
	PGET("gain", &P_GAIN, "e-APD gain"),
	GET("maxpossiblegain", h_limit, &limit_ids[L_MAXGAIN], "Highest gain of this camera"),
	PGET("bias", &P_BIAS, "Bias correction"),
	PGET("flat", &P_FLAT, "Flat correction"),
	PGET("imagetags", &P_IMAGETAGS, "Image tags"),
	PGET("led", &P_LED, "LED"),
	OTHER("sendfile bias <size> <md5>", h_sendfile, "bias", "Upload a bias file (raw bytes follow)"),
	OTHER("sendfile flat <size> <md5>", h_sendfile, "flat", "Upload a flat file (raw bytes follow)"),
	OTHER("getflat <url>", h_url_fetch, "flat", "Fetch a flat file from a URL"),
	OTHER("getbias <url>", h_url_fetch, "bias", "Fetch a bias file from a URL"),
	OTHER("gettestpattern <url>", h_url_fetch, "testpattern", "Fetch test pattern images (tar.gz) from a URL"),
	PGET("testpattern", &P_TESTPATTERN, "Test pattern mode"),
	PGET("events", &P_EVENTS, "Event messages"),
	PGET("extsynchro", &P_EXTSYNCHRO, "External synchronization"),
	PGET("rawimages", &P_RAWIMAGES, "Raw images (no embedded computation)"),
	GET("getter nbregeneration", h_nbregen, NULL, "Getter regenerations done"),
	GET("getter regeremainingtime", h_regen_remaining, NULL, "Seconds left in the getter regeneration"),
	PGET("cooling", &P_COOLING, "Cooling"),
	PGET("standby", &P_STANDBY, "Standby mode"),
	PGET("mode", &P_MODE, "Readout mode"),
	PGET("resetwidth", &P_RESETWIDTH, "Reset width (clocks)"),
	PGET("nbreadworeset", &P_NBREAD, "Reads without reset"),
	PGET("nsamplepixel", &P_NSAMPLE, "Samples per pixel"),
	PGET("nloop", &P_NLOOP, "Line reads without reset"),
	GET("cropping", h_cropping, NULL, "Cropping on or off, with the selection"),
	GET("cropping columns", h_cropping_axis, &axis_ids[CROP_COLUMNS], "Selected column blocks"),
	GET("cropping rows", h_cropping_axis, &axis_ids[CROP_ROWS], "Selected rows"),
	PGET("aduoffset", &P_ADUOFFSET, "Offset added to every pixel"),
	GET("version", h_version, &version_ids[V_ALL], "Every version"),
	GET("version firmware", h_version, &version_ids[V_FIRMWARE], "Firmware version"),
	GET("version firmware detailed", h_version, &version_ids[V_FIRMWARE_DETAILED], "Detailed firmware version"),
	GET("version firmware build", h_version, &version_ids[V_FIRMWARE_BUILD], "Firmware build date"),
	GET("version fpga", h_version, &version_ids[V_FPGA], "FPGA version"),
	GET("version fpga detailed", h_version, &version_ids[V_FPGA_DETAILED], "Detailed FPGA version"),
	GET("version hardware", h_version, &version_ids[V_HARDWARE], "Hardware version"),
	GET("status", h_status, NULL, "Camera state"),
	GET("status detailed", h_status_detailed, NULL, "Reason of the last state change"),
	OTHER("continue", h_continue, NULL, "Go on starting after an error or with a poor vacuum"),
	OTHER("save", h_save, NULL, "Save the settings (not the cooling, not the gain)"),
	{ K_OTHER, "restorefactory", NULL, h_restorefactory, NULL, CF_ANY_STATE,
	  "Factory settings, then reboot" },
	GET("ipaddress", h_ipaddress, NULL, "IP settings"),
	GET("cameratype", h_cameratype, NULL, "Camera model, serial number, sensor, interface"),
	{ K_OTHER, "shutdown", NULL, h_shutdown, NULL, CF_ANY_STATE, "Prepare for power off" },
	{ K_OTHER, "remotemaintenance enable", NULL, h_param_set, &P_REMOTEMAINTENANCE, 0,
	  "Remote maintenance on" },
	{ K_OTHER, "remotemaintenance disable", NULL, h_param_set, &P_REMOTEMAINTENANCE, 0,
	  "Remote maintenance off" },
	PGET("remotemaintenance status", &P_REMOTEMAINTENANCE, "Remote maintenance"),
	PGET("password", &P_PASSWORD, "Telnet and ssh password"),
	GET("hwuid", h_hwuid, NULL, "Unique hardware identifier"),
	EXEC("exec upgradefirmware <url>", h_url_fetch, "firmware", "Upgrade from a URL"),
	EXEC("exec buildbias", h_exec_build, &nuc_ids[NUC_BIAS], "Build a bias file"),
	EXEC("exec buildflat", h_exec_build, &nuc_ids[NUC_FLAT], "Build a flat file"),
	EXEC("exec redovacuum", h_redovacuum, NULL, "Regenerate the getter (about 2 hours)"),
	EXEC("exec logs", h_logs, NULL, "Collect the logs and serve them over http"),
	EXEC("exec logs <from>", h_logs, NULL, "Collect the logs since a date and serve them"),
	SET("set testpattern on", &P_TESTPATTERN, "Loop over the 32 test images"),
	SET("set testpattern off", &P_TESTPATTERN, "Sensor images"),
	SET("set fps <fpsValue>", &P_FPS, "Frame rate"),
	SETFN("set gain <gainValue>", h_set_gain, "e-APD gain, locked at maxpossiblegain"),
	SET("set bias on", &P_BIAS, "Bias correction on"),
	SET("set bias off", &P_BIAS, "Bias correction off"),
	SET("set flat on", &P_FLAT, "Flat correction on"),
	SET("set flat off", &P_FLAT, "Flat correction off"),
	SET("set imagetags on", &P_IMAGETAGS, "Counter and read position in the first pixels"),
	SET("set imagetags off", &P_IMAGETAGS, "No image tags"),
	SET("set led on", &P_LED, "LED on"),
	SET("set led off", &P_LED, "LED off"),
	{ K_SET, "set events on", NULL, h_param_set, &P_EVENTS, CF_ANY_STATE, "Send event messages" },
	{ K_SET, "set events off", NULL, h_param_set, &P_EVENTS, CF_ANY_STATE, "No event messages" },
	SET("set extsynchro on", &P_EXTSYNCHRO, "External synchronization"),
	SET("set extsynchro off", &P_EXTSYNCHRO, "Internal synchronization"),
	SET("set rawimages on", &P_RAWIMAGES, "Send every sensor read"),
	SET("set rawimages off", &P_RAWIMAGES, "Embedded computation (CDS)"),
	SETFN("set cooling on", h_set_cooling, "Start cooling (from ready)"),
	SETFN("set cooling off", h_set_cooling, "Stop cooling"),
	SETFN("set standby on", h_set_standby, "Keep cooled, sensor off"),
	SETFN("set standby off", h_set_standby, "Sensor on"),
	SETFN("set mode globalreset", h_set_mode, "Same as globalresetsingle"),
	SETFN("set mode globalresetsingle", h_set_mode, "Global reset, single read"),
	SETFN("set mode globalresetcds", h_set_mode, "Global reset, correlated double sampling"),
	SETFN("set mode globalresetbursts", h_set_mode, "Global reset, non-destructive reads"),
	SETFN("set mode rollingresetsingle", h_set_mode, "Rolling reset, single read"),
	SETFN("set mode rollingresetcds", h_set_mode, "Same as rollingresetnro"),
	SETFN("set mode rollingresetnro", h_set_mode, "Rolling reset, non-destructive reads"),
	SETFN("set mode rollingresetiota", h_set_mode, "Rolling reset IOTA"),
	SET("set resetwidth <resetwidthValue>", &P_RESETWIDTH, "Reset width, 8-64 clocks"),
	SET("set nbreadworeset <nbreadworesetValue>", &P_NBREAD, "Reads without reset"),
	SET("set nsamplepixel <nsamplepixelValue>", &P_NSAMPLE, "Samples per pixel"),
	SET("set nloop <nloopValue>", &P_NLOOP, "Line reads"),
	SET("set cropping on", &P_CROPPING, "Cropping on"),
	SET("set cropping off", &P_CROPPING, "Cropping off"),
	{ K_SET, "set cropping columns <columnsValue>", NULL, h_set_cropping_axis,
	  &axis_ids[CROP_COLUMNS], 0, "Column blocks 1-10, like 1,3,9-10" },
	{ K_SET, "set cropping rows <rowsValue>", NULL, h_set_cropping_axis,
	  &axis_ids[CROP_ROWS], 0, "Rows 1-256, like 1,3,9,10-12,50" },
	SET("set aduoffset <aduoffsetValue>", &P_ADUOFFSET, "Offset added to every pixel"),
	SET("set password <password>", &P_PASSWORD, "Telnet and ssh password"),
	SET("set ip mode manual", &P_IPMODE, "Static network configuration"),
	SET("set ip mode automatic", &P_IPMODE, "DHCP"),
	SET("set ip address <ip>", &P_IPADDRESS, "Static IPv4 address"),
	SET("set ip netmask <mask>", &P_IPNETMASK, "Static netmask"),
	SET("set ip gateway <gateway>", &P_IPGATEWAY, "Static gateway"),
	SET("set ip dns <dns>", &P_IPDNS, "Primary DNS"),
	SET("set ip alternate-dns <dns>", &P_IPALTDNS, "Alternate DNS"),
	SETFN("set ip refresh", h_ip_refresh, "Apply the network configuration"),
	SET("set telnet enable", &P_TELNET, "Allow telnet"),
	SET("set telnet disable", &P_TELNET, "Forbid telnet"),
	{ K_SET, "set telnet status", NULL, h_param_get, &P_TELNET, CF_READ, "Telnet access (a read)" },
	GET("help", h_help, NULL, "This list"),
};

const struct cmd_table *credone_commands(void)
{
	static const struct cmd_table t = { rows, sizeof(rows) / sizeof(rows[0]) };

	return &t;
}
