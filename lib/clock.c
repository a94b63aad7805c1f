/* The monotonic clock behind every timeout in libcred (one copy, so every
 * wait counts time the same way). */
#include "clock-impl.h"

#include <limits.h>
#include <time.h>

long long cred_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
