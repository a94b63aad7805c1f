/* A connection to the interpreter: a TCP client or the pty master. Each link
 * has its own input line, its own receive mode (during sendfile) and an
 * output queue of chunks that may not leave before a given time (slow
 * commands, stalls, late tails). */
#ifndef CREDSIM_LINK_H
#define CREDSIM_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "baud.h"
#include "faults.h"

struct receiver;

struct chunk {
	struct chunk *next;
	int64_t not_before;  /* real ms */
	size_t len, off;
	uint8_t data[];
};

struct link {
	struct link *next;
	int fd;
	char name[64];
	bool persistent;        /* the pty: never closed */
	bool dead;              /* peer gone: free at the next loop */
	/* input waiting to be interpreted */
	uint8_t *in;
	size_t inlen, incap;
	bool after_cr;          /* "\r\n" ends one line, not two */
	char line[4096];
	size_t linelen;
	bool line_overflow;
	int64_t busy_until;     /* real ms: no new command before (answer pending) */
	struct receiver *rx;    /* raw bytes go here while a transfer runs */
	struct fault_effect pending; /* faults for the deferred answer */
	/* output */
	struct chunk *out, *out_tail;
	size_t outbytes;
	/* --baud: each direction paced like a serial line */
	struct pace rx_pace, tx_pace;
};

struct link *link_new(int fd, const char *name, bool persistent);
void link_free(struct link *l);
/* Keep input bytes for the interpreter. */
int link_keep_input(struct link *l, const uint8_t *data, size_t len);
/* Drop n bytes from the front of the kept input. */
void link_consume_input(struct link *l, size_t n);
/* Queue bytes to be written not before real time not_before (ms). */
void link_queue(struct link *l, const void *data, size_t len, int64_t not_before);
/* Emulate a serial line of baud (0: no pacing) on this link. */
void link_set_baud(struct link *l, long baud);
/* How many input bytes the line lets through now (at most limit), and
 * record that n of them were read. */
size_t link_read_budget(const struct link *l, int64_t now, size_t limit);
void link_read_used(struct link *l, size_t n, int64_t now);
/* Write what is due; returns -1 when the peer is gone. */
int link_flush(struct link *l, int64_t now);
/* Something due to be written now (for poll's POLLOUT). */
bool link_wants_write(const struct link *l, int64_t now);
/* Real ms of the next timed event of the link after now (delayed output,
 * end of a busy period, transfer timeout), or -1. */
int64_t link_next_time(const struct link *l, int64_t now);

#endif
