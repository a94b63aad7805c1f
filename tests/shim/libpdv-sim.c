/* A stand-in for EDT's libpdv (the library of EDT's Camera Link frame
 * grabbers) whose grabbers serve the simulator's frame stream, so
 * credgrab's edt: source is tested without EDT hardware. It has the
 * subset of the PDV API the source uses, with EDT's names and signatures
 * (libpdv.h): pdv_open_channel, pdv_close, pdv_get_width/height/depth,
 * pdv_multibuf, pdv_start_images, pdv_wait_image_timed, pdv_set_timeout,
 * pdv_timeouts, pdv_timeout_restart, pdv_overrun, pdv_get_camera_class,
 * pdv_get_camera_model.
 *
 * Like the real thing: images go into a ring of pdv_multibuf buffers in
 * order; pdv_start_images starts DMA for that many images; a wait returns
 * the next buffer, after the timeout (pdv_set_timeout, 0: none) with
 * whatever is in it and pdv_timeouts one higher; a frame arriving when no
 * image is started is lost without a trace.
 *
 * Environment:
 *   CRED_SIM_FRAMES       the simulator's frame socket (credsim sets it),
 *                         connected at the first pdv_start_images
 *   CRED_PDV_SIM_UNITS    units (default 1), CRED_PDV_SIM_CHANNELS channels on
 *                         each (default 1)
 *   CRED_PDV_SIM_CONFIG   what initcam configured: WIDTHxHEIGHTxDEPTH (default
 *                         640x512x16)
 *   CRED_PDV_SIM_SCRAMBLE if set, the pixels of each tap pair change places
 *                         (swapped cables, the wrong tap order)
 *   CRED_PDV_SIM_FAULTS   comma-separated KIND[:ARG]@N, N counting the frames
 *                         read from the socket from 0:
 *     drop[:K]@N     K frames (1) from N are lost (no image, no counter)
 *     overrun@N      frame N comes with pdv_overrun() non-zero
 *     timeout@N      the wait for frame N times out (pdv_timeouts counts it),
 *                    after 50 ms whatever the timeout
 *     error@N        the wait for frame N fails: NULL, errno EIO */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "grabber-sim.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_FAULTS 32

typedef unsigned int u_int;

typedef struct pdv_dev {
	int unit, channel;
	int width, height, depth;
	size_t size;
	unsigned char **buf;
	int nbuf;
	long started;          /* images started, not yet waited for */
	unsigned long done;    /* images waited for */
	int fd;
	int timeout_ms;
	int timeouts;
	int overrun;           /* of the last image */
	unsigned long frames;  /* frames read from the socket */
} PdvDev;

struct fault { char kind[16]; long arg; unsigned long at; int fired; };
static struct fault faults[MAX_FAULTS];
static int nfaults = -1;

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v && *v ? atoi(v) : def;
}

static void parse_faults(void)
{
	const char *v = getenv("CRED_PDV_SIM_FAULTS");
	char *copy, *tok, *save = NULL;

	nfaults = 0;
	if (!v || !*v || !(copy = strdup(v)))
		return;
	for (tok = strtok_r(copy, ",", &save); tok && nfaults < MAX_FAULTS;
	     tok = strtok_r(NULL, ",", &save)) {
		struct fault *f = &faults[nfaults];
		char *at = strchr(tok, '@'), *colon = strchr(tok, ':');

		if (!at)
			continue;
		*at = '\0';
		f->at = strtoul(at + 1, NULL, 10);
		f->arg = colon && colon < at ? atol(colon + 1) : 0;
		if (colon && colon < at)
			*colon = '\0';
		snprintf(f->kind, sizeof(f->kind), "%s", tok);
		nfaults++;
	}
	free(copy);
}

/* The fault of kind at frame n, not fired yet (then fired), or NULL. */
static struct fault *fault_at(const char *kind, unsigned long n)
{
	if (nfaults < 0)
		parse_faults();
	for (int i = 0; i < nfaults; i++)
		if (faults[i].at == n && !faults[i].fired && strcmp(faults[i].kind, kind) == 0) {
			faults[i].fired = 1;
			return &faults[i];
		}
	return NULL;
}

EXPORT PdvDev *pdv_open_channel(const char *edt_devname, int unit, int channel)
{
	const char *cfg = getenv("CRED_PDV_SIM_CONFIG");
	PdvDev *p;

	if (!edt_devname || strcmp(edt_devname, "pdv") != 0 || unit < 0 || channel < 0 ||
	    unit >= env_int("CRED_PDV_SIM_UNITS", 1) || channel >= env_int("CRED_PDV_SIM_CHANNELS", 1)) {
		errno = ENOENT;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->unit = unit;
	p->channel = channel;
	p->fd = -1;
	p->width = 640;
	p->height = 512;
	p->depth = 16;
	if (cfg && *cfg && sscanf(cfg, "%dx%dx%d", &p->width, &p->height, &p->depth) != 3) {
		free(p);
		errno = EINVAL;
		return NULL;
	}
	p->size = (size_t)p->width * (size_t)p->height * (size_t)((p->depth + 7) / 8);
	return p;
}

EXPORT int pdv_close(PdvDev *pdv_p)
{
	if (!pdv_p)
		return -1;
	if (pdv_p->fd >= 0)
		close(pdv_p->fd);
	for (int i = 0; i < pdv_p->nbuf; i++)
		free(pdv_p->buf[i]);
	free(pdv_p->buf);
	free(pdv_p);
	return 0;
}

EXPORT int pdv_get_width(PdvDev *pdv_p) { return pdv_p->width; }
EXPORT int pdv_get_height(PdvDev *pdv_p) { return pdv_p->height; }
EXPORT int pdv_get_depth(PdvDev *pdv_p) { return pdv_p->depth; }
EXPORT char *pdv_get_camera_class(PdvDev *pdv_p) { return "First Light Imaging"; }
EXPORT char *pdv_get_camera_model(PdvDev *pdv_p) { return "C-RED (stand-in)"; }

EXPORT int pdv_multibuf(PdvDev *pdv_p, int numbufs)
{
	if (numbufs < 1 || pdv_p->buf)
		return -1;
	pdv_p->buf = calloc((size_t)numbufs, sizeof(*pdv_p->buf));
	if (!pdv_p->buf)
		return -1;
	for (int i = 0; i < numbufs; i++) {
		pdv_p->buf[i] = calloc(1, pdv_p->size);
		if (!pdv_p->buf[i])
			return -1;
		pdv_p->nbuf = i + 1;
	}
	return 0;
}

EXPORT int pdv_set_timeout(PdvDev *pdv_p, int value)
{
	pdv_p->timeout_ms = value < 0 ? 0 : value;
	return 0;
}

EXPORT int pdv_timeouts(PdvDev *pdv_p) { return pdv_p->timeouts; }
EXPORT int pdv_timeout_restart(PdvDev *pdv_p, int restart) { return 0; }
EXPORT int pdv_overrun(PdvDev *pdv_p) { return pdv_p->overrun; }

EXPORT void pdv_start_images(PdvDev *pdv_p, int count)
{
	if (pdv_p->fd < 0)
		pdv_p->fd = connect_frames();
	/* 0 starts free-running acquisition */
	pdv_p->started += count == 0 ? 1L << 40 : count;
}

/* Whether a frame begins within the timeout (0: wait for ever). */
static int frame_begins(PdvDev *p)
{
	struct pollfd pf = { .fd = p->fd, .events = POLLIN };
	char c;

	if (p->fd < 0 || poll(&pf, 1, p->timeout_ms ? p->timeout_ms : -1) <= 0)
		return 0;
	if (recv(p->fd, &c, 1, MSG_PEEK) == 1)
		return 1;
	/* the camera stopped: the grabber sees nothing until the timeout */
	usleep((useconds_t)(p->timeout_ms ? p->timeout_ms : 1000) * 1000);
	return 0;
}

EXPORT unsigned char *pdv_wait_image_timed(PdvDev *pdv_p, u_int *timep)
{
	PdvDev *p = pdv_p;
	unsigned char *img;
	struct fault *f;
	struct timespec ts;

	if (!p->nbuf)
		pdv_multibuf(p, 1);
	img = p->buf[p->done % (unsigned long)p->nbuf];
	p->overrun = 0;
	if (fault_at("error", p->frames)) {
		errno = EIO;
		return NULL;
	}
	while ((f = fault_at("drop", p->frames))) {
		long k = f->arg > 0 ? f->arg : 1;

		for (long i = 0; i < k && frame_begins(p); i++, p->frames++)
			read_all(p->fd, NULL, p->size);
	}
	if (p->started <= 0) {
		/* nothing started: the DMA waits for ever, the driver until the timeout */
		usleep((useconds_t)(p->timeout_ms ? p->timeout_ms : 1000) * 1000);
		p->timeouts++;
	} else if (fault_at("timeout", p->frames)) {
		usleep(50000); /* an injected timeout comes early: tests stay quick */
		p->timeouts++;
	} else if (!frame_begins(p)) {
		p->timeouts++;
	} else {
		size_t got = read_all(p->fd, img, p->size);

		p->frames++;
		scramble("CRED_PDV_SIM_SCRAMBLE", img, got);
		if (got < p->size)
			p->overrun = (int)(p->size - got);
		if (fault_at("overrun", p->frames - 1))
			p->overrun = 1;
	}
	if (p->started > 0)
		p->started--;
	p->done++;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (timep) {
		timep[0] = (u_int)ts.tv_sec;
		timep[1] = (u_int)ts.tv_nsec;
	}
	return img;
}
