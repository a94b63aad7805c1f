/* The scene (see scene.h): follow the camera, rebuild the plan when what
 * it depends on changed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scene-impl.h"

struct scene *scene_new(const struct camera *cam, uint64_t seed)
{
	struct scene *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return NULL;
	sc->model = cam->model;
	if (sensor_init(&sc->sensor, cam, seed)) {
		free(sc);
		return NULL;
	}
	return sc;
}

void scene_free(struct scene *sc)
{
	if (!sc)
		return;
	plan_free(&sc->plan);
	sensor_free(&sc->sensor);
	free(sc);
}

static void make_key(struct plan_key *k, const struct camera *cam, double now)
{
	double t = camera_is_one(cam) ? camera_temperature(cam, T1_DIODE, now) : cam->temp[T3_SNAKE];

	memset(k, 0, sizeof(*k));
	k->set = cam->set;
	k->light = cam->light;
	k->nuc_gen = store_generation(cam->nuc);
	k->files_gen = store_generation(cam->files);
	/* dark current follows the temperature: a change of 0.01 degree counts */
	k->temp_mk = lrint(t * 100);
	k->maxfps = camera_maxfps(cam);
	k->valid = true;
}

const struct scene_info *scene_update(struct scene *sc, const struct camera *cam, double now)
{
	struct plan_key k;

	make_key(&k, cam, now);
	if (sc->key.valid && !memcmp(&k, &sc->key, sizeof(k)))
		return &sc->plan.info;
	sc->key = k;
	if (plan_build(&sc->plan, &sc->sensor, cam, now)) {
		plan_free(&sc->plan);
		snprintf(sc->plan.info.why, sizeof(sc->plan.info.why), "out of memory");
	}
	sc->plan.info.generation = ++sc->generation;
	return &sc->plan.info;
}

void scene_render(struct scene *sc, uint32_t counter, int pos, uint8_t *out)
{
	plan_render(&sc->plan, &sc->sensor, counter, pos, out);
}
