/* credfw version: every version part, the feature bits decoded from the
 * manual's tables, the licenses and their state. */
#include "credfw.h"

#include <stdlib.h>
#include <string.h>

struct part {
	const char *label, *key;
	size_t off;
};

static const struct part parts[] = {
	{ "firmware", "firmware", offsetof(struct cred_versions, firmware) },
	{ "firmware detailed", "firmware_detailed", offsetof(struct cred_versions, firmware_detailed) },
	{ "firmware build", "firmware_build", offsetof(struct cred_versions, firmware_build) },
	{ "fpga", "fpga", offsetof(struct cred_versions, fpga) },
	{ "fpga detailed", "fpga_detailed", offsetof(struct cred_versions, fpga_detailed) },
	{ "hardware", "hardware", offsetof(struct cred_versions, hardware) },
};

struct info {
	const struct cred_model *model;
	struct cred_versions v;
	bool have_features;
	unsigned hw, sw;
	struct cred_license *lic;
	size_t nlic;
	bool have_licenses;
};

static const char *part_of(const struct cred_versions *v, const struct part *p)
{
	return (const char *)v + p->off;
}

static void gather(struct config *cfg, struct info *in)
{
	struct cred_camera *cam = fw_camera(cfg);
	int r;

	in->model = cred_camera_model(cam);
	if ((r = cred_firmware_versions(cam, &in->v)) < 0)
		die_cred(r, "cannot read the versions");
	r = cred_firmware_features(cam, &in->hw, &in->sw);
	if (r < 0 && r != CRED_ERR_SUPP && r != CRED_ERR_FAIL)
		die_cred(r, "cannot read the feature bits");
	in->have_features = r == CRED_OK;
	r = cred_license_list(cam, &in->lic, &in->nlic);
	if (r < 0 && r != CRED_ERR_SUPP)
		die_cred(r, "cannot read the licenses");
	in->have_licenses = r == CRED_OK;
}

static void print_text(const struct info *in)
{
	printf("model: %s\n", in->model->name);
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
		if (part_of(&in->v, &parts[i])[0])
			printf("%s: %s\n", parts[i].label, part_of(&in->v, &parts[i]));
	if (in->have_features) {
		print_feature_bits("hardware features", in->hw, cred_firmware_hw_bits);
		print_feature_bits("software features", in->sw, cred_firmware_sw_bits);
	}
	if (in->have_licenses) {
		printf("licenses:%s\n", in->nlic ? "" : " none");
		for (size_t i = 0; i < in->nlic; i++)
			printf("  %-30s %s\n", in->lic[i].name, in->lic[i].enabled ? "enabled" : "disabled");
	}
}

static void print_json_info(const struct info *in)
{
	json_t *root = json_object();
	char key[64];

	json_set_model(root, in->model);
	/* The get names of credtools-json(7): "version.firmware", ... */
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
		if (part_of(&in->v, &parts[i])[0]) {
			snprintf(key, sizeof(key), "version.%s", parts[i].label);
			for (char *c = key; *c; c++)
				if (*c == ' ')
					*c = '.';
			json_object_set_new(root, key, json_text(part_of(&in->v, &parts[i])));
		}
	if (in->have_features) {
		json_object_set_new(root, "hwfeatures", feature_bits_json(in->hw, cred_firmware_hw_bits));
		json_object_set_new(root, "swfeatures", feature_bits_json(in->sw, cred_firmware_sw_bits));
	}
	if (in->have_licenses) {
		json_t *l = json_array();

		for (size_t i = 0; i < in->nlic; i++)
			json_array_append_new(l, json_pack("{s:s, s:s}", "name", in->lic[i].name, "state",
							   in->lic[i].enabled ? "enabled" : "disabled"));
		json_object_set_new(root, "licenses", l);
	}
	print_json(root);
}

static void help(void)
{
	credfw_help();
}

int cmd_version(int argc, char **argv, void *user)
{
	static const struct tool_opts t = { "", NULL, COMMON_JSON, help };
	struct config *cfg = user;
	struct info in = { 0 };

	if (parse_subcommand_opts(argc, argv, &t, &cfg->opts, NULL, NULL) != argc)
		die_usage("'version' takes no arguments");
	gather(cfg, &in);
	if (cfg->opts.json)
		print_json_info(&in);
	else
		print_text(&in);
	free(in.lic);
	return EXIT_OK;
}
