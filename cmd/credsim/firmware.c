/* A firmware release reaching the camera (exec upgradefirmware URL): a
 * tar.gz holding a file named `version` with X.Y.Z. Anything else is
 * rejected, as a camera rejects a file that is not its firmware; a good
 * one is installed and the camera reboots into it. */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "files.h"
#include "interp.h"
#include "receiver.h"
#include "sim.h"
#include "simclock.h"

#define VERSION_MAX 15

static bool version_ok(const char *v)
{
	int dots = 0, digits = 0;

	for (; *v; v++) {
		if (*v == '.') {
			if (!digits)
				return false;
			dots++;
			digits = 0;
		} else if (isdigit((unsigned char)*v)) {
			digits++;
		} else {
			return false;
		}
	}
	return dots == 2 && digits;
}

/* The text of the `version` member, trimmed; -1 with msg when none. */
static int read_version(struct archive *a, char *out, char *msg, size_t size)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		la_ssize_t n;

		if (!name || (strcmp(name, "version") && strcmp(name, "./version")))
			continue;
		n = archive_read_data(a, out, VERSION_MAX);
		if (n < 0)
			break;
		out[n] = '\0';
		out[strcspn(out, " \t\r\n")] = '\0';
		if (!version_ok(out)) {
			snprintf(msg, size, "invalid firmware release: version '%.15s' is not X.Y.Z", out);
			return -1;
		}
		return 0;
	}
	if (r == ARCHIVE_EOF)
		snprintf(msg, size, "invalid firmware release: no version file");
	else
		snprintf(msg, size, "invalid firmware file: %s", archive_error_string(a));
	return -1;
}

int firmware_install(struct camera *cam, const uint8_t *data, size_t len, char *msg, size_t size)
{
	struct archive *a = archive_read_new();
	char version[VERSION_MAX + 1];
	int r = -1;

	if (!a) {
		snprintf(msg, size, "out of memory");
		return -1;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK)
		snprintf(msg, size, "invalid firmware file: not a tar.gz archive");
	else
		r = read_version(a, version, msg, size);
	archive_read_free(a);
	if (r)
		return r;
	snprintf(cam->firmware, sizeof(cam->firmware), "%s", version);
	camera_power_on(cam, sim_now(), "firmware upgraded");
	return 0;
}

/* exec uploadfirmware (C-RED 3): the release comes down the serial line by
 * XMODEM right after the command (its size and MD5 are not announced). */
void h_uploadfirmware(struct interp_ctx *c)
{
	struct xfer_effect fx;
	struct receiver *rx;

	xfaults_match(&c->sim->xfaults, &fx);
	if (!(rx = xmodem_receiver_new("firmware", 0, NULL, c->link, &fx, c->now_ms))) {
		answer_error(c->ans, "firmware upgrade failed: out of memory");
		return;
	}
	interp_receive(c, rx);
}
