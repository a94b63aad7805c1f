/* Frame geometry: what a frame looks like on the wire for a model and its
 * readout settings. Pure data, no camera I/O. */
#include "cred-frame.h"
#include "error-impl.h"

#include <string.h>

#define MAX_SIDE 65535
#define MAX_FRAME_BYTES ((size_t)1 << 30)
/* The sensors are read by groups of 32 outputs: the invalid pixels the
 * C-RED One puts between repeated reads of a line come in these units. */
#define CREDONE_GAP 32

size_t cred_frame_format_size(const struct cred_frame_format *fmt)
{
	return (size_t)fmt->width * (size_t)fmt->height * 2;
}

static void set_tags(struct cred_frame_format *fmt, enum cred_tag_kind kind, int pixel2_zero)
{
	fmt->tags = kind;
	memset(&fmt->rules, 0, sizeof(fmt->rules));
	fmt->rules.pixel2_zero = kind == CRED_TAGS_CRED3 && pixel2_zero;
}

int cred_frame_format_init(struct cred_frame_format *fmt, enum cred_model_id model)
{
	const struct cred_model *m = cred_model_get(model);

	memset(fmt, 0, sizeof(*fmt));
	if (!m)
		return cred_fail(CRED_ERR_ARG, "unknown camera model");
	fmt->model = model;
	fmt->width = m->width;
	fmt->height = m->height;
	fmt->pixel_signed = m->pixel_signed;
	set_tags(fmt, model == CRED_MODEL_CRED3 ? CRED_TAGS_CRED3 : CRED_TAGS_CREDONE, 1);
	return CRED_OK;
}

int cred_frame_format_check(const struct cred_frame_format *fmt)
{
	if (!fmt)
		return cred_fail(CRED_ERR_ARG, "no frame format");
	if (fmt->width < 1 || fmt->width > MAX_SIDE || fmt->height < 1 || fmt->height > MAX_SIDE)
		return cred_fail(CRED_ERR_ARG, "frame size %dx%d out of range 1-%d",
				 fmt->width, fmt->height, MAX_SIDE);
	if (cred_frame_format_size(fmt) > MAX_FRAME_BYTES)
		return cred_fail(CRED_ERR_ARG, "frame of %dx%d pixels is too large",
				 fmt->width, fmt->height);
	if (fmt->tags != CRED_TAGS_NONE && fmt->tags != CRED_TAGS_CRED3 &&
	    fmt->tags != CRED_TAGS_CREDONE)
		return cred_fail(CRED_ERR_ARG, "unknown tag kind %d", (int)fmt->tags);
	if (cred_tags_size(fmt->tags) > (size_t)fmt->width * 2)
		return cred_fail(CRED_ERR_ARG, "a row of %d pixels cannot hold the image tags",
				 fmt->width);
	return CRED_OK;
}

int cred_frame_format_set_tags(struct cred_frame_format *fmt, const char *name)
{
	if (!name)
		return cred_fail(CRED_ERR_ARG, "no tag kind");
	if (strcmp(name, "cred3") == 0)
		set_tags(fmt, CRED_TAGS_CRED3, 1);
	else if (strcmp(name, "cred3-any") == 0)
		set_tags(fmt, CRED_TAGS_CRED3, 0);
	else if (strcmp(name, "credone") == 0)
		set_tags(fmt, CRED_TAGS_CREDONE, 0);
	else if (strcmp(name, "none") == 0)
		set_tags(fmt, CRED_TAGS_NONE, 0);
	else
		return cred_fail(CRED_ERR_ARG,
				 "unknown tag kind '%s' (cred3, cred3-any, credone or none)", name);
	return CRED_OK;
}

static int at_least_one(int v)
{
	return v > 0 ? v : 1;
}

/* A multiplier of the row width, capped where the row is too wide anyway,
 * so products of three of them stay far inside long long. */
static long long factor(int v)
{
	return v > MAX_SIDE ? MAX_SIDE + 1 : at_least_one(v);
}

/* A row width computed from camera settings, which may be anything the
 * camera (or a caller) says: computed wide, refused past MAX_SIDE instead
 * of wrapping into a plausible width. */
static int row_width(long long width, const char *mode, int *out)
{
	if (width > MAX_SIDE)
		return cred_fail(CRED_ERR_ARG, "%s readout with these settings gives rows of "
				 "%lld pixels, more than %d", mode, width, MAX_SIDE);
	*out = (int)width;
	return CRED_OK;
}

/* Row width and read count of the C-RED One readout modes. */
static int credone_geometry(const struct cred_readout *r, int w, int *width, int *reads)
{
	const char *mode = r->mode ? r->mode : "globalresetsingle";
	int n = at_least_one(r->nbreadworeset);

	*width = w;
	*reads = 0;
	if (!strcmp(mode, "globalreset") || !strcmp(mode, "globalresetsingle") ||
	    !strcmp(mode, "rollingresetsingle"))
		return CRED_OK;
	if (!strcmp(mode, "globalresetcds")) {
		*reads = r->rawimages > 0 ? 2 : 0;
		return CRED_OK;
	}
	if (!strcmp(mode, "globalresetbursts")) {
		*reads = r->rawimages > 0 ? n : 0;
		return CRED_OK;
	}
	if (!strcmp(mode, "rollingresetnro") || !strcmp(mode, "rollingresetcds")) {
		*reads = n;
		return row_width(2 * factor(n) * w + 2 * CREDONE_GAP * factor(n), mode, width);
	}
	if (!strcmp(mode, "rollingresetiota")) {
		long long loops = factor(r->nloop);

		*reads = n;
		return row_width(w * loops * factor(r->nsamplepixel) + CREDONE_GAP * (loops - 1),
				 mode, width);
	}
	return cred_fail(CRED_ERR_ARG, "unknown C-RED One readout mode '%s'", mode);
}

int cred_frame_format_from_readout(const struct cred_readout *r, struct cred_frame_format *fmt)
{
	int err, width, reads;

	if (!r || !fmt)
		return cred_fail(CRED_ERR_ARG, "no readout settings");
	err = cred_frame_format_init(fmt, r->model);
	if (err)
		return err;
	if (r->columns > 0)
		fmt->width = r->columns;
	if (r->rows > 0)
		fmt->height = r->rows;
	if (r->model == CRED_MODEL_CRED3) {
		fmt->pixel_signed = r->hdr_extended > 0 ? 0 : 1;
		fmt->rules.pixel2_zero = r->cds != 0;
	} else {
		err = credone_geometry(r, fmt->width, &width, &reads);
		fmt->width = width;
		fmt->rules.pixel2_max = reads;
	}
	if (r->imagetags == 0)
		set_tags(fmt, CRED_TAGS_NONE, 0);
	if (!err)
		err = cred_frame_format_check(fmt);
	if (err)
		memset(fmt, 0, sizeof(*fmt)); /* no half-made format on failure */
	return err;
}

int32_t cred_frame_pixel(const struct cred_frame *frame, size_t i)
{
	const unsigned char *p = (const unsigned char *)frame->data + 2 * i;
	unsigned v = (unsigned)p[0] | (unsigned)p[1] << 8;

	return frame->pixel_signed ? (int32_t)(int16_t)v : (int32_t)v;
}
