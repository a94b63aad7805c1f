/* Small helpers shared by the frame writers and readers. */
#include "frame-impl.h"

const char *cred_model_detector(enum cred_model_id model)
{
	switch (model) {
	case CRED_MODEL_CRED3: return "SNAKE-SW";
	case CRED_MODEL_CREDONE: return "SAPHIRA";
	default: return "";
	}
}
