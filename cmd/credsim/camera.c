/* The simulated camera: construction, factory settings, presets and the
 * limits derived from the settings (see camera.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "camera.h"

/* C-RED 3 timing model. The sensor reads 292 Mpixel/s at peak; every line costs a fixed overhead and
 * every frame a little more, calibrated so that full frame is 600 fps. */
#define C3_PIXRATE 292e6
#define C3_FRAME_OVERHEAD 20e-6
#define C3_FULL_FPS 600.0
#define C3_USB_BYTES 350e6          /* what the USB3 link carries per second */
#define C3_MINFPS 0.0001
/* C-RED One: 10 MHz pixel clock, 32 outputs (one 32-pixel block per clock),
 * one extra clock per line in global reset, three in rolling reset;
 * calibrated so that full frame global reset is 3500 fps. */
#define ONE_CLOCK 10e6
#define ONE_FULL_FPS 3500.0
#define ONE_MINFPS 0.02
#define ONE_MAXGAIN 60

static const struct temp_sensor cred3_temps[] = {
	{ "CPU", "CPU", "C", 52.3, -20, 85, 90 },
	{ "backend", "Back-end board", "C", 44.6, -20, 65, 70 },
	{ "interface", "Interface board", "C", 41.2, -20, 65, 70 },
	{ "snake", "Sensor", "C", 27.5, -20, 55, 60 },
	{ "ambiant", "Ambient", "C", 23.1, -20, 55, 60 },
};

static const struct temp_sensor credone_temps[] = {
	{ "motherboard", "Motherboard", "C", 38.5, -40, 1e9, 1e9 },
	{ "frontend", "Front end", "C", 31.0, -40, 1e9, 1e9 },
	{ "powerboard", "Power board", "C", 35.2, -40, 1e9, 1e9 },
	{ "water", "Water", "C", 19.5, -40, 40, 50 },
	{ "ptmcu", "Pulse tube MCU", "C", 33.0, -40, 1e9, 1e9 },
	{ "cryostat diode", "Cryostat diode", "K", 80.0, 0, 1e9, 1e9 },
	{ "cryostat ptcontroller", "Cryostat pulse tube controller", "K", 80.0, 0, 1e9, 1e9 },
	{ "cryostat setpoint", "Cryostat setpoint", "K", 80.0, 0, 1e9, 1e9 },
};

const struct temp_sensor *camera_temp_sensors(const struct camera *cam, int *count)
{
	if (camera_is_one(cam)) {
		*count = sizeof(credone_temps) / sizeof(credone_temps[0]);
		return credone_temps;
	}
	*count = sizeof(cred3_temps) / sizeof(cred3_temps[0]);
	return cred3_temps;
}

bool camera_is_one(const struct camera *cam)
{
	return cam->model->id == SIM_CREDONE;
}

int fw_compare(const char *a, const char *b)
{
	for (int i = 0; i < 3; i++) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

bool camera_fw_at_least(const struct camera *cam, const char *version)
{
	return !version || fw_compare(cam->firmware, version) >= 0;
}

uint32_t camera_random(struct camera *cam)
{
	/* xorshift64*: deterministic for a given --seed */
	cam->rng ^= cam->rng >> 12;
	cam->rng ^= cam->rng << 25;
	cam->rng ^= cam->rng >> 27;
	return (uint32_t)((cam->rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static void factory_cred3(struct settings *s)
{
	static const long levels[AGC_N] = { 15000, 1000, 15000, 1000 };

	s->fps = C3_FULL_FPS;
	s->tintgranularity = s->tcdsadjust = s->vrefadjust = true;
	s->vref = 2.1;
	s->snake_setpoint = 20.0;
	s->badpixel = true;
	s->ext_exposure = EXPO_INTERNAL;
	s->nbframesperswtrig = 1;
	s->tlsydel = 324;
	s->darkoptimlevel = 50;
	s->sensibility = SENS_MEDIUM;
	for (int i = 0; i < AGC_N; i++) {
		s->agc_level[i] = levels[i];
		s->agc_ratio[i] = 1.0;
		s->agc_frames[i] = 3;
	}
	snprintf(s->agc_roi, sizeof(s->agc_roi), "0,0,640,512");
	s->snake[0] = 1;   /* blm_en: anti-blooming */
	s->snake[1] = 1;   /* cds_en */
	s->snake[2] = 128; /* ibias */
}

/* "When operating temperature is reached, C-RED One starts acquiring
 * images in normal mode (Global Reset Full Frame @3500FPS), with unity
 * gain." */
static void factory_credone(struct settings *s)
{
	s->fps = ONE_FULL_FPS;
	s->gain = 1;
	s->mode = MODE_GLOBALRESETSINGLE;
	s->resetwidth = 8;
	s->nbreadworeset = 2;
	s->nsamplepixel = 1;
	s->nloop = 1;
}

void camera_factory_settings(const struct camera *cam, struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->imagetags = true;
	s->led = true;
	crop_full(cam->model->id, &s->crop);
	if (camera_is_one(cam)) {
		factory_credone(s);
	} else {
		factory_cred3(s);
		/* maxtint, on the granularity's 50-clock step */
		s->tint = floor((1.0 / s->fps - 20.0 / C3_CLOCK) * C3_CLOCK / 50 + 1e-9) * 50 / C3_CLOCK;
	}
}

static void factory_network(struct camera *cam)
{
	cam->ip_mode = IPMODE_MANUAL;
	snprintf(cam->ip_address, sizeof(cam->ip_address), "192.168.0.20");
	snprintf(cam->ip_netmask, sizeof(cam->ip_netmask), "255.255.255.0");
	snprintf(cam->ip_gateway, sizeof(cam->ip_gateway), "192.168.0.1");
	snprintf(cam->ip_dns, sizeof(cam->ip_dns), "192.168.0.1");
	snprintf(cam->ip_altdns, sizeof(cam->ip_altdns), "0.0.0.0");
	snprintf(cam->ip_active, sizeof(cam->ip_active), "%s", cam->ip_address);
	snprintf(cam->password, sizeof(cam->password), "flicred1");
	cam->telnet = true;
	cam->remotemaintenance = false;
}

/* Factory presets: every preset holds the factory settings and no files. */
void camera_factory_reset(struct camera *cam)
{
	camera_factory_settings(cam, &cam->set);
	for (int i = 0; i < NPRESETS; i++) {
		cam->presets[i] = cam->set;
		store_copy(cam->nuc, cam->preset_files[i]);
	}
	cam->preset = 0;
	factory_network(cam);
}

/* The factory bad pixel map: 1 bit per pixel, MSB first, a few hundred
 * isolated bad pixels and one bad column segment. */
static void make_badpixel_map(struct camera *cam)
{
	size_t len = (size_t)cam->model->width * cam->model->height / 8;
	uint8_t *map = calloc(1, len);

	if (!map)
		return;
	for (int i = 0; i < 300; i++) {
		uint32_t p = camera_random(cam) % (len * 8);

		map[p / 8] |= 0x80 >> (p % 8);
	}
	for (int y = 100; y < 140; y++) {
		size_t p = (size_t)y * cam->model->width + 417;

		map[p / 8] |= 0x80 >> (p % 8);
	}
	store_put(cam->files, "factbadpixel", map, len);
	store_put(cam->files, "userbadpixel", map, len);
	free(map);
}

struct camera *camera_new(const struct sim_model_info *model, const char *firmware, uint64_t seed)
{
	struct camera *cam = calloc(1, sizeof(*cam));
	int n;
	const struct temp_sensor *ts;

	if (!cam)
		return NULL;
	cam->model = model;
	snprintf(cam->firmware, sizeof(cam->firmware), "%s", firmware ? firmware : model->firmware);
	cam->rng = seed ? seed : 1;
	cam->nuc = store_new();
	cam->files = store_new();
	for (int i = 0; i < NPRESETS; i++)
		cam->preset_files[i] = store_new();
	camera_factory_reset(cam);
	ts = camera_temp_sensors(cam, &n);
	for (int i = 0; i < n; i++)
		cam->temp[i] = ts[i].initial;
	cam->interface = IF_CAMERALINK;
	cam->cryo.T0 = cam->cryo.target = AMBIENT_K;
	cam->cryo.rate = WARM_RATE;
	cam->boot_next = cam->standby_end = -1;
	cam->regen_end = -1;
	if (camera_is_one(cam)) {
		cam->pressure = 2.3e-5;
		cam->pressure_rise = PRESSURE_RISE;
	} else {
		snprintf(cam->lic[0].name, sizeof(cam->lic[0].name), "hdr.lic");
		cam->lic[0].enabled = true;
		cam->nlic = 1;
		cam->hdr_licensed = true;
		store_put(cam->files, "license:hdr.lic", "FLI-LICENSE hdr\n", 16);
		make_badpixel_map(cam);
	}
	return cam;
}

void camera_free(struct camera *cam)
{
	if (!cam)
		return;
	for (int i = 0; i < NPRESETS; i++)
		store_free(cam->preset_files[i]);
	store_free(cam->nuc);
	store_free(cam->files);
	free(cam->pattern);
	while (cam->evq.count)
		free(camera_pop_event(cam));
	free(cam);
}

double camera_temperature(const struct camera *cam, int index, double now)
{
	if (camera_is_one(cam) && (index == T1_DIODE || index == T1_PTCONTROLLER)) {
		/* linear ramp from T0 toward target */
		double dt = now - cam->cryo.t0, T = cam->cryo.T0;
		double span = fabs(cam->cryo.target - T), moved = cam->cryo.rate * (dt > 0 ? dt : 0);

		T = moved >= span ? cam->cryo.target :
		    T + (cam->cryo.target > T ? moved : -moved);
		return index == T1_DIODE ? T : T + 0.35;
	}
	if (camera_is_one(cam) && index == T1_WATER)
		return cam->temp[index] + camera_water_heating(cam, now);
	return cam->temp[index];
}

int camera_width(const struct camera *cam)
{
	return cam->set.cropping ? crop_width(cam->model->id, &cam->set.crop) : cam->model->width;
}

int camera_height(const struct camera *cam)
{
	return cam->set.cropping ? crop_height(cam->model->id, &cam->set.crop) : cam->model->height;
}

static double cred3_frame_time(int w, int h)
{
	double line_overhead = (1.0 / C3_FULL_FPS - C3_FRAME_OVERHEAD) / 512 - 640 / C3_PIXRATE;

	return h * (w / C3_PIXRATE + line_overhead) + C3_FRAME_OVERHEAD;
}

/* One read of the window (rows lines of blocks clocks): what a single
 * read frame takes, the pace of every read in every mode but IOTA. */
static double one_read_time(int mode, int blocks, int rows)
{
	double oh = 1.0 / ONE_FULL_FPS - 256 * 11 / ONE_CLOCK;
	bool rolling = mode == MODE_ROLLINGRESETSINGLE || mode == MODE_ROLLINGRESETNRO;

	return rows * (blocks + (rolling ? 3 : 1)) / ONE_CLOCK + oh;
}

/* The C-RED One manual, chapter 7: CDS runs at most half the single read
 * rate (two reads per image); the non-destructive modes read at the single
 * read pace, so an exposure of N reads (bursts) or of N reads before and N
 * after the reset (rolling Nreadout) takes that many read times. IOTA:
 * the manual's formula as printed,
 *   FPS = 10 MHz / Nsample * 1 / ((width/32 * Nloop + 3 / Nsample
 *                                  + (Nloop - 1)) * (height + 3))
 * that is (blocks*Nloop*Nsample + 3 + Nsample*(Nloop-1)) * (height+3)
 * clocks per frame. */
static double one_frame_time(const struct settings *s, int blocks, int rows)
{
	double read = one_read_time(s->mode, blocks, rows);
	double nsample = (double)s->nsamplepixel, nloop = (double)s->nloop;

	switch (s->mode) {
	case MODE_GLOBALRESETCDS:
		return 2 * read;
	case MODE_GLOBALRESETBURSTS:
		return (double)s->nbreadworeset * read;
	case MODE_ROLLINGRESETNRO:
		return 2.0 * (double)s->nbreadworeset * read;
	case MODE_ROLLINGRESETIOTA:
		return nsample / ONE_CLOCK * (blocks * nloop + 3 / nsample + (nloop - 1)) * (rows + 3);
	default:
		return read;
	}
}

static int one_blocks(const struct camera *cam)
{
	return cam->set.cropping ? crop_blocks(&cam->set.crop) : 10;
}

double camera_read_time(const struct camera *cam)
{
	if (cam->set.mode == MODE_ROLLINGRESETIOTA)
		return 1 / camera_maxfps(cam);
	return one_read_time(cam->set.mode, one_blocks(cam), camera_height(cam));
}

double camera_maxfps(const struct camera *cam)
{
	if (camera_is_one(cam))
		return 1 / one_frame_time(&cam->set, one_blocks(cam), camera_height(cam));
	return C3_FULL_FPS * (cred3_frame_time(640, 512) /
			      cred3_frame_time(camera_width(cam), camera_height(cam)));
}

double camera_minfps(const struct camera *cam)
{
	return camera_is_one(cam) ? ONE_MINFPS : C3_MINFPS;
}

double camera_maxfpsusb(const struct camera *cam)
{
	double usb = C3_USB_BYTES / ((double)camera_width(cam) * camera_height(cam) * 2);
	double fps = camera_maxfps(cam);

	return usb < fps ? usb : fps;
}

double camera_mintint(const struct camera *cam)
{
	/* granularity off allows down to 3 clocks (165 ns, degraded) */
	return (cam->set.tintgranularity ? 50 : 3) / C3_CLOCK;
}

/* The step of integration times (see camera_round_tint). */
static double tint_step(const struct camera *cam)
{
	return (cam->set.tintgranularity ? 50 : 1) / C3_CLOCK;
}

double camera_maxtint(const struct camera *cam)
{
	/* integrate while read: the whole period but the reset, on a step */
	double step = tint_step(cam);
	double t = floor((1.0 / cam->set.fps - 20 / C3_CLOCK) / step + 1e-9) * step;
	double lo = camera_mintint(cam);

	return t > lo ? t : lo;
}

double camera_maxtintitr(const struct camera *cam)
{
	/* integrate then read: the period minus the readout */
	double t = 1.0 / cam->set.fps - 1.0 / camera_maxfps(cam);
	double lo = camera_mintint(cam);

	return t > lo ? t : lo;
}

long camera_maxgain(const struct camera *cam)
{
	return ONE_MAXGAIN;
}

/* C-RED 3 "Integration time granularity": with tintgranularity on the
 * step is "~50 pixels clocks" in full frame (credsim uses 50 in every
 * window), off "only 1 pixel clock". The camera keeps the nearest step
 * within its limits. */
void camera_round_tint(struct camera *cam)
{
	double step = tint_step(cam), lo = camera_mintint(cam), hi = camera_maxtint(cam);
	double t = round(cam->set.tint / step) * step;

	if (t > hi)
		t = hi; /* on a step already */
	if (t < lo)
		t = ceil(lo / step - 1e-9) * step;
	cam->set.tint = t;
}

void camera_fit_timing(struct camera *cam)
{
	double max = camera_maxfps(cam);

	if (cam->set.fps > max)
		cam->set.fps = max;
	if (!camera_is_one(cam)) {
		if (cam->set.tint > camera_maxtint(cam))
			cam->set.tint = camera_maxtint(cam);
		if (cam->set.tint < camera_mintint(cam))
			cam->set.tint = camera_mintint(cam);
		camera_round_tint(cam);
	}
}

void camera_save_preset(struct camera *cam)
{
	struct settings *p = &cam->presets[cam->preset];

	*p = cam->set;
	if (camera_is_one(cam))
		p->gain = 1; /* the gain is never saved */
	store_copy(cam->nuc, cam->preset_files[cam->preset]);
}

int camera_load_preset(struct camera *cam, int n)
{
	if (n < 0 || n >= NPRESETS)
		return -1;
	cam->preset = n;
	cam->set = cam->presets[n];
	store_copy(cam->preset_files[n], cam->nuc);
	if (!cam->hdr_licensed)
		cam->set.hdr = false;
	camera_fit_timing(cam);
	return 0;
}

struct store *camera_store_for(struct camera *cam, const char *kind)
{
	if (!strncmp(kind, "bias", 4) || !strncmp(kind, "flat", 4))
		return cam->nuc;
	return cam->files;
}

const char *nuc_kind_file(int kind)
{
	static const char *const names[] = { "bias", "flat", "flat_hdr_c1", "flat_hdr_c2" };

	return names[kind];
}

/* A plausible built correction file for the full sensor: bias frames are
 * offsets around 1000 ADU, flats fixed-point gains around 1.0 (0x2000). */
void camera_nuc_build_file(struct camera *cam, int kind)
{
	size_t n = (size_t)cam->model->width * cam->model->height;
	uint8_t *buf = malloc(2 * n);

	if (!buf)
		return;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = camera_random(cam);
		unsigned v = kind == NUC_BIAS ? 1000 + r % 64 : 0x2000 - 128 + r % 256;

		buf[2 * i] = v & 0xff;
		buf[2 * i + 1] = v >> 8;
	}
	store_put(cam->nuc, nuc_kind_file(kind), buf, 2 * n);
	free(buf);
}
