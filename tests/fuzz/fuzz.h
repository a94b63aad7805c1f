/* Shared by the libFuzzer harnesses (tests/fuzz/fuzz-*.c): each defines
 * LLVMFuzzerTestOneInput, built two ways by tests/fuzz/Module.mk:
 *   make fuzz   clang -fsanitize=fuzzer,address,undefined: the fuzzer
 *   make check  gcc with replay.c: every file of tests/fuzz/corpus/NAME
 *               fed once, no fuzzing (a regression test of the seeds and
 *               of every crash found so far)
 * Header-only because each harness is linked on its own. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "port-impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- a file holding the input, for readers that take a path ---------- */

/* An in-memory file (memfd) with the bytes; its path, /proc/self/fd/N,
 * opens a new description at offset 0, as a file on disk would. Returns
 * the fd (close it when done) or -1. */
static inline int fuzz_memfile(const void *data, size_t size, char *path, size_t path_size)
{
	int fd = memfd_create("fuzz", 0);
	const char *p = data;
	size_t left = size;

	if (fd < 0)
		return -1;
	while (left > 0) {
		ssize_t n = write(fd, p, left);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		left -= (size_t)n;
	}
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}

/* ---- a port whose far end plays back the input ------------------------ */

/* The bytes the far end sends, in segments cut at a delimiter: the first
 * is on the line from the start, and each write to the port (a command, a
 * block) releases the next one, so an answer never comes before its
 * question; bytes not read yet stay on the line. Reads return at most
 * chunk bytes (a line delivered in pieces). When all released bytes are
 * read, a read that would not wait returns 0, and one that would wait
 * gets the next segment at once (the far end spoke after a silence), or a
 * lost link when the input is used up: nothing ever sleeps, so every
 * input runs in microseconds and the same way each time. */
#define FUZZ_MAX_SEGMENTS 64

struct fuzz_port {
	uint8_t *bytes;     /* the input without delimiters */
	size_t size, pos;
	size_t ends[FUZZ_MAX_SEGMENTS]; /* end of each segment in bytes */
	size_t nsegs, released;         /* segments on the line */
	size_t chunk;       /* largest read */
	size_t writes;      /* writes the near end made */
};

static int fuzz_port_read(struct cred_port *port, void *buf, size_t len, int timeout_ms)
{
	struct fuzz_port *f = port->priv;
	size_t n = f->ends[f->released - 1] - f->pos;

	if (n == 0 && timeout_ms && f->released < f->nsegs) {
		/* silence: the far end's next bytes come anyway */
		f->released++;
		n = f->ends[f->released - 1] - f->pos;
	}
	if (n == 0)
		return timeout_ms ? cred_port_lost(port->name) : 0;
	if (n > len)
		n = len;
	if (n > f->chunk)
		n = f->chunk;
	memcpy(buf, f->bytes + f->pos, n);
	f->pos += n;
	return (int)n;
}

static int fuzz_port_write(struct cred_port *port, const void *buf, size_t len, int timeout_ms)
{
	struct fuzz_port *f = port->priv;

	(void)buf;
	(void)timeout_ms;
	f->writes++;
	if (f->released < f->nsegs)
		f->released++;
	return CRED_OK; /* all of it, as cred_port_write promises */
}

static void fuzz_port_close(struct cred_port *port)
{
	(void)port; /* priv belongs to the harness (fuzz_port_free) */
}

static const struct cred_port_ops fuzz_port_ops = {
	.read = fuzz_port_read,
	.write = fuzz_port_write,
	.close = fuzz_port_close,
};

/* A port over f, playing back data cut at delim. Returns NULL on ENOMEM.
 * Close the port, then fuzz_port_free(f). */
static inline struct cred_port *fuzz_port_new(struct fuzz_port *f, const uint8_t *data,
					      size_t size, size_t chunk, const char *delim)
{
	size_t dlen = strlen(delim), i = 0;
	struct cred_port *port;

	memset(f, 0, sizeof(*f));
	if (!(f->bytes = malloc(size + 1)))
		return NULL;
	while (i < size) {
		const uint8_t *d = memmem(data + i, size - i, delim, dlen);
		size_t end = d ? (size_t)(d - data) : size;

		memcpy(f->bytes + f->size, data + i, end - i);
		f->size += end - i;
		i = d ? end + dlen : size;
		if (f->nsegs < FUZZ_MAX_SEGMENTS)
			f->ends[f->nsegs++] = f->size;
		else
			f->ends[f->nsegs - 1] = f->size;
	}
	if (f->nsegs == 0)
		f->ends[f->nsegs++] = 0;
	f->released = 1;
	f->chunk = chunk ? chunk : 1;
	if (!(port = cred_port_alloc(&fuzz_port_ops, "fuzz"))) {
		free(f->bytes);
		return NULL;
	}
	port->priv = f;
	return port;
}

static inline void fuzz_port_free(struct fuzz_port *f)
{
	free(f->bytes);
	f->bytes = NULL;
}

#endif
