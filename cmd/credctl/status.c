/* credctl status and credctl temps: what the camera is doing, per model. */
#include "credctl.h"

#include <stdlib.h>

/* Temperature ranges the C-RED 3 firmware enforces are in its manual
 * (section "Temperatures"); the C-RED One reports its cryostat in kelvin. */
static const struct report_item cred3_temps[] = {
	{ "sensor", "temperatures.snake", "C", false },
	{ "CPU", "temperatures.cpu", "C", false },
	{ "back-end board", "temperatures.backend", "C", false },
	{ "interface board", "temperatures.interface", "C", false },
	{ "ambient", "temperatures.ambiant", "C", false },
};

static const struct report_item credone_temps[] = {
	{ "cryostat (diode)", "temperatures.cryostat.diode", "K", false },
	{ "cryostat (pulse tube)", "temperatures.cryostat.ptcontroller", "K", false },
	{ "cryostat setpoint", "temperatures.cryostat.setpoint", "K", false },
	{ "water", "temperatures.water", "C", false },
	{ "motherboard", "temperatures.motherboard", "C", false },
	{ "front end", "temperatures.frontend", "C", false },
	{ "power board", "temperatures.powerboard", "C", false },
	{ "pulse tube MCU", "temperatures.ptmcu", "C", false },
};

static const struct report_item cred3_status[] = {
	{ "frame rate", "fps", "Hz", false },
	{ "integration time", "tint", "s", false },
	{ "sensibility", "sensibility", "", false },
	{ "preset", "preset", "", false },
	{ "cropping", "cropping", "", false },
	{ "cropping columns", "cropping.columns", "", true },
	{ "cropping rows", "cropping.rows", "", true },
	{ "bias correction", "bias", "", false },
	{ "adaptive bias", "adaptbias", "", false },
	{ "flat correction", "flat", "", false },
	{ "bad pixel correction", "badpixel", "", false },
	{ "image tags", "imagetags", "", false },
	{ "HDR", "hdr", "", false },
	{ "external sync", "extsynchro", "", false },
	{ "software sync", "swsynchro", "", false },
	{ "events", "events", "", false },
};

static const struct report_item credone_status[] = {
	{ "frame rate", "fps", "Hz", false },
	{ "gain", "gain", "", false },
	{ "readout mode", "mode", "", false },
	{ "cooling", "cooling", "", false },
	{ "standby", "standby", "", false },
	{ "pressure", "pressure", "mbar", false },
	{ "cropping", "cropping", "", false },
	{ "cropping columns", "cropping.columns", "", true },
	{ "cropping rows", "cropping.rows", "", true },
	{ "bias correction", "bias", "", false },
	{ "flat correction", "flat", "", false },
	{ "image tags", "imagetags", "", false },
	{ "external sync", "extsynchro", "", false },
	{ "events", "events", "", false },
};

const struct report_item *temps_items(const struct cred_model *model, size_t *n)
{
	if (model->id == CRED_MODEL_CREDONE) {
		*n = ARRAY_SIZE(credone_temps);
		return credone_temps;
	}
	*n = ARRAY_SIZE(cred3_temps);
	return cred3_temps;
}

static const struct report_item *status_items(const struct cred_model *model, size_t *n)
{
	if (model->id == CRED_MODEL_CREDONE) {
		*n = ARRAY_SIZE(credone_status);
		return credone_status;
	}
	*n = ARRAY_SIZE(cred3_status);
	return cred3_status;
}

static void report_state(struct report *r, struct ctl *ctl)
{
	char *state = NULL;
	int err = cred_camera_status(ctl_camera(ctl), &state);

	if (err < 0)
		die_cred(err, "cannot read the camera status");
	report_text(r, "status", "state", state);
	free(state);
}

int cmd_status(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	const struct report_item *items;
	struct report r;
	size_t n;

	if (parse_subcommand_opts(argc, argv, &ctl_no_opts, &ctl->opts, NULL, NULL) < argc)
		die_usage("status takes no arguments");
	report_begin(&r, ctl);
	report_model(&r, ctl_model(ctl));
	report_state(&r, ctl);
	items = status_items(ctl_model(ctl), &n);
	report_items(&r, items, n);
	items = temps_items(ctl_model(ctl), &n);
	report_section(&r, "temperatures");
	report_items(&r, items, n);
	report_section_end(&r);
	return report_end(&r);
}

int cmd_temps(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	const struct report_item *items;
	struct report r;
	size_t n;

	if (parse_subcommand_opts(argc, argv, &ctl_no_opts, &ctl->opts, NULL, NULL) < argc)
		die_usage("temps takes no arguments");
	report_begin(&r, ctl);
	items = temps_items(ctl_model(ctl), &n);
	report_items(&r, items, n);
	return report_end(&r);
}
