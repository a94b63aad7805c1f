/* Command-line options (see options.h); --help must match credsim(1). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cred-error.h"
#include "options.h"

static void print_help(void)
{
	printf("Usage: credsim [OPTION]... [-- COMMAND [ARG]...]\n"
	       "A simulated C-RED 3 or C-RED One camera: its command interpreter on a TCP\n"
	       "port and on a pseudo-terminal. With COMMAND, run it against the camera and\n"
	       "exit with its status; otherwise print the endpoints and serve until SIGINT\n"
	       "or SIGTERM.\n"
	       "\n"
	       "Options:\n"
	       "  -m, --model MODEL      cred3 (default) or credone\n"
	       "      --tcp [HOST:]PORT  listen there (default 127.0.0.1:0, a free port)\n"
	       "      --no-tcp           no TCP endpoint\n"
	       "      --pty LINK         symlink to the pty slave (default\n"
	       "                         $TMPDIR/credsim-PID/tty, /tmp without TMPDIR)\n"
	       "      --no-pty           no pseudo-terminal\n"
	       "      --export tcp|pty   endpoint given to COMMAND in CRED_PORT (default tcp)\n"
	       "      --time-scale F     simulated time runs F times faster (default 1)\n"
	       "      --fault SPEC       inject a fault, repeatable (see FAULTS)\n"
	       "      --seed N           seed of the simulated randomness (default 1)\n"
	       "      --firmware X.Y.Z   firmware version to report (default 3.1.1 on a\n"
	       "                         C-RED 3, 2.3.0 on a C-RED One)\n"
	       "      --state STATE      start in STATE (prevsafe, poorvacuum, safe ...)\n"
	       "      --boot             start powered off and boot from starting\n"
	       "      --frames SOCKET    serve the frame stream there (default\n"
	       "                         $TMPDIR/credsim-PID/frames)\n"
	       "      --no-frames        no frame socket\n"
	       "      --no-pacing        frames as fast as the clients read them, instead\n"
	       "                         of at the frame rate\n"
	       "      --stream-copy FILE write to FILE every byte the oldest frame client was\n"
	       "                         sent\n"
	       "      --frame-fault SPEC a fault on the frame stream, repeatable (see FRAME\n"
	       "                         FAULTS)\n"
	       "      --usb-transfer-size BYTES  bulk transfer size of USB recordings ('sim\n"
	       "                         usb record'): what the host will ask (default 524288)\n"
	       "      --usb-transfers N  transfers the recorded host keeps in flight (default 16)\n"
	       "      --usb-no-flush     recordings for a host that reads no stale data first\n"
	       "  -v, --verbose          log every command on stderr\n"
	       "  -h, --help             show this help and exit\n"
	       "  -V, --version          show the version and exit\n"
	       "\n"
	       "Faults: SPEC is KIND[:ARG][/COMMAND][@N]. KIND is drop (ARG bytes removed\n"
	       "from the answer, default 3), late-tail (the second half of the answer comes\n"
	       "again ARG ms after the prompt, default 200), double-prompt, stall (answer\n"
	       "held ARG ms, default 3000), garbage (ARG random bytes first, default 8) or\n"
	       "no-answer. /COMMAND limits it to commands starting with those words, @N to\n"
	       "the Nth of them. Example: --fault 'late-tail/set cropping@1'.\n"
	       "\n"
	       "Frame faults: SPEC is KIND[:ARG][@N], N the frame counter (default: the next\n"
	       "frame). KIND is drop (ARG frames, default 1), corrupt (the first ARG bytes,\n"
	       "default 8), truncate (the last ARG bytes, default 1024), short (USB: the\n"
	       "transfer ends ARG bytes into the frame, default 0), stall (socket: nothing\n"
	       "sent for ARG ms, default 1000; USB: an endpoint stall) or gone (the stream\n"
	       "ends, the clients are disconnected; USB: the device is gone).\n"
	       "\n"
	       "COMMAND gets CRED_PORT (tcp:HOST:PORT, or the pty path with --export pty),\n"
	       "CRED_SIM_TCP (HOST:PORT), CRED_SIM_PTY (the pty path) and CRED_SIM_FRAMES\n"
	       "(the frame socket, credgrab's default source). Commands starting\n"
	       "with 'sim' control the simulator itself; 'sim help' lists them.\n");
}

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "credsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'credsim --help' for more information.\n");
	exit(2);
}

static bool valid_version(const char *v)
{
	int a, b, c, n = -1;

	return sscanf(v, "%d.%d.%d%n", &a, &b, &c, &n) == 3 && n == (int)strlen(v) &&
	       a >= 0 && b >= 0 && c >= 0;
}

static void check(struct options *o)
{
	if (o->no_tcp && o->no_pty)
		usage_error("nothing to serve: --no-tcp and --no-pty together");
	if ((o->export == EXPORT_TCP && o->no_tcp) || (o->export == EXPORT_PTY && o->no_pty))
		usage_error("--export names a disabled endpoint");
	if (o->boot && o->state)
		usage_error("--boot and --state are exclusive");
	if (o->firmware && !valid_version(o->firmware))
		usage_error("invalid firmware version '%s' (expected X.Y.Z)", o->firmware);
	if (o->no_frames && (o->frames || o->stream_copy))
		usage_error("--no-frames and %s together", o->frames ? "--frames" : "--stream-copy");
}

static void add_frame_fault(struct options *o, const char *spec)
{
	struct ffault f;
	char err[300];

	if (ffault_parse(spec, &f, err, sizeof(err)))
		usage_error("%s", err);
	if (o->nframe_faults == MAX_FFAULTS)
		usage_error("too many --frame-fault options (at most %d)", MAX_FFAULTS);
	o->frame_faults[o->nframe_faults++] = spec;
}

static long number_arg(const char *what, const char *arg, long min, long max)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || arg[0] == '-' || arg[0] == '+' || v < min || v > max)
		usage_error("invalid %s '%s' (%ld to %ld)", what, arg, min, max);
	return v;
}

static void add_fault(struct options *o, const char *spec)
{
	struct fault f;
	char err[300];

	if (fault_parse(spec, &f, err, sizeof(err)))
		usage_error("%s", err);
	if (o->nfaults == MAX_FAULTS)
		usage_error("too many --fault options (at most %d)", MAX_FAULTS);
	o->faults[o->nfaults++] = spec;
}

enum { OPT_TCP = 256, OPT_NO_TCP, OPT_PTY, OPT_NO_PTY, OPT_EXPORT, OPT_SCALE, OPT_FAULT,
       OPT_SEED, OPT_FIRMWARE, OPT_STATE, OPT_BOOT, OPT_FRAMES, OPT_NO_FRAMES, OPT_NO_PACING,
       OPT_STREAM_COPY, OPT_FRAME_FAULT, OPT_USB_SIZE, OPT_USB_TRANSFERS, OPT_USB_NO_FLUSH };

static void parse_one(struct options *o, int c, const char *arg)
{
	char *end;

	switch (c) {
	case 'm':
		if (!(o->model = sim_model_by_key(arg)))
			usage_error("unknown model '%s' (cred3 or credone)", arg);
		break;
	case OPT_TCP: o->tcp = arg; break;
	case OPT_NO_TCP: o->no_tcp = true; break;
	case OPT_PTY: o->pty = arg; break;
	case OPT_NO_PTY: o->no_pty = true; break;
	case OPT_EXPORT:
		if (!strcmp(arg, "tcp"))
			o->export = EXPORT_TCP;
		else if (!strcmp(arg, "pty"))
			o->export = EXPORT_PTY;
		else
			usage_error("invalid --export '%s' (tcp or pty)", arg);
		break;
	case OPT_SCALE:
		o->time_scale = strtod(arg, &end);
		if (end == arg || *end || !(o->time_scale > 0) || o->time_scale > 1e7)
			usage_error("invalid time scale '%s' (a number above 0)", arg);
		break;
	case OPT_FAULT: add_fault(o, arg); break;
	case OPT_SEED:
		o->seed = strtoull(arg, &end, 0);
		if (end == arg || *end || arg[0] == '-')
			usage_error("invalid seed '%s'", arg);
		break;
	case OPT_FIRMWARE: o->firmware = arg; break;
	case OPT_STATE: o->state = arg; break;
	case OPT_BOOT: o->boot = true; break;
	case OPT_FRAMES: o->frames = arg; break;
	case OPT_NO_FRAMES: o->no_frames = true; break;
	case OPT_NO_PACING: o->no_pacing = true; break;
	case OPT_STREAM_COPY: o->stream_copy = arg; break;
	case OPT_FRAME_FAULT: add_frame_fault(o, arg); break;
	case OPT_USB_SIZE:
		o->usb_transfer_size = number_arg("USB transfer size", arg, 1024, 256L << 20);
		if (o->usb_transfer_size % 1024)
			usage_error("invalid USB transfer size '%s' (a multiple of 1024)", arg);
		break;
	case OPT_USB_TRANSFERS: o->usb_transfers = (int)number_arg("USB transfer count", arg, 1, 1024); break;
	case OPT_USB_NO_FLUSH: o->usb_no_flush = true; break;
	case 'v': o->verbose++; break;
	case 'h': print_help(); exit(0);
	case 'V':
		printf("credsim (credtools) %s, libcred %s\n", CRED_VERSION, cred_version());
		exit(0);
	default:
		fprintf(stderr, "Try 'credsim --help' for more information.\n");
		exit(2);
	}
}

void options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "tcp", required_argument, NULL, OPT_TCP },
		{ "no-tcp", no_argument, NULL, OPT_NO_TCP },
		{ "pty", required_argument, NULL, OPT_PTY },
		{ "no-pty", no_argument, NULL, OPT_NO_PTY },
		{ "export", required_argument, NULL, OPT_EXPORT },
		{ "time-scale", required_argument, NULL, OPT_SCALE },
		{ "fault", required_argument, NULL, OPT_FAULT },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "firmware", required_argument, NULL, OPT_FIRMWARE },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "boot", no_argument, NULL, OPT_BOOT },
		{ "frames", required_argument, NULL, OPT_FRAMES },
		{ "no-frames", no_argument, NULL, OPT_NO_FRAMES },
		{ "no-pacing", no_argument, NULL, OPT_NO_PACING },
		{ "stream-copy", required_argument, NULL, OPT_STREAM_COPY },
		{ "frame-fault", required_argument, NULL, OPT_FRAME_FAULT },
		{ "usb-transfer-size", required_argument, NULL, OPT_USB_SIZE },
		{ "usb-transfers", required_argument, NULL, OPT_USB_TRANSFERS },
		{ "usb-no-flush", no_argument, NULL, OPT_USB_NO_FLUSH },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->model = sim_model_by_key("cred3");
	o->time_scale = 1.0;
	o->seed = 1;
	o->usb_transfer_size = 512 << 10;
	o->usb_transfers = 16;
	/* "+": options end at the first non-option, the COMMAND */
	while ((c = getopt_long(argc, argv, "+m:vhV", longopts, NULL)) != -1)
		parse_one(o, c, optarg);
	if (optind < argc)
		o->command = argv + optind;
	check(o);
}
