/* The two simulated models and their fixed facts. */
#ifndef CREDSIM_MODEL_H
#define CREDSIM_MODEL_H

enum sim_model { SIM_CRED3, SIM_CREDONE };

struct sim_model_info {
	enum sim_model id;
	const char *key;          /* -m value: "cred3", "credone" */
	const char *type;         /* `cameratype raw`: "C-RED 3", "C-RED ONE" */
	const char *sensor;       /* cameratype sensor line */
	int width, height;        /* full sensor in pixels */
	const char *firmware;     /* default --firmware */
	const char *serial;       /* serial number */
	const char *hwuid;        /* `hwuid raw` */
};

const struct sim_model_info *sim_model_get(enum sim_model id);
/* "cred3", "c-red3", "3", "credone", "one", "1" ...; NULL if unknown. */
const struct sim_model_info *sim_model_by_key(const char *key);

#endif
