/* cred_port_list and `auto`: the serial ports libserialport enumerates, with
 * their USB identity; a C-RED is the CDC-ACM interface whose VID:PID match
 * CRED_USB_VID:CRED_USB_PID (or $CRED_USB_VID / $CRED_USB_PID in hex: the
 * IDs come from one field source only, so they must stay configurable). */
#include "transport-impl.h"

#include <errno.h>
#include <libserialport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int env_id(const char *var, int fallback)
{
	const char *v = getenv(var);
	char *end;
	long id;

	if (!v || !*v)
		return fallback;
	errno = 0;
	id = strtol(v, &end, 16);
	if (errno || *end || id < 0 || id > 0xffff) {
		cred_debug("%s='%s' is not a 16-bit hex number; using %04x", var, v, fallback);
		return fallback;
	}
	return (int)id;
}

void cred_usb_ids(int *vid, int *pid)
{
	*vid = env_id("CRED_USB_VID", CRED_USB_VID);
	*pid = env_id("CRED_USB_PID", CRED_USB_PID);
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* Fill one entry; -1 on out of memory. */
static int describe(struct sp_port *sp, int vid, int pid, struct cred_port_info *info)
{
	const char *desc = sp_get_port_description(sp);

	memset(info, 0, sizeof(*info));
	info->usb_vid = info->usb_pid = -1;
	if (sp_get_port_transport(sp) == SP_TRANSPORT_USB &&
	    sp_get_port_usb_vid_pid(sp, &info->usb_vid, &info->usb_pid) == SP_OK) {
		info->usb_serial = dup_or_null(sp_get_port_usb_serial(sp));
		if (sp_get_port_usb_product(sp))
			desc = sp_get_port_usb_product(sp);
		info->is_cred = info->usb_vid == vid && info->usb_pid == pid;
	}
	info->name = strdup(sp_get_port_name(sp));
	info->description = strdup(desc ? desc : "serial port");
	return info->name && info->description ? 0 : -1;
}

/* /dev/ttyACM2 before /dev/ttyACM10 */
static int by_name(const void *a, const void *b)
{
	return strverscmp(((const struct cred_port_info *)a)->name,
			  ((const struct cred_port_info *)b)->name);
}

int cred_port_list(struct cred_port_info **list, size_t *count)
{
	struct sp_port **ports;
	struct cred_port_info *out;
	size_t n = 0;
	int vid, pid;

	*list = NULL;
	*count = 0;
	cred_clear_error();
	if (sp_list_ports(&ports) != SP_OK) {
		char *msg = sp_last_error_message();
		int r = cred_fail(CRED_ERR_IO, "cannot list serial ports: %s", msg ? msg : "failed");

		sp_free_error_message(msg);
		return r;
	}
	while (ports[n])
		n++;
	out = calloc(n ? n : 1, sizeof(*out));
	if (!out) {
		sp_free_port_list(ports);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	cred_usb_ids(&vid, &pid);
	for (size_t i = 0; i < n; i++) {
		if (describe(ports[i], vid, pid, &out[i]) < 0) {
			sp_free_port_list(ports);
			cred_port_list_free(out, i + 1);
			return cred_fail(CRED_ERR_MEM, "out of memory");
		}
	}
	sp_free_port_list(ports);
	qsort(out, n, sizeof(*out), by_name);
	*list = out;
	*count = n;
	return CRED_OK;
}

void cred_port_list_free(struct cred_port_info *list, size_t count)
{
	if (!list)
		return;
	for (size_t i = 0; i < count; i++) {
		free(list[i].name);
		free(list[i].description);
		free(list[i].usb_serial);
	}
	free(list);
}

/* "/dev/ttyACM0, /dev/ttyACM1" of the matches, into buf. */
static void join_matches(const struct cred_port_info *list, size_t count, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count && used < size; i++) {
		if (!list[i].is_cred)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
					 list[i].name);
	}
}

int cred_port_find_auto(char **path)
{
	struct cred_port_info *list;
	size_t count, matches = 0, which = 0;
	char names[1024];
	int vid, pid, r;

	*path = NULL;
	if ((r = cred_port_list(&list, &count)) < 0)
		return r;
	for (size_t i = 0; i < count; i++)
		if (list[i].is_cred) {
			matches++;
			which = i;
		}
	cred_usb_ids(&vid, &pid);
	if (matches == 0) {
		r = cred_fail(CRED_ERR_SUPP, "no C-RED camera found on USB (looked for VID:PID "
			      "%04x:%04x); use -p to name the port", vid, pid);
	} else if (matches > 1) {
		join_matches(list, count, names, sizeof(names));
		r = cred_fail(CRED_ERR_SUPP, "%zu C-RED cameras found on USB (%s); use -p to "
			      "name the port", matches, names);
	} else if (!(*path = strdup(list[which].name))) {
		r = cred_fail(CRED_ERR_MEM, "out of memory");
	}
	cred_port_list_free(list, count);
	return r;
}
