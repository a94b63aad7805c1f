/* credctl info: model, identifiers, versions, features and licenses. */
#include "credctl.h"

#include <stdlib.h>
#include <string.h>

static const struct report_item cred3_info[] = {
	{ "hardware id", "hwuid", "", true },
	{ "firmware (detailed)", "version.firmware.detailed", "", true },
	{ "firmware build", "version.firmware.build", "", true },
	{ "FPGA version", "version.fpga", "", true },
	{ "hardware version", "version.hardware", "", true },
};

static const struct report_item credone_info[] = {
	{ "hardware id", "hwuid", "", true },
	{ "firmware (detailed)", "version.firmware.detailed", "", true },
	{ "firmware build", "version.firmware.build", "", true },
	{ "FPGA version", "version.fpga", "", true },
	{ "FPGA (detailed)", "version.fpga.detailed", "", true },
	{ "hardware version", "version.hardware", "", true },
};

/* What `cameratype` says (camera type, serial number, sensor,
 * interface): one report line each, for what the camera gives. */
static void report_cameratype(struct report *r)
{
	struct cred_identity id;
	int err = cred_camera_identity(ctl_camera(r->ctl), &id);

	if (err < 0)
		die_cred(err, "cannot read the camera's identity");
	if (id.type[0])
		report_text(r, "camera_type", "camera type", id.type);
	if (id.serial[0])
		report_text(r, "serial_number", "serial number", id.serial);
	if (id.sensor[0])
		report_text(r, "sensor", "sensor", id.sensor);
	if (id.interface[0])
		report_text(r, "interface", "interface", id.interface);
}

/* The feature bits (C-RED 3 manual, "Camera optional features",
 * firmware 1.1.0 and later), named as the manual names them. */
static void report_features(struct report *r)
{
	unsigned hw, sw;
	char names[512];
	int err = cred_firmware_features(ctl_camera(r->ctl), &hw, &sw);

	/* firmware before 1.1.0 (unsupported), or one that refuses the
	 * commands: no feature lines, as credfw version does */
	if (err == CRED_ERR_SUPP || err == CRED_ERR_FAIL) {
		if (r->ctl->opts.verbose)
			print_warning("feature bits left out: %s", cred_last_error());
		return;
	}
	if (err < 0)
		die_cred(err, "cannot read the feature bits");
	if (r->root) {
		json_object_set_new(r->root, "hwfeatures", feature_bits_json(hw, cred_firmware_hw_bits));
		json_object_set_new(r->root, "swfeatures", feature_bits_json(sw, cred_firmware_sw_bits));
		return;
	}
	feature_bit_names(hw, cred_firmware_hw_bits, names, sizeof(names));
	report_text(r, "hwfeatures", "hardware features", names);
	feature_bit_names(sw, cred_firmware_sw_bits, names, sizeof(names));
	report_text(r, "swfeatures", "software features", names);
}

/* `licenses` lists one file per line, "NAME.lic" or "NAME.lic.disabled",
 * then "OK". */
static json_t *parse_licenses(char *answer)
{
	json_t *arr = json_array();
	char *save = NULL;

	for (char *line = strtok_r(answer, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		size_t len = strlen(line);
		bool disabled = len > 9 && !strcmp(line + len - 9, ".disabled");

		if (!strcmp(line, "OK"))
			continue;
		json_array_append_new(arr, json_pack("{s:s#, s:s}", "name", line,
						     (int)(disabled ? len - 9 : len), "state",
						     disabled ? "disabled" : "enabled"));
	}
	return arr;
}

static void print_licenses(struct report *r, json_t *arr)
{
	char text[512] = "";
	size_t len = 0, i;
	json_t *lic;

	json_array_foreach(arr, i, lic) {
		int n = snprintf(text + len, sizeof(text) - len, "%s%s%s", len ? " " : "",
				 json_string_value(json_object_get(lic, "name")),
				 strcmp(json_string_value(json_object_get(lic, "state")), "enabled") ?
				 " (disabled)" : "");

		if (n < 0 || (size_t)n >= sizeof(text) - len)
			break;
		len += n;
	}
	report_text(r, "licenses", "licenses", len ? text : "none");
}

static void report_licenses(struct report *r)
{
	char *answer = NULL;
	json_t *arr;

	if (ctl_command(r->ctl, "licenses", &answer) == CRED_ERR_FAIL)
		return;
	arr = parse_licenses(answer);
	free(answer);
	if (r->root) {
		json_object_set_new(r->root, "licenses", arr);
		return;
	}
	print_licenses(r, arr);
	json_decref(arr);
}

int cmd_info(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	const struct cred_model *m;
	const char *fw;
	struct report r;

	if (parse_subcommand_opts(argc, argv, &ctl_no_opts, &ctl->opts, NULL, NULL) < argc)
		die_usage("info takes no arguments");
	m = ctl_model(ctl);
	fw = cred_camera_firmware(ctl_camera(ctl));
	report_begin(&r, ctl);
	report_model(&r, m);
	report_text(&r, "version.firmware", "firmware", *fw ? fw : "unknown");
	report_cameratype(&r);
	if (m->id == CRED_MODEL_CREDONE) {
		report_items(&r, credone_info, ARRAY_SIZE(credone_info));
		return report_end(&r);
	}
	report_items(&r, cred3_info, ARRAY_SIZE(cred3_info));
	report_features(&r);
	report_licenses(&r);
	return report_end(&r);
}
