/* The light on the sensor, for tests (`sim light`): the scene (a sky with
 * stars, the default), darkness (a cap on the lens), or a uniform flat
 * field bright enough to give about LEVEL ADU at the current settings. */
#ifndef CREDSIM_LIGHT_H
#define CREDSIM_LIGHT_H

enum light_mode { LIGHT_SCENE, LIGHT_DARK, LIGHT_FLAT };

struct light {
	enum light_mode mode;
	double level; /* LIGHT_FLAT: ADU wanted */
};

struct interp_ctx;
/* sim light, sim light dark|scene, sim light flat <level> */
void h_sim_light(struct interp_ctx *c);

#endif
