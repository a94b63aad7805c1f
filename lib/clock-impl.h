/* Internal: deadlines on the monotonic clock (cred-clock.h) for the
 * library's waits. Not exported. */
#ifndef CRED_CLOCK_IMPL_H
#define CRED_CLOCK_IMPL_H

#include "cred-clock.h"

/* The deadline of a wait of timeout_ms from now (a negative timeout, "no
 * limit", gives now: see cred_ms_left). */
long long cred_deadline(int timeout_ms);

/* Time left until deadline, for poll() and the like: -1 when timeout_ms
 * < 0 (no limit), otherwise from 0 up to INT_MAX. */
int cred_ms_left(long long deadline, int timeout_ms);

#endif
