/* crednuc: bias and flat correction files of C-RED cameras. Main options,
 * dispatch to the subcommands (the files of cmd/crednuc/) and what they share. */
#include "crednuc.h"

#include <stdlib.h>
#include <string.h>

static const struct subcommand subcmds[] = {
	{ "bias", cmd_bias },
	{ "flat", cmd_flat },
	{ "check", cmd_check },
	{ "upload", cmd_upload },
	{ "enable", cmd_enable },
	{ "disable", cmd_enable },
	{ "camera", cmd_camera },
};

void crednuc_help(void)
{
	printf("Usage: %s [OPTIONS] COMMAND [ARGS...]\n"
	       "Build, check and upload the bias and flat correction files of a C-RED camera.\n"
	       "\n"
	       "Commands:\n"
	       "  bias [INPUT...] [-- COMMAND...]\n"
	       "                           build a bias file from dark frames\n"
	       "  flat [INPUT...] [-- COMMAND...]\n"
	       "                           build a flat file from flat-field frames\n"
	       "  check FILE               validate a bias or flat file for a model and window\n"
	       "  upload KIND FILE         send a file to the camera and check it took it\n"
	       "  enable CORRECTION...     switch corrections on: bias, flat, badpixel, adaptbias\n"
	       "  disable CORRECTION...    switch corrections off\n"
	       "  camera KIND              run the camera's own build: bias, flat, flat_hdr_c1\n"
	       "                           or flat_hdr_c2\n"
	       "\n"
	       "Build options (bias, flat):\n"
	       "  -o, --output=FILE        the camera's binary file (default: KIND.bin; - is\n"
	       "                           standard output)\n"
	       "      --force              replace existing output files\n"
	       "      --kind=KIND          bias: bias, bias_hdr_c1 or bias_hdr_c2; flat: flat,\n"
	       "                           flat_hdr_c1 or flat_hdr_c2 (default: bias, flat)\n"
	       "      --hdr=c1|c2          the HDR kind for that capacitor (bias_hdr_c1 ...)\n"
	       "      --method=METHOD      mean (default), median or clip (sigma-clipped mean)\n"
	       "      --sigma=K            clip: reject values K standard deviations away (3)\n"
	       "      --frames=N           use at most N frames (default: all)\n"
	       "      --skip=N             ignore the first N frames\n"
	       "      --width=W, --height=H\n"
	       "                           geometry of raw input frames\n"
	       "      --tags=TAGS          tags of raw input: cred3, credone or none\n"
	       "                           (default: the model's)\n"
	       "      --geometry=WxH       check against this window rather than the camera's\n"
	       "      --fits=FILE          also write the result as a FITS image\n"
	       "      --clamp              store values that do not fit as the nearest that\n"
	       "                           does, instead of failing\n"
	       "      --bias=FILE          flat: the bias file to subtract\n"
	       "      --no-bias            flat: the frames are bias-corrected already\n"
	       "      --normalize=mean|median\n"
	       "                           flat: the response every pixel is brought to\n"
	       "                           (default: median)\n"
	       "  -- COMMAND...            read the frames from COMMAND's output; for an HDR\n"
	       "                           kind, with 'hdr calibration' set for it meanwhile\n"
	       "\n"
	       "Check options:\n"
	       "      --kind=KIND          the file's kind (default: from its name)\n"
	       "      --geometry=WxH       the window to check against (default: the camera's,\n"
	       "                           else the full sensor)\n"
	       "\n"
	       "Upload options:\n"
	       "      --xmodem             XMODEM with CRC-16 (xsendfile) instead of raw sendfile\n"
	       "      --1k                 XMODEM with 1024-byte blocks\n"
	       "      --url[=ADDR]         let the camera fetch the file from a one-shot HTTP\n"
	       "                           server on this computer at ADDR (default: the address\n"
	       "                           that reaches a tcp: camera)\n"
	       "      --http-port=N        TCP port of that server (default: any free port)\n"
	       "      --no-check           send without checking the file against the camera\n"
	       "      --enable             switch the correction on after the upload\n"
	       "\n"
	       "Camera build options:\n"
	       "      --frames=N           frames the camera averages, 10-256 (default: 256;\n"
	       "                           firmware 1.1.0 and later)\n"
	       "\n", get_prog_name());
	print_common_help(COMMON_JSON);
	printf("\n"
	       "Exit status: 0 done, 1 the camera refused or a check failed, 2 usage error,\n"
	       "3 no answer (cannot open, timeout, port busy, lost link).\n"
	       "Interrupted: 128 + the signal (130 for Ctrl-C). See crednuc(1) and credtools(7).\n");
}

/* crednuc's main options are the common ones too. */
const struct tool_opts nuc_no_opts = {
	.shortopts = "+",
	.common = COMMON_JSON,
	.print_help = crednuc_help,
};

/* ---- the camera ------------------------------------------------------------------ */

static void on_event(const char *line, void *user)
{
	struct nuc *nuc = user;

	if (!nuc->opts.quiet)
		fprintf(stderr, "%s: camera %s\n", get_prog_name(), line);
}

struct cred_camera *nuc_camera(struct nuc *nuc)
{
	if (!nuc->cam) {
		nuc->cam = open_camera(&nuc->opts);
		cred_cli_set_event_handler(cred_camera_cli(nuc->cam), on_event, nuc);
	}
	return nuc->cam;
}

void nuc_close(struct nuc *nuc)
{
	cred_camera_close(nuc->cam);
	nuc->cam = NULL;
}

int nuc_get(struct nuc *nuc, const char *name, char **value)
{
	int err = cred_camera_get(nuc_camera(nuc), name, value);

	if (err < 0 && err != CRED_ERR_FAIL && err != CRED_ERR_SUPP && err != CRED_ERR_ARG)
		die_cred(err, "cannot read '%s'", name);
	return err;
}

void nuc_set(struct nuc *nuc, const char *name, const char *value)
{
	char *readback = NULL;
	int err = cred_camera_set(nuc_camera(nuc), name, value, &readback);

	if (err < 0)
		die_cred(err == CRED_ERR_ARG ? CRED_ERR_FAIL : err, "cannot set %s to %s", name, value);
	free(readback);
}

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	struct nuc nuc = { .opts = { 0 } };
	int first, opt, status;

	set_prog_name(argv[0]);
	ignore_file_size_signal();
	while ((opt = common_getopt(argc, argv, &nuc_no_opts, &nuc.opts)) != -1)
		die_usage("unexpected option");
	first = optind;
	status = run_subcommand(subcmds, ARRAY_SIZE(subcmds), argc - first, argv + first, &nuc);
	json_finish(first < argc ? argv[first] : "", status);
	nuc_close(&nuc);
	if (fflush(stdout) != 0)
		die_perror("cannot write to standard output");
	return status;
}
