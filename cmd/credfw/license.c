/* credfw license list|install FILE|enable NAME|disable NAME|remove NAME. */
#include "credfw.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#define LICENSE_MAX (1u << 20)

struct lic {
	struct config *cfg;
	const char *name;
	bool xmodem;
};

static int handle(int opt, const char *arg, void *user)
{
	struct lic *l = user;

	switch (opt) {
	case OPT_NAME:
		l->name = arg;
		return 0;
	case OPT_XMODEM:
		l->xmodem = true;
		return 0;
	case OPT_REBOOT:
		l->cfg->reboot = true;
		return 0;
	default:
		return fw_common_option(l->cfg, opt, arg);
	}
}

static int list(struct config *cfg)
{
	struct cred_license *l;
	size_t n;
	int r = cred_license_list(fw_camera(cfg), &l, &n);

	if (r < 0)
		die_cred(r, "cannot list the licenses");
	if (cfg->opts.json) {
		json_t *a = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s}", "name", l[i].name, "state",
							   l[i].enabled ? "enabled" : "disabled"));
		print_json(a);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%-40s %s\n", l[i].name, l[i].enabled ? "enabled" : "disabled");
	}
	free(l);
	return EXIT_OK;
}

static int install(struct lic *l, const char *path)
{
	struct config *cfg = l->cfg;
	char *copy = strdup(path), md5[CRED_MD5_HEX_SIZE];
	const char *name = l->name ? l->name : basename(copy);
	struct cred_transfer_options o;
	struct fw_progress p;
	size_t len;
	void *data;
	int r;

	if (!cred_license_name_ok(name))
		die_usage("invalid license name '%s': 1 to 64 of A-Z a-z 0-9 . _ - (use --name)", name);
	fw_need_model(cfg, CRED_MODEL_CRED3, "license files");
	data = fw_read_file(path, LICENSE_MAX, &len);
	cred_md5_buffer(data, len, md5);
	printf("%s: %zu bytes, MD5 %s\n", path, len, md5);
	o = fw_transfer_options(cfg, &p, "license", len);
	r = cred_license_install(cfg->cam, name, data, len,
				 l->xmodem ? CRED_TRANSFER_XMODEM : CRED_TRANSFER_RAW, &o);
	progress_end(&p.bar);
	free(data);
	if (r < 0)
		fw_die_transfer(r, "license upload", &p);
	printf("installed %s (enabled at the next boot)\n", name);
	free(copy);
	fw_offer_reboot(cfg);
	return EXIT_OK;
}

static int change(struct lic *l, const char *action, const char *name)
{
	struct config *cfg = l->cfg;
	struct cred_camera *cam;
	int r;

	if (!cred_license_name_ok(name))
		die_usage("invalid license name '%s'", name);
	fw_need_model(cfg, CRED_MODEL_CRED3, "license files");
	cam = cfg->cam;
	if (!strcmp(action, "remove")) {
		char q[160];

		snprintf(q, sizeof(q), "Delete the license file '%s' from the camera? Continue? [y/N] ",
			 name);
		if (!ask_yes_no(&cfg->opts, q))
			die("nothing done");
		r = cred_license_remove(cam, name);
	} else if (!strcmp(action, "enable")) {
		r = cred_license_enable(cam, name);
	} else {
		r = cred_license_disable(cam, name);
	}
	if (r < 0)
		die_cred(r, "cannot %s license '%s'", action, name);
	printf("%s: %s at the next boot\n", name, !strcmp(action, "remove") ? "removed" :
	       !strcmp(action, "enable") ? "enabled" : "disabled");
	fw_offer_reboot(cfg);
	return EXIT_OK;
}

int cmd_license(int argc, char **argv, void *user)
{
	static const struct option longs[] = {
		{ "name", required_argument, NULL, OPT_NAME },
		{ "xmodem", no_argument, NULL, OPT_XMODEM },
		{ "reboot", no_argument, NULL, OPT_REBOOT },
		{ "boot-timeout", required_argument, NULL, OPT_BOOT_TIMEOUT },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = { "", longs, COMMON_JSON | COMMON_YES, credfw_help };
	struct config *cfg = user;
	struct lic l = { .cfg = cfg };
	int first = parse_subcommand_opts(argc, argv, &t, &cfg->opts, handle, &l);
	const char *action = first < argc ? argv[first] : NULL;
	int nargs = argc - first - 1;

	if (!action)
		die_usage("'license' needs an action: list, install, enable, disable or remove");
	if (!strcmp(action, "list")) {
		if (nargs)
			die_usage("'license list' takes no arguments");
		fw_need_model(cfg, CRED_MODEL_CRED3, "license files");
		return list(cfg);
	}
	if (strcmp(action, "install") && strcmp(action, "enable") && strcmp(action, "disable") &&
	    strcmp(action, "remove"))
		die_usage("unknown license action '%s' (list, install, enable, disable, remove)",
			  action);
	if (nargs != 1)
		die_usage("'license %s' takes one %s", action, strcmp(action, "install") ? "name" : "file");
	if ((l.name || l.xmodem) && strcmp(action, "install"))
		die_usage("--name and --xmodem go with 'license install'");
	if (!strcmp(action, "install"))
		return install(&l, argv[first + 1]);
	return change(&l, action, argv[first + 1]);
}
