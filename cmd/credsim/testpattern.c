/* The C-RED One test pattern archive (see files.h), read with libarchive. */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "files.h"

#define PATTERN_IMAGES 32

/* "00" to "31" (a leading "./" allowed): the image number, else -1. */
static int image_number(const char *name)
{
	if (!strncmp(name, "./", 2))
		name += 2;
	if (strlen(name) != 2 || name[0] < '0' || name[0] > '3' || name[1] < '0' || name[1] > '9')
		return -1;
	int n = (name[0] - '0') * 10 + name[1] - '0';
	return n < PATTERN_IMAGES ? n : -1;
}

static int scan(struct archive *a, char *msg, size_t size)
{
	struct archive_entry *e;
	unsigned long long seen = 0;
	int r;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		int n = image_number(name ? name : "");

		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (n < 0) {
			snprintf(msg, size, "test pattern archive: unexpected file '%s' (images are "
				 "named 00 to 31)", name ? name : "");
			return -1;
		}
		seen |= 1ull << n;
	}
	if (r != ARCHIVE_EOF) {
		snprintf(msg, size, "test pattern archive: %s", archive_error_string(a));
		return -1;
	}
	for (int i = 0; i < PATTERN_IMAGES; i++)
		if (!(seen >> i & 1)) {
			snprintf(msg, size, "test pattern archive: image %02d is missing", i);
			return -1;
		}
	return 0;
}

int testpattern_check(const uint8_t *data, size_t len, char *msg, size_t size)
{
	struct archive *a = archive_read_new();
	int r = -1;

	if (!a) {
		snprintf(msg, size, "out of memory");
		return -1;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK)
		snprintf(msg, size, "test pattern archive is not a tar.gz file: %s",
			 archive_error_string(a));
	else
		r = scan(a, msg, size);
	archive_read_free(a);
	return r;
}

/* One image's bytes (16-bit little-endian pixels, row by row) into dst;
 * a short image leaves the rest black. */
static void load_image(struct archive *a, uint16_t *dst, size_t pixels)
{
	uint8_t buf[8192];
	size_t i = 0;
	la_ssize_t n;

	memset(dst, 0, pixels * 2);
	while (i < pixels && (n = archive_read_data(a, buf, sizeof(buf))) > 0)
		for (la_ssize_t k = 0; k + 1 < n && i < pixels; k += 2)
			dst[i++] = (uint16_t)(buf[k] | buf[k + 1] << 8);
}

void testpattern_load(struct camera *cam, const uint8_t *data, size_t len)
{
	size_t pixels = (size_t)cam->model->width * cam->model->height;
	struct archive *a;
	struct archive_entry *e;

	if (!cam->pattern && !(cam->pattern = malloc(pixels * 2 * PATTERN_IMAGES)))
		return;
	if (!(a = archive_read_new()))
		return;
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, data, len) == ARCHIVE_OK)
		while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
			int n = image_number(archive_entry_pathname(e) ? archive_entry_pathname(e) : "");

			if (n >= 0 && archive_entry_filetype(e) == AE_IFREG)
				load_image(a, cam->pattern + (size_t)n * pixels, pixels);
		}
	archive_read_free(a);
}
