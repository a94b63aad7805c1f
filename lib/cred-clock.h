/* libcred clocks: the one monotonic clock every timeout in the suite is
 * measured on (the library's own waits, the tools' progress lines and
 * polls, the simulator's pacing), the wall clock, and UTC time stamps. */
#ifndef CRED_CLOCK_H
#define CRED_CLOCK_H

#include <stddef.h>
#include "cred-error.h"

/* Milliseconds on the monotonic clock (CLOCK_MONOTONIC: never jumps with
 * the date; only differences mean something). */
CRED_API long long cred_now_ms(void);

/* The same clock in seconds, with sub-millisecond resolution (for rates
 * and elapsed times). */
CRED_API double cred_now_s(void);

/* Seconds since the epoch on the wall clock (UTC), with a fraction. */
CRED_API double cred_now_utc(void);

/* t (seconds since the epoch) as ISO 8601 UTC into buf (at least 32
 * bytes): "2025-06-01T12:00:00", then decimals digits of the seconds
 * (0-6: ".123456"), then "Z" when zulu is not 0. FITS DATE keywords take
 * the form without the Z; logs and JSON records take it with. */
CRED_API void cred_format_utc(double t, int decimals, int zulu, char *buf, size_t len);

#endif
