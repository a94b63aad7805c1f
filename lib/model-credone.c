/* C-RED One: 320x256 HgCdTe e-APD (SAPHIRA), 16-bit unsigned pixels, a
 * pulse-tube cryostat. Its parameters: what credctl get/set can read and
 * change, with the ranges the manual and the camera give. */
#include "model-impl.h"

static const struct cred_model credone = {
	.id = CRED_MODEL_CREDONE,
	.key = "credone",
	.name = "C-RED One",
	.width = 320,
	.height = 256,
	.pixel_signed = 0,
	.adc_bits = 16,
	.temperatures_sensor = "temperatures cryostat diode",
};

/* The old names globalreset and rollingresetcds are still accepted. */
static const char *const mode_choices[] = {
	"globalresetsingle", "globalresetcds", "globalresetbursts", "rollingresetsingle",
	"rollingresetnro", "rollingresetiota", "globalreset", "rollingresetcds", NULL,
};
static const char *const ipmode_choices[] = { "manual", "automatic", NULL };
static const char *const enable_choices[] = { "enable", "disable", NULL };
/* The states the manual lists under `status`, and the field spelling
 * "presave" of prevsafe. */
static const char *const states[] = {
	"starting", "configuring", "poorvacuum", "faultyvacuum", "vacuumrege", "ready",
	"isbeingcooled", "standby", "operational", "prevsafe", "presave", "safe", "locked", NULL,
};

/* Side effects (struct cred_param.moves): a readout mode change can reset
 * the gain to 1 and rescale the frame rate (field notes); the readout
 * parameters and the window set maxfps, which clamps fps. */
static const char *const moves_mode[] = { "gain", "fps", NULL };
static const char *const moves_fps[] = { "fps", NULL };

#define WRITE_ONLY(n, set, ty, h, ...) \
	CRED_P(n, NULL, set, ty, NAN, NAN, "", h, __VA_ARGS__)
#define NUM_RO(n, cmd, unit, h) CRED_RO(n, cmd, CRED_PARAM_NUMBER, unit, h)
#define RANGE_RO(n, cmd, lo, hi, fl, unit, h) CRED_RO_R(n, cmd, CRED_PARAM_NUMBER, lo, hi, fl, unit, h)
#define CELSIUS(n, cmd, h) RANGE_RO(n, cmd, CRED_CELSIUS_MIN, CRED_CELSIUS_MAX, 0, "C", h)
#define KELVIN(n, cmd, fl, h) RANGE_RO(n, cmd, 0, CRED_KELVIN_MAX, fl, "K", h)
#define INFO(n, cmd, h) CRED_RO(n, cmd, CRED_PARAM_TEXT, "", h)

static const struct cred_param credone_params[] = {
	/* Acquisition. The manual gives 1-3500 Hz for `set fps` and also frame
	 * rates down to 0.02 Hz (50 s exposures); we accept the wider range
	 * and let maxfps bound it from above. */
	CRED_NUM("fps", "fps", 0.02, 3500, "Hz", "frame rate",
		 .max_cmd = "maxfps", .order = CRED_ORDER_FPS,
		 CRED_READ(0.02, CRED_FPS_READ_MAX, CRED_PARAM_CONFIRM)),
	RANGE_RO("maxfps", "maxfps", 0.02, CRED_FPS_READ_MAX, 0, "Hz", "highest frame rate now allowed"),
	/* Gain from 1 in steps of 1 (never saved; a mode change can reset it
	 * to 1). Not bounded by maxpossiblegain: above its limit the camera
	 * locks the gain "whatever the gain command above N is" (manual
	 * 6.6.3), it does not refuse; the read-back tells. */
	CRED_INT("gain", "gain", 1, NAN, "", "avalanche gain (locked at maxpossiblegain)",
		 .step = 1, .order = CRED_ORDER_GAIN, CRED_CONFIRM),
	RANGE_RO("maxpossiblegain", "maxpossiblegain", 1, NAN, 0, "", "highest gain this detector allows"),
	CRED_CH("mode", "mode", mode_choices, "readout mode (can reset the gain and rescale fps)",
		.order = CRED_ORDER_MODE, CRED_CONFIRM, .moves = moves_mode),
	CRED_INT("resetwidth", "resetwidth", 8, 64, "clocks", "reset width in clock periods",
		 .order = CRED_ORDER_READOUT, .moves = moves_fps),
	CRED_INT("nbreadworeset", "nbreadworeset", 1, NAN, "", "reads between resets",
		 .order = CRED_ORDER_READOUT, CRED_CONFIRM),
	CRED_INT("nsamplepixel", "nsamplepixel", 1, NAN, "", "samples per pixel (IOTA)",
		 .order = CRED_ORDER_READOUT, CRED_CONFIRM, .moves = moves_fps),
	CRED_INT("nloop", "nloop", 1, NAN, "", "reads per line (IOTA)", .order = CRED_ORDER_READOUT,
		 CRED_CONFIRM, .moves = moves_fps),
	CRED_SW("rawimages", "rawimages", "send frames without on-board processing (no CDS subtraction)",
		.order = CRED_ORDER_READOUT, CRED_CONFIRM, .moves = moves_fps),
	CRED_SW("extsynchro", "extsynchro", "frames follow the external sync signal", CRED_CONFIRM),
	/* Cropping: printer-style lists, 1-indexed. */
	CRED_SW("cropping", "cropping", "read only the selection", .order = CRED_ORDER_CROP,
		CRED_CONFIRM, .moves = moves_fps),
	CRED_P("cropping.columns", "cropping columns", "set cropping columns", CRED_PARAM_CROP,
	       1, 10, "", "32-pixel column blocks 1-10 as a list like 1,3,9-10",
	       .order = CRED_ORDER_CROP_AXIS, CRED_CONFIRM, .moves = moves_fps),
	CRED_P("cropping.rows", "cropping rows", "set cropping rows", CRED_PARAM_CROP,
	       1, 256, "", "rows 1-256 as a list like 1,3,10-12,50", .order = CRED_ORDER_CROP_AXIS,
	       CRED_CONFIRM, .moves = moves_fps),
	/* Corrections and image content */
	CRED_SW("bias", "bias", "bias correction", CRED_CONFIRM),
	CRED_SW("flat", "flat", "flat correction", CRED_CONFIRM),
	CRED_INT("aduoffset", "aduoffset", 0, 65535, "ADU", "offset added to every (unsigned 16-bit) pixel",
		 CRED_CONFIRM),
	CRED_SW("imagetags", "imagetags", "frame counter and read position in the first pixels",
		CRED_CONFIRM),
	CRED_SW("testpattern", "testpattern", "loop over the uploaded test images"),
	CRED_SW("led", "led", "status LED"),
	CRED_SW("events", "events", "unprompted event messages on the command line",
		.flags = CRED_PARAM_SESSION),
	/* Cryostat and cooling */
	CRED_SW("cooling", "cooling", "pulse tube cooling (water must flow first)"),
	CRED_SW("standby", "standby", "stay cold with the sensor off"),
	CRED_RO("status", "status", CRED_PARAM_CHOICE, "", "camera state", .choices = states),
	INFO("status.detailed", "status detailed", "why the state last changed"),
	/* Measurements drift between two reads (the pressure of a warm
	 * cryostat, the diode while cooling): the two reads of what goes into
	 * files must agree in layout only. */
	RANGE_RO("pressure", "pressure", 0, CRED_MBAR_MAX, CRED_MEASURED, "mbar", "cryostat pressure"),
	INFO("ptready", "ptready", "whether the pulse tube is ready"),
	NUM_RO("photocurrent", "photocurrent", "", "photocurrent"),
	INFO("powers", "powers", "every power reading"),
	NUM_RO("powers.getter", "powers getter", "W", "getter power"),
	NUM_RO("powers.pulsetube", "powers pulsetube", "W", "pulse tube power"),
	INFO("temperatures", "temperatures", "every temperature"),
	CELSIUS("temperatures.motherboard", "temperatures motherboard", "motherboard temperature"),
	CELSIUS("temperatures.frontend", "temperatures frontend", "front-end temperature"),
	CELSIUS("temperatures.powerboard", "temperatures powerboard", "power board temperature"),
	CELSIUS("temperatures.water", "temperatures water",
		"cooling water temperature (safe mode above 50 C)"),
	CELSIUS("temperatures.ptmcu", "temperatures ptmcu", "pulse tube controller temperature"),
	KELVIN("temperatures.cryostat.diode", "temperatures cryostat diode", CRED_MEASURED,
	       "detector temperature (cryostat diode)"),
	KELVIN("temperatures.cryostat.ptcontroller", "temperatures cryostat ptcontroller", 0,
	       "cryostat temperature from the pulse tube controller"),
	KELVIN("temperatures.cryostat.setpoint", "temperatures cryostat setpoint", CRED_PARAM_CONFIRM,
	       "cryostat temperature setpoint"),
	RANGE_RO("getter.nbregeneration", "getter nbregeneration", 0, NAN, 0, "",
		 "getter regenerations so far"),
	RANGE_RO("getter.regeremainingtime", "getter regeremainingtime", 0, NAN, 0, "",
	       "time left in the getter regeneration"),
	/* Identity */
	INFO("all", "all", "main parameters on one colon-separated line"),
	INFO("cameratype", "cameratype", "camera model and identification"),
	CRED_RO_R("hwuid", "hwuid", CRED_PARAM_TEXT, NAN, NAN, CRED_PARAM_CONFIRM, "",
		  "unique hardware identifier"),
	INFO("version", "version", "all version numbers"),
	CRED_RO_R("version.firmware", "version firmware", CRED_PARAM_TEXT, NAN, NAN, CRED_PARAM_CONFIRM,
		  "", "firmware version"),
	INFO("version.firmware.detailed", "version firmware detailed", "firmware version with details"),
	INFO("version.firmware.build", "version firmware build", "firmware build date"),
	INFO("version.fpga", "version fpga", "FPGA version"),
	INFO("version.fpga.detailed", "version fpga detailed", "FPGA version with details"),
	INFO("version.hardware", "version hardware", "hardware version"),
	/* Network and remote access: this model reads its network settings
	 * only as a whole (ipaddress); the single ones can only be set. */
	INFO("ipaddress", "ipaddress", "IP settings"),
	WRITE_ONLY("ip.mode", "set ip mode", CRED_PARAM_CHOICE, "static (manual) or DHCP (automatic)",
		   .choices = ipmode_choices),
	WRITE_ONLY("ip.address", "set ip address", CRED_PARAM_IPV4, "static IPv4 address"),
	WRITE_ONLY("ip.netmask", "set ip netmask", CRED_PARAM_IPV4, "static IPv4 netmask"),
	WRITE_ONLY("ip.gateway", "set ip gateway", CRED_PARAM_IPV4, "static IPv4 gateway"),
	WRITE_ONLY("ip.dns", "set ip dns", CRED_PARAM_IPV4, "primary DNS server"),
	WRITE_ONLY("ip.alternate-dns", "set ip alternate-dns", CRED_PARAM_IPV4, "secondary DNS server"),
	WRITE_ONLY("telnet", "set telnet", CRED_PARAM_CHOICE, "control over telnet",
		   .choices = enable_choices),
	/* Not a "set" command on this model. */
	CRED_P("remotemaintenance", "remotemaintenance status", "remotemaintenance",
	       CRED_PARAM_CHOICE, NAN, NAN, "", "remote maintenance access", .choices = enable_choices,
	       .flags = CRED_PARAM_SESSION),
	CRED_P("password", "password", "set password", CRED_PARAM_TEXT, NAN, NAN, "",
	       "telnet/ssh password", .flags = CRED_PARAM_SESSION),
};

const struct cred_model_tables cred_credone_tables = {
	.model = &credone,
	.commands = cred_credone_commands,
	.command_text = cred_credone_command_text,
	.params = credone_params,
	.param_count = CRED_ARRAY_SIZE(credone_params),
};
