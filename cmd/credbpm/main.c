/* credbpm: bad-pixel maps of C-RED cameras. Main options, dispatch to the
 * subcommands (one file per job in cmd/credbpm/) and what they share. */
#include "credbpm.h"

#include <stdlib.h>
#include <string.h>

static const struct subcommand subcmds[] = {
	{ "download", cmd_download },
	{ "upload", cmd_upload },
	{ "restore-factory", cmd_restore_factory },
	{ "enable", cmd_switch },
	{ "disable", cmd_switch },
	{ "detect", cmd_detect },
	{ "stats", cmd_stats },
	{ "list", cmd_list },
	{ "diff", cmd_diff },
	{ "merge", cmd_merge },
	{ "set", cmd_set },
	{ "clear", cmd_set },
	{ "convert", cmd_convert },
};

void credbpm_help(void)
{
	printf("Usage: %s [OPTIONS] COMMAND [ARGS...]\n"
	       "Detect, inspect, convert, download and upload the bad pixel maps of C-RED cameras.\n"
	       "\n"
	       "Camera commands (C-RED 3, firmware 1.1.0 and later):\n"
	       "  download [--factory] [-o FILE]\n"
	       "                           the camera's user (or factory) map, size and MD5 checked\n"
	       "  upload FILE              replace the camera's user map, then read it back\n"
	       "  restore-factory          store the factory map as the user map\n"
	       "  enable, disable          switch bad pixel correction on or off\n"
	       "\n"
	       "Map commands:\n"
	       "  detect [--dark FRAMES] [--flat FRAMES] -o MAP [-- COMMAND...]\n"
	       "                           find bad pixels in dark and flat-field frames\n"
	       "  stats MAP                count, fraction, clusters, pixels the camera cannot fix\n"
	       "  list MAP                 the bad pixels, 'x y' per line (0-based)\n"
	       "  diff A B                 pixels added and removed from A to B (exit 1 if any)\n"
	       "  merge A B... -o OUT      pixels bad in any of the maps\n"
	       "  set MAP X Y...           mark pixels bad (in place)\n"
	       "  clear MAP X Y...         mark pixels good (in place)\n"
	       "  convert IN -o OUT        between the formats below\n"
	       "\n"
	       "Map formats (from the file name, or -f): bin (the camera's 1-bit map, any\n"
	       "other name), pbm (PBM P4 image), fits (8-bit mask, 1 = bad), txt (x y per\n"
	       "line), png (a picture, written only).\n"
	       "\n"
	       "Options:\n"
	       "  -o, --output=FILE        output file (- is standard output)\n"
	       "  -f, --format=FORMAT      format of the output (default: from its name)\n"
	       "      --from=FORMAT        convert: format of the input\n"
	       "      --force              replace an existing output file\n"
	       "      --factory            download: the factory map\n"
	       "      --over=FRAME.fits    convert to png: draw the map over this frame\n"
	       "\n"
	       "Detect options:\n"
	       "      --dark=FRAMES        dark frames (a FITS, y4m or raw file; - is standard\n"
	       "                           input or the command after --)\n"
	       "      --flat=FRAMES        flat-field frames, the same way\n"
	       "      --hot=K              hot: dark level K sigmas above the median (5)\n"
	       "      --noisy=K            noisy: temporal noise K sigmas above the median (8)\n"
	       "      --dead=F             dead: response below F of the median (0.1)\n"
	       "      --low=K              low response: K sigmas below the median (6)\n"
	       "      --high=K             high response: K sigmas above the median (6)\n"
	       "      --origin=X,Y         sensor position of the frames' top-left pixel (cropped\n"
	       "                           frames; default: the camera's window when a port\n"
	       "                           is given, else 0,0)\n"
	       "      --merge=MAP          add the pixels of MAP to the result\n"
	       "      --width=W, --height=H, --tags=TAGS\n"
	       "                           geometry and tags of raw input frames\n"
	       "\n", get_prog_name());
	print_common_help(COMMON_JSON | COMMON_YES);
	printf("\n"
	       "Exit status: 0 done, 1 the camera refused, a check failed or the maps differ,\n"
	       "2 usage error, 3 no answer (cannot open, timeout, port busy, lost link).\n"
	       "Interrupted: 128 + the signal (130 for Ctrl-C). See credbpm(1) and credtools(7).\n");
}

static const struct tool_opts main_opts = {
	.shortopts = "+",
	.common = COMMON_JSON | COMMON_YES,
	.print_help = credbpm_help,
};

/* Subcommands take their options anywhere among their arguments. */
static const struct tool_opts sub_opts = {
	.shortopts = "",
	.common = COMMON_JSON | COMMON_YES,
	.print_help = credbpm_help,
};

int bpm_parse(struct config *cfg, int argc, char **argv, const struct tool_opts *t,
	      int (*handle)(int opt, const char *arg, void *user), void *user)
{
	return parse_subcommand_opts(argc, argv, t ? t : &sub_opts, &cfg->opts, handle, user);
}

static void on_event(const char *line, void *user)
{
	struct config *cfg = user;

	if (!cfg->opts.quiet)
		fprintf(stderr, "%s: camera %s\n", get_prog_name(), line);
}

struct cred_camera *bpm_camera(struct config *cfg)
{
	int err;

	if (cfg->cam)
		return cfg->cam;
	cfg->cam = open_camera(&cfg->opts);
	cred_cli_set_event_handler(cred_camera_cli(cfg->cam), on_event, cfg);
	if ((err = cred_bpm_camera_check(cfg->cam)) < 0)
		die_cred(err, "cannot transfer bad pixel maps");
	return cfg->cam;
}

int main(int argc, char **argv)
{
	struct config cfg = { .opts = { 0 } };
	int opt, status;
	const char *command;

	set_prog_name(argv[0]);
	ignore_file_size_signal();
	while ((opt = common_getopt(argc, argv, &main_opts, &cfg.opts)) != -1)
		die_usage("unexpected option");
	command = optind < argc ? argv[optind] : "";
	status = run_subcommand(subcmds, ARRAY_SIZE(subcmds), argc - optind, argv + optind, &cfg);
	json_finish(command, status);
	cred_camera_close(cfg.cam);
	if (fflush(stdout) != 0)
		die_perror("cannot write to standard output");
	return status;
}
