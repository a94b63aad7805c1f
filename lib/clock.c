/* The clocks of credtools (see cred-clock.h): one copy, so every wait
 * counts time the same way. */
#include "clock-impl.h"

#include <limits.h>
#include <stdio.h>
#include <time.h>

long long cred_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double cred_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double cred_now_utc(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cred_format_utc(double t, int decimals, int zulu, char *buf, size_t len)
{
	static const long scale[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
	int d = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
	time_t sec = (time_t)t;
	/* Rounded to the digits shown, carrying into the seconds. */
	long frac = (long)((t - (double)sec) * scale[d] + 0.5);
	struct tm tm;
	int n;

	if (frac >= scale[d]) {
		sec++;
		frac -= scale[d];
	}
	gmtime_r(&sec, &tm);
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= len)
		return;
	if (d > 0)
		n += snprintf(buf + n, len - n, ".%0*ld", d, frac);
	if (zulu && (size_t)n < len)
		snprintf(buf + n, len - n, "Z");
}

long long cred_deadline(int timeout_ms)
{
	return cred_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
}

int cred_ms_left(long long deadline, int timeout_ms)
{
	long long left;

	if (timeout_ms < 0)
		return -1;
	left = deadline - cred_now_ms();
	return left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}
