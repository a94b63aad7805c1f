/* credctl check: the JSON record of a check, written with --log (one line
 * per check, appended) and printed with --json. `credctl history` reads
 * these lines back: the field names are a file format (see credctl(1)). */
#include "check.h"

#include <math.h>
#include <time.h>

static void set_text(json_t *obj, const char *key, const char *value)
{
	if (value && *value)
		json_object_set_new(obj, key, json_text(value));
}

static json_t *number_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/* Every performance datum by label, plus the state and the getter count. */
static json_t *record_values(const struct check_run *run, const struct probe *probes, int n)
{
	json_t *values = json_object();

	for (int i = 0; i < n; i++)
		for (int j = 0; j < probes[i].nperf; j++)
			json_object_set_new(values, probes[i].perf[j].param,
					    number_or_null(probes[i].perf[j].value));
	set_text(values, "status", run->state);
	if (!isnan(run->getter_count))
		json_object_set_new(values, "getter.nbregeneration", json_integer((json_int_t)run->getter_count));
	return values;
}

static json_t *record_levels(const struct probe *probes, int n)
{
	json_t *levels = json_object();

	for (int i = 0; i < n; i++)
		json_object_set_new(levels, probes[i].name, json_string(cred_health_level_name(probes[i].level)));
	return levels;
}

/* The limits the pressure was judged against, so that history can tell
 * how far the next warning is without knowing the firmware. */
static json_t *record_limits(const struct check_run *run)
{
	if (!run->vac_used)
		return NULL;
	return json_pack("{s:{s:f, s:f}}", "pressure", "warning", run->vac.poor,
			 "critical", run->vac.faulty);
}

json_t *check_record(const struct check_run *run, const char *what, enum cred_level level,
		     const char *text, const struct probe *probes, int n,
		     const struct cam_identity *id)
{
	char stamp[32];
	json_t *rec = json_object(), *limits;

	cred_format_utc(time(NULL), 0, 1, stamp, sizeof(stamp));
	json_object_set_new(rec, "timestamp", json_string(stamp));
	json_object_set_new(rec, "check", json_string(what));
	if (run->cam) {
		json_set_model(rec, cred_camera_model(run->cam));
		set_text(rec, "version.firmware", cred_camera_firmware(run->cam));
	}
	set_text(rec, "serial", id->serial);
	set_text(rec, "hwuid", id->hwuid);
	json_object_set_new(rec, "level", json_string(cred_health_level_name(level)));
	json_object_set_new(rec, "text", json_text(text));
	json_object_set_new(rec, "levels", record_levels(probes, n));
	json_object_set_new(rec, "values", record_values(run, probes, n));
	if ((limits = record_limits(run)))
		json_object_set_new(rec, "limits", limits);
	return rec;
}
