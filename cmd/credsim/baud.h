/* Baud-rate emulation (--baud N): a serial line at N baud 8N1 carries N/10
 * bytes per second in each direction. A pace is one direction of one
 * link: it says how many bytes may pass now and when the next may, so
 * transfers to and from the simulated camera take as long as on the wire.
 *
 * The line clock is the real time at which the bytes let through so far
 * have finished crossing the wire. An idle line builds up no credit beyond
 * 20 milliseconds' worth (a UART has no reserve; the little it gets makes
 * up for the poll loop waking late), so a burst after a pause is paced
 * like everything else. */
#ifndef CREDSIM_BAUD_H
#define CREDSIM_BAUD_H

#include <stddef.h>
#include <stdint.h>

struct pace {
	double byte_ms;   /* ms per byte; 0: no pacing */
	double clock;     /* real ms when the wire is free again */
};

/* Pace for baud (0: unlimited). */
void pace_init(struct pace *p, long baud);
/* Bytes that may cross now (at most limit; limit when unpaced). */
size_t pace_budget(const struct pace *p, int64_t now_ms, size_t limit);
/* n bytes crossed at now. */
void pace_used(struct pace *p, size_t n, int64_t now_ms);
/* Real ms at which a few bytes may cross again (now when they may already;
 * -1 when unpaced). */
int64_t pace_next(const struct pace *p, int64_t now_ms);

#endif
