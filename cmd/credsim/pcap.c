/* USB recordings of the frame stream: a usbmon capture for umockdev (see
 * pcap.h). The host's side of the conversation is played back in the order
 * libusb does it in lib/stream-usb.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pcap.h"

#define LINKTYPE_USB_LINUX_MMAPPED 220
#define XFER_CONTROL 2
#define XFER_BULK 3
#define EP_IN 0x81
#define REQ_TYPE 0x40          /* vendor, host to device */
#define REQ_START 1
#define REQ_STOP 2
#define ST_INPROGRESS (-115)   /* -EINPROGRESS: a submission */
#define ST_STALL (-32)         /* -EPIPE: the endpoint stalled */
#define ST_GONE (-19)          /* -ENODEV: the device went away */
#define MAX_FLYING 1024

struct rec {
	FILE *fp;
	uint64_t next_id, t_us;
	size_t size, chunk;     /* the host's transfer size; bytes per completion */
	uint64_t flying[MAX_FLYING];
	int head, nflying;
	uint8_t *pending;       /* stream bytes not yet in a completion */
	size_t plen, pcap;
	long transfers;
	bool gone, stalled, failed;
};

/* ---- records -------------------------------------------------------------------------- */

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* One usbmon event: the 64-byte mmapped header, then the data. */
static void event(struct rec *r, uint64_t id, char type, int xfer, int ep, int status,
		  size_t urb_len, const uint8_t *data, size_t len, const uint8_t *setup)
{
	uint8_t rec[16], h[64] = { 0 };

	r->t_us += 100; /* umockdev reads times only for its "stuck" warnings */
	le(rec, r->t_us / 1000000 + 1700000000, 4);
	le(rec + 4, r->t_us % 1000000, 4);
	le(rec + 8, 64 + len, 4);
	le(rec + 12, 64 + len, 4);
	le(h, id, 8);
	h[8] = (uint8_t)type;
	h[9] = (uint8_t)xfer;
	h[10] = (uint8_t)ep;
	h[11] = USB_DEV;
	le(h + 12, USB_BUS, 2);
	h[14] = setup ? 0 : '-';                   /* flag_setup: 0 when present */
	h[15] = len ? 0 : type == 'S' ? '<' : '>'; /* flag_data: 0 when present */
	le(h + 16, r->t_us / 1000000 + 1700000000, 8);
	le(h + 24, r->t_us % 1000000, 4);
	le(h + 28, (uint32_t)status, 4);
	le(h + 32, urb_len, 4);
	le(h + 36, len, 4);
	if (setup)
		memcpy(h + 40, setup, 8);
	if (fwrite(rec, 1, 16, r->fp) != 16 || fwrite(h, 1, 64, r->fp) != 64 ||
	    (len && fwrite(data, 1, len, r->fp) != len))
		r->failed = true;
}

/* A vendor request with no data, as libusb_control_transfer sends it; the
 * setup packet is in the header and urb_len is wLength (0). */
static void control(struct rec *r, int request)
{
	uint8_t setup[8] = { REQ_TYPE, (uint8_t)request, 0, 0, 0, 0, 0, 0 };
	uint64_t id = r->next_id;

	r->next_id += 0x40;
	event(r, id, 'S', XFER_CONTROL, 0, ST_INPROGRESS, 0, NULL, 0, setup);
	event(r, id, 'C', XFER_CONTROL, 0, 0, 0, NULL, 0, NULL);
}

static void submit(struct rec *r)
{
	uint64_t id = r->next_id;

	r->next_id += 0x40;
	r->flying[(r->head + r->nflying++) % MAX_FLYING] = id;
	event(r, id, 'S', XFER_BULK, EP_IN, ST_INPROGRESS, r->size, NULL, 0, NULL);
}

/* The oldest transfer completes with len bytes of the pending stream, or
 * an error status; requeue: the host submits it again (streaming goes on). */
static void complete(struct rec *r, size_t len, int status, bool requeue)
{
	uint64_t id = r->flying[r->head];

	r->head = (r->head + 1) % MAX_FLYING;
	r->nflying--;
	event(r, id, 'C', XFER_BULK, EP_IN, status, len, r->pending, len, NULL);
	if (r->plen > len) /* pending may be NULL when nothing is */
		memmove(r->pending, r->pending + len, r->plen - len);
	r->plen -= len;
	r->transfers += len > 0;
	if (requeue)
		submit(r);
}

/* ---- the stream into transfers ---------------------------------------------------------- */

static void full_transfers(struct rec *r)
{
	while (r->plen >= r->chunk)
		complete(r, r->chunk, 0, true);
}

/* Complete with what is pending (a short transfer); cut bytes of it at most. */
static void short_transfer(struct rec *r, size_t cut)
{
	while (cut >= r->chunk) {
		complete(r, r->chunk, 0, true);
		cut -= r->chunk;
	}
	complete(r, cut, 0, true);
}

static int append(struct rec *r, const uint8_t *data, size_t len)
{
	if (r->plen + len > r->pcap) {
		size_t cap = r->plen + len + r->chunk;
		uint8_t *p = realloc(r->pending, cap);

		if (!p)
			return -1;
		r->pending = p;
		r->pcap = cap;
	}
	memcpy(r->pending + r->plen, data, len);
	r->plen += len;
	return 0;
}

/* A frame from frames_produce, with what its faults do to the link. */
static int sink(void *ctx, const uint8_t *data, size_t len, const struct ffault_effect *eff)
{
	struct rec *r = ctx;
	size_t start = r->plen;

	if (eff->gone || eff->stall) {
		/* the device sends what it had, then the link breaks */
		full_transfers(r);
		if (r->plen)
			short_transfer(r, r->plen);
		complete(r, 0, eff->gone ? ST_GONE : ST_STALL, false);
		r->gone = eff->gone;
		r->stalled = eff->stall;
		return 1;
	}
	if (len && append(r, data, len)) {
		r->failed = true;
		return 1;
	}
	if (eff->short_at >= 0 && !eff->drop)
		short_transfer(r, start + ((size_t)eff->short_at < len ? (size_t)eff->short_at : len));
	full_transfers(r);
	return r->failed;
}

/* ---- files ------------------------------------------------------------------------------- */

FILE *out_create(const char *path, char *tmp, size_t tmplen, char *msg, size_t msglen)
{
	FILE *fp;

	if (access(path, F_OK) == 0) {
		snprintf(msg, msglen, "'%s' exists", path);
		return NULL;
	}
	snprintf(tmp, tmplen, "%s.%ld.tmp", path, (long)getpid());
	if (!(fp = fopen(tmp, "wbx")))
		snprintf(msg, msglen, "cannot create '%s': %s", tmp, strerror(errno));
	return fp;
}

int out_commit(FILE *fp, const char *tmp, const char *path, char *msg, size_t msglen)
{
	if (ferror(fp) | fclose(fp)) {
		snprintf(msg, msglen, "cannot write '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		snprintf(msg, msglen, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void file_header(struct rec *r)
{
	uint8_t h[24];

	le(h, 0xa1b2c3d4, 4);
	le(h + 4, 2, 2);
	le(h + 6, 4, 2);
	le(h + 8, 0, 8);            /* thiszone, sigfigs */
	le(h + 16, 262144, 4);      /* snaplen: libpcap's maximum */
	le(h + 20, LINKTYPE_USB_LINUX_MMAPPED, 4);
	if (fwrite(h, 1, sizeof(h), r->fp) != sizeof(h))
		r->failed = true;
}

long usb_record(struct frames *f, const char *path, long nframes, char *msg, size_t msglen)
{
	const struct frames_options *o = frames_options(f);
	struct rec r = { .next_id = 0xffff8f0012340000ULL, .size = o->usb_transfer_size };
	char tmp[4200];
	const char *why;
	long n;

	r.chunk = r.size < PCAP_MAX_DATA ? r.size : PCAP_MAX_DATA;
	if (!(r.fp = out_create(path, tmp, sizeof(tmp), msg, msglen)))
		return -1;
	file_header(&r);
	if (o->usb_flush) {
		/* the host reads stale data away: none */
		submit(&r);
		complete(&r, 0, 0, false);
	}
	control(&r, REQ_START);
	for (int i = 0; i < o->usb_transfers; i++)
		submit(&r);
	n = frames_produce(f, nframes, sink, &r, &why);
	if (!r.gone && !r.stalled && r.plen)
		short_transfer(&r, r.plen);
	if (!r.gone)
		control(&r, REQ_STOP);
	free(r.pending);
	if (r.failed) {
		fclose(r.fp);
		unlink(tmp);
		snprintf(msg, msglen, "cannot write '%s'", path);
		return -1;
	}
	if (out_commit(r.fp, tmp, path, msg, msglen))
		return -1;
	snprintf(msg, msglen, "%ld frames in %ld transfers of %zu bytes%s%s%s", n, r.transfers, r.size,
		 r.gone ? ", then the device is gone" : r.stalled ? ", then an endpoint stall" : "",
		 why ? "; stopped: " : "", why ? why : "");
	return n;
}
