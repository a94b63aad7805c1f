/* gentl:PRODUCER.cti[#INTERFACE[/DEVICE]]: frames from a GenICam GenTL
 * producer, the C interface every Camera Link grabber vendor (Euresys,
 * Basler, Matrox ...) ships. As a consumer: open system, interface,
 * device and data stream; announce a ring of our own buffers and queue
 * them; register for new-buffer events; start; each event hands a filled
 * buffer on in place (no copy), and it is queued again at the next read,
 * once the frame has been written. Incomplete buffers and the producer's
 * underrun counter go into the drop accounting. */
#include "gentl-impl.h"
#include "grabber-impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEVICE_ACCESS_CONTROL 3
#define ID_SIZE 512
#define ALIGN 4096

struct gentl_stream {
	struct gentl g;
	IF_HANDLE iface;
	DEV_HANDLE dev;
	DS_HANDLE ds;
	EVENT_HANDLE ev;
	int nbuf, announced;
	void **mem;
	BUFFER_HANDLE *bh;
	size_t bufsize;
	BUFFER_HANDLE held;    /* handed out last: queued again at the next read */
	uint64_t underrun;     /* the producer's lost-frame counter at the last look */
};

/* "x.cti#IF/DEV": the producer and the selection after it (or NULL). */
static int split_spec(const char *where, char **producer, char **iface, char **dev)
{
	const char *hash = strstr(where, ".cti#");
	char *slash;

	hash = hash ? hash + 4 : strchr(where, '#');
	*producer = hash ? strndup(where, (size_t)(hash - where)) : strdup(where);
	*iface = hash && hash[1] ? strdup(hash + 1) : NULL;
	*dev = NULL;
	if (*iface && (slash = strchr(*iface, '/'))) {
		*slash = '\0';
		*dev = slash[1] ? strdup(slash + 1) : NULL;
	}
	if (!*producer)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	if (!**producer)
		return cred_fail(CRED_ERR_ARG, "gentl: needs a producer: gentl:PRODUCER.cti[#INTERFACE[/DEVICE]]");
	return CRED_OK;
}

/* sel, an index or an ID, names entry i? */
static int selects(const char *sel, uint32_t i, const char *id)
{
	char *end;
	unsigned long n;

	if (!sel)
		return 1;
	n = strtoul(sel, &end, 10);
	if (*sel && !*end)
		return n == i;
	return strcmp(sel, id) == 0;
}

static int open_device_in(struct gentl_stream *t, const char *devsel, int *found)
{
	struct gentl *g = &t->g;
	char id[ID_SIZE];
	uint32_t n = 0;
	GC_ERROR e;

	*found = 0;
	if ((e = g->IFUpdateDeviceList(t->iface, NULL, 1000)) != GC_ERR_SUCCESS)
		return cred_gentl_fail(g, "IFUpdateDeviceList", e);
	if ((e = g->IFGetNumDevices(t->iface, &n)) != GC_ERR_SUCCESS)
		return cred_gentl_fail(g, "IFGetNumDevices", e);
	for (uint32_t i = 0; i < n; i++) {
		if (cred_gentl_id(g->IFGetDeviceID, t->iface, i, id, sizeof(id)) ||
		    !selects(devsel, i, id))
			continue;
		*found = 1;
		if ((e = g->IFOpenDevice(t->iface, id, DEVICE_ACCESS_CONTROL, &t->dev)) != GC_ERR_SUCCESS)
			return cred_gentl_fail(g, "IFOpenDevice", e);
		return CRED_OK;
	}
	return CRED_OK;
}

/* The first interface (or the one selected) with the device asked for. */
static int open_device(struct gentl_stream *t, const char *ifsel, const char *devsel)
{
	struct gentl *g = &t->g;
	char id[ID_SIZE];
	uint32_t n = 0;
	GC_ERROR e;
	int err, found = 0;

	if ((e = g->TLUpdateInterfaceList(g->tl, NULL, 1000)) != GC_ERR_SUCCESS)
		return cred_gentl_fail(g, "TLUpdateInterfaceList", e);
	if ((e = g->TLGetNumInterfaces(g->tl, &n)) != GC_ERR_SUCCESS)
		return cred_gentl_fail(g, "TLGetNumInterfaces", e);
	for (uint32_t i = 0; i < n && !t->dev; i++) {
		if (cred_gentl_id(g->TLGetInterfaceID, g->tl, i, id, sizeof(id)) ||
		    !selects(ifsel, i, id))
			continue;
		if ((e = g->TLOpenInterface(g->tl, id, &t->iface)) != GC_ERR_SUCCESS)
			return cred_gentl_fail(g, "TLOpenInterface", e);
		err = open_device_in(t, devsel, &found);
		if (err)
			return err;
		if (!t->dev) {
			g->IFClose(t->iface);
			t->iface = NULL;
		}
	}
	if (!t->dev)
		return cred_fail(CRED_ERR_IO, "GenTL producer '%s' has no %s%s%s%s%s (%u interface%s; "
				 "credgrab --list-sources shows what it has)", g->path,
				 devsel ? "device '" : "device", devsel ? devsel : "", devsel ? "'" : "",
				 ifsel ? " on interface " : "", ifsel ? ifsel : "", n, n == 1 ? "" : "s");
	return CRED_OK;
}

static int open_stream(struct gentl_stream *t)
{
	struct gentl *g = &t->g;
	char id[ID_SIZE];
	uint32_t n = 0;
	GC_ERROR e;

	if ((e = g->DevGetNumDataStreams(t->dev, &n)) != GC_ERR_SUCCESS)
		return cred_gentl_fail(g, "DevGetNumDataStreams", e);
	if (n == 0)
		return cred_fail(CRED_ERR_IO, "GenTL producer '%s': the device has no data stream", g->path);
	if ((e = cred_gentl_id(g->DevGetDataStreamID, t->dev, 0, id, sizeof(id))) != GC_ERR_SUCCESS)
		return cred_gentl_fail(g, "DevGetDataStreamID", e);
	if ((e = g->DevOpenDataStream(t->dev, id, &t->ds)) != GC_ERR_SUCCESS)
		return cred_gentl_fail(g, "DevOpenDataStream", e);
	return CRED_OK;
}

static uint64_t underrun(struct gentl_stream *t)
{
	INFO_DATATYPE type;
	uint64_t v = 0;
	size_t size = sizeof(v);

	if (!t->g.DSGetInfo ||
	    t->g.DSGetInfo(t->ds, STREAM_INFO_NUM_UNDERRUN, &type, &v, &size) != GC_ERR_SUCCESS)
		return t->underrun;
	return v;
}

/* The payload size must be the camera's frame size. */
static int buffer_size(struct gentl_stream *t, const char *name, const struct cred_frame_format *fmt)
{
	INFO_DATATYPE type;
	size_t payload = 0, size = sizeof(payload);

	if (t->g.DSGetInfo &&
	    t->g.DSGetInfo(t->ds, STREAM_INFO_PAYLOAD_SIZE, &type, &payload, &size) != GC_ERR_SUCCESS)
		payload = 0;
	if (!fmt && !payload)
		return cred_fail(CRED_ERR_ARG, "'%s' does not say its frame size: give the geometry", name);
	if (fmt && payload && payload != cred_frame_format_size(fmt))
		return cred_fail(CRED_ERR_DATA, "'%s' delivers %zu-byte frames but the camera sends "
				 "%dx%d frames of 16-bit pixels (%zu bytes): set the grabber's width, "
				 "height and pixel format in the producer's configuration", name, payload,
				 fmt->width, fmt->height, cred_frame_format_size(fmt));
	t->bufsize = fmt ? cred_frame_format_size(fmt) : payload;
	return CRED_OK;
}

static int announce(struct gentl_stream *t)
{
	GC_ERROR e;

	t->mem = calloc((size_t)t->nbuf, sizeof(*t->mem));
	t->bh = calloc((size_t)t->nbuf, sizeof(*t->bh));
	if (!t->mem || !t->bh)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	for (int i = 0; i < t->nbuf; i++) {
		if (posix_memalign(&t->mem[i], ALIGN, t->bufsize))
			return cred_fail(CRED_ERR_MEM, "out of memory for %d frame buffers", t->nbuf);
		if ((e = t->g.DSAnnounceBuffer(t->ds, t->mem[i], t->bufsize, NULL, &t->bh[i])) !=
		    GC_ERR_SUCCESS)
			return cred_gentl_fail(&t->g, "DSAnnounceBuffer", e);
		t->announced = i + 1;
	}
	if ((e = t->g.GCRegisterEvent(t->ds, EVENT_NEW_BUFFER, &t->ev)) != GC_ERR_SUCCESS)
		return cred_gentl_fail(&t->g, "GCRegisterEvent", e);
	return CRED_OK;
}

static int gentl_start(struct cred_stream *s)
{
	struct gentl_stream *t = s->priv;
	GC_ERROR e;

	for (int i = 0; i < t->announced; i++)
		if ((e = t->g.DSQueueBuffer(t->ds, t->bh[i])) != GC_ERR_SUCCESS)
			return cred_gentl_fail(&t->g, "DSQueueBuffer", e);
	t->underrun = underrun(t);
	if ((e = t->g.DSStartAcquisition(t->ds, ACQ_START_FLAGS_DEFAULT, GENTL_INFINITE)) !=
	    GC_ERR_SUCCESS)
		return cred_gentl_fail(&t->g, "DSStartAcquisition", e);
	return CRED_OK;
}

static int buffer_info(struct gentl_stream *t, BUFFER_HANDLE b, BUFFER_INFO_CMD cmd, void *v,
		       size_t size)
{
	INFO_DATATYPE type;
	GC_ERROR e = t->g.DSGetBufferInfo(t->ds, b, cmd, &type, v, &size);

	return e == GC_ERR_SUCCESS ? CRED_OK : cred_gentl_fail(&t->g, "DSGetBufferInfo", e);
}

static int gentl_read(struct cred_stream *s, const void **data, int timeout_ms)
{
	struct gentl_stream *t = s->priv;
	struct gentl_new_buffer nb;
	size_t size = sizeof(nb), filled = 0;
	bool8_t incomplete = 0;
	void *base = NULL;
	uint64_t lost;
	GC_ERROR e;
	int err;

	if (t->held) {
		e = t->g.DSQueueBuffer(t->ds, t->held);
		t->held = NULL;
		if (e != GC_ERR_SUCCESS)
			return cred_gentl_fail(&t->g, "DSQueueBuffer", e);
	}
	e = t->g.EventGetData(t->ev, &nb, &size, timeout_ms < 0 ? GENTL_INFINITE : (uint64_t)timeout_ms);
	if (e == GC_ERR_TIMEOUT || e == GC_ERR_ABORT)
		return cred_fail(CRED_ERR_TIMEOUT, "nothing from '%s'", s->name);
	if (e != GC_ERR_SUCCESS)
		return cred_gentl_fail(&t->g, "EventGetData", e);
	t->held = nb.buffer;
	err = buffer_info(t, nb.buffer, BUFFER_INFO_BASE, &base, sizeof(base));
	if (!err)
		err = buffer_info(t, nb.buffer, BUFFER_INFO_SIZE_FILLED, &filled, sizeof(filled));
	if (!err)
		err = buffer_info(t, nb.buffer, BUFFER_INFO_IS_INCOMPLETE, &incomplete,
				  sizeof(incomplete));
	if (err)
		return err;
	lost = underrun(t);
	s->info.lost = lost - t->underrun;
	t->underrun = lost;
	s->info.incomplete = incomplete || !base;
	*data = base ? base : t->mem[0];
	if (filled == 0 || filled > t->bufsize) {
		/* Still a buffer to count: a chunk is never 0 bytes (that would be
		 * the end of the stream). */
		s->info.incomplete = 1;
		filled = 1;
	}
	return (int)filled;
}

static int gentl_stop(struct cred_stream *s)
{
	struct gentl_stream *t = s->priv;
	GC_ERROR e = t->g.DSStopAcquisition(t->ds, ACQ_STOP_FLAGS_KILL);

	t->g.DSFlushQueue(t->ds, ACQ_QUEUE_ALL_DISCARD);
	t->held = NULL;
	return e == GC_ERR_SUCCESS ? CRED_OK : cred_gentl_fail(&t->g, "DSStopAcquisition", e);
}

static void gentl_close(struct cred_stream *s)
{
	struct gentl_stream *t = s->priv;

	if (!t)
		return;
	if (t->ev)
		t->g.GCUnregisterEvent(t->ds, EVENT_NEW_BUFFER);
	for (int i = 0; i < t->announced; i++)
		t->g.DSRevokeBuffer(t->ds, t->bh[i], NULL, NULL);
	for (int i = 0; t->mem && i < t->nbuf; i++)
		free(t->mem[i]);
	free(t->mem);
	free(t->bh);
	if (t->ds)
		t->g.DSClose(t->ds);
	if (t->dev)
		t->g.DevClose(t->dev);
	if (t->iface)
		t->g.IFClose(t->iface);
	if (t->g.dl)
		cred_gentl_unload(&t->g);
	free(t);
	s->priv = NULL;
}

static const struct stream_ops gentl_ops = {
	.start = gentl_start,
	.read = gentl_read,
	.stop = gentl_stop,
	.close = gentl_close,
};

static int open_all(struct cred_stream *s, struct gentl_stream *t, const char *where,
		    const struct cred_stream_options *o)
{
	char *producer = NULL, *ifsel = NULL, *devsel = NULL;
	int err = split_spec(where, &producer, &ifsel, &devsel);

	if (!err)
		err = cred_gentl_load(&t->g, producer);
	if (!err)
		err = open_device(t, ifsel, devsel);
	if (!err)
		err = open_stream(t);
	if (!err)
		err = buffer_size(t, s->name, o->format);
	if (!err)
		err = announce(t);
	free(producer);
	free(ifsel);
	free(devsel);
	return err;
}

int cred_stream_gentl_open(struct cred_stream *s, const char *where, const struct cred_stream_options *o)
{
	struct gentl_stream *t = calloc(1, sizeof(*t));
	int err;

	if (!t || asprintf(&s->name, "gentl:%s", where) < 0) {
		free(t);
		s->name = NULL;
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	t->nbuf = cred_grabber_buffers(o);
	s->ops = &gentl_ops;
	s->priv = t;
	s->whole_frames = 1;
	s->live = 1; /* a grabber fills its ring at the camera's rate, reader or not */
	err = open_all(s, t, where, o);
	if (err) {
		/* keep the message: closing calls into the producer */
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", cred_last_error());
		gentl_close(s);
		cred_fail(err, "%s", msg);
	}
	return err;
}
