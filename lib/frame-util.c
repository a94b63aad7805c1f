/* Small helpers shared by the frame writers and readers. */
#include "frame-impl.h"

#include <time.h>

void cred_format_utc(double t, char *buf, size_t len)
{
	time_t sec = (time_t)t;
	long usec = (long)((t - (double)sec) * 1e6 + 0.5);
	struct tm tm;

	if (usec >= 1000000) {
		sec++;
		usec -= 1000000;
	}
	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
}

double cred_now_utc(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char *cred_model_detector(enum cred_model_id model)
{
	switch (model) {
	case CRED_MODEL_CRED3: return "SNAKE-SW";
	case CRED_MODEL_CREDONE: return "SAPHIRA";
	default: return "";
	}
}
