/* The 8-bit preview stream (CRED_FILE_Y4M8): YUV4MPEG2 with 8-bit gray
 * (Cmono) that any player shows as it is (ffplay, mpv, ffmpeg to a video
 * file), with the percentile stretch of the PNG quick-look (stretch.c).
 *
 * Frame lines are bare (see y4m8_write).
 *
 * The percentiles come from every (1 + pixels/100000)th pixel after the
 * tags: all of them up to 99,999 pixels, every 4th of a full C-RED 3
 * frame.
 *
 * The stretch limits follow the frames smoothly, so a live view does not
 * flicker with the noise of each frame's percentiles: each frame moves
 * them towards its own percentiles by 1/N of the difference, N the frames
 * in SMOOTH_S seconds at the stream's rate (SMOOTH_FRAMES when the rate
 * is unknown). The first frame sets them, and so does a frame whose range
 * does not overlap them at all (the light was switched on or off): a
 * change of scene shows at once. */
#include "frame-impl.h"
#include "stretch-impl.h"

#include <math.h>
#include <stdlib.h>

#define SMOOTH_S 0.5
#define SMOOTH_FRAMES 10
#define SAMPLES 100000

struct y4m8_writer {
	int fd;
	const char *path;           /* NULL: standard output */
	struct cred_frame_format fmt;
	double weight;              /* of a new frame's percentiles: 1/N */
	int started;
	double lo, hi;              /* the smoothed limits */
	uint8_t *gray;              /* one frame of gray levels */
	struct cred_stretch stretch;
};

static int y4m8_open(void **priv, struct cred_outfile *of, const struct cred_writer_options *o,
		     int single)
{
	struct y4m8_writer *w = calloc(1, sizeof(*w));
	char header[256];
	double frames = o->fps > 0 ? round(o->fps * SMOOTH_S) : SMOOTH_FRAMES;
	int n, err;

	(void)single;
	if (!w)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	w->fd = of ? of->fd : 1;
	w->path = of ? of->path : NULL;
	w->fmt = o->format;
	w->weight = 1.0 / (frames < 1 ? 1 : frames);
	w->gray = malloc((size_t)o->format.width * (size_t)o->format.height);
	if (!w->gray) {
		free(w);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	n = cred_y4m_format_header(o, "mono", header, sizeof(header));
	err = cred_write_all(w->fd, header, (size_t)n, w->path);
	if (err) {
		free(w->gray);
		free(w);
		return err;
	}
	*priv = w;
	return CRED_OK;
}

/* Move the limits towards this frame's percentiles; rebuild the table
 * when they moved by a whole pixel value. */
static void follow(struct y4m8_writer *w, const struct cred_frame *f)
{
	int lo, hi, old_lo = (int)lround(w->lo), old_hi = (int)lround(w->hi);

	size_t pixels = (size_t)f->width * (size_t)f->height;

	/* At the camera's rate: the percentiles of about SAMPLES pixels at
	 * most (every 4th of a full C-RED 3 frame), which are as good for a
	 * picture and four times quicker. */
	cred_stretch_percentiles(&w->stretch, f, cred_tags_size(w->fmt.tags) / 2, 1 + pixels / SAMPLES,
				 &lo, &hi);
	if (!w->started || lo > w->hi || hi < w->lo) {
		w->lo = lo;
		w->hi = hi;
	} else {
		w->lo += (lo - w->lo) * w->weight;
		w->hi += (hi - w->hi) * w->weight;
	}
	if (!w->started || lround(w->lo) != old_lo || lround(w->hi) != old_hi)
		cred_stretch_table(&w->stretch, f->pixel_signed, (int)lround(w->lo), (int)lround(w->hi));
	w->started = 1;
}

static int y4m8_write(void *priv, const struct cred_frame *f)
{
	struct y4m8_writer *w = priv;
	size_t pixels = (size_t)f->width * (size_t)f->height;

	follow(w, f);
	cred_stretch_apply(&w->stretch, f->data, pixels, w->gray);
	/* A bare FRAME line: ffmpeg times frames by their place in the
	 * stream, taking every frame line to be these 6 bytes; longer ones
	 * add up to whole frames, which it then duplicates. */
	return cred_y4m_write_frame(w->fd, w->path, "FRAME\n", 6, w->gray, pixels);
}

static void y4m8_destroy(void *priv)
{
	struct y4m8_writer *w = priv;

	if (w)
		free(w->gray);
	free(w);
}

const struct writer_backend cred_y4m8_backend = {
	.open = y4m8_open,
	.write = y4m8_write,
	.destroy = y4m8_destroy,
};
