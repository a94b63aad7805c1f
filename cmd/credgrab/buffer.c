/* The size of credgrab's frame ring (--buffer): what it holds decides how
 * long a writer may pause before a live source loses frames. The memory
 * is reserved once, at the start, and never grows. */
#include "credgrab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_SECONDS 2.0           /* live source, rate known */
#define DEFAULT_LIVE_BYTES (256.0 * 1048576)   /* live source, rate unknown */
#define DEFAULT_REPLAY_BYTES (16.0 * 1048576)  /* files and pipes wait for us */
#define DEFAULT_SHARE 0.5             /* of the memory available, at most, by default */

void parse_buffer(const char *arg, struct buffer_size *out)
{
	size_t n = strlen(arg);
	char number[64];
	double mult = 1, v;
	char last = n ? arg[n - 1] : '\0';

	out->text = arg;
	if (n == 0 || n >= sizeof(number))
		die_usage("invalid buffer size '%s': BYTES (k, M, G suffixes) or SECONDS followed "
			  "by s", arg);
	memcpy(number, arg, n + 1);
	out->unit = BUFFER_BYTES;
	if (last == 's') {
		out->unit = BUFFER_SECONDS;
		number[n - 1] = '\0';
	} else if (strchr("kKmMgG", last)) {
		mult = last == 'k' || last == 'K' ? 1024.0 : last == 'm' || last == 'M' ? 1048576.0
			: 1073741824.0;
		number[n - 1] = '\0';
	}
	if (!parse_double(number, 0, 1e15, &v) || v <= 0)
		die_usage("invalid buffer size '%s': BYTES (k, M, G suffixes, e.g. 512M) or "
			  "SECONDS followed by s (e.g. 2s), more than 0", arg);
	out->value = v * mult;
}

/* Bytes of memory the system could give without swapping (MemAvailable),
 * or 0 when it does not say. */
static double memory_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	unsigned long long kib;
	double bytes = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			bytes = (double)kib * 1024.0;
	fclose(f);
	return bytes;
}

static double default_bytes(size_t frame_size, double fps, bool live)
{
	if (!live)
		return DEFAULT_REPLAY_BYTES;
	if (fps > 0)
		return DEFAULT_SECONDS * fps * (double)frame_size;
	return DEFAULT_LIVE_BYTES;
}

uint64_t ring_frames(const struct buffer_size *b, size_t frame_size, double fps, bool live)
{
	double avail = memory_available(), bytes;
	uint64_t frames;

	switch (b->unit) {
	case BUFFER_SECONDS:
		if (fps <= 0)
			die_usage("--buffer %s needs the camera's frame rate, which is not known here: "
				  "give a size in bytes (e.g. 512M), or -p PORT", b->text);
		bytes = b->value * fps * (double)frame_size;
		break;
	case BUFFER_BYTES:
		bytes = b->value;
		break;
	default:
		bytes = default_bytes(frame_size, fps, live);
		/* the default yields to what the machine has, keeping a few frames */
		if (avail > 0 && bytes > avail * DEFAULT_SHARE)
			bytes = avail * DEFAULT_SHARE;
		if (bytes < 4.0 * (double)frame_size)
			bytes = 4.0 * (double)frame_size;
		break;
	}
	frames = (uint64_t)floor(bytes / (double)frame_size);
	if (frames == 0)
		die_usage("--buffer %s holds no frame of %zu bytes: give at least %zu", b->text,
			  frame_size, frame_size);
	if (b->unit != BUFFER_DEFAULT && avail > 0 && (double)frames * (double)frame_size > avail)
		die_usage("--buffer %s asks for %.0f MiB, more than the %.0f MiB of memory "
			  "available", b->text, (double)frames * (double)frame_size / 1048576.0,
			  avail / 1048576.0);
	return frames;
}
