/* Command-line options of credsim. */
#ifndef CREDSIM_OPTIONS_H
#define CREDSIM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include "faults.h"
#include "model.h"
#include "stream-faults.h"

enum export_kind { EXPORT_DEFAULT, EXPORT_TCP, EXPORT_PTY };

struct options {
	const struct sim_model_info *model;
	const char *tcp;        /* [HOST:]PORT, NULL: 127.0.0.1:0 */
	bool no_tcp;
	const char *pty;        /* symlink path, NULL: $TMPDIR/credsim-PID/tty */
	bool no_pty;
	enum export_kind export;
	double time_scale;
	const char *faults[MAX_FAULTS];
	int nfaults;
	uint64_t seed;
	const char *firmware;
	const char *state;
	bool boot;
	int verbose;
	/* the frame output */
	const char *frames;     /* socket path, NULL: $TMPDIR/credsim-PID/frames */
	bool no_frames;
	bool no_pacing;
	const char *stream_copy;
	const char *frame_faults[MAX_FFAULTS];
	int nframe_faults;
	long usb_transfer_size; /* USB recordings: what the host will use */
	int usb_transfers;
	bool usb_no_flush;
	char **command;         /* after "--", NULL-terminated; NULL: serve only */
};

/* Fill o from argv. Prints help or version and exits 0, or prints a usage
 * error and exits 2. */
void options_parse(int argc, char **argv, struct options *o);

#endif
