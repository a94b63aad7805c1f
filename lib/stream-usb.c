/* The C-RED's USB imaging interface through libusb: find the device,
 * claim the interface, flush stale data, start the flow with a vendor
 * request and keep a ring of asynchronous bulk transfers in flight.
 * Completed transfers are handed out in order, in place (no copy), and go
 * back in flight when the caller asks for the next one. */
#include "cancel-impl.h"
#include "clock-impl.h"
#include "stream-impl.h"
#include "transport-impl.h"

#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ENDPOINT 0x81
#define DEFAULT_REQUEST_TYPE 0x40 /* vendor, host to device */
#define DEFAULT_START 1
#define DEFAULT_STOP 2
#define DEFAULT_TRANSFERS 16
#define DEFAULT_TRANSFER_SIZE (512u << 10)
#define DEFAULT_FLUSH_MS 50
#define FLUSH_LIMIT_MS 1000   /* a camera that never goes quiet is not flushed forever */
#define CONTROL_TIMEOUT_MS 1000
#define STOP_WAIT_MS 2000

enum xfer_state { XFER_IDLE, XFER_FLYING, XFER_DONE };

struct usb_stream {
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface, ep, request_type, start_request, stop_request, flush_ms;
	int n;                     /* transfers */
	size_t size;               /* bytes per transfer */
	struct libusb_transfer **x;
	enum xfer_state *state;
	int *fifo, head, queued;   /* completed transfers, in completion order */
	int flying;
	int held;                  /* the transfer whose data the caller has, or -1 */
	int gone;                  /* the device went away */
	int streaming;
	int reattach;              /* a kernel driver was detached from the interface */
};

static int usb_fail(int r, const char *what, const char *name)
{
	switch (r) {
	case LIBUSB_ERROR_ACCESS:
		return cred_fail(CRED_ERR_IO, "cannot %s '%s': permission denied "
				 "(a udev rule must give access to the camera)", what, name);
	case LIBUSB_ERROR_BUSY:
		return cred_fail(CRED_ERR_BUSY, "cannot %s '%s': in use by another program", what, name);
	case LIBUSB_ERROR_NO_DEVICE:
		return cred_fail(CRED_ERR_IO, "cannot %s '%s': connection lost", what, name);
	case LIBUSB_ERROR_TIMEOUT:
		return cred_fail(CRED_ERR_TIMEOUT, "cannot %s '%s': no answer", what, name);
	case LIBUSB_ERROR_PIPE:
		return cred_fail(CRED_ERR_FAIL, "cannot %s '%s': the camera refused", what, name);
	default:
		return cred_fail(CRED_ERR_IO, "cannot %s '%s': %s", what, name, libusb_strerror(r));
	}
}

/* ---- finding the camera ------------------------------------------------------- */

static int parse_where(const char *where, int *bus, int *addr)
{
	char tail;

	*bus = *addr = -1;
	if (!where)
		return CRED_OK;
	if (sscanf(where, "%d.%d%c", bus, addr, &tail) != 2 || *bus < 0 || *addr < 0)
		return cred_fail(CRED_ERR_ARG, "bad USB source 'usb:%s' (usb:BUS.ADDR, e.g. usb:2.7)", where);
	return CRED_OK;
}

static int find_device(struct usb_stream *u, const char *where, int vid, int pid,
		       libusb_device **out)
{
	libusb_device **list;
	char found[256] = "";
	int bus, addr, matches = 0, err = parse_where(where, &bus, &addr);
	ssize_t n;

	*out = NULL;
	if (err)
		return err;
	n = libusb_get_device_list(u->ctx, &list);
	if (n < 0)
		return usb_fail((int)n, "list", "USB devices");
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		int b = libusb_get_bus_number(list[i]), a = libusb_get_device_address(list[i]);
		size_t len = strlen(found);

		if (libusb_get_device_descriptor(list[i], &d) < 0 || d.idVendor != vid ||
		    d.idProduct != pid || (bus >= 0 && (b != bus || a != addr)))
			continue;
		matches++;
		snprintf(found + len, sizeof(found) - len, " usb:%d.%d", b, a);
		if (!*out)
			*out = libusb_ref_device(list[i]);
	}
	libusb_free_device_list(list, 1);
	if (matches == 1)
		return CRED_OK;
	if (*out)
		libusb_unref_device(*out);
	*out = NULL;
	if (matches == 0 && where)
		return cred_fail(CRED_ERR_SUPP, "no C-RED (%04x:%04x) at usb:%s", vid, pid, where);
	if (matches == 0)
		return cred_fail(CRED_ERR_SUPP, "no C-RED (%04x:%04x) found on USB", vid, pid);
	return cred_fail(CRED_ERR_SUPP, "several C-RED cameras on USB, pick one:%s", found);
}

static void usb_close(struct cred_stream *s)
{
	struct usb_stream *u = s->priv;

	if (!u)
		return;
	for (int i = 0; u->x && i < u->n; i++)
		if (u->x[i]) {
			free(u->x[i]->buffer);
			libusb_free_transfer(u->x[i]);
		}
	free(u->x);
	free(u->state);
	free(u->fifo);
	if (u->h) {
		libusb_release_interface(u->h, u->iface);
		if (u->reattach)
			libusb_attach_kernel_driver(u->h, u->iface);
		libusb_close(u->h);
	}
	if (u->ctx)
		libusb_exit(u->ctx);
	free(u);
}

/* ---- the transfer ring ---------------------------------------------------------- */

static void LIBUSB_CALL on_done(struct libusb_transfer *t)
{
	struct usb_stream *u = t->user_data;
	int i = 0;

	while (i < u->n - 1 && u->x[i] != t)
		i++;
	u->flying--;
	u->state[i] = XFER_DONE;
	u->fifo[(u->head + u->queued++) % u->n] = i;
}

static int submit(struct usb_stream *u, int i)
{
	int r = libusb_submit_transfer(u->x[i]);

	if (r == LIBUSB_ERROR_NO_DEVICE)
		u->gone = 1;
	if (r < 0) {
		u->state[i] = XFER_IDLE;
		return r;
	}
	u->state[i] = XFER_FLYING;
	u->flying++;
	return 0;
}

static int alloc_ring(struct usb_stream *u)
{
	u->x = calloc((size_t)u->n, sizeof(*u->x));
	u->state = calloc((size_t)u->n, sizeof(*u->state));
	u->fifo = calloc((size_t)u->n, sizeof(*u->fifo));
	if (!u->x || !u->state || !u->fifo)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	for (int i = 0; i < u->n; i++) {
		unsigned char *buf = malloc(u->size);

		u->x[i] = libusb_alloc_transfer(0);
		if (!buf || !u->x[i]) {
			free(buf);
			return cred_fail(CRED_ERR_MEM, "out of memory for %d transfers of %zu bytes",
					 u->n, u->size);
		}
		libusb_fill_bulk_transfer(u->x[i], u->h, (unsigned char)u->ep, buf, (int)u->size,
					  on_done, u, 0);
	}
	return CRED_OK;
}

/* Read and drop what the camera had queued before we came, until the
 * line has been quiet for flush_ms (at most FLUSH_LIMIT_MS). */
static int flush_stale(struct usb_stream *u, const char *name)
{
	long long limit = cred_deadline(FLUSH_LIMIT_MS);
	int got, r;

	do {
		r = libusb_bulk_transfer(u->h, (unsigned char)u->ep, u->x[0]->buffer, (int)u->size,
					 &got, (unsigned)u->flush_ms);
		if (r == LIBUSB_ERROR_TIMEOUT || (r == 0 && got == 0))
			return CRED_OK;
		if (r < 0 && r != LIBUSB_ERROR_OVERFLOW)
			return usb_fail(r, "flush", name);
	} while (cred_ms_left(limit, 0) > 0);
	cred_debug("%s: still sending after %d ms of flushing", name, FLUSH_LIMIT_MS);
	return CRED_OK;
}

static int control(struct usb_stream *u, int request, const char *what, const char *name)
{
	int r = libusb_control_transfer(u->h, (uint8_t)u->request_type, (uint8_t)request, 0,
					(uint16_t)u->iface, NULL, 0, CONTROL_TIMEOUT_MS);

	return r < 0 ? usb_fail(r, what, name) : CRED_OK;
}

static int usb_start(struct cred_stream *s)
{
	struct usb_stream *u = s->priv;
	int err, r = 0;

	err = u->flush_ms > 0 ? flush_stale(u, s->name) : CRED_OK;
	if (!err)
		err = control(u, u->start_request, "start streaming on", s->name);
	if (err)
		return err;
	u->streaming = 1;
	u->head = u->queued = 0;
	u->held = -1;
	for (int i = 0; i < u->n && r == 0; i++) {
		r = submit(u, i);
		/* usbfs limits the memory in flight (usbfs_memory_mb): go on
		 * with what was accepted. */
		if (r < 0 && u->flying > 0)
			cred_debug("%s: %d of %d transfers queued (%s)", s->name, u->flying, u->n,
				   libusb_strerror(r));
	}
	if (u->flying == 0)
		return usb_fail(r, "queue transfers on", s->name);
	return CRED_OK;
}

/* ---- reading ------------------------------------------------------------------------ */

/* The next completed transfer with data: 1 (index in *i), 0 none yet, or an error. */
static int pop_done(struct cred_stream *s, int *i)
{
	struct usb_stream *u = s->priv;

	while (u->queued > 0) {
		struct libusb_transfer *t;

		*i = u->fifo[u->head];
		u->head = (u->head + 1) % u->n;
		u->queued--;
		u->state[*i] = XFER_IDLE;
		t = u->x[*i];
		switch (t->status) {
		case LIBUSB_TRANSFER_COMPLETED:
			if (t->actual_length > 0)
				return 1;
			if (u->streaming)
				submit(u, *i);
			break;
		case LIBUSB_TRANSFER_CANCELLED:
			break;
		case LIBUSB_TRANSFER_NO_DEVICE:
			u->gone = 1;
			return cred_fail(CRED_ERR_IO, "'%s': connection lost", s->name);
		case LIBUSB_TRANSFER_STALL:
			libusb_clear_halt(u->h, (unsigned char)u->ep);
			return cred_fail(CRED_ERR_IO, "'%s': the endpoint stalled", s->name);
		default:
			return cred_fail(CRED_ERR_IO, "'%s': USB transfer failed (status %d)", s->name,
					 (int)t->status);
		}
	}
	return 0;
}

static int usb_read(struct cred_stream *s, const void **data, int timeout_ms)
{
	struct usb_stream *u = s->priv;
	long long deadline;
	int i, r;

	if (u->held >= 0) {
		/* The caller is done with the last chunk: back in flight. */
		if (u->streaming)
			submit(u, u->held);
		u->held = -1;
	}
	deadline = cred_deadline(timeout_ms);
	for (;;) {
		struct timeval tv = { 0, CRED_CANCEL_SLICE_MS * 1000 };
		int left = cred_ms_left(deadline, timeout_ms);

		r = pop_done(s, &i);
		if (r < 0)
			return r;
		if (r == 1) {
			u->held = i;
			*data = u->x[i]->buffer;
			return u->x[i]->actual_length;
		}
		if (u->gone || u->flying == 0)
			return cred_fail(CRED_ERR_IO, "'%s': connection lost", s->name);
		if (timeout_ms >= 0 && left <= 0)
			return cred_fail(CRED_ERR_TIMEOUT, "nothing from '%s'", s->name);
		if (cred_cancel_requested())
			return cred_fail_cancelled("reading '%s'", s->name);
		if (timeout_ms >= 0 && left < CRED_CANCEL_SLICE_MS)
			tv.tv_usec = left * 1000;
		r = libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
		if (r == LIBUSB_ERROR_INTERRUPTED)
			return cred_fail(CRED_ERR_TIMEOUT, "interrupted");
		if (r < 0)
			return usb_fail(r, "read", s->name);
	}
}

static int usb_stop(struct cred_stream *s)
{
	struct usb_stream *u = s->priv;
	long long deadline;
	int err = CRED_OK;

	u->streaming = 0;
	if (!u->gone)
		err = control(u, u->stop_request, "stop streaming on", s->name);
	for (int i = 0; i < u->n; i++)
		if (u->state[i] == XFER_FLYING)
			libusb_cancel_transfer(u->x[i]);
	deadline = cred_deadline(STOP_WAIT_MS);
	while (u->flying > 0 && cred_ms_left(deadline, 0) > 0) {
		struct timeval tv = { 0, 100000 };

		libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
	}
	u->held = -1;
	u->head = u->queued = 0;
	return u->gone ? CRED_OK : err;
}

static const struct stream_ops usb_ops = {
	.start = usb_start,
	.read = usb_read,
	.stop = usb_stop,
	.close = usb_close,
};

static void set_options(struct usb_stream *u, const struct cred_stream_options *o)
{
	u->iface = o->usb_interface >= 0 ? o->usb_interface : 0;
	u->ep = o->usb_endpoint > 0 ? o->usb_endpoint : DEFAULT_ENDPOINT;
	u->request_type = o->usb_request_type >= 0 ? o->usb_request_type : DEFAULT_REQUEST_TYPE;
	u->start_request = o->usb_start_request >= 0 ? o->usb_start_request : DEFAULT_START;
	u->stop_request = o->usb_stop_request >= 0 ? o->usb_stop_request : DEFAULT_STOP;
	u->n = o->transfers > 0 ? o->transfers : DEFAULT_TRANSFERS;
	u->size = o->transfer_size > 0 ? o->transfer_size : DEFAULT_TRANSFER_SIZE;
	u->flush_ms = o->flush_ms >= 0 ? o->flush_ms : DEFAULT_FLUSH_MS;
	u->held = -1;
}

static int check_options(const struct cred_stream_options *o)
{
	if (o->transfers < 0 || o->transfers > 1024)
		return cred_fail(CRED_ERR_ARG, "transfers must be within 1-1024");
	/* whole USB 3 packets, or the last one of a transfer could overflow */
	if (o->transfer_size > (256u << 20) || (o->transfer_size && o->transfer_size % 1024))
		return cred_fail(CRED_ERR_ARG, "transfer size must be a multiple of 1024 up to 256 MiB");
	if (o->usb_endpoint && !(o->usb_endpoint & 0x80))
		return cred_fail(CRED_ERR_ARG, "endpoint 0x%02x is not an IN endpoint", o->usb_endpoint);
	return CRED_OK;
}

/* Open the device and claim the imaging interface. */
static int claim(struct usb_stream *u, libusb_device *dev, const char *name)
{
	int r = libusb_open(dev, &u->h);

	if (r < 0) {
		u->h = NULL;
		return usb_fail(r, "open", name);
	}
	/* A vendor interface normally has no kernel driver; take it over
	 * (and give it back at the end) if one is bound. */
	if (libusb_kernel_driver_active(u->h, u->iface) == 1 &&
	    libusb_detach_kernel_driver(u->h, u->iface) == 0)
		u->reattach = 1;
	r = libusb_claim_interface(u->h, u->iface);
	if (r < 0) {
		libusb_close(u->h);
		u->h = NULL;
		return usb_fail(r, "claim the imaging interface of", name);
	}
	return CRED_OK;
}

int cred_stream_usb_open(struct cred_stream *s, const char *where, const struct cred_stream_options *o)
{
	struct usb_stream *u;
	libusb_device *dev = NULL;
	int vid, pid, err = check_options(o), r;

	if (err)
		return err;
	cred_usb_ids(&vid, &pid);
	if (o->usb_vid > 0)
		vid = o->usb_vid;
	if (o->usb_pid > 0)
		pid = o->usb_pid;
	u = calloc(1, sizeof(*u));
	if (!u)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	s->ops = &usb_ops;
	s->live = 1;
	s->priv = u;
	set_options(u, o);
	r = libusb_init(&u->ctx);
	if (r < 0) {
		u->ctx = NULL;
		err = usb_fail(r, "start", "libusb");
	}
	if (!err)
		err = find_device(u, where, vid, pid, &dev);
	if (!err && asprintf(&s->name, "usb:%d.%d", libusb_get_bus_number(dev),
			     libusb_get_device_address(dev)) < 0) {
		s->name = NULL;
		err = cred_fail(CRED_ERR_MEM, "out of memory");
	}
	if (!err)
		err = claim(u, dev, s->name);
	if (dev)
		libusb_unref_device(dev);
	if (!err)
		err = alloc_ring(u);
	if (err) {
		usb_close(s);
		s->priv = NULL;
	}
	return err;
}
