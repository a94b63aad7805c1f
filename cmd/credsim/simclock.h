/* The simulated clock: simulated seconds run --time-scale times faster than
 * real time and can be pushed forward (`sim advance`), so a two-hour getter
 * regeneration fits in a test. Protocol timeouts (uploads, fault delays)
 * stay in real milliseconds. */
#ifndef CREDSIM_SIMCLOCK_H
#define CREDSIM_SIMCLOCK_H

#include <stdint.h>
#include "cred-clock.h"   /* real time: cred_now_ms(), libcred's monotonic clock */

void simclock_init(double scale);
double simclock_scale(void);
/* Simulated seconds since credsim started. */
double sim_now(void);
/* Jump simulated time forward by seconds (>= 0). */
void simclock_advance(double seconds);
/* Real milliseconds from now until simulated time t (0 if already past). */
int64_t real_ms_until(double t);

#endif
