/* Settings with a plain get/set: the generic handlers read and write a
 * field of struct camera through a descriptor, with the checks and side
 * effects a descriptor names. */
#ifndef CREDSIM_PARAMS_H
#define CREDSIM_PARAMS_H

#include <stddef.h>
#include "camera.h"

struct interp_ctx;

enum ptype {
	P_SWITCH, /* bool, "on"/"off" (set rows may say "enable"/"disable") */
	P_CHOICE, /* int index into choices */
	P_INT,    /* long */
	P_REAL,   /* double */
	P_TEXT,   /* char[max + 1] */
};

union pvalue {
	bool b;
	int choice;
	long i;
	double r;
	const char *text;
};

struct param {
	const char *name;           /* in errors: "fps out of range [...]" */
	const char *label;          /* verbose answer: "Frames per second: ..." */
	enum ptype type;
	size_t off;                 /* offsetof(struct camera, field) */
	const char *const *choices; /* P_CHOICE words, NULL-terminated */
	double min, max;            /* static range; P_TEXT: max is the length */
	const char *vfmt;           /* P_REAL verbose format, NULL: shortest form */
	/* live range (replaces min/max), e.g. [minfps, maxfps] */
	void (*limits)(const struct camera *cam, double *lo, double *hi);
	/* refuse a value (0 or -1 with a message) */
	int (*check)(struct camera *cam, const union pvalue *v, char *msg, size_t size);
	/* after a change: keep dependent settings consistent */
	void (*changed)(struct camera *cam, double now);
};

/* Descriptor shorthands for the command tables. */
#define P_FIELD(f) offsetof(struct camera, f)
#define P_SWITCH_OF(n, l, f) { .name = n, .label = l, .type = P_SWITCH, .off = P_FIELD(f) }
#define P_CHOICE_OF(n, l, f, c) { .name = n, .label = l, .type = P_CHOICE, .off = P_FIELD(f), \
				  .choices = c }
#define P_INT_OF(n, l, f, lo, hi) { .name = n, .label = l, .type = P_INT, .off = P_FIELD(f), \
				    .min = lo, .max = hi }
#define P_REAL_OF(n, l, f, lo, hi) { .name = n, .label = l, .type = P_REAL, .off = P_FIELD(f), \
				     .min = lo, .max = hi }

/* Handlers: the row's arg is the struct param. The value to set is the
 * row's argument or, for "set X on", its last keyword. */
void h_param_get(struct interp_ctx *c);
void h_param_set(struct interp_ctx *c);

/* The text of a parameter's current value ("on", "600", "globalresetcds"). */
const char *param_format(const struct camera *cam, const struct param *p, char *buf, size_t size);
/* Parse and store text as the parameter's value: 0, or -1 with msg. */
int param_assign(struct camera *cam, const struct param *p, const char *text, double now,
		 char *msg, size_t size);

extern const char *const choices_onoff[];
extern const char *const choices_ipmode[];
int check_ipv4(struct camera *cam, const union pvalue *v, char *msg, size_t size);

#endif
