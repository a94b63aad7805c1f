/* credgrab: acquire frames from a C-RED camera (USB, a recorded or piped
 * stream, the simulator) and write them as raw frames, the y4m pipe
 * stream, FITS or a PNG quick-look. */
#include "credgrab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_MS 5000
#define DEFAULT_ISIO_POLL_S 5

enum {
	OPT_DURATION = OPT_TOOL_BASE, OPT_WIDTH, OPT_HEIGHT, OPT_SIGNED, OPT_UNSIGNED, OPT_TAGS,
	OPT_FORCE, OPT_ALLOW_DROPS, OPT_NO_CAMERA, OPT_TRANSFERS, OPT_TRANSFER_SIZE,
	OPT_USB_IDS, OPT_USB_INTERFACE, OPT_USB_ENDPOINT, OPT_USB_REQUESTS, OPT_USB_REQUEST_TYPE, OPT_USB_FLUSH,
	OPT_BUFFER, OPT_JSON_TO, OPT_LIST_SOURCES, OPT_BUFFERS,
	OPT_ISIO_BUFFER, OPT_ISIO_REMOVE, OPT_ISIO_POLL,
};

static const struct option long_options[] = {
	{ "source", required_argument, NULL, 's' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "count", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "keyword", required_argument, NULL, 'k' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "allow-drops", no_argument, NULL, OPT_ALLOW_DROPS },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "height", required_argument, NULL, OPT_HEIGHT },
	{ "signed", no_argument, NULL, OPT_SIGNED },
	{ "unsigned", no_argument, NULL, OPT_UNSIGNED },
	{ "tags", required_argument, NULL, OPT_TAGS },
	{ "no-camera", no_argument, NULL, OPT_NO_CAMERA },
	{ "isio-buffer", required_argument, NULL, OPT_ISIO_BUFFER },
	{ "isio-remove", required_argument, NULL, OPT_ISIO_REMOVE },
	{ "isio-poll", required_argument, NULL, OPT_ISIO_POLL },
	{ "transfers", required_argument, NULL, OPT_TRANSFERS },
	{ "transfer-size", required_argument, NULL, OPT_TRANSFER_SIZE },
	{ "usb-ids", required_argument, NULL, OPT_USB_IDS },
	{ "usb-interface", required_argument, NULL, OPT_USB_INTERFACE },
	{ "usb-endpoint", required_argument, NULL, OPT_USB_ENDPOINT },
	{ "usb-requests", required_argument, NULL, OPT_USB_REQUESTS },
	{ "usb-request-type", required_argument, NULL, OPT_USB_REQUEST_TYPE },
	{ "usb-flush", required_argument, NULL, OPT_USB_FLUSH },
	{ "buffer", required_argument, NULL, OPT_BUFFER },
	{ "buffers", required_argument, NULL, OPT_BUFFERS },
	{ "list-sources", no_argument, NULL, OPT_LIST_SOURCES },
	/* --json takes where to: not the common flag */
	{ "json", optional_argument, NULL, OPT_JSON_TO },
	{ NULL, 0, NULL, 0 },
};

static void print_help(void)
{
	printf("Usage: credgrab [OPTIONS]\n"
	       "Acquire frames from a C-RED camera and write them as raw frames, a y4m\n"
	       "pipe stream or 8-bit preview, FITS, a PNG quick-look or a milk\n"
	       "ImageStreamIO stream.\n"
	       "\n"
	       "Source and output:\n"
	       "  -s, --source SOURCE      usb[:BUS.ADDR] (default), file:PATH or PATH (a\n"
	       "                           recorded stream), - (standard input), sim[:SOCKET]\n"
	       "                           (the simulator's stream; the default under credsim,\n"
	       "                           from $CRED_SIM_FRAMES), edt[:UNIT[:CHANNEL]] (an EDT\n"
	       "                           Camera Link grabber), gentl:PRODUCER.cti[#IF[/DEV]]\n"
	       "                           (a GenTL producer's grabber)\n"
	       "      --list-sources       list the USB cameras, EDT channels and GenTL devices\n"
	       "                           found, and exit (--json: as JSON)\n"
	       "  -o, --output FILE        where to write ('-', standard output, by default);\n"
	       "                           a %%d in FILE writes one file per frame (dark-%%04d.fits);\n"
	       "                           isio:NAME the shared-memory stream NAME\n"
	       "  -f, --format FORMAT      raw, y4m (the exact 16-bit pipe stream), y4m8 (an\n"
	       "                           8-bit stretched preview for players: credgrab -f\n"
	       "                           y4m8 | ffplay -), fits, fits.fz, png or isio\n"
	       "                           (default: from FILE's extension; raw on standard\n"
	       "                           output)\n"
	       "  -n, --count N            stop after N frames (default: at the end of the\n"
	       "                           stream or on Ctrl-C; 1 for a PNG)\n"
	       "      --duration SECONDS   stop after SECONDS\n"
	       "  -k, --keyword KEY=VALUE  add a FITS header or stream keyword (repeatable)\n"
	       "      --force              replace existing output files\n"
	       "      --allow-drops        succeed even if frames were dropped\n"
	       "      --buffer SIZE        the frame ring between the source and the output:\n"
	       "                           BYTES (k, M, G suffixes) or SECONDS at the camera's\n"
	       "                           rate followed by s (default 2s from a camera, 256M\n"
	       "                           when its rate is unknown, at most half the memory\n"
	       "                           available; 16M from a file or a pipe, which waits)\n"
	       "      --json[=stderr]      a JSON summary at the end: frames, drops by cause,\n"
	       "                           ring use, throughput (on standard output, which\n"
	       "                           then cannot carry frames; =stderr: on stderr)\n"
	       "\n"
	       "milk ImageStreamIO streams (-o isio:NAME; NAME.im.shm in $MILK_SHM_DIR,\n"
	       "else /milk/shm):\n"
	       "      --isio-buffer N      a circular buffer of the last N frames (3-D stream)\n"
	       "      --isio-remove NAME   remove stream NAME and exit\n"
	       "      --isio-poll SECONDS  ask the camera for its state (fps, tint, gain,\n"
	       "                           temperatures) this often and update the stream's\n"
	       "                           keywords (default 5; 0: never)\n"
	       "      --force              also: replace a stream of another shape, or write\n"
	       "                           into one a running process owns\n"
	       "\n"
	       "Frame geometry (read from the camera when it can be asked):\n"
	       "  -m, --model MODEL        cred3 or credone: full-sensor frames with tags\n"
	       "      --width PIXELS       pixels per row, as sent\n"
	       "      --height ROWS        rows per frame\n"
	       "      --signed, --unsigned pixel format (C-RED 3 signed, C-RED One unsigned)\n"
	       "      --tags KIND          image tags: cred3, cred3-any (pixel 2 unchecked),\n"
	       "                           credone or none\n"
	       "      --no-camera          do not ask the camera over its command port\n"
	       "\n"
	       "Frame grabbers (edt:, gentl:):\n"
	       "      --buffers N          frame buffers in the grabber's ring (default 16)\n"
	       "\n"
	       "USB:\n"
	       "      --transfers N        bulk transfers in flight (default 16)\n"
	       "      --transfer-size BYTES  bytes per transfer, a multiple of 1024\n"
	       "                           (default 524288)\n"
	       "      --usb-ids VID:PID    the camera's USB IDs in hex (default 2faf:0001)\n"
	       "      --usb-interface N    the imaging interface (default 0)\n"
	       "      --usb-endpoint EP    its bulk IN endpoint (default 0x81)\n"
	       "      --usb-requests START,STOP  vendor requests that start and stop the\n"
	       "                           stream (default 1,2)\n"
	       "      --usb-request-type TYPE  their bmRequestType (default 0x40)\n"
	       "      --usb-flush MS       before starting, read and drop stale data until the\n"
	       "                           line is quiet for MS milliseconds (default 50; 0: no)\n"
	       "\n"
	       "Common options:\n"
	       "  -p, --port PORT          the camera's command port, to read the geometry and\n"
	       "                           settings from (default: $CRED_PORT; auto for usb)\n"
	       "  -t, --timeout SECONDS    give up when no data comes for SECONDS (default 5;\n"
	       "                           0 waits for ever, e.g. for triggered acquisition)\n"
	       "      --deadline SECONDS   limit of the whole run, the lock wait included\n"
	       "                           (exit status 3; --duration is the clean stop)\n"
	       "      --wait-lock[=SECONDS]  wait for a command port another process is using,\n"
	       "                           for ever or SECONDS (default 5; 0: fail at once)\n"
	       "  -v, --verbose            say more (-vv traces the command port)\n"
	       "  -q, --quiet              no status line, no summary\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "Exit status: 0 done; 1 frames dropped or an output file problem; 2 usage\n"
	       "error; 3 no answer (no source, no data, lost link). The first Ctrl-C stops\n"
	       "the source and writes what the ring holds; a second stops at once. Stopped\n"
	       "before -n or --duration (or by a second signal): 128 + the signal (130).\n");
}

static void parse_usb_ids(struct config *c, const char *s)
{
	unsigned vid, pid;
	char tail;

	if (sscanf(s, "%x:%x%c", &vid, &pid, &tail) != 2 || vid > 0xffff || pid > 0xffff ||
	    vid == 0 || pid == 0)
		die_usage("invalid USB IDs '%s': expected VID:PID in hex, e.g. 2faf:0001", s);
	c->stream.usb_vid = (int)vid;
	c->stream.usb_pid = (int)pid;
}

static void parse_requests(struct config *c, const char *s)
{
	char *copy = strdup(s), *comma;

	if (!copy)
		die("out of memory");
	comma = strchr(copy, ',');
	if (!comma)
		die_usage("invalid USB requests '%s': expected START,STOP (e.g. 1,2)", s);
	*comma = '\0';
	c->stream.usb_start_request = (int)get_long_arg("start request", copy, 0, 255);
	c->stream.usb_stop_request = (int)get_long_arg("stop request", comma + 1, 0, 255);
	free(copy);
}

static void add_keyword(struct config *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : 0;

	if (!eq || n == 0 || n > 8 || strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789-_") != n)
		die_usage("invalid keyword '%s': expected KEY=VALUE with KEY of up to 8 letters, "
			  "digits, '-' or '_'", arg);
	if (c->nkeys == MAX_KEYWORDS)
		die_usage("too many keywords (at most %d)", MAX_KEYWORDS);
	c->keys[c->nkeys].name = strndup(arg, n);
	if (!c->keys[c->nkeys].name)
		die("out of memory");
	c->keys[c->nkeys].value = eq + 1;
	c->nkeys++;
}

static void parse_option(struct config *c, int opt, const char *arg)
{
	switch (opt) {
	case 's': c->source = arg; break;
	case 'o': c->output = arg; break;
	case 'f':
		c->type = cred_file_type_parse(arg);
		if (c->type == CRED_FILE_UNKNOWN)
			die_usage("invalid format '%s': raw, y4m, y4m8, fits, fits.fz, png or isio", arg);
		break;
	case 'n': c->count = (uint64_t)get_long_arg("frame count", arg, 1, 0x7fffffffffffffffL); break;
	case OPT_DURATION: c->duration = get_double_arg("duration", arg, 0, 1e7); break;
	case 'k': add_keyword(c, arg); break;
	case OPT_FORCE: c->force = true; break;
	case OPT_ALLOW_DROPS: c->allow_drops = true; break;
	case OPT_WIDTH: c->width = (int)get_long_arg("width", arg, 1, 65535); break;
	case OPT_HEIGHT: c->height = (int)get_long_arg("height", arg, 1, 65535); break;
	case OPT_SIGNED: c->sign = 1; break;
	case OPT_UNSIGNED: c->sign = 0; break;
	case OPT_TAGS: {
		struct cred_frame_format f;

		if (cred_frame_format_set_tags(&f, arg) != CRED_OK)
			die_usage("invalid tag kind '%s': cred3, cred3-any, credone or none", arg);
		c->tags = arg;
		break;
	}
	case OPT_NO_CAMERA: c->no_camera = true; break;
	case OPT_ISIO_BUFFER: c->isio_buffer = (unsigned)get_long_arg("stream buffer", arg, 1, 65536); break;
	case OPT_ISIO_REMOVE: c->isio_remove = arg; break;
	case OPT_ISIO_POLL: c->isio_poll = get_double_arg("poll interval", arg, 0, 86400); break;
	case OPT_TRANSFERS: c->stream.transfers = (int)get_long_arg("transfer count", arg, 1, 1024); break;
	case OPT_TRANSFER_SIZE:
		c->stream.transfer_size = (size_t)get_long_arg("transfer size", arg, 1024, 256L << 20);
		if (c->stream.transfer_size % 1024)
			die_usage("invalid transfer size '%s': must be a multiple of 1024", arg);
		break;
	case OPT_USB_IDS: parse_usb_ids(c, arg); break;
	case OPT_USB_INTERFACE: c->stream.usb_interface = (int)get_long_arg("USB interface", arg, 0, 255); break;
	case OPT_USB_ENDPOINT:
		c->stream.usb_endpoint = (int)get_long_arg("USB endpoint", arg, 0x81, 0x8f);
		break;
	case OPT_USB_REQUESTS: parse_requests(c, arg); break;
	case OPT_USB_REQUEST_TYPE:
		c->stream.usb_request_type = (int)get_long_arg("USB request type", arg, 0, 0x7f);
		break;
	case OPT_USB_FLUSH: c->stream.flush_ms = (int)get_long_arg("flush time", arg, 0, 10000); break;
	case OPT_BUFFER: parse_buffer(arg, &c->buffer); break;
	case OPT_JSON_TO:
		if (arg && strcmp(arg, "stderr") && strcmp(arg, "stdout"))
			die_usage("invalid --json '%s': --json, --json=stdout or --json=stderr", arg);
		c->json = arg && !strcmp(arg, "stderr") ? JSON_STDERR : JSON_STDOUT;
		break;
	case OPT_BUFFERS: c->stream.buffers = (int)get_long_arg("buffer count", arg, 2, 4096); break;
	case OPT_LIST_SOURCES: c->list_sources = true; break;
	default: die_usage("unknown option");
	}
}

static const struct tool_opts tool_options = {
	.shortopts = "s:o:f:n:k:",
	.longopts = long_options,
	.common = COMMON_TIMEOUT_ZERO,
	.print_help = print_help,
};

static void parse_config(int argc, char **argv, struct config *c)
{
	int opt;

	memset(c, 0, sizeof(*c));
	/* under `credsim -- credgrab ...`: the simulated camera's stream */
	c->source = getenv("CRED_SIM_FRAMES") && *getenv("CRED_SIM_FRAMES") ? "sim" : "usb";
	c->output = "-";
	c->sign = -1;
	c->isio_poll = DEFAULT_ISIO_POLL_S;
	cred_stream_options_init(&c->stream);
	while ((opt = common_getopt(argc, argv, &tool_options, &c->common)) != -1)
		parse_option(c, opt, optarg);
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	c->timeout_ms = c->common.timeout_set ? c->common.timeout_ms : DEFAULT_TIMEOUT_MS;
	if (c->json == JSON_STDOUT && !c->list_sources && strcmp(c->output, "-") == 0)
		die_usage("the frames go to standard output: use --json=stderr, or -o FILE");
}

/* ---- putting the run together ------------------------------------------------ */

static bool is_usb(const struct config *c)
{
	return strcmp(c->source, "usb") == 0 || strncmp(c->source, "usb:", 4) == 0;
}

static bool is_pattern(const char *name)
{
	for (const char *p = strchr(name, '%'); p; p = strchr(p + 2, '%'))
		if (p[1] != '%')
			return true;
	return false;
}

static void output_type(struct config *c)
{
	bool to_stdout = strcmp(c->output, "-") == 0;

	if (c->type == CRED_FILE_UNKNOWN)
		c->type = to_stdout ? CRED_FILE_RAW : cred_file_type_from_name(c->output);
	if (c->type == CRED_FILE_UNKNOWN)
		die_usage("cannot tell the format of '%s': use a .fits, .fits.fz, .png, .y4m or .raw "
			  "name, or -f", c->output);
	if (to_stdout && !cred_file_type_streams(c->type))
		die_usage("%s cannot go to standard output (raw, y4m and y4m8 can): use -o FILE",
			  cred_file_type_name(c->type));
	if (c->type == CRED_FILE_PNG && !is_pattern(c->output)) {
		if (c->count > 1)
			die_usage("a PNG holds one frame: use -n 1, or a %%d pattern in the file name");
		c->count = 1;
	}
	isio_check_options(c);
	if (c->type != CRED_FILE_ISIO && !to_stdout && !c->force && !is_pattern(c->output) &&
	    access(c->output, F_OK) == 0)
		die_code(EXIT_REFUSED, "'%s' exists (use --force to replace it)", c->output);
}

/* Ask the camera when its port is known (or found: USB). */
static bool ask_camera(struct config *c, struct camera_info *info)
{
	int explicit, err;
	const char *port = cred_port_resolve(c->common.port, &explicit);

	if (c->no_camera || (!explicit && !is_usb(c)))
		return false;
	err = camera_query(c, explicit ? port : "auto", info);
	if (err == CRED_OK) {
		c->camera_port = explicit ? port : "auto";
		return true;
	}
	if (explicit)
		die_code(exit_code_for(err) == EXIT_USAGE ? EXIT_USAGE : EXIT_NO_ANSWER,
			 "cannot read the frame geometry from the camera: %s (--no-camera uses the "
			 "options instead)", cred_last_error());
	if (c->common.verbose)
		print_warning("cannot ask the camera (%s): using the options", cred_last_error());
	return false;
}

static void frame_format(const struct config *c, const struct camera_info *info,
			 struct cred_frame_format *f)
{
	bool have = false;

	memset(f, 0, sizeof(*f));
	if (info->have_format) {
		*f = info->format;
		have = true;
	} else if (c->common.model || is_usb(c)) {
		/* only the C-RED 3 has a USB link */
		cred_frame_format_init(f, c->common.model ? c->common.model->id : CRED_MODEL_CRED3);
		have = true;
	}
	if (!have && (!c->width || !c->height))
		die_usage("the frame geometry is unknown: give -m MODEL, or --width and --height "
			  "(or -p PORT to ask the camera)");
	if (c->width)
		f->width = c->width;
	if (c->height)
		f->height = c->height;
	if (c->sign >= 0)
		f->pixel_signed = c->sign;
	if (c->tags)
		cred_frame_format_set_tags(f, c->tags);
	if (cred_frame_format_check(f) != CRED_OK)
		die_usage("%s", cred_last_error());
}

static void writer_options(const struct config *c, const struct camera_info *info,
			   const struct cred_frame_format *f, struct cred_writer_options *wo,
			   struct cred_keyword *keys)
{
	size_t n = 0;

	memset(wo, 0, sizeof(*wo));
	wo->type = c->type;
	wo->format = *f;
	wo->fps = info->fps;
	wo->tint = info->tint;
	wo->overwrite = c->force;
	wo->buffer_slices = c->isio_buffer;
	/* the camera's state first, then the user's keywords, which win */
	for (size_t i = 0; i < info->nkeys; i++)
		keys[n++] = info->keys[i];
	for (size_t i = 0; i < c->nkeys; i++)
		keys[n++] = c->keys[i];
	wo->keywords = keys;
	wo->nkeywords = n;
}

static const char *tags_name(const struct cred_frame_format *f)
{
	switch (f->tags) {
	case CRED_TAGS_CRED3: return f->rules.pixel2_zero ? "C-RED 3 tags" : "C-RED 3 tags (any pixel 2)";
	case CRED_TAGS_CREDONE: return "C-RED One tags";
	default: return "no tags";
	}
}

int main(int argc, char **argv)
{
	struct config c;
	struct camera_info info;
	struct cred_frame_format f;
	struct cred_writer_options wo;
	struct cred_keyword keys[2 * MAX_KEYWORDS];
	struct grab_result res = { 0 };
	int code;

	set_prog_name(argv[0]);
	ignore_file_size_signal();
	parse_config(argc, argv, &c);
	if (c.list_sources)
		return list_sources(&c);
	if (c.isio_remove)
		return isio_remove(c.isio_remove, c.force);
	output_type(&c);
	memset(&info, 0, sizeof(info));
	if (ask_camera(&c, &info))
		c.silence = info.silence;
	frame_format(&c, &info, &f);
	writer_options(&c, &info, &f, &wo, keys);
	if (c.common.verbose)
		fprintf(stderr, "credgrab: %dx%d %s frames, %s, from '%s' to '%s' (%s)\n", f.width,
			f.height, f.pixel_signed ? "signed" : "unsigned", tags_name(&f), c.source,
			c.output, cred_file_type_name(c.type));
	code = grab(&c, &info, &wo, &res);
	camera_info_free(&info);
	for (size_t i = 0; i < c.nkeys; i++)
		free((char *)c.keys[i].name);
	return code;
}
