/* Model facts (see model.h). */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include "model.h"

static const struct sim_model_info models[] = {
	{ SIM_CRED3, "cred3", "C-RED 3", "SNAKE-SW TECLESS InGaAs 640x512 15um",
	  640, 512, "3.1.1", "C3-0142", "0x7c2a91e05d34b816" },
	{ SIM_CREDONE, "credone", "C-RED ONE", "SAPHIRA e-APD HgCdTe 320x256 24um",
	  320, 256, "2.3.0", "C1-0057", "0x3f08d2b64e19a7c5" },
};

const struct sim_model_info *sim_model_get(enum sim_model id)
{
	return &models[id == SIM_CREDONE];
}

const struct sim_model_info *sim_model_by_key(const char *key)
{
	static const struct { const char *name; enum sim_model id; } names[] = {
		{ "cred3", SIM_CRED3 }, { "3", SIM_CRED3 },
		{ "credone", SIM_CREDONE }, { "cred1", SIM_CREDONE },
		{ "one", SIM_CREDONE }, { "1", SIM_CREDONE },
	};
	char norm[32];
	size_t n = 0;

	/* Accept "C-RED 3", "c-red-one", "CRED1": drop case, '-', ' ' and '_'. */
	for (const char *p = key; *p && n < sizeof(norm) - 1; p++)
		if (*p != '-' && *p != ' ' && *p != '_')
			norm[n++] = tolower((unsigned char)*p);
	norm[n] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(norm, names[i].name))
			return sim_model_get(names[i].id);
	return NULL;
}
