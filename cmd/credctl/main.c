/* credctl: talk to a C-RED camera's command interpreter. Main options,
 * dispatch to the subcommands (the files of cmd/credctl/) and the helpers they share. */
#include "credctl.h"

#include <stdlib.h>
#include <string.h>

/* Everything not in this table goes to the camera unchanged. */
static const struct subcommand subcmds[] = {
	{ "get", cmd_get },
	{ "set", cmd_set },
	{ "status", cmd_status },
	{ "info", cmd_info },
	{ "temps", cmd_temps },
	{ "wait", cmd_wait },
	{ "list", cmd_list },
	{ "preset", cmd_preset },
	{ "shell", cmd_shell },
	{ "raw", cmd_raw },
	{ "check", cmd_check },
	{ "history", cmd_history },
	{ "getter", cmd_getter },
	{ "cooling", cmd_cooling },
	{ "shutdown", cmd_shutdown },
	{ "dump", cmd_dump },
	{ "apply", cmd_apply },
	{ "reboot", cmd_reboot },
};

const struct subcommand *shell_subcommand(const char *name)
{
	if (!strcmp(name, "shell"))
		return NULL;
	return find_subcommand(subcmds, ARRAY_SIZE(subcmds), name);
}

void ctl_suggest(const char *command)
{
	char word[64];

	snprintf(word, sizeof(word), "%.*s", (int)strcspn(command, " "), command);
	suggest_subcommand(subcmds, ARRAY_SIZE(subcmds), word);
}

const char *shell_subcommand_name(size_t i)
{
	for (size_t k = 0; k < ARRAY_SIZE(subcmds); k++)
		if (strcmp(subcmds[k].name, "shell") && i-- == 0)
			return subcmds[k].name;
	return NULL;
}

void credctl_help(void)
{
	printf("Usage: %s [OPTIONS] COMMAND [ARGS...]\n"
	       "Talk to a C-RED camera's command interpreter.\n"
	       "\n"
	       "Commands:\n"
	       "  get NAME...              read parameters (get --list: the names)\n"
	       "  set NAME VALUE...        check, write and read back parameters\n"
	       "  status                   state, temperatures, frame rate, exposure, corrections\n"
	       "  info                     model, serial number, versions, features, licenses\n"
	       "  temps                    temperatures\n"
	       "  wait STATE...            wait until the camera reaches one of the states\n"
	       "  list                     serial ports, and which look like a C-RED\n"
	       "  preset [N]               show the current preset, or load preset N (0-9)\n"
	       "  preset load N            load preset N, saying which settings it discards\n"
	       "  preset save [N]          save the settings into the current preset, or N\n"
	       "  preset reload            reload the current preset\n"
	       "  preset restore-factory   restore the factory presets and reboot (asks first)\n"
	       "  shell                    interactive session; reads commands from stdin\n"
	       "                           when it is not a terminal\n"
	       "  dump [-o FILE]           every setting as JSON (credtools-json(7))\n"
	       "  apply FILE               check, apply and read back the settings of a dump\n"
	       "  reboot                   reboot and wait until the camera is ready again\n"
	       "  raw COMMAND...           send a camera command as is\n"
	       "  COMMAND...               any other word starts a camera command sent as is\n"
	       "\n", get_prog_name());
	ops_help();
	printf("\n"
	       "Command options:\n"
	       "      --list             get: list the parameter names of the model(s)\n"
	       "  -o, --output=FILE      dump: write to FILE (default: standard output)\n"
	       "      --force            dump: replace an existing FILE\n"
	       "      --interval=SECONDS wait: time between two status polls (default: 1)\n"
	       "      --boot-timeout=SECONDS\n"
	       "                         reboot: how long the camera may take to come back\n"
	       "                         (default: 300)\n"
	       "\n");
	print_common_help(COMMON_JSON | COMMON_YES);
	printf("\n"
	       "Exit status: 0 done, 1 the camera refused or a check failed, 2 usage error,\n"
	       "3 no answer (cannot open, timeout, port busy, lost link).\n"
	       "Interrupted: 128 + the signal (130 for Ctrl-C). See credctl(1) and credtools(7).\n");
}

static const struct tool_opts main_opts = {
	.shortopts = "+",
	.common = COMMON_JSON | COMMON_YES,
	.print_help = credctl_help,
};

const struct tool_opts ctl_no_opts = {
	.common = COMMON_JSON | COMMON_YES,
	.print_help = credctl_help,
};

/* ---- the camera ------------------------------------------------------------ */

static void on_event(const char *line, void *user)
{
	struct ctl *ctl = user;

	/* Events interrupt nothing: they go with the messages. */
	if (!ctl->opts.quiet)
		fprintf(stderr, "%s: camera %s\n", get_prog_name(), line);
}

struct cred_camera *ctl_camera(struct ctl *ctl)
{
	if (!ctl->cam) {
		ctl->cam = open_camera(&ctl->opts);
		cred_cli_set_event_handler(cred_camera_cli(ctl->cam), on_event, ctl);
	}
	return ctl->cam;
}

struct cred_cli *ctl_cli(struct ctl *ctl)
{
	return cred_camera_cli(ctl_camera(ctl));
}

const struct cred_model *ctl_model(struct ctl *ctl)
{
	return cred_camera_model(ctl_camera(ctl));
}

void ctl_close(struct ctl *ctl)
{
	cred_camera_close(ctl->cam);
	ctl->cam = NULL;
	cred_cli_free(ctl->line);
	ctl->line = NULL;
}

/* A rejection is for the caller to judge; anything else (no answer, lost
 * link, a bad command string) ends the run with the matching status. */
static int check_answer(int err, const char *command)
{
	if (err >= 0 || err == CRED_ERR_FAIL)
		return err;
	/* The library's message usually names the command already. */
	if (strstr(cred_last_error(), command))
		die_code(exit_code_for(err), "%s", cred_last_error());
	die_cred(err, "'%s'", command);
}

int ctl_get(struct ctl *ctl, const char *name, char **value)
{
	int err = cred_camera_get(ctl_camera(ctl), name, value);

	/* ARG here means a name this build's tables lack: a refusal too. */
	if (err == CRED_ERR_SUPP || err == CRED_ERR_ARG)
		return err;
	return check_answer(err, name);
}

int ctl_raw(struct ctl *ctl, const char *command, char **value)
{
	*value = NULL;
	return check_answer(cred_cli_raw(ctl_cli(ctl), command, 0, value), command);
}

int ctl_command(struct ctl *ctl, const char *command, char **answer)
{
	*answer = NULL;
	return check_answer(cred_cli_command(ctl_cli(ctl), command, 0, answer), command);
}

int ctl_line(struct ctl *ctl, const char *command, char **answer)
{
	struct cred_cli *cli = ctl->cam ? ctl_cli(ctl) : ctl->line;

	if (!cli) {
		cli = ctl->line = open_cli(&ctl->opts);
		cred_cli_set_event_handler(cli, on_event, ctl);
	}
	*answer = NULL;
	return check_answer(cred_cli_command(cli, command, 0, answer), command);
}

/* ---- text helpers -------------------------------------------------------------- */

void print_answer(const char *answer)
{
	size_t len;

	if (!answer || !*answer)
		return;
	for (const char *p = answer; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			putchar(*p);
	len = strlen(answer);
	if (answer[len - 1] != '\n')
		putchar('\n');
}

char *join_words(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		die("out of memory");
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* ---- main ------------------------------------------------------------------------ */

static int parse_config(int argc, char **argv, struct ctl *ctl)
{
	int opt;

	while ((opt = common_getopt(argc, argv, &main_opts, &ctl->opts)) != -1)
		die_usage("unexpected option");
	return optind;
}

int main(int argc, char **argv)
{
	struct ctl ctl = { .opts = { 0 } };
	int first, status;

	set_prog_name(argv[0]);
	ignore_file_size_signal();
	first = parse_config(argc, argv, &ctl);
	/* A word that is not one of ours is a camera command, sent as is. */
	if (first < argc && !find_subcommand(subcmds, ARRAY_SIZE(subcmds), argv[first]))
		status = cmd_passthrough(argc - first, argv + first, &ctl);
	else
		status = run_subcommand(subcmds, ARRAY_SIZE(subcmds), argc - first, argv + first, &ctl);
	/* The shell writes JSON Lines of its own. */
	if (first < argc && strcmp(argv[first], "shell"))
		json_finish(argv[first], status);
	ctl_close(&ctl);
	if (fflush(stdout) != 0)
		die_perror("cannot write to standard output");
	return status;
}
