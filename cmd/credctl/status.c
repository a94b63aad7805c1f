/* credctl status and credctl temps: what the camera is doing, per model. */
#include "credctl.h"

#include <stdlib.h>

/* Temperature ranges the C-RED 3 firmware enforces are in its manual
 * (section "Temperatures"); the C-RED One reports its cryostat in kelvin. */
static const struct report_item cred3_temps[] = {
	{ "sensor", "sensor", "temperatures.snake", "C", false },
	{ "cpu", "CPU", "temperatures.cpu", "C", false },
	{ "backend", "back-end board", "temperatures.backend", "C", false },
	{ "interface", "interface board", "temperatures.interface", "C", false },
	{ "ambient", "ambient", "temperatures.ambiant", "C", false },
};

static const struct report_item credone_temps[] = {
	{ "cryostat_diode", "cryostat (diode)", "temperatures.cryostat.diode", "K", false },
	{ "cryostat_ptcontroller", "cryostat (pulse tube)", "temperatures.cryostat.ptcontroller", "K", false },
	{ "cryostat_setpoint", "cryostat setpoint", "temperatures.cryostat.setpoint", "K", false },
	{ "water", "water", "temperatures.water", "C", false },
	{ "motherboard", "motherboard", "temperatures.motherboard", "C", false },
	{ "frontend", "front end", "temperatures.frontend", "C", false },
	{ "powerboard", "power board", "temperatures.powerboard", "C", false },
	{ "ptmcu", "pulse tube MCU", "temperatures.ptmcu", "C", false },
};

static const struct report_item cred3_status[] = {
	{ "fps", "frame rate", "fps", "Hz", false },
	{ "tint", "integration time", "tint", "s", false },
	{ "sensibility", "sensibility", "sensibility", "", false },
	{ "preset", "preset", "preset", "", false },
	{ "cropping", "cropping", "cropping", "", false },
	{ "cropping_columns", "cropping columns", "cropping.columns", "", true },
	{ "cropping_rows", "cropping rows", "cropping.rows", "", true },
	{ "bias", "bias correction", "bias", "", false },
	{ "adaptbias", "adaptive bias", "adaptbias", "", false },
	{ "flat", "flat correction", "flat", "", false },
	{ "badpixel", "bad pixel correction", "badpixel", "", false },
	{ "imagetags", "image tags", "imagetags", "", false },
	{ "hdr", "HDR", "hdr", "", false },
	{ "extsynchro", "external sync", "extsynchro", "", false },
	{ "swsynchro", "software sync", "swsynchro", "", false },
	{ "events", "events", "events", "", false },
};

static const struct report_item credone_status[] = {
	{ "fps", "frame rate", "fps", "Hz", false },
	{ "gain", "gain", "gain", "", false },
	{ "mode", "readout mode", "mode", "", false },
	{ "cooling", "cooling", "cooling", "", false },
	{ "standby", "standby", "standby", "", false },
	{ "pressure", "pressure", "pressure", "mbar", false },
	{ "cropping", "cropping", "cropping", "", false },
	{ "cropping_columns", "cropping columns", "cropping.columns", "", true },
	{ "cropping_rows", "cropping rows", "cropping.rows", "", true },
	{ "bias", "bias correction", "bias", "", false },
	{ "flat", "flat correction", "flat", "", false },
	{ "imagetags", "image tags", "imagetags", "", false },
	{ "extsynchro", "external sync", "extsynchro", "", false },
	{ "events", "events", "events", "", false },
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
	report_text(r, "state", "state", state);
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
	report_text(&r, "model", "model", ctl_model(ctl)->name);
	report_state(&r, ctl);
	items = status_items(ctl_model(ctl), &n);
	report_items(&r, items, n);
	items = temps_items(ctl_model(ctl), &n);
	report_section(&r, "temperatures", "temperatures");
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
