/* The C-RED 3 command table (user manual, chapter 9) and its own handlers. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "sim.h"

#define FIELD(f) P_FIELD(f)
#define SWITCH P_SWITCH_OF
#define CHOICE P_CHOICE_OF
#define INT P_INT_OF
#define REAL P_REAL_OF

static const char *const ch_polarity[] = { "standard", "inverted", NULL };
static const char *const ch_exposure[] = { "external", "internal", NULL };
static const char *const ch_source[] = { "external", "cc1", "cc2", "cc3", "cc4", NULL };
static const char *const ch_swsource[] = { "swtrig", "external", NULL };
static const char *const ch_sensibility[] = { "low", "medium", "high", NULL };
static const char *const ch_tuning[] = { "general_use", "short_exposure", "long_exposure", NULL };
static const char *const ch_hdrcal[] = { "off", "c1", "c2", NULL };
static const char *const ch_agcprio[] = { "none", "underexposed", "overexposed", NULL };

/* ---- checks and side effects ---- */

static void tint_limits(const struct camera *cam, double *lo, double *hi)
{
	*lo = camera_mintint(cam);
	*hi = camera_maxtint(cam);
}

static void fit(struct camera *cam, double now)
{
	camera_fit_timing(cam);
}

static void tint_round(struct camera *cam, double now)
{
	camera_round_tint(cam);
}

static int cc_check(struct camera *cam, const union pvalue *v, char *msg, size_t size)
{
	if (v->choice >= SRC_CC1 && cam->interface != IF_CAMERALINK) {
		snprintf(msg, size, "Camera Link controls (cc1-cc4) need a Camera Link camera");
		return -1;
	}
	return 0;
}

static int hdr_check(struct camera *cam, const union pvalue *v, char *msg, size_t size)
{
	if (!v->b)
		return 0;
	if (!cam->hdr_licensed) {
		snprintf(msg, size, "HDR needs a license (hdr.lic), active after a reboot");
		return -1;
	}
	if (cam->set.cropping && (camera_width(cam) < 96 || camera_height(cam) < 72)) {
		snprintf(msg, size, "HDR mode needs a window of at least 96x72 (cropping is %dx%d)",
			 camera_width(cam), camera_height(cam));
		return -1;
	}
	return 0;
}

static void syncdelay_limits(const struct camera *cam, double *lo, double *hi)
{
	*lo = 0;
	*hi = C3_MAX_SYNCDELAY;
}

static void syncdelay_round(struct camera *cam, double now)
{
	/* the delay counts master clock periods */
	cam->set.syncdelay = (long)(cam->set.syncdelay * C3_CLOCK + 0.5) / C3_CLOCK;
}

static int vref_check(struct camera *cam, const union pvalue *v, char *msg, size_t size)
{
	if (!cam->set.vrefadjust)
		return 0;
	snprintf(msg, size, "VREF is adjusted automatically (set vrefadjust off first)");
	return -1;
}

static int roi_check(struct camera *cam, const union pvalue *v, char *msg, size_t size)
{
	int x, y, w, h, n = -1;

	if (sscanf(v->text, "%d,%d,%d,%d%n", &x, &y, &w, &h, &n) != 4 || v->text[n] ||
	    x < 0 || y < 0 || w < 1 || h < 1 || x + w > camera_width(cam) ||
	    y + h > camera_height(cam)) {
		snprintf(msg, size, "invalid AGC ROI '%s': expected x,y,w,h inside the %dx%d window",
			 v->text, camera_width(cam), camera_height(cam));
		return -1;
	}
	return 0;
}

/* ---- parameters ---- */

static const struct param P_TINT = { .name = "tint", .label = "Integration time",
	.type = P_REAL, .off = FIELD(set.tint), .vfmt = "%.9f", .limits = tint_limits,
	.changed = tint_round };
static const struct param P_VREF = { .name = "vref", .label = "VREF", .type = P_REAL,
	.off = FIELD(set.vref), .min = 1.9, .max = 2.3, .check = vref_check };
static const struct param P_TLSYDEL = INT("tlsydel", "tlsydel", set.tlsydel, 54, 1024);
static const struct param P_TINTGRAN = { .name = "tintgranularity", .label = "Integration time granularity",
	.type = P_SWITCH, .off = FIELD(set.tintgranularity), .changed = fit };
static const struct param P_TCDSADJUST = SWITCH("tcdsadjust", "TCDS adjustment", set.tcdsadjust);
static const struct param P_VREFADJUST = SWITCH("vrefadjust", "VREF adjustment", set.vrefadjust);
static const struct param P_ADAPTBIAS = SWITCH("adaptbias", "Adaptative bias", set.adaptbias);
static const struct param P_BADPIXEL = SWITCH("badpixel", "Bad pixel correction", set.badpixel);
static const struct param P_EXTPOL = CHOICE("extsynchro polarity", "External synchronization polarity",
					    set.ext_polarity, ch_polarity);
static const struct param P_EXTEXPO = CHOICE("extsynchro exposure", "External synchronization exposure",
					     set.ext_exposure, ch_exposure);
static const struct param P_EXTSOURCE = { .name = "extsynchro source", .label = "External synchronization source",
	.type = P_CHOICE, .off = FIELD(set.ext_source), .choices = ch_source, .check = cc_check };
static const struct param P_SWSYNCHRO = SWITCH("swsynchro", "Software synchronization", set.swsynchro);
static const struct param P_SWSOURCE = CHOICE("swsynchro source", "Software synchronization source",
					      set.sw_source, ch_swsource);
static const struct param P_NBFRAMES = INT("nbframesperswtrig", "Frames per software trigger",
					   set.nbframesperswtrig, 1, 65535);
static const struct param P_EXTMARKER = { .name = "extmarker source", .label = "Frame marker source",
	.type = P_CHOICE, .off = FIELD(set.extmarker_source), .choices = ch_source, .check = cc_check };
static const struct param P_SENSIBILITY = CHOICE("sensibility", "Sensibility", set.sensibility,
						 ch_sensibility);
static const struct param P_ADUOFFSET = INT("aduoffset", "ADU offset", set.aduoffset, 0, 32767);
static const struct param P_SYNCDELAY = { .name = "syncdelay", .label = "Synchronization delay",
	.type = P_REAL, .off = FIELD(set.syncdelay), .vfmt = "%.9f", .limits = syncdelay_limits,
	.changed = syncdelay_round };
static const struct param P_SNAKESET = REAL("temperatures snake", "Sensor temperature setpoint",
					    set.snake_setpoint, -20, 60);
static const struct param P_HDR = { .name = "hdr", .label = "HDR", .type = P_SWITCH,
	.off = FIELD(set.hdr), .check = hdr_check };
static const struct param P_HDREXT = SWITCH("hdr extended", "HDR extended", set.hdr_extended);
static const struct param P_HDRCAL = CHOICE("hdr calibration", "HDR calibration", set.hdr_calibration,
					    ch_hdrcal);
static const struct param P_DARKOPTIM = INT("darkoptimlevel", "Dark optimization level",
					    set.darkoptimlevel, 0, 100);
static const struct param P_AGC = SWITCH("agc", "AGC", set.agc);
static const struct param P_AGCROI = { .name = "agc roi", .label = "AGC ROI", .type = P_TEXT,
	.off = FIELD(set.agc_roi), .max = 31, .check = roi_check };
static const struct param P_AGCPRIO = CHOICE("agc priority", "AGC priority", set.agc_priority, ch_agcprio);
static const struct param P_TUNING = CHOICE("tuning", "Tuning", set.tuning, ch_tuning);

#define AGC_LEVEL(i, n) INT(n, n, set.agc_level[i], 0, 16383)
#define AGC_RATIO(i, n) REAL(n, n, set.agc_ratio[i], 0, 100)
#define AGC_FRAMES(i, n) INT(n, n, set.agc_frames[i], 1, 1000)
static const struct param P_AGCP[12] = {
	AGC_LEVEL(0, "level_pix_high_hg"), AGC_LEVEL(1, "level_pix_low_mg"),
	AGC_LEVEL(2, "level_pix_high_mg"), AGC_LEVEL(3, "level_pix_low_lg"),
	AGC_RATIO(0, "trigger_ratio_pixels_hg_to_mg"), AGC_RATIO(1, "trigger_ratio_pixels_mg_to_hg"),
	AGC_RATIO(2, "trigger_ratio_pixels_mg_to_lg"), AGC_RATIO(3, "trigger_ratio_pixels_lg_to_mg"),
	AGC_FRAMES(0, "trigger_nb_frames_hg_to_mg"), AGC_FRAMES(1, "trigger_nb_frames_mg_to_hg"),
	AGC_FRAMES(2, "trigger_nb_frames_mg_to_lg"), AGC_FRAMES(3, "trigger_nb_frames_lg_to_mg"),
};

/* ---- handlers of this model ---- */

static void h_hwfeatures(struct interp_ctx *c)
{
	/* interface bits of the manual: CL 0x1, USB 0x2, CL base 0x100, full 0x200, CC 0x400 */
	unsigned f = c->cam->interface == IF_USB ? 0x0002 : 0x0001 | 0x0200 | 0x0400;

	if (c->raw)
		answer_line(c->ans, "0x%04x", f);
	else
		answer_line(c->ans, "HW features: 0x%04x (%s)", f,
			    f & 2 ? "USB" : "CL, CL full, CL CC");
}

static void h_swfeatures(struct interp_ctx *c)
{
	/* CDS 0x1, HDR 0x4, AGC 0x8, adaptative bias 0x10 (no NDR on a C-RED 3) */
	unsigned f = 0x0001 | 0x0004 | 0x0008 | 0x0010;

	if (c->raw)
		answer_line(c->ans, "0x%04x", f);
	else
		answer_line(c->ans, "SW features: 0x%04x (CDS, HDR, AGC, adaptative bias)", f);
}

static const struct { const char *name; long max; } snake_params[SNAKE_NPARAMS] = {
	{ "blm_en", 1 }, { "cds_en", 1 }, { "ibias", 255 },
};

static int snake_index(struct interp_ctx *c)
{
	for (int i = 0; i < SNAKE_NPARAMS; i++)
		if (!strcmp(c->args[0], snake_params[i].name))
			return i;
	answer_error(c->ans, "unknown snake parameter '%s'", c->args[0]);
	return -1;
}

static void h_snake(struct interp_ctx *c)
{
	int i = snake_index(c);

	if (i >= 0)
		answer_value(c->ans, c->raw, snake_params[i].name, "%ld", c->cam->set.snake[i]);
}

static void h_set_snake(struct interp_ctx *c)
{
	int i = snake_index(c);
	char *end;
	long v;

	if (i < 0)
		return;
	v = strtol(c->args[1], &end, 10);
	if (end == c->args[1] || *end || v < 0 || v > snake_params[i].max) {
		answer_error(c->ans, "%s out of range [0-%ld]", snake_params[i].name,
			     snake_params[i].max);
		return;
	}
	c->cam->set.snake[i] = v;
	answer_ok(c->ans);
}

static void h_preset(struct interp_ctx *c)
{
	answer_value(c->ans, c->raw, "Current preset", "%d", c->cam->preset);
}

static void h_set_preset(struct interp_ctx *c)
{
	char word[16];
	const char *w = cmdtab_last_word(c->row, word, sizeof(word));
	int n = strcmp(w, "preset") ? atoi(w) : c->cam->preset; /* bare: reload */

	camera_load_preset(c->cam, n);
	c->ans->delay = 0.2;
	answer_ok(c->ans);
}

static void h_swtrig(struct interp_ctx *c)
{
	const struct settings *s = &c->cam->set;

	if (!s->swsynchro)
		answer_error(c->ans, "software synchronization is off (set swsynchro on)");
	else if (s->sw_source != SWSRC_SWTRIG)
		answer_error(c->ans, "trigger source is external (set swsynchro source swtrig)");
	else {
		c->cam->swtrigs++;
		answer_ok(c->ans);
	}
}

static void h_swtrigabort(struct interp_ctx *c)
{
	c->cam->swtrigaborts++;
	answer_ok(c->ans);
}

static void h_licenses(struct interp_ctx *c)
{
	/* as in the manual: one file per line, then OK */
	for (int i = 0; i < c->cam->nlic; i++)
		answer_line(c->ans, "%s%s", c->cam->lic[i].name, c->cam->lic[i].enabled ? "" : ".disabled");
	if (!c->raw)
		answer_line(c->ans, "OK");
}

static void h_license_op(struct interp_ctx *c)
{
	struct camera *cam = c->cam;
	const char *op = c->row->arg, *name = c->args[0];
	char kind[64];
	int i;

	for (i = 0; i < cam->nlic && strcmp(cam->lic[i].name, name); i++)
		;
	if (i == cam->nlic) {
		answer_error(c->ans, "no license file '%s'", name);
		return;
	}
	if (!strcmp(op, "del")) {
		snprintf(kind, sizeof(kind), "license:%s", name);
		store_remove(cam->files, kind);
		memmove(&cam->lic[i], &cam->lic[i + 1], (cam->nlic - i - 1) * sizeof(cam->lic[0]));
		cam->nlic--;
	} else {
		cam->lic[i].enabled = !strcmp(op, "enable");
	}
	answer_line(c->ans, "OK"); /* takes effect at the next reboot */
}

/* The content, raw, then the prompt; the line's transfer faults (corrupt,
 * lose, cut) act on the way back too. */
static void send_content(struct interp_ctx *c, const uint8_t *data, size_t len)
{
	struct xfer_effect fx;
	uint8_t *copy = malloc(len ? len : 1);

	xfaults_match(&c->sim->xfaults, &fx);
	if (!copy) {
		answer_error(c->ans, "out of memory");
		return;
	}
	memcpy(copy, data, len);
	answer_bytes(c->ans, copy, xfer_line_filter(&fx, 0, copy, len));
	free(copy);
}

static void h_recvfile(struct interp_ctx *c)
{
	char word[16], md5[STORE_MD5_HEX];
	const char *sub = cmdtab_last_word(c->row, word, sizeof(word));
	size_t len;
	const uint8_t *data = store_get(c->cam->files, c->row->arg, &len);

	if (!data) {
		answer_error(c->ans, "no %s file", (const char *)c->row->arg);
	} else if (!strcmp(sub, "size")) {
		answer_value(c->ans, c->raw, "Size", "%zu", len);
	} else if (!strcmp(sub, "md5sum")) {
		md5_hex(data, len, md5);
		answer_value(c->ans, c->raw, "MD5", "%s", md5);
	} else {
		send_content(c, data, len);
	}
}

static void h_buildnuc(struct interp_ctx *c)
{
	char *end, msg[200];
	long n = strtol(c->args[0], &end, 10);

	if (end == c->args[0] || *end || n < 10 || n > 256)
		answer_error(c->ans, "nbframes out of range [10-256]");
	else if (camera_nuc_start(c->cam, *(const int *)c->row->arg, (int)n, c->now, msg, sizeof(msg)))
		answer_error(c->ans, "%s", msg);
	else
		answer_ok(c->ans);
}

static void h_buildnuc_progress(struct interp_ctx *c)
{
	answer_value(c->ans, c->raw, "Remaining time (s)", "%.1f",
		     camera_nuc_remaining(c->cam, c->now));
}

static void h_buildnuc_abort(struct interp_ctx *c)
{
	camera_nuc_abort(c->cam);
	answer_ok(c->ans);
}

/* ---- the table ---- */

#define GET(p, fn, arg, help) { K_GET, p, NULL, fn, arg, 0, help }
#define GETFW(p, fw, fn, arg, help) { K_GET, p, fw, fn, arg, 0, help }
#define SET(p, arg, help) { K_SET, p, NULL, h_param_set, arg, 0, help }
#define SETFW(p, fw, arg, help) { K_SET, p, fw, h_param_set, arg, 0, help }
#define PGET(p, arg, help) { K_GET, p, NULL, h_param_get, arg, 0, help }
#define OTHER(p, fn, arg, help) { K_OTHER, p, NULL, fn, arg, 0, help }
#define OTHERFW(p, fw, fn, arg, help) { K_OTHER, p, fw, fn, arg, 0, help }
#define EXEC(p, fn, arg, help) { K_EXEC, p, NULL, fn, arg, 0, help }
#define SENDFILE(k, help) OTHER("sendfile " k " <sendfileSize> <sendfileMD5>", h_sendfile, k, help)
#define XSENDFILE(k, help) OTHER("xsendfile " k " <sendfileSize> <sendfileMD5>", h_xsendfile, k, help)
#define RECV(k, s, help) { K_OTHER, "recvfile " k " " s, "1.1.0", h_recvfile, k, CF_READ, help }

static const struct cmd_row rows[] = {
	GETFW("hwfeatures", "1.1.0", h_hwfeatures, NULL, "Hardware features (bit mask)"),
	GETFW("Swfeatures", "1.1.0", h_swfeatures, NULL, "Software features (bit mask), manual spelling"),
	GETFW("swfeatures", "1.1.0", h_swfeatures, NULL, "Software features (bit mask)"),
	GET("temperatures", h_temperatures, NULL, "Every temperature"),
	GET("temperatures CPU", h_temperature, &temp_ids[T3_CPU], "Processor temperature"),
	GET("temperatures backend", h_temperature, &temp_ids[T3_BACKEND], "Back-end board temperature"),
	GET("temperatures interface", h_temperature, &temp_ids[T3_INTERFACE], "Interface board temperature"),
	GET("temperatures snake", h_temperature, &temp_ids[T3_SNAKE], "Sensor temperature"),
	GET("temperatures ambiant", h_temperature, &temp_ids[T3_AMBIANT], "Ambient temperature"),
	PGET("tlsydel", &P_TLSYDEL, "Sensor tlsydel delay"),
	PGET("fps", &P_FPS, "Frame rate (Hz)"),
	GET("minfps", h_limit, &limit_ids[L_MINFPS], "Lowest frame rate for this configuration"),
	GET("maxfps", h_limit, &limit_ids[L_MAXFPS], "Highest frame rate for this configuration (Camera Link)"),
	GET("maxfpsusb", h_limit, &limit_ids[L_MAXFPSUSB], "Highest frame rate for this configuration (USB)"),
	PGET("tint", &P_TINT, "Integration time (s)"),
	GET("mintint", h_limit, &limit_ids[L_MINTINT], "Shortest integration time for this configuration (s)"),
	GET("maxtint", h_limit, &limit_ids[L_MAXTINT], "Longest integration time for this configuration (s)"),
	GET("maxtintitr", h_limit, &limit_ids[L_MAXTINTITR], "Longest integration time without read overlap (s)"),
	PGET("tintgranularity", &P_TINTGRAN, "Integration time granularity in IWR mode"),
	PGET("tcdsadjust", &P_TCDSADJUST, "Automatic TCDS adjustment for short integration times"),
	PGET("vrefadjust", &P_VREFADJUST, "Automatic VREF adjustment"),
	PGET("bias", &P_BIAS, "Bias correction"),
	PGET("adaptbias", &P_ADAPTBIAS, "Adaptative bias"),
	PGET("flat", &P_FLAT, "Flat correction"),
	PGET("badpixel", &P_BADPIXEL, "Bad pixel correction"),
	PGET("imagetags", &P_IMAGETAGS, "Image tags"),
	PGET("led", &P_LED, "Status LED"),
	SENDFILE("bias", "Upload a bias file (raw bytes, size and MD5 first)"),
	SENDFILE("bias_hdr_c1", "Upload a bias file for the HDR C1 capacitor"),
	SENDFILE("bias_hdr_c2", "Upload a bias file for the HDR C2 capacitor"),
	SENDFILE("flat", "Upload a flat file"),
	SENDFILE("flat_hdr_c1", "Upload a flat file for the HDR C1 capacitor"),
	SENDFILE("flat_hdr_c2", "Upload a flat file for the HDR C2 capacitor"),
	OTHERFW("sendfile userbadpixel <sendfileSize> <sendfileMD5>", "1.1.0", h_sendfile,
		"userbadpixel", "Upload the user bad pixel map"),
	OTHER("sendfile license <sendfileName> <sendfileSize> <sendfileMD5>", h_sendfile, NULL,
	      "Upload a license file"),
	XSENDFILE("bias", "Upload a bias file by XMODEM"),
	XSENDFILE("bias_hdr_c1", "Upload an HDR C1 bias file by XMODEM"),
	XSENDFILE("bias_hdr_c2", "Upload an HDR C2 bias file by XMODEM"),
	XSENDFILE("flat", "Upload a flat file by XMODEM"),
	XSENDFILE("flat_hdr_c1", "Upload an HDR C1 flat file by XMODEM"),
	XSENDFILE("flat_hdr_c2", "Upload an HDR C2 flat file by XMODEM"),
	OTHER("xsendfile license <sendfileName> <sendfileSize> <sendfileMD5>", h_xsendfile, NULL,
	      "Upload a license file by XMODEM"),
	RECV("userbadpixel", "size", "Size of the user bad pixel map (bytes)"),
	RECV("userbadpixel", "md5sum", "MD5 of the user bad pixel map"),
	RECV("userbadpixel", "content", "Raw bytes of the user bad pixel map"),
	RECV("factbadpixel", "size", "Size of the factory bad pixel map (bytes)"),
	RECV("factbadpixel", "md5sum", "MD5 of the factory bad pixel map"),
	RECV("factbadpixel", "content", "Raw bytes of the factory bad pixel map"),
	OTHER("getflat <url>", h_url_fetch, "flat", "Fetch a flat file from a URL"),
	OTHER("getflat_hdr_c1 <url>", h_url_fetch, "flat_hdr_c1", "Fetch an HDR C1 flat file from a URL"),
	OTHER("getflat_hdr_c2 <url>", h_url_fetch, "flat_hdr_c2", "Fetch an HDR C2 flat file from a URL"),
	OTHER("getbias <url>", h_url_fetch, "bias", "Fetch a bias file from a URL"),
	OTHER("getbias_hdr_c1 <url>", h_url_fetch, "bias_hdr_c1", "Fetch an HDR C1 bias file from a URL"),
	OTHER("getbias_hdr_c2 <url>", h_url_fetch, "bias_hdr_c2", "Fetch an HDR C2 bias file from a URL"),
	PGET("events", &P_EVENTS, "Unsolicited event messages"),
	PGET("extsynchro", &P_EXTSYNCHRO, "External synchronization"),
	PGET("extsynchro polarity", &P_EXTPOL, "External synchronization polarity"),
	PGET("extsynchro exposure", &P_EXTEXPO, "Exposure set by the synchronization signal or internally"),
	GETFW("extsynchro source", "1.1.0", h_param_get, &P_EXTSOURCE, "External synchronization input"),
	PGET("swsynchro", &P_SWSYNCHRO, "Triggered acquisition"),
	GETFW("swsynchro source", "1.1.0", h_param_get, &P_SWSOURCE, "Trigger source of triggered acquisition"),
	PGET("nbframesperswtrig", &P_NBFRAMES, "Frames per trigger"),
	OTHER("swtrig", h_swtrig, NULL, "Send a software trigger"),
	OTHERFW("swtrigabort", "1.1.0", h_swtrigabort, NULL, "Abort the triggered acquisition"),
	GETFW("extmarker source", "1.1.0", h_param_get, &P_EXTMARKER, "Frame marker input"),
	GET("cropping", h_cropping, NULL, "Cropping on or off, with the window"),
	GET("cropping columns", h_cropping_axis, &axis_ids[CROP_COLUMNS], "Cropping columns A-B"),
	GET("cropping rows", h_cropping_axis, &axis_ids[CROP_ROWS], "Cropping rows A-B"),
	GET("version", h_version, &version_ids[V_ALL], "Every version"),
	GET("version firmware", h_version, &version_ids[V_FIRMWARE], "Firmware version"),
	GET("version firmware detailed", h_version, &version_ids[V_FIRMWARE_DETAILED], "Detailed firmware version"),
	GET("version firmware build", h_version, &version_ids[V_FIRMWARE_BUILD], "Firmware build date"),
	GET("version fpga", h_version, &version_ids[V_FPGA], "FPGA version"),
	GET("version hardware", h_version, &version_ids[V_HARDWARE], "Hardware version"),
	GET("status", h_status, NULL, "Camera state"),
	GET("status detailed", h_status_detailed, NULL, "Reason of the last state change"),
	OTHER("continue", h_continue, NULL, "Go on starting after an error in the last session"),
	OTHER("save", h_save, NULL, "Save the settings into the active preset"),
	{ K_OTHER, "restorefactory", NULL, h_restorefactory, NULL, CF_ANY_STATE,
	  "Factory settings and presets, then reboot" },
	GET("preset", h_preset, NULL, "Active preset number"),
	GET("ipaddress", h_ipaddress, NULL, "IP address in use"),
	PGET("telnet", &P_TELNET, "Telnet access"),
	GET("cameratype", h_cameratype, NULL, "Camera model, serial number, sensor, interface"),
	{ K_OTHER, "shutdown", NULL, h_shutdown, NULL, CF_ANY_STATE, "Prepare for power off" },
	{ K_OTHER, "reboot", NULL, h_reboot, NULL, CF_ANY_STATE, "Restart the camera" },
	PGET("remotemaintenance", &P_REMOTEMAINTENANCE, "Remote maintenance"),
	PGET("password", &P_PASSWORD, "Telnet and ssh password"),
	PGET("sensibility", &P_SENSIBILITY, "Conversion gain (low, medium, high)"),
	GET("snake <parameter>", h_snake, NULL, "A sensor configuration parameter"),
	GET("hwuid", h_hwuid, NULL, "Unique hardware identifier"),
	PGET("syncdelay", &P_SYNCDELAY, "Extra delay on the synchronization signal (s)"),
	GET("minsyncdelay", h_limit, &limit_ids[L_MINSYNCDELAY], "Shortest synchronization delay (s)"),
	GET("maxsyncdelay", h_limit, &limit_ids[L_MAXSYNCDELAY], "Longest synchronization delay (s)"),
	GET("stepsyncdelay", h_limit, &limit_ids[L_STEPSYNCDELAY], "Synchronization delay granularity (s)"),
	{ K_OTHER, "licenses", NULL, h_licenses, NULL, CF_READ, "Installed license files" },
	PGET("adu offset", &P_ADUOFFSET, "Offset added to every pixel (manual spelling)"),
	PGET("aduoffset", &P_ADUOFFSET, "Offset added to every pixel"),
	PGET("ip mode", &P_IPMODE, "Network configuration mode"),
	PGET("ip address", &P_IPADDRESS, "Static IPv4 address"),
	PGET("ip netmask", &P_IPNETMASK, "Static IPv4 netmask"),
	PGET("ip gateway", &P_IPGATEWAY, "Static IPv4 gateway"),
	PGET("ip dns", &P_IPDNS, "Static primary DNS"),
	PGET("ip alternate-dns", &P_IPALTDNS, "Static alternate DNS"),
	PGET("hdr", &P_HDR, "HDR readout"),
	PGET("hdr extended", &P_HDREXT, "HDR with unsigned 16-bit pixels"),
	PGET("hdr calibration", &P_HDRCAL, "Capacitor forced in HDR (off, c1, c2)"),
	PGET("darkoptimlevel", &P_DARKOPTIM, "Dark current versus noise tradeoff (percent)"),
	PGET("agc", &P_AGC, "Automatic gain control"),
	PGET("agc param level_pix_high_hg", &P_AGCP[0], "Overexposed level in high gain"),
	PGET("agc param level_pix_low_mg", &P_AGCP[1], "Underexposed level in medium gain"),
	PGET("agc param level_pix_high_mg", &P_AGCP[2], "Overexposed level in medium gain"),
	PGET("agc param level_pix_low_lg", &P_AGCP[3], "Underexposed level in low gain"),
	PGET("agc param trigger_ratio_pixels_hg_to_mg", &P_AGCP[4], "Overexposed ratio, high to medium"),
	PGET("agc param trigger_ratio_pixels_mg_to_hg", &P_AGCP[5], "Underexposed ratio, medium to high"),
	PGET("agc param trigger_ratio_pixels_mg_to_lg", &P_AGCP[6], "Overexposed ratio, medium to low"),
	PGET("agc param trigger_ratio_pixels_lg_to_mg", &P_AGCP[7], "Underexposed ratio, low to medium"),
	PGET("agc param trigger_nb_frames_hg_to_mg", &P_AGCP[8], "Frames before high to medium"),
	PGET("agc param trigger_nb_frames_mg_to_hg", &P_AGCP[9], "Frames before medium to high"),
	PGET("agc param trigger_nb_frames_mg_to_lg", &P_AGCP[10], "Frames before medium to low"),
	PGET("agc param trigger_nb_frames_lg_to_mg", &P_AGCP[11], "Frames before low to medium"),
	PGET("agc roi", &P_AGCROI, "AGC region x,y,w,h in the window"),
	PGET("agc priority", &P_AGCPRIO, "AGC choice when under and over exposed at once"),
	GETFW("tuning", "1.1.0", h_param_get, &P_TUNING, "Camera tuning"),
	EXEC("exec upgradefirmware <url>", h_url_fetch, "firmware", "Upgrade from a URL"),
	EXEC("exec uploadfirmware", h_uploadfirmware, NULL, "Upgrade from an uploaded file"),
	EXEC("exec buildbias", h_exec_build, &nuc_ids[NUC_BIAS], "Build a bias file (2 s of frames)"),
	EXEC("exec buildflat", h_exec_build, &nuc_ids[NUC_FLAT], "Build a flat file (2 s of frames)"),
	EXEC("exec buildflat hdr_c1", h_exec_build, &nuc_ids[NUC_FLAT_HDR_C1], "Build an HDR C1 flat file"),
	EXEC("exec buildflat hdr_c2", h_exec_build, &nuc_ids[NUC_FLAT_HDR_C2], "Build an HDR C2 flat file"),
	EXEC("exec dellicense <license>", h_license_op, "del", "Delete a license (at next reboot)"),
	EXEC("exec enablelicense <license>", h_license_op, "enable", "Enable a license (at next reboot)"),
	EXEC("exec disablelicense <license>", h_license_op, "disable", "Disable a license (at next reboot)"),
	EXEC("exec logs", h_logs, NULL, "Collect the logs and serve them over http"),
	EXEC("exec logs <from>", h_logs, NULL, "Collect the logs since a date and serve them"),
	OTHERFW("buildnuc bias <nbframes>", "1.1.0", h_buildnuc, &nuc_ids[NUC_BIAS],
		"Build a bias file in the background (10-256 frames)"),
	OTHERFW("buildnuc flat <nbframes>", "1.1.0", h_buildnuc, &nuc_ids[NUC_FLAT],
		"Build a flat file in the background"),
	OTHERFW("buildnuc flat_hdr_c1 <nbframes>", "1.1.0", h_buildnuc, &nuc_ids[NUC_FLAT_HDR_C1],
		"Build an HDR C1 flat file in the background"),
	OTHERFW("buildnuc flat_hdr_c2 <nbframes>", "1.1.0", h_buildnuc, &nuc_ids[NUC_FLAT_HDR_C2],
		"Build an HDR C2 flat file in the background"),
	{ K_OTHER, "buildnuc progress", "1.1.0", h_buildnuc_progress, NULL, CF_BUSY_OK | CF_READ,
	  "Seconds left in the background build" },
	{ K_OTHER, "buildnuc abort", "1.1.0", h_buildnuc_abort, NULL, CF_BUSY_OK,
	  "Abort the background build" },
	SET("set voltage vref <vrefValue>", &P_VREF, "VREF voltage 1.9-2.3 V"),
	SET("set temperatures snake <snakeValue>", &P_SNAKESET, "Sensor temperature setpoint (C)"),
	SET("set fps <fpsValue>", &P_FPS, "Frame rate (resets tint to its maximum)"),
	SET("set tint <intValue>", &P_TINT, "Integration time (s)"),
	SET("set tintgranularity on", &P_TINTGRAN, "Coarse integration time steps in IWR"),
	SET("set tintgranularity off", &P_TINTGRAN, "One clock integration time steps"),
	SET("set tcdsadjust on", &P_TCDSADJUST, "Adjust TCDS for short integration times"),
	SET("set tcdsadjust off", &P_TCDSADJUST, "Fixed TCDS"),
	SET("set vrefadjust on", &P_VREFADJUST, "Automatic VREF"),
	SET("set vrefadjust off", &P_VREFADJUST, "Manual VREF"),
	SET("set bias on", &P_BIAS, "Bias correction on"),
	SET("set bias off", &P_BIAS, "Bias correction off"),
	SET("set adaptbias on", &P_ADAPTBIAS, "Adaptative bias on"),
	SET("set adaptbias off", &P_ADAPTBIAS, "Adaptative bias off"),
	SET("set flat on", &P_FLAT, "Flat correction on"),
	SET("set flat off", &P_FLAT, "Flat correction off"),
	SET("set badpixel on", &P_BADPIXEL, "Bad pixel correction on"),
	SET("set badpixel off", &P_BADPIXEL, "Bad pixel correction off"),
	SET("set imagetags on", &P_IMAGETAGS, "Image tags on"),
	SET("set imagetags off", &P_IMAGETAGS, "Image tags off"),
	SET("set led on", &P_LED, "LED on"),
	SET("set led off", &P_LED, "LED off"),
	{ K_SET, "set events on", NULL, h_param_set, &P_EVENTS, CF_ANY_STATE, "Send event messages" },
	{ K_SET, "set events off", NULL, h_param_set, &P_EVENTS, CF_ANY_STATE, "No event messages" },
	SET("set extsynchro on", &P_EXTSYNCHRO, "External synchronization on"),
	SET("set extsynchro off", &P_EXTSYNCHRO, "Internal synchronization"),
	SET("set extsynchro polarity standard", &P_EXTPOL, "Standard polarity"),
	SET("set extsynchro polarity inverted", &P_EXTPOL, "Inverted polarity"),
	SET("set extsynchro exposure external", &P_EXTEXPO, "Exposure from the signal"),
	SET("set extsynchro exposure internal", &P_EXTEXPO, "Exposure from tint"),
	SETFW("set extsynchro source external", "1.1.0", &P_EXTSOURCE, "Synchronization from the synchro connector"),
	SETFW("set extsynchro source cc1", "1.1.1", &P_EXTSOURCE, "Synchronization from Camera Link CC1"),
	SETFW("set extsynchro source cc2", "1.1.1", &P_EXTSOURCE, "Synchronization from Camera Link CC2"),
	SETFW("set extsynchro source cc3", "1.1.1", &P_EXTSOURCE, "Synchronization from Camera Link CC3"),
	SETFW("set extsynchro source cc4", "1.1.1", &P_EXTSOURCE, "Synchronization from Camera Link CC4"),
	SETFW("set extmarker source external", "1.1.1", &P_EXTMARKER, "Frame marker from the synchro connector"),
	SETFW("set extmarker source cc1", "1.1.1", &P_EXTMARKER, "Frame marker from Camera Link CC1"),
	SETFW("set extmarker source cc2", "1.1.1", &P_EXTMARKER, "Frame marker from Camera Link CC2"),
	SETFW("set extmarker source cc3", "1.1.1", &P_EXTMARKER, "Frame marker from Camera Link CC3"),
	SETFW("set extmarker source cc4", "1.1.1", &P_EXTMARKER, "Frame marker from Camera Link CC4"),
	SET("set swsynchro on", &P_SWSYNCHRO, "Triggered acquisition on"),
	SET("set swsynchro off", &P_SWSYNCHRO, "Triggered acquisition off"),
	SETFW("set swsynchro source swtrig", "1.1.1", &P_SWSOURCE, "Trigger by swtrig"),
	SETFW("set swsynchro source external", "1.1.1", &P_SWSOURCE, "Trigger by the external signal"),
	SET("set nbframesperswtrig <nbframes>", &P_NBFRAMES, "Frames per trigger"),
	SET("set cropping on", &P_CROPPING, "Cropping on"),
	SET("set cropping off", &P_CROPPING, "Cropping off"),
	{ K_SET, "set cropping columns <columnsValue>", NULL, h_set_cropping_axis,
	  &axis_ids[CROP_COLUMNS], 0, "Columns A-B, 0-639, steps of 32" },
	{ K_SET, "set cropping rows <rowsValue>", NULL, h_set_cropping_axis,
	  &axis_ids[CROP_ROWS], 0, "Rows A-B, 0-511, steps of 4" },
	SET("set password <password>", &P_PASSWORD, "Telnet and ssh password"),
	SET("set ip mode manual", &P_IPMODE, "Static network configuration"),
	SET("set ip mode automatic", &P_IPMODE, "DHCP"),
	SET("set ip address <ip>", &P_IPADDRESS, "Static IPv4 address"),
	SET("set ip netmask <mask>", &P_IPNETMASK, "Static netmask"),
	SET("set ip gateway <gateway>", &P_IPGATEWAY, "Static gateway"),
	SET("set ip dns <dns>", &P_IPDNS, "Primary DNS"),
	SET("set ip alternate-dns <dns>", &P_IPALTDNS, "Alternate DNS"),
	{ K_SET, "set ip refresh", NULL, h_ip_refresh, NULL, 0, "Apply the network configuration" },
	SET("set telnet enable", &P_TELNET, "Allow telnet"),
	SET("set telnet disable", &P_TELNET, "Forbid telnet"),
	SET("set remotemaintenance on", &P_REMOTEMAINTENANCE, "Remote maintenance on"),
	SET("set remotemaintenance off", &P_REMOTEMAINTENANCE, "Remote maintenance off"),
	SET("Set tlsydel <value>", &P_TLSYDEL, "tlsydel (manual spelling)"),
	SET("set tlsydel <value>", &P_TLSYDEL, "tlsydel"),
	SET("set sensibility low", &P_SENSIBILITY, "Low conversion gain"),
	SET("set sensibility medium", &P_SENSIBILITY, "Medium conversion gain"),
	SET("set sensibility high", &P_SENSIBILITY, "High conversion gain"),
	{ K_SET, "set snake <parameter> <value>", NULL, h_set_snake, NULL, 0, "A sensor parameter" },
	{ K_SET, "set preset", NULL, h_set_preset, NULL, 0, "Reload the active preset" },
	{ K_SET, "set preset 0", NULL, h_set_preset, NULL, 0, "Load preset 0" },
	{ K_SET, "set preset 1", NULL, h_set_preset, NULL, 0, "Load preset 1" },
	{ K_SET, "set preset 2", NULL, h_set_preset, NULL, 0, "Load preset 2" },
	{ K_SET, "set preset 3", NULL, h_set_preset, NULL, 0, "Load preset 3" },
	{ K_SET, "set preset 4", NULL, h_set_preset, NULL, 0, "Load preset 4" },
	{ K_SET, "set preset 5", NULL, h_set_preset, NULL, 0, "Load preset 5" },
	{ K_SET, "set preset 6", NULL, h_set_preset, NULL, 0, "Load preset 6" },
	{ K_SET, "set preset 7", NULL, h_set_preset, NULL, 0, "Load preset 7" },
	{ K_SET, "set preset 8", NULL, h_set_preset, NULL, 0, "Load preset 8" },
	{ K_SET, "set preset 9", NULL, h_set_preset, NULL, 0, "Load preset 9" },
	SET("set aduoffset <aduOffsetValue>", &P_ADUOFFSET, "Offset added to every pixel"),
	SET("set syncdelay <delay>", &P_SYNCDELAY, "Synchronization delay (s)"),
	SETFW("set hdr on", "3.1.1", &P_HDR, "HDR on (license, window 96x72 or more)"),
	SETFW("set hdr off", "3.1.1", &P_HDR, "HDR off"),
	SETFW("set hdr extended on", "3.1.1", &P_HDREXT, "Unsigned HDR pixels"),
	SETFW("set hdr extended off", "3.1.1", &P_HDREXT, "Signed HDR pixels"),
	SETFW("set hdr calibration c1", "3.1.1", &P_HDRCAL, "Force C1 in HDR"),
	SETFW("set hdr calibration c2", "3.1.1", &P_HDRCAL, "Force C2 in HDR"),
	SETFW("set hdr calibration off", "3.1.1", &P_HDRCAL, "No forced capacitor"),
	SETFW("set darkoptimlevel <value>", "3.1.1", &P_DARKOPTIM, "Dark current versus noise (0-100)"),
	SET("set agc on", &P_AGC, "AGC on"),
	SET("set agc off", &P_AGC, "AGC off"),
	SET("set agc param level_pix_high_hg <value>", &P_AGCP[0], "Overexposed level in high gain"),
	SET("set agc param level_pix_low_mg <value>", &P_AGCP[1], "Underexposed level in medium gain"),
	SET("set agc param level_pix_high_mg <value>", &P_AGCP[2], "Overexposed level in medium gain"),
	SET("set agc param level_pix_low_lg <value>", &P_AGCP[3], "Underexposed level in low gain"),
	SET("set agc param trigger_ratio_pixels_hg_to_mg <value>", &P_AGCP[4], "Overexposed ratio, high to medium"),
	SET("set agc param trigger_ratio_pixels_mg_to_hg <value>", &P_AGCP[5], "Underexposed ratio, medium to high"),
	SET("set agc param trigger_ratio_pixels_mg_to_lg <value>", &P_AGCP[6], "Overexposed ratio, medium to low"),
	SET("set agc param trigger_ratio_pixels_lg_to_mg <value>", &P_AGCP[7], "Underexposed ratio, low to medium"),
	SET("set agc param trigger_nb_frames_hg_to_mg <value>", &P_AGCP[8], "Frames before high to medium"),
	SET("set agc param trigger_nb_frames_mg_to_hg <value>", &P_AGCP[9], "Frames before medium to high"),
	SET("set agc param trigger_nb_frames_mg_to_lg <value>", &P_AGCP[10], "Frames before medium to low"),
	SET("set agc param trigger_nb_frames_lg_to_mg <value>", &P_AGCP[11], "Frames before low to medium"),
	SET("set agc roi <value>", &P_AGCROI, "AGC region x,y,w,h"),
	SET("set agc priority none", &P_AGCPRIO, "No preference"),
	SET("set agc priority underexposed", &P_AGCPRIO, "Prefer underexposed pixels"),
	SET("set agc priority overexposed", &P_AGCPRIO, "Prefer overexposed pixels"),
	SETFW("set tuning general_use", "1.1.0", &P_TUNING, "General use tuning"),
	SETFW("set tuning short_exposure", "1.1.0", &P_TUNING, "Short exposure tuning"),
	SETFW("set tuning long_exposure", "1.1.0", &P_TUNING, "Long exposure tuning"),
	GET("help", h_help, NULL, "This list"),
};

const struct cmd_table *cred3_commands(void)
{
	static const struct cmd_table t = { rows, sizeof(rows) / sizeof(rows[0]) };

	return &t;
}
