/* The light on the sensor and how defects respond to it (see light.h and
 * scene-impl.h). */
#include "scene-impl.h"

double light_flux(const struct sensor *s, const struct light *l, size_t k, double flat_rate)
{
	switch (l->mode) {
	case LIGHT_DARK: return 0;
	case LIGHT_FLAT: return flat_rate;
	default: return s->flux[k];
	}
}

double sensor_mean_offset(const struct sensor *s)
{
	size_t n = (size_t)s->sw * s->sh;
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += s->offset[i];
	return n ? sum / n : 0;
}

double defect_response(int defect)
{
	switch (defect) {
	case DEFECT_LOW: return DEFECT_LOW_RESPONSE;
	case DEFECT_HIGH: return DEFECT_HIGH_RESPONSE;
	default: return 1;
	}
}
