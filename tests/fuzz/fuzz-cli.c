/* Fuzz target: the command-line interpreter client reading what a camera
 * sends back (lib/cli-read.c: units, prompts, the answer window, late
 * tails, events; lib/cli.c: the recovery after a garbled answer) and the
 * text classifiers applied to answers (lib/cli-parse.c, param.c).
 *
 * Input: byte 0 picks the read size (1-16 bytes at a time), byte 1 the
 * first command; the rest is what the camera sends, cut at "|||" into one
 * segment per write (the first segment is on the line before the first
 * command). Commands are run until the input is used up. */
#include "fuzz.h"
#include "cli-impl.h"
#include "model-impl.h"

static const char *const commands[] = {
	"fps", "status", "tint", "cropping columns", "cropping rows", "mode",
	"temp cryostat", "version", "cameratype", "set fps 100", "set tint 0.001",
	"maxfps", "mintint", "cropping", "shutter", "licenses", "led",
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void check_answer(const char *answer)
{
	double d;
	long l;

	(void)cred_cli_is_rejection(answer);
	(void)cred_cli_is_blank(answer);
	(void)cred_cli_is_event_line(answer);
	(void)cred_parse_double(answer, &d);
	(void)cred_parse_long(answer, &l);
	free(cred_cli_escape(answer, strlen(answer), 64));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_port f;
	struct cred_port *port;
	struct cred_cli *cli;
	char *answer, *event;
	size_t which, n;

	if (size < 2)
		return 0;
	which = data[1];
	if (!(port = fuzz_port_new(&f, data + 2, size - 2, (data[0] & 15) + 1, "|||")))
		return 0;
	if (cred_cli_new(port, &cli) < 0) {
		fuzz_port_free(&f);
		return 0;
	}
	cred_cli_set_model(cli, which & 1 ? CRED_MODEL_CRED3 : CRED_MODEL_CREDONE);
	cred_cli_set_timeout(cli, 1000);
	for (n = 0; n < 8 && f.released < f.nsegs; n++, which = which * 7 + 3) {
		const char *cmd = commands[which % NCOMMANDS];

		answer = NULL;
		if (which & 4 ? cred_cli_raw(cli, cmd, 0, &answer) == CRED_OK
			      : cred_cli_command(cli, cmd, 0, &answer) == CRED_OK)
			check_answer(answer);
		free(answer);
		while (cred_cli_next_event(cli, &event) > 0) {
			check_answer(event);
			free(event);
		}
	}
	(void)cred_cli_poll_events(cli, 0);
	while (cred_cli_next_event(cli, &event) > 0)
		free(event);
	cred_cli_free(cli);
	fuzz_port_free(&f);
	return 0;
}
