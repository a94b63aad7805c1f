/* Helpers of the frame grabber sources: loading the vendor's library at
 * run time and checking the grabber's configured geometry. */
#include "grabber-impl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *cred_grabber_dlopen(const char *what, const char *env, const char *const *names)
{
	const char *given = getenv(env);
	char tried[1024] = "";
	size_t used = 0;
	void *dl;

	if (given && *given) {
		dl = dlopen(given, RTLD_NOW | RTLD_LOCAL);
		if (!dl)
			cred_fail(CRED_ERR_SUPP, "cannot load %s '%s' (from %s): %s", what, given, env,
				  dlerror());
		return dl;
	}
	for (size_t i = 0; names[i]; i++) {
		dl = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (dl)
			return dl;
		used += (size_t)snprintf(tried + used, used < sizeof(tried) ? sizeof(tried) - used : 0,
					 "%s'%s'", i ? ", " : "", names[i]);
		if (used >= sizeof(tried))
			used = sizeof(tried) - 1;
	}
	cred_fail(CRED_ERR_SUPP, "cannot load %s: none of %s could be loaded (install the vendor's "
		  "software, or name the library in %s)", what, tried, env);
	return NULL;
}

void cred_grabber_dlclose(void *dl)
{
	dlclose(dl);
}

void *cred_grabber_sym(void *dl, const char *name)
{
	return dlsym(dl, name);
}

int cred_grabber_check_geometry(const char *name, int width, int height, int bits,
				const struct cred_frame_format *fmt, const char *fix)
{
	if (!fmt || (width == fmt->width && height == fmt->height && bits == 16))
		return CRED_OK;
	return cred_fail(CRED_ERR_DATA, "'%s' is configured for %dx%d frames of %d-bit pixels but the "
			 "camera sends %dx%d frames of 16-bit pixels: %s", name, width, height, bits,
			 fmt->width, fmt->height, fix);
}

int cred_grabber_buffers(const struct cred_stream_options *o)
{
	int n = o && o->buffers > 0 ? o->buffers : CRED_GRABBER_BUFFERS;

	return n < 2 ? 2 : n;
}
