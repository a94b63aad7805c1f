/* Validated settings: everything is checked before anything is sent, then
 * applied in the order the camera needs and read back.
 *
 * Order (struct cred_param.order): a preset first (it replaces
 * everything), the C-RED One readout mode and its parameters (a mode change
 * can reset the gain and rescale fps), leaving HDR, the cropping window
 * (columns and rows separately: the camera rejects the combined form) and
 * then cropping on/off, configuration that moves the tint limits, fps
 * (`set fps` resets tint on C-RED 3), tint, gain, and the rest in the
 * caller's order. */
#include "camera-impl.h"
#include "model-impl.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct setting {
	const struct cred_param *p;
	const char *value; /* as given, a unit turned into the table's ("5ms" -> 0.005) */
	char number[256];  /* where that copy lives (value and send point
			    * into it: re-pointed after the sort moves it) */
	const char *send;  /* what goes on the wire: the table's word for on/off and choices */
	size_t index;      /* position in the caller's arrays */
	int rank;
	int deferred;      /* its live limits depend on an earlier setting of the batch */
};

/* The table's spelling of a switch or choice value ("ON" -> "on"). */
static const char *canonical(const struct cred_param *p, const char *value)
{
	if (p->type == CRED_PARAM_SWITCH)
		return strcasecmp(value, "on") == 0 ? "on" : "off";
	if (p->type == CRED_PARAM_CHOICE)
		for (size_t i = 0; p->choices[i]; i++)
			if (strcasecmp(p->choices[i], value) == 0)
				return p->choices[i];
	return value;
}

/* Everything that can be checked without asking the camera. */
static int prepare(struct cred_camera *cam, const char *name, const char *value, struct setting *s)
{
	double lo, hi;
	int r;

	if ((r = cred_camera_param(cam, name, 1, &s->p)) < 0)
		return r;
	if (!value)
		return cred_fail(CRED_ERR_ARG, "%s needs a value", s->p->name);
	if ((r = cred_param_normalize(s->p, value, s->number, sizeof(s->number))) < 0)
		return r;
	value = s->number;
	/* A bound the camera tells live is left open here (a cropped C-RED
	 * runs faster than the manual's full-frame figure); live_check()
	 * applies it once the camera has said. */
	lo = s->p->min_cmd ? -DBL_MAX : NAN;
	hi = s->p->max_cmd ? DBL_MAX : NAN;
	if ((r = cred_camera_firmware_gate(cam, s->p, value)) < 0 ||
	    (r = cred_param_check_step(s->p, value, lo, hi, 0)) < 0)
		return r;
	s->value = value;
	s->send = canonical(s->p, value);
	s->rank = s->p->order ? s->p->order : CRED_ORDER_OTHER;
	/* Leaving HDR lifts the minimum window, so it goes before cropping. */
	if (strcmp(s->p->name, "hdr") == 0 && strcmp(s->send, "off") == 0)
		s->rank = CRED_ORDER_HDR_OFF;
	return CRED_OK;
}

static int live_check(struct cred_camera *cam, const struct setting *s)
{
	double lo, hi, step;
	int r;

	if (!s->p->min_cmd && !s->p->max_cmd && !s->p->step_cmd)
		return CRED_OK;
	if ((r = cred_camera_live_limits(cam, s->p, &lo, &hi, &step)) < 0)
		return r;
	return cred_param_check_step(s->p, s->value, lo, hi, step);
}

/* A setting's current value on the camera, or NULL when the camera cannot
 * tell (rejected, firmware too old, unexpected answer): only a lost link
 * is an error. */
int cred_camera_current(struct cred_camera *cam, const char *name, char **value)
{
	const struct cred_param *p = cred_param_find(cam->model->id, name);
	int r;

	*value = NULL;
	if (!p || cred_camera_firmware_gate(cam, p, NULL) < 0) {
		cred_clear_error();
		return CRED_OK;
	}
	r = cred_camera_read(cam, p, value);
	if (r == CRED_ERR_FAIL || r == CRED_ERR_PROTO) {
		cred_clear_error();
		return CRED_OK;
	}
	return r;
}

static const struct setting *find_setting(const struct setting *set, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(set[i].p->name, name) == 0)
			return &set[i];
	return NULL;
}

/* A value from the batch if it sets name, else the camera's; *owned is
 * what to free. */
static int after(struct cred_camera *cam, const struct setting *set, size_t n, const char *name,
		 const char **value, char **owned)
{
	const struct setting *s = find_setting(set, n, name);
	int r;

	*owned = NULL;
	if (s) {
		*value = s->send;
		return CRED_OK;
	}
	r = cred_camera_current(cam, name, owned);
	*value = *owned;
	return r;
}

/* C-RED 3 in HDR needs a window of at least 96x72: check the window the
 * camera will have once the batch is applied. */
static int cred3_window_check(struct cred_camera *cam, const struct setting *set, size_t n)
{
	const char *hdr, *crop, *cols = NULL, *rows = NULL;
	char *o_hdr = NULL, *o_crop = NULL, *o_cols = NULL, *o_rows = NULL;
	int r;

	if (cam->model->id != CRED_MODEL_CRED3 ||
	    (!find_setting(set, n, "hdr") && !find_setting(set, n, "cropping") &&
	     !find_setting(set, n, "cropping.columns") && !find_setting(set, n, "cropping.rows")))
		return CRED_OK;
	if ((r = after(cam, set, n, "hdr", &hdr, &o_hdr)) < 0 || !hdr || strcmp(hdr, "on") ||
	    (r = after(cam, set, n, "cropping", &crop, &o_crop)) < 0 || !crop || strcmp(crop, "on") ||
	    (r = after(cam, set, n, "cropping.columns", &cols, &o_cols)) < 0 ||
	    (r = after(cam, set, n, "cropping.rows", &rows, &o_rows)) < 0)
		goto out;
	/* A window the camera reports in a form we do not parse counts as full. */
	if (o_cols && cred_crop_check(CRED_MODEL_CRED3, "columns", o_cols, NULL) < 0)
		cols = NULL;
	if (o_rows && cred_crop_check(CRED_MODEL_CRED3, "rows", o_rows, NULL) < 0)
		rows = NULL;
	r = cred_crop_check_window(CRED_MODEL_CRED3, cols, rows, 1);
out:
	free(o_hdr);
	free(o_crop);
	free(o_cols);
	free(o_rows);
	return r;
}

/* Stable sort by rank: ties keep the caller's order. */
static void sort_settings(struct setting *set, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct setting s = set[i];
		size_t j = i;

		for (; j > 0 && set[j - 1].rank > s.rank; j--)
			set[j] = set[j - 1];
		set[j] = s;
	}
	for (size_t i = 0; i < n; i++) {
		set[i].value = set[i].number;
		set[i].send = canonical(set[i].p, set[i].number);
	}
}

/* Live limits are checked up front unless an earlier setting of the batch
 * can move them (fps moves the tint limits, cropping moves maxfps). */
static int precheck_live(struct cred_camera *cam, struct setting *set, size_t n)
{
	int r;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			if (set[j].rank < set[i].rank && set[j].rank < CRED_ORDER_OTHER)
				set[i].deferred = 1;
		if (!set[i].deferred && (r = live_check(cam, &set[i])) < 0)
			return r;
	}
	return CRED_OK;
}

/* Append the names of the settings already sent to the current message. */
static int with_applied(int r, const struct setting *set, size_t applied)
{
	char msg[512], list[256] = "";
	size_t len = 0;

	if (applied == 0)
		return r;
	snprintf(msg, sizeof(msg), "%s", cred_last_error());
	for (size_t i = 0; i < applied && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
					set[i].p->name);
	return cred_fail(r, "%s (already applied: %s)", msg, list);
}

static int apply(struct cred_camera *cam, struct setting *set, size_t n)
{
	char *answer = NULL;
	int r;

	for (size_t i = 0; i < n; i++) {
		if (set[i].deferred && (r = live_check(cam, &set[i])) < 0)
			return with_applied(r, set, i);
		r = cred_cli_commandf(cam->cli, 0, &answer, "%s %s", set[i].p->set_cmd, set[i].send);
		free(answer);
		answer = NULL;
		if (r < 0)
			return with_applied(r, set, i);
	}
	return CRED_OK;
}

/* Read every setting back; a switch the camera did not take (HDR without
 * its license) is a refusal. */
static int read_back(struct cred_camera *cam, const struct setting *set, size_t n, char **readback)
{
	int r;

	for (size_t i = 0; i < n; i++) {
		char *value = NULL;

		if (!set[i].p->get_cmd)
			continue;
		if ((r = cred_camera_read(cam, set[i].p, &value)) < 0)
			return r;
		if (set[i].p->type == CRED_PARAM_SWITCH &&
		    (!strcmp(value, "on") || !strcmp(value, "off")) && strcmp(value, set[i].send)) {
			r = cred_fail(CRED_ERR_FAIL, "the camera accepted '%s %s' but %s reads %s",
				      set[i].p->set_cmd, set[i].send, set[i].p->name, value);
			free(value);
			return r;
		}
		if (readback)
			readback[set[i].index] = value;
		else
			free(value);
	}
	return CRED_OK;
}

static int prepare_all(struct cred_camera *cam, const char *const *names, const char *const *values,
		       size_t n, struct setting *set)
{
	int r;

	for (size_t i = 0; i < n; i++) {
		if ((r = prepare(cam, names[i], values[i], &set[i])) < 0)
			return r;
		set[i].index = i;
		for (size_t j = 0; j < i; j++)
			if (set[j].p == set[i].p)
				return cred_fail(CRED_ERR_ARG, "%s is given twice", set[i].p->name);
	}
	return CRED_OK;
}

int cred_camera_set_list(struct cred_camera *cam, const char *const *names,
			 const char *const *values, size_t n, char **readback)
{
	struct setting *set;
	int r;

	cred_clear_error();
	for (size_t i = 0; readback && i < n; i++)
		readback[i] = NULL;
	if (n == 0)
		return CRED_OK;
	if (!(set = calloc(n, sizeof(*set))))
		return cred_fail(CRED_ERR_MEM, "out of memory");
	if ((r = prepare_all(cam, names, values, n, set)) == CRED_OK) {
		sort_settings(set, n);
		if ((r = cred3_window_check(cam, set, n)) == CRED_OK &&
		    (r = precheck_live(cam, set, n)) == CRED_OK && (r = apply(cam, set, n)) == CRED_OK)
			r = read_back(cam, set, n, readback);
	}
	if (r < 0 && readback)
		for (size_t i = 0; i < n; i++) {
			free(readback[i]);
			readback[i] = NULL;
		}
	free(set);
	return r;
}

int cred_camera_set_many(struct cred_camera *cam, const char *const *names,
			 const char *const *values, size_t n)
{
	return cred_camera_set_list(cam, names, values, n, NULL);
}

int cred_camera_set(struct cred_camera *cam, const char *name, const char *value, char **readback)
{
	char *got[1] = { NULL };
	int r = cred_camera_set_list(cam, &name, &value, 1, got);

	if (readback)
		*readback = got[0];
	else
		free(got[0]);
	return r;
}
