/* credctl list: serial ports on this machine and which look like a C-RED
 * (First Light's USB IDs). Needs no camera. */
#include "credctl.h"

#include <stdlib.h>

static json_t *port_json(const struct cred_port_info *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_text(p->name));
	json_object_set_new(o, "description", p->description ? json_text(p->description) : json_null());
	if (p->usb_vid >= 0) {
		json_object_set_new(o, "usb_vid", json_integer(p->usb_vid));
		json_object_set_new(o, "usb_pid", json_integer(p->usb_pid));
	}
	json_object_set_new(o, "usb_serial", p->usb_serial ? json_text(p->usb_serial) : json_null());
	json_object_set_new(o, "cred", json_boolean(p->is_cred));
	return o;
}

static void print_port(const struct cred_port_info *p)
{
	char ids[16] = "-";

	if (p->usb_vid >= 0)
		snprintf(ids, sizeof(ids), "%04x:%04x", p->usb_vid & 0xffff, p->usb_pid & 0xffff);
	printf("%-20s %-9s %-5s %-16s %s\n", p->name, ids, p->is_cred ? "C-RED" : "-",
	       p->usb_serial ? p->usb_serial : "-", p->description ? p->description : "");
}

int cmd_list(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	struct cred_port_info *ports = NULL;
	size_t n = 0;
	json_t *arr;
	int err;

	if (parse_subcommand_opts(argc, argv, &ctl_no_opts, &ctl->opts, NULL, NULL) < argc)
		die_usage("list takes no arguments");
	err = cred_port_list(&ports, &n);
	if (err < 0)
		die_cred(err, "cannot list serial ports");
	if (ctl->opts.json) {
		arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, port_json(&ports[i]));
		print_json(arr);
	} else if (n == 0) {
		if (!ctl->opts.quiet)
			fprintf(stderr, "%s: no serial ports found\n", get_prog_name());
	} else {
		printf("%-20s %-9s %-5s %-16s %s\n", "PORT", "USB ID", "C-RED", "SERIAL", "DESCRIPTION");
		for (size_t i = 0; i < n; i++)
			print_port(&ports[i]);
	}
	cred_port_list_free(ports, n);
	return EXIT_OK;
}
