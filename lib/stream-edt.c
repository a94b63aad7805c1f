/* edt[:UNIT[:CHANNEL]]: frames from an EDT frame grabber (VisionLink,
 * PCIe DV C-Link) through EDT's libpdv, loaded at run time. The grabber
 * must be configured for the camera first (EDT's initcam with the
 * camera's configuration file): its width, height and depth are checked
 * against the camera's geometry.
 *
 * The classic libpdv ring: pdv_multibuf allocates the buffers,
 * pdv_start_images starts all but none is read yet; each read waits for
 * the next image (pdv_wait_image_timed) and hands it on in place; at the
 * next read one more image is started, into the buffer just handed out.
 * A timeout (pdv_timeouts counts it) ends a wait with no image: the DMA
 * is restarted (pdv_timeout_restart) and the source is idle. An overrun
 * (pdv_overrun) marks the image incomplete. */
#include "grabber-impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDT_DEVICE "pdv"
#define LIST_UNITS 8     /* units and channels --list-sources tries */
#define LIST_CHANNELS 4
#define MIN_WAIT_MS 1000 /* EDT restarts its DMA after a timeout: never wait less */

typedef struct pdv_dev PdvDev; /* EDT's opaque device (EdtDev) */

struct pdv_api {
	PdvDev *(*open_channel)(const char *dev, int unit, int channel);
	int (*close)(PdvDev *p);
	int (*get_width)(PdvDev *p);
	int (*get_height)(PdvDev *p);
	int (*get_depth)(PdvDev *p);
	int (*multibuf)(PdvDev *p, int numbufs);
	void (*start_images)(PdvDev *p, int count);
	unsigned char *(*wait_image_timed)(PdvDev *p, unsigned int *timep);
	int (*set_timeout)(PdvDev *p, int ms);
	int (*timeouts)(PdvDev *p);
	int (*timeout_restart)(PdvDev *p, int restart);
	int (*overrun)(PdvDev *p);
	char *(*get_camera_class)(PdvDev *p);   /* optional */
	char *(*get_camera_model)(PdvDev *p);   /* optional */
};

struct edt_stream {
	void *dl;
	struct pdv_api api;
	PdvDev *pdv;
	int unit, channel, nbuf;
	size_t fsize;
	int held;           /* an image was handed out: start one more at the next read */
	int timeouts;       /* pdv_timeouts at the last look */
	int wait_ms;        /* the timeout set in the driver */
};

static const char *const pdv_names[] = {
	"libpdv.so", "/opt/EDTpdv/libpdv.so", "/opt/EDTpdv/lib/libpdv.so", NULL,
};

#define SYM(field, name, required) { #name, offsetof(struct pdv_api, field), required }

static const struct { const char *name; size_t off; int required; } pdv_syms[] = {
	SYM(open_channel, pdv_open_channel, 1), SYM(close, pdv_close, 1),
	SYM(get_width, pdv_get_width, 1), SYM(get_height, pdv_get_height, 1),
	SYM(get_depth, pdv_get_depth, 1), SYM(multibuf, pdv_multibuf, 1),
	SYM(start_images, pdv_start_images, 1), SYM(wait_image_timed, pdv_wait_image_timed, 1),
	SYM(set_timeout, pdv_set_timeout, 1), SYM(timeouts, pdv_timeouts, 1),
	SYM(timeout_restart, pdv_timeout_restart, 1), SYM(overrun, pdv_overrun, 1),
	SYM(get_camera_class, pdv_get_camera_class, 0),
	SYM(get_camera_model, pdv_get_camera_model, 0),
};

/* Load libpdv and look its functions up; NULL with a message. */
static void *edt_load(struct pdv_api *api)
{
	void *dl = cred_grabber_dlopen("EDT's libpdv", "CRED_EDT_LIB", pdv_names);

	for (size_t i = 0; dl && i < sizeof(pdv_syms) / sizeof(pdv_syms[0]); i++) {
		void *f = cred_grabber_sym(dl, pdv_syms[i].name);

		if (!f && pdv_syms[i].required) {
			cred_fail(CRED_ERR_SUPP, "EDT's libpdv lacks %s: too old an EDT package",
				  pdv_syms[i].name);
			cred_grabber_dlclose(dl);
			return NULL;
		}
		memcpy((char *)api + pdv_syms[i].off, &f, sizeof(f));
	}
	return dl;
}

static int parse_where(const char *where, int *unit, int *channel)
{
	char tail;

	*unit = *channel = 0;
	if (!where || !*where)
		return CRED_OK;
	if ((sscanf(where, "%d%c", unit, &tail) == 1 ||
	     (sscanf(where, "%d:%d%c", unit, channel, &tail) == 2 && strchr(where, ':'))) &&
	    *unit >= 0 && *unit < 64 && *channel >= 0 && *channel < 64)
		return CRED_OK;
	return cred_fail(CRED_ERR_ARG, "bad EDT source 'edt:%s': expected edt:UNIT[:CHANNEL] "
			 "(numbers, e.g. edt:0:1)", where);
}

static int edt_start(struct cred_stream *s)
{
	struct edt_stream *e = s->priv;

	e->timeouts = e->api.timeouts(e->pdv);
	e->api.start_images(e->pdv, e->nbuf);
	e->held = 0;
	return CRED_OK;
}

static int edt_read(struct cred_stream *s, const void **data, int timeout_ms)
{
	struct edt_stream *e = s->priv;
	int wait = timeout_ms < 0 ? 0 : timeout_ms < MIN_WAIT_MS ? MIN_WAIT_MS : timeout_ms;
	unsigned int ts[2];
	unsigned char *img;
	int t;

	if (e->held) {
		e->api.start_images(e->pdv, 1);
		e->held = 0;
	}
	if (wait != e->wait_ms) {
		e->api.set_timeout(e->pdv, wait);
		e->wait_ms = wait;
	}
	img = e->api.wait_image_timed(e->pdv, ts);
	/* the wait used up one started image, whatever came of it */
	e->held = 1;
	if (!img)
		return cred_fail(CRED_ERR_IO, "'%s' stopped delivering images (the unit is gone or "
				 "its driver failed)", s->name);
	t = e->api.timeouts(e->pdv);
	if (t != e->timeouts) {
		e->timeouts = t;
		e->api.timeout_restart(e->pdv, 1);
		return cred_fail(CRED_ERR_TIMEOUT, "nothing from '%s'", s->name);
	}
	s->info.incomplete = e->api.overrun(e->pdv) != 0;
	*data = img;
	return (int)e->fsize;
}

static int edt_stop(struct cred_stream *s)
{
	struct edt_stream *e = s->priv;

	/* Started images are abandoned: pdv_close stops the DMA. */
	e->held = 0;
	return CRED_OK;
}

static void edt_close(struct cred_stream *s)
{
	struct edt_stream *e = s->priv;

	if (!e)
		return;
	if (e->pdv)
		e->api.close(e->pdv);
	if (e->dl)
		cred_grabber_dlclose(e->dl);
	free(e);
	s->priv = NULL;
}

static const struct stream_ops edt_ops = {
	.start = edt_start,
	.read = edt_read,
	.stop = edt_stop,
	.close = edt_close,
};

static int open_unit(struct cred_stream *s, struct edt_stream *e, const struct cred_stream_options *o)
{
	int w, h, d, err;
	char fix[200];

	e->pdv = e->api.open_channel(EDT_DEVICE, e->unit, e->channel);
	if (!e->pdv)
		return cred_fail(CRED_ERR_IO, "cannot open EDT unit %d channel %d (%s%d_%d): no such "
				 "unit or channel, or its driver is not loaded (credgrab --list-sources "
				 "shows the units)", e->unit, e->channel, EDT_DEVICE, e->unit, e->channel);
	w = e->api.get_width(e->pdv);
	h = e->api.get_height(e->pdv);
	d = e->api.get_depth(e->pdv);
	snprintf(fix, sizeof(fix), "configure the grabber for the camera with EDT's initcam "
		 "(initcam -u %d -c %d -f CONFIG) or change the camera's cropping", e->unit, e->channel);
	err = cred_grabber_check_geometry(s->name, w, h, d, o->format, fix);
	if (err)
		return err;
	if (w <= 0 || h <= 0 || d != 16)
		return cred_fail(CRED_ERR_DATA, "'%s' is configured for %dx%d frames of %d-bit pixels: "
				 "%s", s->name, w, h, d, fix);
	e->fsize = (size_t)w * (size_t)h * 2;
	if (e->api.multibuf(e->pdv, e->nbuf) != 0)
		return cred_fail(CRED_ERR_MEM, "'%s': cannot allocate %d image buffers (pdv_multibuf)",
				 s->name, e->nbuf);
	return CRED_OK;
}

int cred_stream_edt_open(struct cred_stream *s, const char *where, const struct cred_stream_options *o)
{
	struct edt_stream *e = calloc(1, sizeof(*e));
	int err;

	if (!e)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	s->ops = &edt_ops;
	s->priv = e;
	s->whole_frames = 1;
	s->live = 1; /* a grabber fills its ring at the camera's rate, reader or not */
	e->nbuf = cred_grabber_buffers(o);
	e->wait_ms = -1;
	err = parse_where(where, &e->unit, &e->channel);
	if (!err && asprintf(&s->name, "edt:%d:%d", e->unit, e->channel) < 0) {
		s->name = NULL;
		err = cred_fail(CRED_ERR_MEM, "out of memory");
	}
	if (!err) {
		e->dl = edt_load(&e->api);
		if (!e->dl)
			err = CRED_ERR_SUPP;
	}
	if (!err)
		err = open_unit(s, e, o);
	if (err) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", cred_last_error());
		edt_close(s);
		cred_fail(err, "%s", msg);
	}
	return err;
}

/* ---- listing ------------------------------------------------------------------ */

static void list_channel(struct cred_source_list_builder *b, struct pdv_api *api, int unit,
			 int channel)
{
	PdvDev *p = api->open_channel(EDT_DEVICE, unit, channel);
	char spec[32], where[128];

	if (!p)
		return;
	snprintf(spec, sizeof(spec), "edt:%d:%d", unit, channel);
	snprintf(where, sizeof(where), "EDT unit %d channel %d, configured for %dx%d %d-bit", unit,
		 channel, api->get_width(p), api->get_height(p), api->get_depth(p));
	/* the camera's class and model come from the configuration initcam loaded */
	cred_source_add(b, "edt", spec, api->get_camera_class ? api->get_camera_class(p) : NULL,
			api->get_camera_model ? api->get_camera_model(p) : NULL, NULL, where);
	api->close(p);
}

void cred_edt_list(struct cred_source_list_builder *b)
{
	struct pdv_api api;
	void *dl = edt_load(&api);

	if (!dl) {
		cred_source_note(b, "EDT: %s", cred_last_error());
		return;
	}
	for (int u = 0; u < LIST_UNITS; u++)
		for (int c = 0; c < LIST_CHANNELS; c++)
			list_channel(b, &api, u, c);
	cred_grabber_dlclose(dl);
}
