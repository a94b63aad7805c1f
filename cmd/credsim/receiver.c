/* Raw file receiver and the refusing receiver (see receiver.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer.h"
#include "camera.h"
#include "files.h"
#include "receiver.h"

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
	else if (file_accept(cam, r->kind, r->buf, r->size, msg, sizeof(msg)))
		answer_error(ans, "sendfile %s: %s", r->kind, msg);
	else
		answer_ok(ans);
	return n;
}

static void raw_expire(struct receiver *rx, struct camera *cam, struct answer *ans)
{
	struct raw_receiver *r = (struct raw_receiver *)rx;

	answer_error(ans, "sendfile %s: timeout, received %zu of %zu bytes", r->kind, r->got, r->size);
}

static void raw_free(struct receiver *rx)
{
	struct raw_receiver *r = (struct raw_receiver *)rx;

	free(r->buf);
	free(r);
}

static const struct receiver_ops raw_ops = { raw_feed, raw_expire, raw_free };

struct receiver *raw_receiver_new(const char *kind, size_t size, const char *md5, int64_t now)
{
	struct raw_receiver *r = calloc(1, sizeof(*r));

	if (!r || !(r->buf = malloc(size ? size : 1))) {
		free(r);
		return NULL;
	}
	r->base.ops = &raw_ops;
	r->base.idle_ms = TRANSFER_IDLE_MS;
	r->base.deadline = now + TRANSFER_IDLE_MS;
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	/* the client may send the digest in upper case */
	for (int i = 0; i < 32; i++)
		r->md5[i] = (char)((md5[i] >= 'A' && md5[i] <= 'F') ? md5[i] + 32 : md5[i]);
	r->md5[32] = '\0';
	r->size = size;
	return &r->base;
}

struct refusing_receiver {
	struct receiver base;
	char what[96];
	size_t got;
};

static size_t refuse_feed(struct receiver *rx, struct camera *cam, const uint8_t *data, size_t len,
			  struct answer *ans, bool *done)
{
	((struct refusing_receiver *)rx)->got += len;
	return len;
}

static void refuse_expire(struct receiver *rx, struct camera *cam, struct answer *ans)
{
	struct refusing_receiver *r = (struct refusing_receiver *)rx;

	if (r->got)
		answer_error(ans, "%s: transfer failed (%zu bytes received, no XMODEM receiver)",
			     r->what, r->got);
	else
		answer_error(ans, "%s: transfer failed (no data received)", r->what);
}

static void refuse_free(struct receiver *rx)
{
	free(rx);
}

static const struct receiver_ops refuse_ops = { refuse_feed, refuse_expire, refuse_free };

struct receiver *refusing_receiver_new(const char *what, int64_t now)
{
	struct refusing_receiver *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->base.ops = &refuse_ops;
	r->base.idle_ms = TRANSFER_IDLE_MS;
	r->base.deadline = now + TRANSFER_IDLE_MS;
	snprintf(r->what, sizeof(r->what), "%s", what);
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

void receiver_free(struct receiver *rx)
{
	if (rx)
		rx->ops->free(rx);
}
