/* The simulated camera: every setting, its state machine, its health and
 * its files, in one struct that other code (the interpreter, the future
 * frame streamer) reads. Time is simulated seconds (simclock.h); the
 * camera never reads a clock itself: callers pass `now`. */
#ifndef CREDSIM_CAMERA_H
#define CREDSIM_CAMERA_H

#include <stdbool.h>
#include <stdint.h>
#include "crop.h"
#include "light.h"
#include "model.h"
#include "store.h"

enum cam_state {
	ST_OFF,           /* powered down (credsim only: nothing answers) */
	ST_STARTING, ST_CONFIGURING,
	ST_POORVACUUM, ST_FAULTYVACUUM, ST_VACUUMREGE,        /* C-RED One */
	ST_READY, ST_ISBEINGCOOLED, ST_STANDBY,              /* C-RED One */
	ST_OPERATIONAL, ST_PREVSAFE, ST_SAFE, ST_LOCKED,
	ST_COUNT
};

/* Choice settings: the index into the choice's word list (params.c). */
enum { POL_STANDARD, POL_INVERTED };
enum { EXPO_EXTERNAL, EXPO_INTERNAL };
enum { SRC_EXTERNAL, SRC_CC1, SRC_CC2, SRC_CC3, SRC_CC4 };
enum { SWSRC_SWTRIG, SWSRC_EXTERNAL };
enum { SENS_LOW, SENS_MEDIUM, SENS_HIGH };
enum { TUNING_GENERAL, TUNING_SHORT, TUNING_LONG };
enum { HDRCAL_OFF, HDRCAL_C1, HDRCAL_C2 };
enum { AGCPRIO_NONE, AGCPRIO_UNDER, AGCPRIO_OVER };
enum { IPMODE_MANUAL, IPMODE_AUTOMATIC };
enum { IF_CAMERALINK, IF_USB };
enum one_mode {
	MODE_GLOBALRESETSINGLE, MODE_GLOBALRESETCDS, MODE_GLOBALRESETBURSTS,
	MODE_ROLLINGRESETSINGLE, MODE_ROLLINGRESETNRO, MODE_ROLLINGRESETIOTA,
};

/* C-RED 3 master clock (18214 kHz): the step of integration times and of
 * the external synchronization delay (at most 65535 steps). */
#define C3_CLOCK 18.214e6
#define C3_MAX_SYNCDELAY (65535 / C3_CLOCK)

#define AMBIENT_K 293.0            /* a warm cryostat */
#define ROOM_K 283.0               /* warm enough for a getter regeneration */
#define SETPOINT_K 80.0            /* the C-RED One detector temperature */
#define WARM_RATE (213.0 / 5400)   /* K/s: warming up takes about 90 minutes */
/* A getter keeps the cryostat near 1e-5 mbar for about a year: 2.3e-5
 * mbar reaches the 5e-3 mbar poor vacuum limit after some 360 days. */
#define PRESSURE_RISE (1.4e-5 / 86400) /* mbar/s */

#define NPRESETS 10
#define SNAKE_NPARAMS 3
#define AGC_N 4
#define NTEMPS 8
#define MAX_LICENSES 8
#define REGEN_HISTORY 16

/* C-RED One temperature slots (C-RED 3 uses 0-4: CPU, backend, interface,
 * snake, ambiant). */
enum { T1_MOTHERBOARD, T1_FRONTEND, T1_POWERBOARD, T1_WATER, T1_PTMCU,
       T1_DIODE, T1_PTCONTROLLER, T1_SETPOINT };
enum { T3_CPU, T3_BACKEND, T3_INTERFACE, T3_SNAKE, T3_AMBIANT };

/* What a preset holds ("all parameters settable by user"). */
struct settings {
	double fps, tint;
	bool tintgranularity, tcdsadjust, vrefadjust;
	double vref, snake_setpoint;
	bool bias, adaptbias, flat, badpixel, imagetags, led;
	bool extsynchro;
	int ext_polarity, ext_exposure, ext_source;
	bool swsynchro;
	int sw_source, extmarker_source;
	long nbframesperswtrig;
	bool cropping;
	struct crop crop;
	long aduoffset, tlsydel, darkoptimlevel;
	double syncdelay;
	int sensibility, tuning;
	bool hdr, hdr_extended;
	int hdr_calibration;
	bool agc;
	long agc_level[AGC_N], agc_frames[AGC_N];
	double agc_ratio[AGC_N];
	char agc_roi[32];
	int agc_priority;
	long snake[SNAKE_NPARAMS];
	/* C-RED One */
	long gain, resetwidth, nbreadworeset, nsamplepixel, nloop;
	int mode;
	bool rawimages, testpattern;
};

struct license {
	char name[48];
	bool enabled;
};

/* A temperature sensor of a model: `temperatures WORDS`. */
struct temp_sensor {
	const char *words;   /* "CPU", "cryostat diode" */
	const char *label;   /* verbose name */
	const char *unit;    /* "C" or "K" */
	double initial;
	double low, warn, trip; /* safe mode below low or above trip; event above warn */
};

#define EVENT_QUEUE 32

struct event_queue {
	char *lines[EVENT_QUEUE];
	int head, count;
};

struct camera {
	const struct sim_model_info *model;
	char firmware[16];
	enum cam_state state;
	char reason[128];           /* `status detailed` */
	bool events;                /* `set events on` (kept across reboots) */
	struct event_queue evq;

	struct settings set;        /* live settings */
	struct settings presets[NPRESETS];
	struct store *preset_files[NPRESETS]; /* bias/flat files saved with each preset */
	int preset;                 /* active preset (C-RED One: always 0) */
	struct store *nuc;          /* live bias/flat correction files */
	struct store *files;        /* camera files: bad pixel maps, licenses */
	struct light light;         /* what the sensor sees (`sim light`) */
	uint16_t *pattern;          /* C-RED One: the 32 uploaded test images, full
				     * sensor each (testpattern.c); NULL before the
				     * first upload, then never moved */

	/* network and access (not in presets) */
	int ip_mode;
	char ip_address[16], ip_netmask[16], ip_gateway[16], ip_dns[16], ip_altdns[16];
	char ip_active[16];         /* address in use until reboot / `set ip refresh` */
	char password[64];
	bool telnet, remotemaintenance;
	int interface;              /* C-RED 3: Camera Link or USB */

	struct license lic[MAX_LICENSES];
	int nlic;
	bool hdr_licensed;          /* decided at boot from the enabled licenses */

	/* health */
	double temp[NTEMPS];        /* fixed sensors; cryostat ones come from cryo */
	bool temp_warned[NTEMPS];
	double pressure;            /* mbar at pressure_t0 */
	double pressure_t0;
	double pressure_rise;       /* mbar per simulated second: the slow leak */
	bool pressure_warned;
	bool cooling, standby;
	struct { double t0, T0, target, rate; } cryo; /* cryostat temperature ramp (K) */
	int nbregen;                /* getter regenerations ever */
	double regen_at[REGEN_HISTORY];
	int nregen_at;
	double regen_start, regen_end, regen_p0;
	bool error_last_session;    /* boot ends in prevsafe */
	bool locked_for_good;       /* boot ends in locked */

	/* timers: simulated time of the next step, < 0 when idle */
	double boot_next;
	double standby_end;         /* brief standby after reaching the setpoint */
	struct { bool active; int kind; int nframes; double start, end; } nuc_build;
	uint64_t rng;
	/* triggered acquisition: swtrig and swtrigabort commands accepted so
	 * far (the frame output follows them) */
	uint64_t swtrigs, swtrigaborts;
};

/* camera.c: construction, settings, derived limits */
struct camera *camera_new(const struct sim_model_info *model, const char *firmware, uint64_t seed);
void camera_free(struct camera *cam);
bool camera_is_one(const struct camera *cam);
/* Compare the camera firmware with "X.Y.Z": true if at least that. */
bool camera_fw_at_least(const struct camera *cam, const char *version);
int fw_compare(const char *a, const char *b);
void camera_factory_settings(const struct camera *cam, struct settings *s);
void camera_factory_reset(struct camera *cam);
const struct temp_sensor *camera_temp_sensors(const struct camera *cam, int *count);
double camera_temperature(const struct camera *cam, int index, double now);
/* Effective frame geometry (cropping applied). */
int camera_width(const struct camera *cam);
int camera_height(const struct camera *cam);
double camera_minfps(const struct camera *cam);
double camera_maxfps(const struct camera *cam);
/* C-RED One: seconds between two reads of an exposure (the single read
 * pace; in IOTA the formula's frame time). */
double camera_read_time(const struct camera *cam);
double camera_maxfpsusb(const struct camera *cam);
double camera_mintint(const struct camera *cam);
double camera_maxtint(const struct camera *cam);
double camera_maxtintitr(const struct camera *cam);
long camera_maxgain(const struct camera *cam);
/* After a geometry or mode change: pull fps (and tint) back into range,
 * tint on its step. */
void camera_fit_timing(struct camera *cam);
/* C-RED 3: tint to the nearest step of its granularity, within limits. */
void camera_round_tint(struct camera *cam);
void camera_save_preset(struct camera *cam);
int camera_load_preset(struct camera *cam, int n);
/* The store a file kind lives in (per-preset NUC files or camera files). */
struct store *camera_store_for(struct camera *cam, const char *kind);
uint32_t camera_random(struct camera *cam);

/* state.c: state machine, timers, health, events */
const char *cam_state_name(enum cam_state st);
/* A state word valid for this model ("presave" is read as prevsafe); -1 if not. */
int cam_state_parse(const struct camera *cam, const char *word);
void camera_set_state(struct camera *cam, enum cam_state st, const char *reason);
/* Put the camera in st with consistent conditions (cooling, pressure). */
void camera_force_state(struct camera *cam, enum cam_state st, double now, const char *reason);
void camera_power_on(struct camera *cam, double now, const char *reason);
void camera_power_off(struct camera *cam, double now);
double camera_next_deadline(const struct camera *cam);
void camera_advance(struct camera *cam, double now);
/* Health changes from outside (the sim commands): check limits. */
void camera_check_health(struct camera *cam, double now);
void camera_set_cryostat(struct camera *cam, double kelvin, double now);
/* Cryostat pressure in mbar: rises slowly with time (PRESSURE_RISE), falls
 * during a getter regeneration. */
double camera_pressure(const struct camera *cam, double now);
void camera_set_pressure(struct camera *cam, double mbar, double now);
/* The water warms with the heat the camera gives it (pulse tube, getter):
 * the reading is the supply temperature plus this. */
double camera_water_heating(const struct camera *cam, double now);
/* Set the water reading to celsius under the present load. */
void camera_set_water(struct camera *cam, double celsius, double now);
double camera_getter_power(const struct camera *cam);
double camera_pulsetube_power(const struct camera *cam, double now);
/* Pressure limits of this firmware: poor vacuum above, faulty vacuum above. */
double camera_poor_vacuum(const struct camera *cam);
double camera_faulty_vacuum(const struct camera *cam);
/* C-RED One cooling: 0 or -1 with the refusal in msg. */
int camera_cooling(struct camera *cam, bool on, double now, char *msg, size_t size);
int camera_standby(struct camera *cam, bool on, char *msg, size_t size);
int camera_continue(struct camera *cam, double now, char *msg, size_t size);
int camera_redovacuum(struct camera *cam, double now, char *msg, size_t size);
/* 0, or -1 with the refusal in msg while a getter regeneration runs. */
int camera_interruptible(const struct camera *cam, double now, char *msg, size_t size);
int camera_nuc_start(struct camera *cam, int kind, int nframes, double now, char *msg, size_t size);
void camera_nuc_abort(struct camera *cam);
double camera_nuc_remaining(const struct camera *cam, double now);
void camera_event(struct camera *cam, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Next queued event line (malloc'd, without "event: "), or NULL. */
char *camera_pop_event(struct camera *cam);

/* NUC kinds, shared by exec build*, buildnuc and the file names. */
enum nuc_kind { NUC_BIAS, NUC_FLAT, NUC_FLAT_HDR_C1, NUC_FLAT_HDR_C2 };
const char *nuc_kind_file(int kind);
/* Fill the store with a built correction file of that kind. */
void camera_nuc_build_file(struct camera *cam, int kind);

#endif
