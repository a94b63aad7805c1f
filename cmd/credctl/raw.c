/* credctl raw COMMAND... and the implicit passthrough of any other word:
 * send a camera command as is and print its answer. */
#include "credctl.h"

#include <stdlib.h>
#include <string.h>

static void print_json_answer(const char *command, const char *answer)
{
	json_t *o = json_object();
	json_t *value = json_from_answer(answer);

	json_object_set_new(o, "command", json_text(command));
	json_object_set_new(o, "answer", json_text(answer));
	/* A bare number ("fps raw") is handier as a number. */
	if (json_is_number(value))
		json_object_set_new(o, "value", value);
	else
		json_decref(value);
	print_json(o);
}

/* Send words as one command line. The camera's refusal (its own text) goes
 * to stderr with exit status 1, with suggest a "did you mean" when the
 * first word is a typo of a credctl subcommand. */
static int send_words(struct ctl *ctl, int argc, char **argv, bool suggest)
{
	char *command = join_words(argc, argv);
	char *answer = NULL;
	int err;

	if (!*command)
		die_usage("empty camera command");
	err = ctl_line(ctl, command, &answer);
	if (err == CRED_ERR_FAIL) {
		print_error("camera rejected '%s': %s", command, cred_last_error());
		if (suggest) /* a typo of ours? (not after raw: that was meant) */
			ctl_suggest(command);
		free(command);
		return EXIT_REFUSED;
	}
	if (ctl->opts.json)
		print_json_answer(command, answer);
	else
		print_answer(answer);
	free(answer);
	free(command);
	return EXIT_OK;
}

int cmd_raw(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	/* No option parsing after "raw": every word belongs to the camera,
	 * except a leading "--" for words that look like options. */
	int first = 1;

	if (first < argc && !strcmp(argv[first], "--"))
		first++;
	if (first >= argc)
		die_usage("raw needs a camera command");
	return send_words(ctl, argc - first, argv + first, false);
}

int cmd_passthrough(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	return send_words(ctl, argc, argv, true);
}
