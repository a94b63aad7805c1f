/* Durations: shown to people ("12:34", "1:23:45") and waited out (see
 * common.h). */
#include "common.h"

#include <time.h>

void format_duration(double seconds, char *buf, size_t size)
{
	long t = seconds > 0 ? (long)(seconds + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	/* A signal ends the nap early: the caller looks at stop_signal. */
	nanosleep(&ts, NULL);
}
