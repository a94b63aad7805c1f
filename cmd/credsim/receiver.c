/* The raw sendfile receiver and what every receiver shares (see receiver.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer.h"
#include "camera.h"
#include "files.h"
#include "receiver.h"

void receiver_init(struct receiver *rx, const struct receiver_ops *ops, struct link *link,
		   const struct xfer_effect *fx, int idle_ms, int64_t now)
{
	rx->ops = ops;
	rx->link = link;
	if (fx)
		rx->fx = *fx;
	else
		xfer_effect_none(&rx->fx);
	rx->idle_ms = idle_ms;
	rx->deadline = now + idle_ms;
	rx->line_pos = 0;
	rx->filtered = 0;
}

void receiver_md5(char out[33], const char *md5)
{
	/* the client may send the digest in upper case */
	for (int i = 0; i < 32; i++)
		out[i] = (char)((md5[i] >= 'A' && md5[i] <= 'F') ? md5[i] + 32 : md5[i]);
	out[32] = '\0';
}

struct raw_receiver {
	struct receiver base;
	char kind[64];
	char md5[STORE_MD5_HEX];
	size_t size, got;
	uint8_t *buf;
};

static size_t raw_feed(struct receiver *rx, struct camera *cam, const uint8_t *data, size_t len,
		       struct answer *ans, bool *done)
{
	struct raw_receiver *r = (struct raw_receiver *)rx;
	size_t n = r->size - r->got < len ? r->size - r->got : len;
	char got[STORE_MD5_HEX], msg[256];

	memcpy(r->buf + r->got, data, n);
	r->got += n;
	if (r->got < r->size)
		return n;
	*done = true;
	md5_hex(r->buf, r->size, got);
	if (strcmp(got, r->md5))
		answer_error(ans, "sendfile %s: MD5 mismatch (expected %s, received %s)",
			     r->kind, r->md5, got);
	else if (!rx->fx.discard && file_accept(cam, r->kind, r->buf, r->size, msg, sizeof(msg)))
		answer_error(ans, "sendfile %s: %s", r->kind, msg);
	else
		answer_ok(ans);
	return n;
}

static bool raw_tick(struct receiver *rx, struct camera *cam, int64_t now, struct answer *ans)
{
	struct raw_receiver *r = (struct raw_receiver *)rx;

	answer_error(ans, "sendfile %s: timeout, received %zu of %zu bytes", r->kind, r->got, r->size);
	return true;
}

static void raw_free(struct receiver *rx)
{
	struct raw_receiver *r = (struct raw_receiver *)rx;

	free(r->buf);
	free(r);
}

static const struct receiver_ops raw_ops = { raw_feed, raw_tick, raw_free };

struct receiver *raw_receiver_new(const char *kind, size_t size, const char *md5,
				  struct link *link, const struct xfer_effect *fx, int64_t now)
{
	struct raw_receiver *r = calloc(1, sizeof(*r));

	if (!r || !(r->buf = malloc(size ? size : 1))) {
		free(r);
		return NULL;
	}
	receiver_init(&r->base, &raw_ops, link, fx, TRANSFER_IDLE_MS, now);
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	receiver_md5(r->md5, md5);
	r->size = size;
	return &r->base;
}

int64_t receiver_deadline(const struct receiver *rx)
{
	return rx->deadline;
}

void receiver_touch(struct receiver *rx, int64_t now)
{
	rx->deadline = now + rx->idle_ms;
}

void receiver_line(struct receiver *rx, uint8_t *buf, size_t *len)
{
	size_t fresh;

	if (rx->filtered >= *len)
		return;
	fresh = *len - rx->filtered;
	*len = rx->filtered + xfer_line_filter(&rx->fx, rx->line_pos, buf + rx->filtered, fresh);
	rx->line_pos += fresh;
	rx->filtered = *len;
}

void receiver_used(struct receiver *rx, size_t used)
{
	rx->filtered = used < rx->filtered ? rx->filtered - used : 0;
}

void receiver_free(struct receiver *rx)
{
	if (rx)
		rx->ops->free(rx);
}
