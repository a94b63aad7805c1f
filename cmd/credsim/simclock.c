/* Simulated clock (see simclock.h). */
#include <math.h>
#include <time.h>
#include "simclock.h"

static double scale = 1.0;
static double offset;      /* simulated seconds added by simclock_advance */
static int64_t start_ms;

void simclock_init(double s)
{
	scale = s > 0 ? s : 1.0;
	offset = 0;
	start_ms = cred_now_ms();
}

double simclock_scale(void)
{
	return scale;
}

double sim_now(void)
{
	return offset + (double)(cred_now_ms() - start_ms) / 1000.0 * scale;
}

void simclock_advance(double seconds)
{
	if (seconds > 0)
		offset += seconds;
}

int64_t real_ms_until(double t)
{
	double left = t - sim_now();

	if (left <= 0)
		return 0;
	return (int64_t)ceil(left / scale * 1000.0);
}
