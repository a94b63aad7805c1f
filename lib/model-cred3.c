/* C-RED 3: 640x512 InGaAs (SNAKE-SW), 14-bit converter, signed 16-bit
 * pixels (unsigned in extended HDR). Its parameters: what credctl get/set
 * can read and change, with the ranges the manual and the camera give. */
#include "model-impl.h"

static const struct cred_model cred3 = {
	.id = CRED_MODEL_CRED3,
	.key = "cred3",
	.name = "C-RED 3",
	.width = 640,
	.height = 512,
	.pixel_signed = 1,
	.adc_bits = 14,
	.temperatures_sensor = "temperatures snake",
};

static const char *const sensibility_choices[] = { "low", "medium", "high", NULL };
static const char *const tuning_choices[] = { "general_use", "short_exposure", "long_exposure", NULL };
static const char *const polarity_choices[] = { "standard", "inverted", NULL };
static const char *const exposure_choices[] = { "external", "internal", NULL };
/* extsynchro/extmarker sources: the synchro connector or a Camera Link
 * control line. The manual's table says the CC lines, the extmarker and
 * the swsynchro sources came with firmware 1.1.1, its prose says 1.1.0
 * ("Firmware 1.1.0 or above"): we gate on 1.1.0 and let a 1.1.0 camera
 * decide. */
static const char *const source_choices[] = { "external", "cc1", "cc2", "cc3", "cc4", NULL };
static const char *const swsource_choices[] = { "swtrig", "external", NULL };
static const char *const calibration_choices[] = { "c1", "c2", "off", NULL };
static const char *const priority_choices[] = { "none", "underexposed", "overexposed", NULL };
static const char *const ipmode_choices[] = { "manual", "automatic", NULL };
static const char *const telnet_choices[] = { "enable", "disable", NULL };
/* The states of section 6 ("Camera status"), the "busy" state of a NUC
 * build (section 8: the manual does not say whether `status` shows it, so
 * it is accepted) and the field spelling "presave" of prevsafe. */
static const char *const states[] = {
	"starting", "configuring", "operational", "safe", "prevsafe", "presave", "locked", "busy", NULL,
};

/* Side effects (struct cred_param.moves). The manual and the field: `set
 * fps` resets the integration time; the window sets the highest frame
 * rate, which clamps fps and with it the tint range; the readout
 * configuration (HDR, sensibility, tuning, granularity, TCDS) sets the
 * tint limits, which clamp tint. A preset replaces everything. */
static const char *const moves_tint[] = { "tint", NULL };
static const char *const moves_timing[] = { "fps", "tint", NULL };

#define AGC_LEVEL(n, h) CRED_INT("agc.param." n, "agc param " n, NAN, NAN, "ADU", h)
#define AGC_RATIO(n, h) CRED_NUM("agc.param." n, "agc param " n, 0, NAN, "", h)
#define AGC_FRAMES(n, h) CRED_INT("agc.param." n, "agc param " n, 1, NAN, "frames", h)
#define IPV4(n, cmd, h) \
	CRED_P(n, cmd, "set " cmd, CRED_PARAM_IPV4, NAN, NAN, "", h, .flags = CRED_PARAM_REBOOT)
#define TEMP(n, cmd, h) \
	CRED_RO_R(n, cmd, CRED_PARAM_NUMBER, CRED_CELSIUS_MIN, CRED_CELSIUS_MAX, 0, "C", h)
#define FPS_RO(n, h) CRED_RO_R(n, n, CRED_PARAM_NUMBER, 0.0001, CRED_FPS_READ_MAX, 0, "Hz", h)
#define TINT_RO(n, h) CRED_RO_R(n, n, CRED_PARAM_NUMBER, CRED_TINT_READ_MIN, 10000, 0, "s", h)
#define DELAY_RO(n, h) CRED_RO_R(n, n, CRED_PARAM_NUMBER, 0, NAN, 0, "s", h)
#define INFO(n, cmd, h, ...) CRED_RO(n, cmd, CRED_PARAM_TEXT, "", h, __VA_ARGS__)

static const struct cred_param cred3_params[] = {
	/* Frame rate and exposure. The manual gives 0.0001-600 fps and an
	 * integration time down to 165 ns; the camera narrows both to its
	 * configuration (minfps/maxfps, mintint/maxtint). */
	CRED_NUM("fps", "fps", 0.0001, 600, "Hz", "frame rate (setting it resets tint)",
		 .min_cmd = "minfps", .max_cmd = "maxfps", .order = CRED_ORDER_FPS,
		 CRED_READ(0.0001, CRED_FPS_READ_MAX, CRED_PARAM_CONFIRM), .moves = moves_tint),
	CRED_NUM("tint", "tint", 165e-9, 10000, "s", "integration time",
		 .min_cmd = "mintint", .max_cmd = "maxtint", .order = CRED_ORDER_TINT,
		 CRED_READ(CRED_TINT_READ_MIN, 10000, CRED_PARAM_CONFIRM)),
	FPS_RO("minfps", "lowest frame rate now allowed"),
	FPS_RO("maxfps", "highest frame rate now allowed (Camera Link)"),
	FPS_RO("maxfpsusb", "highest frame rate now allowed over USB"),
	TINT_RO("mintint", "shortest integration time now allowed"),
	TINT_RO("maxtint", "longest integration time now allowed"),
	TINT_RO("maxtintitr", "longest integration time that does not overlap the readout"),
	CRED_SW("tintgranularity", "tintgranularity",
		"coarse integration time steps in IWR mode (off for very short exposures)",
		.order = CRED_ORDER_CONFIG, .moves = moves_tint),
	CRED_SW("tcdsadjust", "tcdsadjust", "adjust TCDS for short integration times",
		.order = CRED_ORDER_CONFIG, .moves = moves_tint),
	CRED_SW("vrefadjust", "vrefadjust", "set the black level (VREF) automatically"),
	CRED_P("voltage.vref", NULL, "set voltage vref", CRED_PARAM_NUMBER, 1.9, 2.3, "V",
	       "manual black level (needs vrefadjust off; cannot be read back)"),
	CRED_CH("sensibility", "sensibility", sensibility_choices, "conversion gain (sensitivity)",
		.order = CRED_ORDER_CONFIG, CRED_CONFIRM, .moves = moves_tint),
	CRED_CH("tuning", "tuning", tuning_choices, "tuning profile for the kind of exposure",
		.min_firmware = "1.1.0", .order = CRED_ORDER_CONFIG, .moves = moves_tint),
	CRED_INT("darkoptimlevel", "darkoptimlevel", 0, 100, "%",
		 "dark current (100) versus readout noise (0) trade-off",
		 .set_firmware = "3.1.1"),
	CRED_INT("tlsydel", "tlsydel", 54, NAN, "", "tlsydel delay (sets the sync latency; default 324)"),
	/* Corrections */
	CRED_SW("bias", "bias", "bias correction", CRED_CONFIRM),
	CRED_SW("adaptbias", "adaptbias", "adaptive bias (follows the sensor temperature)"),
	CRED_SW("flat", "flat", "flat correction", CRED_CONFIRM),
	CRED_SW("badpixel", "badpixel", "bad pixel correction", CRED_CONFIRM),
	/* An offset keeps signed pixels positive: within the positive half
	 * of the 16-bit signed pixel. */
	CRED_INT("aduoffset", "aduoffset", 0, 32767, "ADU", "offset added to every pixel",
		 .get_alt = "adu offset", CRED_CONFIRM),
	/* Image tags, LED, events */
	CRED_SW("imagetags", "imagetags", "frame counter and gain in the first pixels", CRED_CONFIRM),
	CRED_SW("led", "led", "status LED"),
	CRED_SW("events", "events", "unprompted event messages on the command line",
		.flags = CRED_PARAM_SESSION),
	/* Synchronisation and triggered acquisition */
	CRED_SW("extsynchro", "extsynchro", "frames follow the external sync signal", CRED_CONFIRM),
	CRED_CH("extsynchro.polarity", "extsynchro polarity", polarity_choices,
		"sync signal polarity"),
	CRED_CH("extsynchro.exposure", "extsynchro exposure", exposure_choices,
		"exposure set by the sync pulse (external) or by tint (internal)"),
	CRED_CH("extsynchro.source", "extsynchro source", source_choices,
		"input carrying the sync signal", .min_firmware = "1.1.0"),
	CRED_CH("extmarker.source", "extmarker source", source_choices,
		"input carrying the frame marker", .min_firmware = "1.1.0"),
	CRED_SW("swsynchro", "swsynchro", "triggered acquisition (bursts on trigger)", CRED_CONFIRM),
	CRED_CH("swsynchro.source", "swsynchro source", swsource_choices,
		"what starts a burst", .min_firmware = "1.1.0"),
	CRED_INT("nbframesperswtrig", "nbframesperswtrig", 1, NAN, "frames", "frames per triggered burst"),
	CRED_NUM("syncdelay", "syncdelay", 0, NAN, "s", "extra delay on the sync signal (0: none)",
		 .min_cmd = "minsyncdelay", .max_cmd = "maxsyncdelay", .step_cmd = "stepsyncdelay"),
	DELAY_RO("minsyncdelay", "shortest sync delay"),
	DELAY_RO("maxsyncdelay", "longest sync delay"),
	DELAY_RO("stepsyncdelay", "sync delay granularity"),
	/* Cropping: columns and rows are set separately, then cropping on. */
	CRED_SW("cropping", "cropping", "read only the cropping window", .order = CRED_ORDER_CROP,
		CRED_CONFIRM, .moves = moves_timing),
	CRED_P("cropping.columns", "cropping columns", "set cropping columns", CRED_PARAM_CROP,
	       0, 639, "", "window columns A-B: A a multiple of 32, B+1 a multiple of 32",
	       .step = 32, .order = CRED_ORDER_CROP_AXIS, CRED_CONFIRM, .moves = moves_timing),
	CRED_P("cropping.rows", "cropping rows", "set cropping rows", CRED_PARAM_CROP,
	       0, 511, "", "window rows A-B: A a multiple of 4, B+1 a multiple of 4",
	       .step = 4, .order = CRED_ORDER_CROP_AXIS, CRED_CONFIRM, .moves = moves_timing),
	/* HDR (a licensed option; window at least 96x72). Only the `set hdr`
	 * rows of the table carry firmware 3.1.1: reading is not gated. */
	CRED_SW("hdr", "hdr", "HDR readout (needs a license and a bias)",
		.set_firmware = "3.1.1", .order = CRED_ORDER_CONFIG, CRED_CONFIRM, .moves = moves_timing),
	CRED_SW("hdr.extended", "hdr extended", "HDR with unsigned 16-bit pixels",
		.set_firmware = "3.1.1", .order = CRED_ORDER_CONFIG, CRED_CONFIRM, .moves = moves_timing),
	CRED_CH("hdr.calibration", "hdr calibration", calibration_choices,
		"force one capacitor in HDR (to build HDR corrections)", .set_firmware = "3.1.1"),
	/* Automatic gain control */
	CRED_SW("agc", "agc", "automatic gain control"),
	CRED_CH("agc.priority", "agc priority", priority_choices,
		"what wins in medium gain when pixels are both over and under exposed"),
	CRED_P("agc.roi", "agc roi", "set agc roi", CRED_PARAM_TEXT, NAN, NAN, "",
	       "region analysed by the gain control, relative to the crop"),
	AGC_LEVEL("level_pix_high_hg", "overexposure level in high gain"),
	AGC_LEVEL("level_pix_low_mg", "underexposure level in medium gain"),
	AGC_LEVEL("level_pix_high_mg", "overexposure level in medium gain"),
	AGC_LEVEL("level_pix_low_lg", "underexposure level in low gain"),
	AGC_RATIO("trigger_ratio_pixels_hg_to_mg", "share of overexposed pixels to leave high gain"),
	AGC_RATIO("trigger_ratio_pixels_mg_to_hg", "share of underexposed pixels to go to high gain"),
	AGC_RATIO("trigger_ratio_pixels_mg_to_lg", "share of overexposed pixels to go to low gain"),
	AGC_RATIO("trigger_ratio_pixels_lg_to_mg", "share of underexposed pixels to leave low gain"),
	AGC_FRAMES("trigger_nb_frames_hg_to_mg", "frames before going from high to medium gain"),
	AGC_FRAMES("trigger_nb_frames_mg_to_hg", "frames before going from medium to high gain"),
	AGC_FRAMES("trigger_nb_frames_mg_to_lg", "frames before going from medium to low gain"),
	AGC_FRAMES("trigger_nb_frames_lg_to_mg", "frames before going from low to medium gain"),
	/* Presets: loading one replaces every setting, so it goes first. */
	CRED_INT("preset", "preset", 0, 9, "", "active settings preset (setting loads it)",
		 .order = CRED_ORDER_PRESET, .flags = CRED_PARAM_SESSION),
	/* Network and remote access */
	CRED_CH("ip.mode", "ip mode", ipmode_choices, "static (manual) or DHCP (automatic) addressing",
		.flags = CRED_PARAM_REBOOT),
	IPV4("ip.address", "ip address", "static IPv4 address"),
	IPV4("ip.netmask", "ip netmask", "static IPv4 netmask"),
	IPV4("ip.gateway", "ip gateway", "static IPv4 gateway"),
	IPV4("ip.dns", "ip dns", "primary DNS server"),
	IPV4("ip.alternate-dns", "ip alternate-dns", "secondary DNS server"),
	INFO("ipaddress", "ipaddress", "current IP address"),
	CRED_CH("telnet", "telnet", telnet_choices, "control over telnet", .flags = CRED_PARAM_SESSION),
	CRED_SW("remotemaintenance", "remotemaintenance", "remote maintenance access",
		.flags = CRED_PARAM_SESSION),
	CRED_P("password", "password", "set password", CRED_PARAM_TEXT, NAN, NAN, "",
	       "telnet/ssh password", .flags = CRED_PARAM_REBOOT),
	/* Temperatures (the camera shuts down outside -20..60-90 C) */
	INFO("temperatures", "temperatures", "every temperature"),
	TEMP("temperatures.cpu", "temperatures CPU", "processor temperature"),
	TEMP("temperatures.backend", "temperatures backend", "back-end board temperature"),
	TEMP("temperatures.interface", "temperatures interface", "interface board temperature"),
	CRED_RO_R("temperatures.snake", "temperatures snake", CRED_PARAM_NUMBER, CRED_CELSIUS_MIN,
		  CRED_CELSIUS_MAX, CRED_MEASURED, "C", "sensor temperature"),
	TEMP("temperatures.ambiant", "temperatures ambiant", "ambient temperature"),
	CRED_P("temperatures.setpoint", NULL, "set temperatures snake", CRED_PARAM_NUMBER,
	       NAN, NAN, "C", "sensor temperature setpoint (cannot be read back)"),
	/* State and identity */
	CRED_RO("status", "status", CRED_PARAM_CHOICE, "", "camera state", .choices = states),
	INFO("status.detailed", "status detailed", "why the state last changed"),
	INFO("cameratype", "cameratype", "camera model and identification"),
	CRED_RO_R("hwuid", "hwuid", CRED_PARAM_TEXT, NAN, NAN, CRED_PARAM_CONFIRM, "",
		  "unique hardware identifier"),
	INFO("hwfeatures", "hwfeatures", "hardware feature bits", .min_firmware = "1.1.0"),
	INFO("swfeatures", "swfeatures", "software feature bits", .min_firmware = "1.1.0",
	     .get_alt = "Swfeatures"),
	INFO("licenses", "licenses", "installed license files"),
	INFO("version", "version", "all version numbers"),
	CRED_RO_R("version.firmware", "version firmware", CRED_PARAM_TEXT, NAN, NAN, CRED_PARAM_CONFIRM,
		  "", "firmware version"),
	INFO("version.firmware.detailed", "version firmware detailed", "firmware version with details"),
	INFO("version.firmware.build", "version firmware build", "firmware build"),
	INFO("version.fpga", "version fpga", "FPGA version"),
	INFO("version.hardware", "version hardware", "hardware version"),
	CRED_RO_R("buildnuc.progress", "buildnuc progress", CRED_PARAM_NUMBER, 0, NAN, 0, "s",
		"seconds left in a background bias/flat build", .min_firmware = "1.1.0"),
};

const struct cred_model_tables cred_cred3_tables = {
	.model = &cred3,
	.commands = cred_cred3_commands,
	.command_text = cred_cred3_command_text,
	.params = cred3_params,
	.param_count = CRED_ARRAY_SIZE(cred3_params),
};
