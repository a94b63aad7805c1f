/* What frame sources this machine has (cred_source_list): C-RED cameras
 * on USB, EDT units, GenTL producers' devices. Each kind looks by itself
 * (stream-usb ids here, cred_edt_list, cred_gentl_list). */
#include "grabber-impl.h"
#include "transport-impl.h"

#include <libusb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

int cred_source_add(struct cred_source_list_builder *b, const char *kind, const char *spec,
		    const char *vendor, const char *model, const char *serial, const char *where)
{
	struct cred_source_info *more = realloc(b->list, (b->n + 1) * sizeof(*more)), *e;

	if (!more)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	b->list = more;
	e = &b->list[b->n];
	e->kind = dup_or_empty(kind);
	e->spec = dup_or_empty(spec);
	e->vendor = dup_or_empty(vendor);
	e->model = dup_or_empty(model);
	e->serial = dup_or_empty(serial);
	e->where = dup_or_empty(where);
	b->n++;
	return CRED_OK;
}

void cred_source_note(struct cred_source_list_builder *b, const char *fmt, ...)
{
	char line[1024], *more;
	size_t old = b->notes ? strlen(b->notes) : 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	more = realloc(b->notes, old + strlen(line) + 2);
	if (!more)
		return;
	b->notes = more;
	sprintf(b->notes + old, "%s\n", line);
}

static void usb_list(struct cred_source_list_builder *b)
{
	libusb_context *ctx;
	libusb_device **list;
	ssize_t n;
	int vid, pid;

	if (libusb_init(&ctx) < 0) {
		cred_source_note(b, "USB: cannot initialise libusb");
		return;
	}
	cred_usb_ids(&vid, &pid);
	n = libusb_get_device_list(ctx, &list);
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		char spec[32];

		if (libusb_get_device_descriptor(list[i], &d) < 0 || d.idVendor != vid ||
		    d.idProduct != pid)
			continue;
		snprintf(spec, sizeof(spec), "usb:%d.%d", libusb_get_bus_number(list[i]),
			 libusb_get_device_address(list[i]));
		cred_source_add(b, "usb", spec, "First Light Imaging", "C-RED", NULL, NULL);
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
	libusb_exit(ctx);
}

int cred_source_list(struct cred_source_info **list, size_t *count, char **notes)
{
	struct cred_source_list_builder b = { 0 };

	usb_list(&b);
	cred_edt_list(&b);
	cred_gentl_list(&b);
	*list = b.list;
	*count = b.n;
	if (notes)
		*notes = b.notes;
	else
		free(b.notes);
	return CRED_OK;
}

void cred_source_list_free(struct cred_source_info *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(list[i].spec);
		free(list[i].kind);
		free(list[i].vendor);
		free(list[i].model);
		free(list[i].serial);
		free(list[i].where);
	}
	free(list);
}
