/* HDR calibration around a build: the C-RED 3 sends C1-only or C2-only
 * images while `hdr calibration c1|c2` is set, which is what an HDR flat
 * (or an external HDR bias) must be built from. crednuc sets it for the
 * build and puts the previous value back afterwards, also when the run
 * ends in an error (an exit handler does it then). */
#include "crednuc.h"

#include <stdlib.h>
#include <string.h>

static struct {
	struct nuc *nuc;
	char previous[16];
	bool pending;
} saved;

/* Back to the previous calibration. Runs from exit too, so it must not
 * die: failures are reported and left at that. */
void hdr_calibration_end(void)
{
	struct cred_camera_options o;
	struct cred_camera *cam;
	struct nuc *nuc = saved.nuc;
	int err;

	if (!saved.pending)
		return;
	saved.pending = false;
	restore_stop_signals(); /* a clean-up: it must reach the camera after Ctrl-C */
	cam = nuc->cam;
	if (!cam) {
		memset(&o, 0, sizeof(o));
		o.port = nuc->opts.port;
		o.model = nuc->opts.model ? nuc->opts.model->id : CRED_MODEL_UNKNOWN;
		o.timeout_ms = nuc->opts.timeout_ms;
		o.lock_wait_ms = 10000; /* the grab may still hold the port a moment */
		if ((err = cred_camera_open(&o, &cam)) < 0)
			goto fail;
		nuc->cam = cam;
	}
	if ((err = cred_camera_set(cam, "hdr.calibration", saved.previous, NULL)) < 0)
		goto fail;
	if (nuc->opts.verbose)
		fprintf(stderr, "%s: hdr calibration back to %s\n", get_prog_name(), saved.previous);
	return;
fail:
	print_error("could not set 'hdr calibration' back to %s: %s", saved.previous,
		    cred_last_error());
}

void hdr_calibration_begin(struct nuc *nuc, int capacitor)
{
	static bool registered;
	char *hdr = NULL, *previous = NULL, want[4];

	if (nuc_get(nuc, "hdr", &hdr) < 0 || strcmp(hdr, "on"))
		die("HDR files need HDR mode: the camera has hdr %s (set hdr on first)",
		    hdr ? hdr : "unknown");
	free(hdr);
	if (nuc_get(nuc, "hdr.calibration", &previous) < 0)
		die("cannot read the HDR calibration: %s", cred_last_error());
	snprintf(want, sizeof(want), "c%d", capacitor);
	if (!registered) {
		atexit(hdr_calibration_end);
		registered = true;
	}
	saved.nuc = nuc;
	snprintf(saved.previous, sizeof(saved.previous), "%s", previous);
	free(previous);
	if (!strcmp(saved.previous, want))
		return; /* already so: nothing to restore */
	saved.pending = true;
	nuc_set(nuc, "hdr.calibration", want);
	if (nuc->opts.verbose)
		fprintf(stderr, "%s: hdr calibration %s (was %s)\n", get_prog_name(), want,
			saved.previous);
}
