/* From the camera's settings to a per-pixel plan of its frames: the window,
 * the wire format (credsim's own, wire.c), what each pixel
 * averages and how much it fluctuates, and the correction arrays. Built
 * only when something changed, so rendering a frame is a few passes over
 * arrays. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scene-impl.h"
#include "scene-nuc.h"

/* C-RED 3 conversion gain (ADU per electron) and read noise (electrons)
 * for sensibility low, medium, high (large, medium, small capacitor), and
 * in HDR (the combined image, in its 16-bit scale). */
static const double c3_conv[3] = { 0.02, 0.136, 0.8 }, c3_read[3] = { 400, 80, 30 };
#define C3_HDR_CONV 0.08
#define C3_HDR_READ 30.0
#define C3_DARK_20C 2000.0      /* e-/s at 20 C, doubling every 6.5 C */
#define C3_ADC_MAX 16383
/* C-RED One: e-APD gain multiplies photo and dark electrons (with an
 * excess noise factor); the read and reset (kTC) noises come after it. */
#define ONE_CONV 0.6
#define ONE_READ 12.0
#define ONE_EXCESS 1.2
#define ONE_KTC 40.0            /* ADU */
#define ONE_DARK_80K 2.0        /* e-/s at 80 K, doubling every 4 K */
#define HOT_RATE 1e9            /* a hot pixel saturates in any exposure */

void plan_free(struct plan *p)
{
	free(p->xs);
	free(p->ys);
	free(p->base);
	free(p->amp);
	free(p->reset);
	free(p->rate);
	free(p->bad);
	free(p->bad_src);
	free(p->bias);
	free(p->flat);
	free(p->img);
	free(p->scratch);
	memset(p, 0, sizeof(*p));
}

static int16_t amp_q(double adu)
{
	double q = adu * (1 << AMP_Q);

	return q > AMP_MAX ? AMP_MAX : (int16_t)lrint(q);
}

/* A mean value as the converter can give it. */
static uint16_t base_q(double adu)
{
	return adu > 65535 ? 65535 : adu < 0 ? 0 : (uint16_t)lrint(adu);
}

static int32_t clamp_i32(double v)
{
	return v > 2e9 ? 2000000000 : v < -2e9 ? -2000000000 : (int32_t)lrint(v);
}

/* ---- window and wire format ------------------------------------------------ */

static int window(struct plan *p, const struct camera *cam)
{
	const struct settings *s = &cam->set;
	bool one = camera_is_one(cam);

	p->ww = camera_width(cam);
	p->wh = camera_height(cam);
	p->n = (size_t)p->ww * p->wh;
	p->xs = malloc(p->ww * sizeof(int));
	p->ys = malloc(p->wh * sizeof(int));
	if (!p->xs || !p->ys)
		return -1;
	for (int x = 0, i = 0; x < cam->model->width && i < p->ww; x++)
		if (!s->cropping || (one ? (s->crop.cblocks >> (x / 32)) & 1 :
				     x >= s->crop.c0 && x <= s->crop.c1))
			p->xs[i++] = x;
	for (int y = 0, i = 0; y < cam->model->height && i < p->wh; y++)
		if (!s->cropping || (one ? (s->crop.rows[y / 8] >> (y % 8)) & 1 :
				     y >= s->crop.r0 && y <= s->crop.r1))
			p->ys[i++] = y;
	return 0;
}

/* The wire format from credsim's own reading of the manuals (wire.c),
 * never from libcred's: see wire.h. */
static void wire_format(struct plan *p, const struct camera *cam)
{
	const struct settings *s = &cam->set;
	struct scene_info *info = &p->info;
	bool one = camera_is_one(cam);
	long width = p->ww;

	if (one)
		width = wire_one_row_width(s->mode, p->ww, (int)s->nbreadworeset, (int)s->nloop,
					   (int)s->nsamplepixel);
	if (width < 0) {
		snprintf(info->why, sizeof(info->why), "rows wider than 65535 pixels in this "
			 "readout mode");
		return;
	}
	info->fmt.width = (int)width;
	info->fmt.height = p->wh;
	info->fmt.pixel_signed = !one && !(s->hdr && s->hdr_extended);
	info->fmt.tags = !s->imagetags ? WIRE_TAGS_NONE : one ? WIRE_TAGS_CREDONE : WIRE_TAGS_CRED3;
	info->frame_size = (size_t)info->fmt.width * info->fmt.height * 2;
	info->ok = true;
}

/* ---- C-RED 3 ------------------------------------------------------------------ */

static void plan_cred3(struct plan *p, const struct sensor *sn, const struct camera *cam,
		       double temp)
{
	const struct settings *s = &cam->set;
	double opt = s->darkoptimlevel / 100.0;
	double conv = c3_conv[s->sensibility], read = c3_read[s->sensibility];
	double dark = C3_DARK_20C * pow(2, (temp - 20) / 6.5) * (1.5 - opt);
	double flat_rate = 0;

	p->raw_hi = C3_ADC_MAX;
	if (s->hdr && s->hdr_calibration != HDRCAL_OFF) {
		/* one capacitor's image: C1 the small one, C2 the large one */
		conv = c3_conv[s->hdr_calibration == HDRCAL_C1 ? SENS_HIGH : SENS_LOW];
		read = c3_read[s->hdr_calibration == HDRCAL_C1 ? SENS_HIGH : SENS_LOW];
	} else if (s->hdr) {
		conv = C3_HDR_CONV;
		read = C3_HDR_READ;
		p->raw_hi = 65535;
	}
	read *= 0.8 + 0.4 * opt; /* less dark current costs read noise */
	p->direct = true;
	p->tint = s->tint;
	if (cam->light.mode == LIGHT_FLAT && p->tint > 0)
		flat_rate = fmax(0, (cam->light.level - sensor_mean_offset(sn)) / conv / p->tint - dark);
	p->gain_cap = s->sensibility == SENS_LOW ? 2 : s->sensibility == SENS_MEDIUM ? 1 : 0;
	for (int y = 0; y < p->wh; y++)
		for (int x = 0; x < p->ww; x++) {
			size_t i = (size_t)y * p->ww + x, k = (size_t)p->ys[y] * sn->sw + p->xs[x];
			double e = (light_flux(sn, &cam->light, k, flat_rate) * sn->prnu[k] *
				    defect_response(sn->defect[k]) + dark * sn->dark_nu[k]) * p->tint;

			p->base[i] = base_q(sn->offset[k] + e * conv);
			p->amp[i] = amp_q(conv * sqrt(read * read + e));
			if (sn->defect[k] == DEFECT_NOISY) {
				p->amp[i] = amp_q(conv * sqrt(read * read + e) * DEFECT_NOISE_FACTOR);
			} else if (sn->defect[k] == DEFECT_HOT) {
				p->base[i] = (uint16_t)p->raw_hi;
			} else if (sn->defect[k] == DEFECT_DEAD) {
				p->base[i] = base_q(sn->offset[k] / 4);
				p->amp[i] = amp_q(conv * read);
			}
		}
}

/* ---- C-RED One ---------------------------------------------------------------- */

/* Exposure of the image a processed readout sends, and whether the reset
 * level is in it (a single read is not a difference). */
static double one_direct_exposure(const struct plan *p, int mode, int n, bool *with_reset)
{
	*with_reset = false;
	switch (mode) {
	case MODE_GLOBALRESETCDS:
		return p->tint;
	case MODE_GLOBALRESETBURSTS:
		/* the last read minus the second (the first with two reads) */
		if (n >= 3)
			return (n - 2) * p->tread;
		if (n == 2)
			return p->tread;
		*with_reset = true;
		return p->tread;
	default:
		*with_reset = true;
		return p->tint;
	}
}

static void plan_one_layout(struct plan *p, const struct settings *s)
{
	p->layout = LAYOUT_IMAGE;
	p->info.reads = 1;
	p->mode = s->mode;
	p->nro = (int)s->nbreadworeset;
	p->nloop = (int)s->nloop;
	p->nsample = (int)s->nsamplepixel;
	switch (s->mode) {
	case MODE_GLOBALRESETCDS:
		p->direct = !s->rawimages;
		p->info.reads = s->rawimages ? 2 : 1;
		break;
	case MODE_GLOBALRESETBURSTS:
		p->direct = !s->rawimages;
		p->info.reads = s->rawimages ? p->nro : 1;
		break;
	case MODE_ROLLINGRESETNRO:
		p->layout = LAYOUT_NRO;
		break;
	case MODE_ROLLINGRESETIOTA:
		p->layout = LAYOUT_IOTA;
		p->info.reads = p->nro;
		break;
	default:
		p->direct = true;
	}
}

static void plan_one(struct plan *p, const struct sensor *sn, const struct camera *cam, double temp)
{
	const struct settings *s = &cam->set;
	double g = (double)s->gain, dark = ONE_DARK_80K * pow(2, (temp - 80) / 4);
	double te, flat_rate = 0;
	bool with_reset;

	plan_one_layout(p, s);
	p->tint = 1 / s->fps;
	p->tread = camera_read_time(cam); /* reads come at the single read pace */
	p->raw_hi = 65535;
	p->raw_lo = 0;
	p->ktc_amp = amp_q(ONE_KTC);
	p->gain_cap = -1;
	te = one_direct_exposure(p, s->mode, p->nro, &with_reset);
	if (cam->light.mode == LIGHT_FLAT && te > 0 && g > 0)
		flat_rate = fmax(0, (cam->light.level - (with_reset ? sensor_mean_offset(sn) : 0)) /
				 (g * ONE_CONV * te));
	if (p->direct && !with_reset)
		p->raw_lo = -65535; /* a digital difference of two reads */
	for (int y = 0; y < p->wh; y++)
		for (int x = 0; x < p->ww; x++) {
			size_t i = (size_t)y * p->ww + x, k = (size_t)p->ys[y] * sn->sw + p->xs[x];
			double e_rate = light_flux(sn, &cam->light, k, flat_rate) * sn->prnu[k] *
					defect_response(sn->defect[k]) + dark * sn->dark_nu[k];
			double rate = e_rate * g * ONE_CONV;
			/* a processed difference holds the read noise of two reads */
			double reads = (p->direct && !with_reset ? 2 : 1) * ONE_READ * ONE_READ;
			double shot = g * g * ONE_EXCESS * e_rate * (p->direct ? te : p->tint);
			double ktc = with_reset && p->direct ? ONE_KTC * ONE_KTC : 0;

			if (sn->defect[k] == DEFECT_HOT)
				rate = HOT_RATE;
			else if (sn->defect[k] == DEFECT_DEAD)
				rate = shot = 0;
			p->reset[i] = clamp_i32(sn->offset[k]);
			p->rate[i] = (float)rate;
			p->base[i] = base_q((with_reset ? sn->offset[k] : 0) + rate * te);
			p->amp[i] = amp_q(sqrt(ONE_CONV * ONE_CONV * (reads + shot) + ktc) *
					  (sn->defect[k] == DEFECT_NOISY ? DEFECT_NOISE_FACTOR : 1));
		}
}

/* ---- the correction chain ------------------------------------------------------- */

static const uint8_t *nuc_file(const struct camera *cam, const char *kind, size_t want)
{
	size_t len = 0;
	const uint8_t *f = store_get(cam->nuc, kind, &len);

	return f && len == want ? f : NULL;
}

/* The bias and flat the camera applies: in an HDR calibration image those
 * built for that capacitor. */
static void nuc_kinds(const struct settings *s, const char **bias, const char **flat)
{
	*bias = "bias";
	*flat = "flat";
	if (s->hdr && s->hdr_calibration == HDRCAL_C1) {
		*bias = "bias_hdr_c1";
		*flat = "flat_hdr_c1";
	} else if (s->hdr && s->hdr_calibration == HDRCAL_C2) {
		*bias = "bias_hdr_c2";
		*flat = "flat_hdr_c2";
	}
}

static uint16_t *window_values(const struct plan *p, const uint8_t *file, int sw,
			       int32_t (*at)(const uint8_t *, size_t))
{
	uint16_t *v = malloc(p->n * sizeof(uint16_t));

	for (int y = 0; v && y < p->wh; y++)
		for (int x = 0; x < p->ww; x++)
			v[(size_t)y * p->ww + x] = (uint16_t)at(file, (size_t)p->ys[y] * sw + p->xs[x]);
	return v;
}

/* A bad pixel takes the value of its left neighbour in the window, or its
 * right one, when that one is good. */
static int bad_pixels(struct plan *p, const uint8_t *map, int sw)
{
	size_t cap = 0;

	for (int y = 0; y < p->wh; y++)
		for (int x = 0; x < p->ww; x++) {
			size_t row = (size_t)p->ys[y] * sw, i = (size_t)y * p->ww + x;
			int src = -1;

			if (!nuc_bad_at(map, row + p->xs[x]))
				continue;
			if (x > 0 && !nuc_bad_at(map, row + p->xs[x - 1]))
				src = x - 1;
			else if (x + 1 < p->ww && !nuc_bad_at(map, row + p->xs[x + 1]))
				src = x + 1;
			if (src < 0)
				continue;
			if (p->nbad == cap) {
				cap = cap ? 2 * cap : 256;
				p->bad = realloc(p->bad, cap * sizeof(uint32_t));
				p->bad_src = realloc(p->bad_src, cap * sizeof(uint32_t));
				if (!p->bad || !p->bad_src)
					return -1;
			}
			p->bad[p->nbad] = (uint32_t)i;
			p->bad_src[p->nbad++] = (uint32_t)((size_t)y * p->ww + src);
		}
	return 0;
}

static int corrections(struct plan *p, const struct camera *cam)
{
	const struct settings *s = &cam->set;
	size_t n = (size_t)cam->model->width * cam->model->height;
	const char *bias_kind, *flat_kind;
	const uint8_t *f;
	size_t len = 0;

	p->adu = (int32_t)s->aduoffset;
	if (p->layout != LAYOUT_IMAGE || s->testpattern)
		return 0; /* multi-read rows do not match the sensor geometry */
	nuc_kinds(s, &bias_kind, &flat_kind);
	if (!camera_is_one(cam) && s->badpixel &&
	    (f = store_get(cam->files, "userbadpixel", &len)) && len == n / 8 &&
	    bad_pixels(p, f, cam->model->width))
		return -1;
	if (s->bias && (f = nuc_file(cam, bias_kind, 2 * n)) &&
	    !(p->bias = window_values(p, f, cam->model->width, nuc_bias_at)))
		return -1;
	if (s->flat && (f = nuc_file(cam, flat_kind, 2 * n)) &&
	    !(p->flat = window_values(p, f, cam->model->width, nuc_flat_at)))
		return -1;
	return 0;
}

/* ---- putting it together ----------------------------------------------------------- */

static double sensor_temperature(const struct camera *cam, double now)
{
	return camera_is_one(cam) ? camera_temperature(cam, T1_DIODE, now) : cam->temp[T3_SNAKE];
}

static int alloc_arrays(struct plan *p)
{
	size_t wire = p->info.frame_size / 2;

	p->base = malloc(p->n * sizeof(uint16_t));
	p->amp = malloc(p->n * sizeof(int16_t));
	p->reset = malloc(p->n * sizeof(int32_t));
	p->rate = malloc(p->n * sizeof(float));
	p->scratch = malloc(p->n * sizeof(int32_t));
	p->img = malloc((wire > p->n ? wire : p->n) * sizeof(int32_t));
	return p->base && p->amp && p->reset && p->rate && p->scratch && p->img ? 0 : -1;
}

int plan_build(struct plan *p, const struct sensor *sn, const struct camera *cam, double now)
{
	const struct settings *s = &cam->set;
	bool one = camera_is_one(cam);

	plan_free(p);
	p->info.reads = 1;
	if (window(p, cam))
		return -1;
	wire_format(p, cam);
	if (!p->info.ok)
		return 0;
	if (alloc_arrays(p))
		return -1;
	p->testpattern = one && s->testpattern;
	p->pattern = p->testpattern ? cam->pattern : NULL;
	p->pattern_sw = cam->model->width;
	p->pattern_sh = cam->model->height;
	p->out_lo = !one && !(s->hdr && s->hdr_extended) ? -32768 : 0;
	p->out_hi = p->out_lo ? 32767 : 65535;
	if (one)
		plan_one(p, sn, cam, sensor_temperature(cam, now));
	else
		plan_cred3(p, sn, cam, sensor_temperature(cam, now));
	/* the reads of an exposure come one read time apart (C-RED One),
	 * the exposures 1/fps apart, never closer than their reads allow */
	p->info.period = 1 / s->fps;
	if (p->info.reads > 1) {
		p->info.read_gap = p->tread;
		if (p->info.period < p->info.reads * p->tread)
			p->info.period = p->info.reads * p->tread;
	}
	return corrections(p, cam);
}
