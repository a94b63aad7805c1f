/* Durations for people: "12:34", "1:23:45" (see common.h). */
#include "common.h"

void format_duration(double seconds, char *buf, size_t size)
{
	long t = seconds > 0 ? (long)(seconds + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}
