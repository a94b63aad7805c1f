/* Connections (see link.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "link.h"
#include "receiver.h"

/* A reader that never reads must not make credsim grow without bound:
 * beyond this, new output for the link is dropped, as a serial line with
 * nobody listening loses it. */
#define OUT_LIMIT (4u << 20)
#define IN_LIMIT (64u << 20)

struct link *link_new(int fd, const char *name, bool persistent)
{
	struct link *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->fd = fd;
	l->persistent = persistent;
	strncpy(l->name, name, sizeof(l->name) - 1);
	return l;
}

void link_free(struct link *l)
{
	if (!l)
		return;
	while (l->out) {
		struct chunk *c = l->out;

		l->out = c->next;
		free(c);
	}
	if (l->rx)
		receiver_free(l->rx);
	free(l->in);
	if (!l->persistent && l->fd >= 0)
		close(l->fd);
	free(l);
}

int link_keep_input(struct link *l, const uint8_t *data, size_t len)
{
	if (len == 0)
		return 0; /* l->in may still be NULL: no memcpy from or to it */
	if (l->inlen + len > l->incap) {
		size_t cap = l->incap ? l->incap : 4096;
		uint8_t *p;

		while (cap < l->inlen + len)
			cap *= 2;
		if (cap > IN_LIMIT || !(p = realloc(l->in, cap)))
			return -1;
		l->in = p;
		l->incap = cap;
	}
	memcpy(l->in + l->inlen, data, len);
	l->inlen += len;
	return 0;
}

void link_consume_input(struct link *l, size_t n)
{
	if (n >= l->inlen) {
		l->inlen = 0;
		return;
	}
	memmove(l->in, l->in + n, l->inlen - n);
	l->inlen -= n;
}

void link_queue(struct link *l, const void *data, size_t len, int64_t not_before)
{
	struct chunk *c;

	if (!len || l->outbytes + len > OUT_LIMIT || !(c = malloc(sizeof(*c) + len)))
		return;
	c->next = NULL;
	c->not_before = not_before;
	c->len = len;
	c->off = 0;
	memcpy(c->data, data, len);
	if (l->out_tail)
		l->out_tail->next = c;
	else
		l->out = c;
	l->out_tail = c;
	l->outbytes += len;
}

void link_set_baud(struct link *l, long baud)
{
	pace_init(&l->rx_pace, baud);
	pace_init(&l->tx_pace, baud);
}

size_t link_read_budget(const struct link *l, int64_t now, size_t limit)
{
	return pace_budget(&l->rx_pace, now, limit);
}

void link_read_used(struct link *l, size_t n, int64_t now)
{
	pace_used(&l->rx_pace, n, now);
}

bool link_wants_write(const struct link *l, int64_t now)
{
	return l->out && l->out->not_before <= now && pace_budget(&l->tx_pace, now, 1);
}

int link_flush(struct link *l, int64_t now)
{
	while (l->out && l->out->not_before <= now) {
		struct chunk *c = l->out;
		size_t room = pace_budget(&l->tx_pace, now, c->len - c->off);
		ssize_t n = room ? write(l->fd, c->data + c->off, room) : 0;

		if (!room)
			return 0; /* the emulated line is busy */
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -1;
		}
		pace_used(&l->tx_pace, (size_t)n, now);
		c->off += n;
		l->outbytes -= n;
		if (c->off < c->len)
			return 0;
		l->out = c->next;
		if (!l->out)
			l->out_tail = NULL;
		free(c);
	}
	return 0;
}

static int64_t earliest(int64_t a, int64_t b)
{
	return a < 0 || (b >= 0 && b < a) ? b : a;
}

int64_t link_next_time(const struct link *l, int64_t now)
{
	int64_t t = -1;

	/* output already due waits for POLLOUT, not for a timeout, unless
	 * the emulated line holds it back */
	if (l->out && l->out->not_before > now)
		t = l->out->not_before;
	else if (l->out && !pace_budget(&l->tx_pace, now, 1))
		t = pace_next(&l->tx_pace, now);
	if (!pace_budget(&l->rx_pace, now, 1))
		t = earliest(t, pace_next(&l->rx_pace, now));
	if (l->busy_until > now)
		t = earliest(t, l->busy_until);
	if (l->rx)
		t = earliest(t, receiver_deadline(l->rx));
	return t;
}
