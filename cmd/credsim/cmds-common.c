/* Handlers and parameters shared by the C-RED 3 and C-RED One tables. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "files.h"
#include "receiver.h"
#include "sim.h"

#define BOOT_ANSWER_DELAY 0.5

const int limit_ids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
const int version_ids[] = { 0, 1, 2, 3, 4, 5, 6 };
const int axis_ids[] = { CROP_COLUMNS, CROP_ROWS };
const int temp_ids[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
const int nuc_ids[] = { NUC_BIAS, NUC_FLAT, NUC_FLAT_HDR_C1, NUC_FLAT_HDR_C2 };

static int arg_id(const struct interp_ctx *c)
{
	return *(const int *)c->row->arg;
}

/* ---- parameters ---- */

static void fps_limits(const struct camera *cam, double *lo, double *hi)
{
	*lo = camera_minfps(cam);
	*hi = camera_maxfps(cam);
}

static void fps_changed(struct camera *cam, double now)
{
	/* C-RED 3: a new frame rate resets the integration time to its maximum */
	if (!camera_is_one(cam))
		cam->set.tint = camera_maxtint(cam);
}

static int cropping_check(struct camera *cam, const union pvalue *v, char *msg, size_t size)
{
	const struct crop *cr = &cam->set.crop;

	if (v->b && !camera_is_one(cam) && cam->set.hdr &&
	    (crop_width(SIM_CRED3, cr) < 96 || crop_height(SIM_CRED3, cr) < 72)) {
		snprintf(msg, size, "HDR mode needs a window of at least 96x72");
		return -1;
	}
	return 0;
}

static void timing_changed(struct camera *cam, double now)
{
	camera_fit_timing(cam);
}

#define FIELD(f) P_FIELD(f)
#define SWITCH(n, l, f) P_SWITCH_OF(n, l, f)
#define IPV4(n, l, f) { .name = n, .label = l, .type = P_TEXT, .off = FIELD(f), .max = 15, \
			.check = check_ipv4 }

const struct param P_FPS = { .name = "fps", .label = "Frames per second", .type = P_REAL,
	.off = FIELD(set.fps), .vfmt = "%.6f", .limits = fps_limits, .changed = fps_changed };
const struct param P_BIAS = SWITCH("bias", "Bias correction", set.bias);
const struct param P_FLAT = SWITCH("flat", "Flat correction", set.flat);
const struct param P_IMAGETAGS = SWITCH("imagetags", "Image tags", set.imagetags);
const struct param P_LED = SWITCH("led", "LED", set.led);
const struct param P_EVENTS = SWITCH("events", "Events", events);
const struct param P_EXTSYNCHRO = SWITCH("extsynchro", "External synchronization", set.extsynchro);
const struct param P_CROPPING = { .name = "cropping", .label = "Cropping", .type = P_SWITCH,
	.off = FIELD(set.cropping), .check = cropping_check, .changed = timing_changed };
const struct param P_PASSWORD = { .name = "password", .label = "Password", .type = P_TEXT,
	.off = FIELD(password), .max = 63 };
const struct param P_IPMODE = { .name = "ip mode", .label = "IP mode", .type = P_CHOICE,
	.off = FIELD(ip_mode), .choices = choices_ipmode };
const struct param P_IPADDRESS = IPV4("ip address", "IP address", ip_address);
const struct param P_IPNETMASK = IPV4("ip netmask", "IP netmask", ip_netmask);
const struct param P_IPGATEWAY = IPV4("ip gateway", "IP gateway", ip_gateway);
const struct param P_IPDNS = IPV4("ip dns", "DNS", ip_dns);
const struct param P_IPALTDNS = IPV4("ip alternate-dns", "Alternate DNS", ip_altdns);
const struct param P_TELNET = SWITCH("telnet", "Telnet", telnet);
const struct param P_REMOTEMAINTENANCE = SWITCH("remotemaintenance", "Remote maintenance",
						remotemaintenance);

/* ---- identity and state ---- */

void h_help(struct interp_ctx *c)
{
	cmdtab_help(c->sim->table, c->cam->firmware, c->ans);
}

void h_status(struct interp_ctx *c)
{
	answer_value(c->ans, c->raw, "Status", "%s", cam_state_name(c->cam->state));
}

void h_status_detailed(struct interp_ctx *c)
{
	answer_value(c->ans, c->raw, "Last status change", "%s", c->cam->reason);
}

static const char *version_text(const struct camera *cam, int part, char *buf, size_t size)
{
	bool one = camera_is_one(cam);

	switch (part) {
	case V_FIRMWARE:
		snprintf(buf, size, "%s", cam->firmware);
		break;
	case V_FIRMWARE_DETAILED:
		snprintf(buf, size, "%s-0-g%s", cam->firmware, one ? "7d31c0a" : "4e2a9c1");
		break;
	case V_FIRMWARE_BUILD:
		snprintf(buf, size, "%s", one ? "2020-11-04 16:02:51" : "2021-06-15 10:21:03");
		break;
	case V_FPGA:
		snprintf(buf, size, "%s", one ? "1.9.2" : "2.4.0");
		break;
	case V_FPGA_DETAILED:
		snprintf(buf, size, "%s", one ? "1.9.2-20190311" : "2.4.0-20210602");
		break;
	default:
		snprintf(buf, size, "%s", one ? "B" : "1.2");
		break;
	}
	return buf;
}

void h_version(struct interp_ctx *c)
{
	static const char *const labels[] = { "", "Firmware version", "Firmware detailed version",
		"Firmware build", "FPGA version", "FPGA detailed version", "Hardware version" };
	int part = arg_id(c);
	char buf[64];

	if (part != V_ALL) {
		answer_value(c->ans, c->raw, labels[part], "%s", version_text(c->cam, part, buf, sizeof(buf)));
		return;
	}
	for (int p = V_FIRMWARE; p <= V_HARDWARE; p++)
		if (p != V_FPGA_DETAILED || camera_is_one(c->cam))
			answer_value(c->ans, c->raw, labels[p], "%s",
				     version_text(c->cam, p, buf, sizeof(buf)));
}

void h_cameratype(struct interp_ctx *c)
{
	const struct sim_model_info *m = c->cam->model;

	if (c->raw) {
		answer_line(c->ans, "%s", m->type);
		return;
	}
	answer_line(c->ans, "Camera type: %s", m->type);
	answer_line(c->ans, "Serial number: %s", m->serial);
	answer_line(c->ans, "Sensor: %s", m->sensor);
	answer_line(c->ans, "Interface: %s",
		    c->cam->interface == IF_USB ? "USB3" : "Camera Link Full");
}

void h_hwuid(struct interp_ctx *c)
{
	answer_value(c->ans, c->raw, "Hardware UID", "%s", c->cam->model->hwuid);
}

void h_ipaddress(struct interp_ctx *c)
{
	struct camera *cam = c->cam;

	answer_value(c->ans, c->raw, "IP address", "%s", cam->ip_active);
	if (camera_is_one(cam) && !c->raw) {
		answer_line(c->ans, "IP mode: %s", choices_ipmode[cam->ip_mode]);
		answer_line(c->ans, "Netmask: %s", cam->ip_netmask);
		answer_line(c->ans, "Gateway: %s", cam->ip_gateway);
	}
}

void h_ip_refresh(struct interp_ctx *c)
{
	struct camera *cam = c->cam;

	snprintf(cam->ip_active, sizeof(cam->ip_active), "%s",
		 cam->ip_mode == IPMODE_AUTOMATIC ? "192.168.0.147" : cam->ip_address);
	answer_ok(c->ans);
}

/* ---- state changes ---- */

void h_continue(struct interp_ctx *c)
{
	char msg[200];

	if (camera_continue(c->cam, c->now, msg, sizeof(msg)))
		answer_error(c->ans, "%s", msg);
	else
		answer_ok(c->ans);
}

void h_save(struct interp_ctx *c)
{
	camera_save_preset(c->cam);
	c->ans->delay = 0.3; /* written to flash */
	answer_ok(c->ans);
}

void h_restorefactory(struct interp_ctx *c)
{
	char msg[200];

	if (camera_interruptible(c->cam, c->now, msg, sizeof(msg))) {
		answer_error(c->ans, "%s", msg);
		return;
	}
	camera_factory_reset(c->cam);
	answer_ok(c->ans);
	c->ans->delay = BOOT_ANSWER_DELAY;
	camera_power_on(c->cam, c->now, "factory settings restored");
}

void h_reboot(struct interp_ctx *c)
{
	answer_ok(c->ans);
	c->ans->delay = BOOT_ANSWER_DELAY;
	camera_power_on(c->cam, c->now, "reboot requested");
}

void h_shutdown(struct interp_ctx *c)
{
	char msg[200];

	if (camera_interruptible(c->cam, c->now, msg, sizeof(msg))) {
		answer_error(c->ans, "%s", msg);
		return;
	}
	/* the last words of the camera, then silence until power comes back */
	answer_line(c->ans, "Camera shut down: the power can be switched off");
	answer_ok(c->ans);
	c->ans->delay = 1.5;
	camera_power_off(c->cam, c->now);
}

/* ---- limits and measures ---- */

void h_limit(struct interp_ctx *c)
{
	static const struct { const char *label, *vfmt; } info[] = {
		[L_MINFPS] = { "Minimum frames per second", "%.6f" },
		[L_MAXFPS] = { "Maximum frames per second", "%.6f" },
		[L_MAXFPSUSB] = { "Maximum frames per second (USB)", "%.6f" },
		[L_MINTINT] = { "Minimum integration time for current configuration", "%.9f" },
		[L_MAXTINT] = { "Maximum integration time for current configuration", "%.9f" },
		[L_MAXTINTITR] = { "Maximum integration time without overlap for current "
				   "configuration", "%.9f" },
		[L_MINSYNCDELAY] = { "Minimum synchronization delay", "%.9f" },
		[L_MAXSYNCDELAY] = { "Maximum synchronization delay", "%.9f" },
		[L_STEPSYNCDELAY] = { "Synchronization delay granularity", "%.9f" },
		[L_MAXGAIN] = { "Maximum possible gain", "%.0f" },
	};
	const struct camera *cam = c->cam;
	int id = arg_id(c);
	double v[] = {
		camera_minfps(cam), camera_maxfps(cam), camera_maxfpsusb(cam),
		camera_mintint(cam), camera_maxtint(cam), camera_maxtintitr(cam),
		0.0, C3_MAX_SYNCDELAY, 1 / C3_CLOCK, (double)camera_maxgain(cam),
	};
	char buf[32];

	if (c->raw)
		fmt_real(buf, sizeof(buf), v[id]);
	else
		snprintf(buf, sizeof(buf), info[id].vfmt, v[id]);
	answer_value(c->ans, c->raw, info[id].label, "%s", buf);
}

static void temperature_line(struct interp_ctx *c, int i)
{
	int n;
	const struct temp_sensor *ts = camera_temp_sensors(c->cam, &n);
	double v = camera_temperature(c->cam, i, c->now);

	if (c->raw)
		answer_line(c->ans, "%.2f", v);
	else
		answer_line(c->ans, "%s temperature: %.2f %s", ts[i].label, v, ts[i].unit);
}

void h_temperature(struct interp_ctx *c)
{
	temperature_line(c, arg_id(c));
}

void h_temperatures(struct interp_ctx *c)
{
	int n;

	camera_temp_sensors(c->cam, &n);
	if (!c->raw) {
		for (int i = 0; i < n; i++)
			temperature_line(c, i);
		return;
	}
	/* raw: every value, colon separated, in the order of the table */
	answer_line(c->ans, "%.2f", camera_temperature(c->cam, 0, c->now));
	for (int i = 1; i < n; i++) {
		char buf[32];

		answer_bytes(c->ans, buf, snprintf(buf, sizeof(buf), ":%.2f",
						   camera_temperature(c->cam, i, c->now)));
	}
}

/* ---- cropping ---- */

void h_cropping(struct interp_ctx *c)
{
	const struct camera *cam = c->cam;
	enum sim_model m = cam->model->id;
	char cols[128], rows[1024];

	crop_format(m, CROP_COLUMNS, &cam->set.crop, cols, sizeof(cols));
	crop_format(m, CROP_ROWS, &cam->set.crop, rows, sizeof(rows));
	if (m == SIM_CREDONE && c->raw)
		answer_line(c->ans, "%s:%s:%s", cam->set.cropping ? "on" : "off", cols, rows);
	else if (c->raw)
		answer_line(c->ans, "%s", cam->set.cropping ? "on" : "off");
	else if (m == SIM_CREDONE)
		answer_line(c->ans, "Cropping %s: columns: %s rows: %s",
			    cam->set.cropping ? "on" : "off", cols, rows);
	else
		answer_line(c->ans, "Cropping %s: columns: %d-%d rows: %4d-%d",
			    cam->set.cropping ? "on" : "off", cam->set.crop.c0, cam->set.crop.c1,
			    cam->set.crop.r0, cam->set.crop.r1);
}

void h_cropping_axis(struct interp_ctx *c)
{
	int axis = arg_id(c);
	char buf[1024];

	crop_format(c->cam->model->id, axis, &c->cam->set.crop, buf, sizeof(buf));
	answer_value(c->ans, c->raw, axis == CROP_COLUMNS ? "Cropping columns" : "Cropping rows",
		     "%s", buf);
}

void h_set_cropping_axis(struct interp_ctx *c)
{
	struct camera *cam = c->cam;
	struct crop cr = cam->set.crop;
	char msg[200];

	if (crop_parse(cam->model->id, arg_id(c), c->args[0], &cr, msg, sizeof(msg))) {
		answer_error(c->ans, "%s", msg);
		return;
	}
	if (!camera_is_one(cam) && cam->set.hdr &&
	    (crop_width(SIM_CRED3, &cr) < 96 || crop_height(SIM_CRED3, &cr) < 72)) {
		answer_error(c->ans, "HDR mode needs a window of at least 96x72");
		return;
	}
	cam->set.crop = cr;
	camera_fit_timing(cam);
	answer_ok(c->ans);
}

/* ---- files ---- */

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (*end || v == 0 || v > FILE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int valid_md5(const char *s)
{
	if (strlen(s) != 32)
		return 0;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int valid_license_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 40)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

/* Check a transfer's arguments: kind, size and digest. */
static int transfer_args(struct interp_ctx *c, char *kind, size_t ksize, size_t *size,
			 const char **md5)
{
	const char *name = c->row->arg;
	int a = 0;

	if (!name) {
		if (!valid_license_name(c->args[0])) {
			answer_error(c->ans, "invalid license file name '%s'", c->args[0]);
			return -1;
		}
		snprintf(kind, ksize, "license:%s", c->args[a++]);
	} else {
		snprintf(kind, ksize, "%s", name);
	}
	if (parse_size(c->args[a], size)) {
		answer_error(c->ans, "invalid file size '%s' (1 to %u bytes)", c->args[a], FILE_MAX);
		return -1;
	}
	*md5 = c->args[a + 1];
	if (!valid_md5(*md5)) {
		answer_error(c->ans, "invalid MD5 '%s' (32 hexadecimal digits)", *md5);
		return -1;
	}
	return 0;
}

/* A transfer starts on this link: the faults it meets. */
static void transfer_effect(struct interp_ctx *c, struct xfer_effect *fx)
{
	xfaults_match(&c->sim->xfaults, fx);
}

typedef struct receiver *receiver_ctor(const char *kind, size_t size, const char *md5,
				       struct link *link, const struct xfer_effect *fx, int64_t now);

/* sendfile and xsendfile differ only in the receiver that takes the bytes. */
static void start_receiver(struct interp_ctx *c, const char *command, receiver_ctor *make)
{
	char kind[64];
	size_t size;
	const char *md5;
	struct receiver *rx;
	struct xfer_effect fx;

	if (transfer_args(c, kind, sizeof(kind), &size, &md5))
		return;
	transfer_effect(c, &fx);
	if (!(rx = make(kind, size, md5, c->link, &fx, c->now_ms))) {
		answer_error(c->ans, "%s %s: out of memory", command, kind);
		return;
	}
	interp_receive(c, rx);
}

void h_sendfile(struct interp_ctx *c)
{
	start_receiver(c, "sendfile", raw_receiver_new);
}

void h_xsendfile(struct interp_ctx *c)
{
	start_receiver(c, "xsendfile", xmodem_receiver_new);
}

/* The row's arg is the kind the fetched file is kept as ("firmware":
 * installed, then the camera reboots). */
void h_url_fetch(struct interp_ctx *c)
{
	int n = (int)(strchr(c->row->pattern, '<') - c->row->pattern) - 1;
	char command[32], err[600];
	struct receiver *rx;
	struct xfer_effect fx;

	snprintf(command, sizeof(command), "%.*s", n, c->row->pattern);
	transfer_effect(c, &fx);
	if (!(rx = url_receiver_new(c->row->arg, command, c->args[0], c->link, &fx, c->now_ms,
				    err, sizeof(err)))) {
		answer_error(c->ans, "%s", err);
		return;
	}
	interp_receive(c, rx);
}

/* Legacy embedded builds: grab for 2 s (up to 256 frames), compute, answer. */
void h_exec_build(struct interp_ctx *c)
{
	struct camera *cam = c->cam;
	int kind = arg_id(c);
	double grab = 256 / cam->set.fps;

	if (cam->state != ST_OPERATIONAL) {
		answer_error(c->ans, "build failed: camera not operational (status: %s)",
			     cam_state_name(cam->state));
		return;
	}
	if (!camera_is_one(cam) && cam->set.fps <= 5) {
		answer_error(c->ans, "build failed: embedded computation needs more than 5 fps "
			     "(use buildnuc)");
		return;
	}
	if ((kind == NUC_FLAT_HDR_C1 || kind == NUC_FLAT_HDR_C2) && !cam->set.hdr) {
		answer_error(c->ans, "build failed: HDR flats need HDR mode (set hdr on)");
		return;
	}
	camera_nuc_build_file(cam, kind);
	c->ans->delay = (grab < 2 ? grab : 2) + 1.0;
	answer_line(c->ans, "Compute %s image........Done", kind == NUC_BIAS ? "bias" : "flat");
}
