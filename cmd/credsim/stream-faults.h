/* Faults on the frame stream: what a link does to frames.
 *
 * SPEC is KIND[:ARG][@N]; N is the frame counter (the tag) of the frame
 * the fault hits, by default the next frame the camera produces.
 *   drop[:K]       K frames (1) from N are not sent: a gap in the counter
 *   corrupt[:B]    the first B bytes (8) of frame N are changed (its tags)
 *   truncate[:B]   the last B bytes (1024) of frame N are not sent
 *   short[:B]      USB: the transfer carrying frame N ends B bytes (0) into
 *                  it, a short transfer; the rest follows in the next one.
 *                  Nothing on the socket, where chunks carry no meaning.
 *   stall[:MS]     socket: nothing is sent for MS ms (1000) from frame N
 *                  (frames due meanwhile may be lost); USB: the transfer
 *                  that would carry frame N ends with an endpoint stall
 *   gone           socket: the stream ends before frame N (every client is
 *                  sent what it was queued, then disconnected); USB: the
 *                  device is gone at frame N (the recording ends) */
#ifndef CREDSIM_STREAM_FAULTS_H
#define CREDSIM_STREAM_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ff_kind { FF_DROP, FF_CORRUPT, FF_TRUNCATE, FF_SHORT, FF_STALL, FF_GONE, FF_KINDS };

struct ffault {
	enum ff_kind kind;
	long arg;
	bool has_at;
	uint32_t at;
	long fired;
};

/* What happens to one frame. */
struct ffault_effect {
	bool drop, gone;
	long corrupt, truncate;   /* bytes, 0: none */
	long short_at;            /* bytes into the frame, -1: none */
	long stall_ms;            /* 0: none */
	bool stall;               /* a stall fault hit (USB: endpoint stall) */
};

#define MAX_FFAULTS 32

struct ffault_list {
	struct ffault f[MAX_FFAULTS];
	int n;
};

int ffault_parse(const char *spec, struct ffault *f, char *err, size_t size);
/* Add a fault; without @N it hits frame next_counter. */
int ffaults_add(struct ffault_list *fl, const char *spec, uint32_t next_counter, char *err,
		size_t size);
void ffaults_clear(struct ffault_list *fl);
/* "drop:2@10 (fired 2)" */
const char *ffault_describe(const struct ffault *f, char *buf, size_t size);
/* The faults that hit frame counter (counted as fired). */
void ffaults_match(struct ffault_list *fl, uint32_t counter, struct ffault_effect *eff);
/* Change n bytes of a frame the way `corrupt` does (never to themselves). */
void ffault_corrupt(uint8_t *data, size_t n, uint32_t counter);

#endif
