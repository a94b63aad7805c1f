/* The camera's XMODEM receiver for `xsendfile KIND SIZE MD5` (see
 * receiver.h): it asks for CRC-16 with 'C' (three times, 3 s apart), then
 * for the 8-bit checksum with NAK; takes 128-byte (SOH) and 1024-byte
 * (STX) blocks in either mode; answers each block with ACK, or NAK when
 * the block is damaged or incomplete after 1 s of silence; acknowledges a
 * repeated block again without keeping it; cancels (CAN CAN) on a block
 * out of sequence, after 10 bad blocks in a row or 10 s without anything;
 * stops when the sender cancels (CAN CAN); on EOT strips the padding down
 * to SIZE, then checks the MD5 and the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer.h"
#include "camera.h"
#include "files.h"
#include "link.h"
#include "receiver.h"

#define SOH 0x01
#define STX 0x02
#define EOT 0x04
#define ACK 0x06
#define NAK 0x15
#define CAN 0x18

#define START_INTERVAL_MS 3000 /* between two start requests */
#define CRC_TRIES 3            /* 'C' this often, then NAK */
#define START_TRIES 8          /* start requests before giving up (24 s) */
#define PACKET_GAP_MS 1000     /* silence inside a block: it is incomplete */
#define BLOCK_WAIT_MS 2000     /* silence between blocks: NAK */
#define MAX_SILENCES 5         /* ... this often in a row: give up */
#define MAX_ERRORS 10          /* bad blocks in a row: give up */

enum xstate { X_START, X_HEADER, X_PACKET };

struct xmodem_receiver {
	struct receiver base;
	char kind[64];
	char md5[STORE_MD5_HEX];
	size_t size;
	bool open;    /* size and MD5 unknown (exec uploadfirmware): the 0x1A
		       * padding of the last block is stripped */
	enum xstate state;
	bool crc;
	int starts;            /* start requests sent */
	int errors, silences;  /* in a row */
	int cans;              /* CAN bytes in a row from the sender */
	uint8_t expect;        /* next block number */
	long blocks;           /* blocks kept */
	long naks_left;        /* NAK storm: refusals left for this block */
	uint8_t pkt[3 + 1024 + 2];
	size_t pktlen, pktwant;
	uint8_t *data;
	size_t len, cap;
};

static void send_byte(struct xmodem_receiver *x, uint8_t b)
{
	link_queue(x->base.link, &b, 1, 0);
}

static void send_cancel(struct xmodem_receiver *x)
{
	static const uint8_t can[2] = { CAN, CAN };

	link_queue(x->base.link, can, sizeof(can), 0);
}

static void ask_start(struct xmodem_receiver *x, int64_t now)
{
	if (x->crc && x->starts >= CRC_TRIES && !x->base.fx.checksum)
		x->crc = false; /* no answer to 'C': a checksum-only sender */
	send_byte(x, x->crc ? 'C' : NAK);
	x->starts++;
	x->base.deadline = now + START_INTERVAL_MS;
}

static uint16_t crc16(const uint8_t *p, size_t n)
{
	uint16_t crc = 0;

	while (n--) {
		crc ^= (uint16_t)(*p++ << 8);
		for (int i = 0; i < 8; i++)
			crc = (uint16_t)(crc & 0x8000 ? crc << 1 ^ 0x1021 : crc << 1);
	}
	return crc;
}

static bool packet_intact(const struct xmodem_receiver *x)
{
	size_t n = x->pktwant - 3 - (x->crc ? 2 : 1);
	const uint8_t *d = x->pkt + 3, *tail = d + n;

	if ((uint8_t)(x->pkt[1] + x->pkt[2]) != 0xff)
		return false;
	if (x->crc)
		return crc16(d, n) == (uint16_t)(tail[0] << 8 | tail[1]);
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + d[i]);
	return sum == tail[0];
}

/* Refuse the block; true when that was one refusal too many. */
static bool refuse(struct xmodem_receiver *x, struct answer *ans, const char *why)
{
	if (++x->errors >= MAX_ERRORS) {
		send_cancel(x);
		answer_error(ans, "xsendfile %s: transfer cancelled after %d bad blocks (%s)",
			     x->kind, x->errors, why);
		return true;
	}
	send_byte(x, NAK);
	return false;
}

static bool keep(struct xmodem_receiver *x, const uint8_t *d, size_t n, struct answer *ans)
{
	if (x->len + n > x->size + 1024) {
		send_cancel(x);
		answer_error(ans, "xsendfile %s: more data than the announced %zu bytes", x->kind,
			     x->size);
		return true;
	}
	if (x->len + n > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 4096;
		uint8_t *p;

		while (cap < x->len + n)
			cap *= 2;
		if (!(p = realloc(x->data, cap))) {
			send_cancel(x);
			answer_error(ans, "xsendfile %s: out of memory", x->kind);
			return true;
		}
		x->data = p;
		x->cap = cap;
	}
	memcpy(x->data + x->len, d, n);
	x->len += n;
	return false;
}

/* A whole packet is in: judge it. Returns true when the transfer ends. */
static bool packet(struct xmodem_receiver *x, struct answer *ans)
{
	size_t n = x->pktwant - 3 - (x->crc ? 2 : 1);
	uint8_t blk = x->pkt[1];

	x->state = X_HEADER;
	if (!packet_intact(x))
		return refuse(x, ans, "damaged block");
	if (blk == (uint8_t)(x->expect - 1) && x->blocks) {
		send_byte(x, ACK); /* our ACK was lost: the sender repeats */
		return false;
	}
	if (blk != x->expect) {
		send_cancel(x);
		answer_error(ans, "xsendfile %s: block %u out of sequence (expected %u)", x->kind,
			     blk, x->expect);
		return true;
	}
	if (x->naks_left > 0) {
		x->naks_left--;
		send_byte(x, NAK);
		return false;
	}
	if (x->base.fx.cancel_block && x->blocks + 1 == x->base.fx.cancel_block) {
		send_cancel(x);
		answer_error(ans, "xsendfile %s: transfer cancelled by the camera at block %ld",
			     x->kind, x->blocks + 1);
		return true;
	}
	if (keep(x, x->pkt + 3, n, ans))
		return true;
	x->blocks++;
	x->expect++;
	x->errors = 0;
	x->naks_left = x->base.fx.nak_count;
	send_byte(x, ACK);
	return false;
}

/* EOT: acknowledge, strip the padding, check and keep the file. */
static void finish(struct xmodem_receiver *x, struct camera *cam, struct answer *ans)
{
	char got[STORE_MD5_HEX], msg[256];

	send_byte(x, ACK);
	if (x->open) {
		while (x->len && x->data[x->len - 1] == 0x1A)
			x->len--;
		if (file_accept(cam, x->kind, x->data, x->len, msg, sizeof(msg)))
			answer_error(ans, "%s upload: %s", x->kind, msg);
		else
			answer_ok(ans);
		return;
	}
	if (x->len < x->size) {
		answer_error(ans, "xsendfile %s: received %zu of %zu bytes", x->kind, x->len, x->size);
		return;
	}
	md5_hex(x->data, x->size, got);
	if (strcmp(got, x->md5))
		answer_error(ans, "xsendfile %s: MD5 mismatch (expected %s, received %s)", x->kind,
			     x->md5, got);
	else if (!x->base.fx.discard && file_accept(cam, x->kind, x->data, x->size, msg, sizeof(msg)))
		answer_error(ans, "xsendfile %s: %s", x->kind, msg);
	else
		answer_ok(ans);
}

/* One byte outside a packet. Returns true when the transfer ends. */
static bool header_byte(struct xmodem_receiver *x, struct camera *cam, uint8_t b,
			struct answer *ans)
{
	if (b == CAN) {
		if (++x->cans < 2)
			return false;
		answer_error(ans, "xsendfile %s: transfer cancelled by the sender after %ld blocks",
			     x->kind, x->blocks);
		return true;
	}
	x->cans = 0;
	if (b == EOT) {
		finish(x, cam, ans);
		return true;
	}
	if (b != SOH && b != STX)
		return false; /* line noise between blocks */
	x->state = X_PACKET;
	x->pkt[0] = b;
	x->pktlen = 1;
	x->pktwant = 3 + (b == STX ? 1024 : 128) + (x->crc ? 2 : 1);
	return false;
}

static size_t xm_feed(struct receiver *rx, struct camera *cam, const uint8_t *data, size_t len,
		      struct answer *ans, bool *done)
{
	struct xmodem_receiver *x = (struct xmodem_receiver *)rx;
	size_t i = 0;

	while (i < len && !*done) {
		if (x->state == X_PACKET) {
			size_t n = x->pktwant - x->pktlen < len - i ? x->pktwant - x->pktlen : len - i;

			memcpy(x->pkt + x->pktlen, data + i, n);
			x->pktlen += n;
			i += n;
			if (x->pktlen == x->pktwant)
				*done = packet(x, ans);
		} else {
			*done = header_byte(x, cam, data[i++], ans);
		}
	}
	if (i)
		x->silences = 0;
	rx->idle_ms = x->state == X_PACKET ? PACKET_GAP_MS : BLOCK_WAIT_MS;
	return i;
}

static bool xm_tick(struct receiver *rx, struct camera *cam, int64_t now, struct answer *ans)
{
	struct xmodem_receiver *x = (struct xmodem_receiver *)rx;

	if (x->state == X_START) {
		if (x->starts >= START_TRIES) {
			answer_error(ans, "xsendfile %s: timeout, no XMODEM data received", x->kind);
			return true;
		}
		ask_start(x, now);
		return false;
	}
	x->state = X_HEADER; /* an incomplete block is dropped */
	if (++x->silences >= MAX_SILENCES) {
		send_cancel(x);
		answer_error(ans, "xsendfile %s: timeout, received %zu of %zu bytes", x->kind,
			     x->len < x->size ? x->len : x->size, x->size);
		return true;
	}
	if (refuse(x, ans, "timeout"))
		return true;
	rx->idle_ms = BLOCK_WAIT_MS;
	rx->deadline = now + BLOCK_WAIT_MS;
	return false;
}

static void xm_free(struct receiver *rx)
{
	struct xmodem_receiver *x = (struct xmodem_receiver *)rx;

	free(x->data);
	free(x);
}

static const struct receiver_ops xmodem_ops = { xm_feed, xm_tick, xm_free };

struct receiver *xmodem_receiver_new(const char *kind, size_t size, const char *md5,
				     struct link *link, const struct xfer_effect *fx, int64_t now)
{
	struct xmodem_receiver *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	receiver_init(&x->base, &xmodem_ops, link, fx, START_INTERVAL_MS, now);
	snprintf(x->kind, sizeof(x->kind), "%s", kind);
	x->open = !md5;
	if (md5)
		receiver_md5(x->md5, md5);
	x->size = md5 ? size : FILE_MAX;
	x->expect = 1;
	x->crc = !x->base.fx.checksum;
	x->naks_left = x->base.fx.nak_count;
	ask_start(x, now);
	return &x->base;
}
