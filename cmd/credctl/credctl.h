/* credctl internals shared by the files of cmd/credctl/: the run context, the
 * subcommands and small helpers around the camera. */
#ifndef CREDCTL_H
#define CREDCTL_H

#include "common.h"

struct ctl {
	struct common_opts opts;
	struct cred_camera *cam; /* opened on first use */
	struct cred_cli *line;   /* raw lines without a camera (ctl_line) */
};

/* The camera, opened on first use (dies if it cannot be opened). */
struct cred_camera *ctl_camera(struct ctl *ctl);
struct cred_cli *ctl_cli(struct ctl *ctl);
const struct cred_model *ctl_model(struct ctl *ctl);
void ctl_close(struct ctl *ctl);

/* Print credctl's help on stdout (for -h in any subcommand). */
void credctl_help(void);

/* The options of a subcommand with none of its own (the common ones), for
 * parse_subcommand_opts. */
extern const struct tool_opts ctl_no_opts;

/* Read parameter name like cred_camera_get. A rejection or a parameter
 * the firmware lacks returns CRED_ERR_FAIL/CRED_ERR_SUPP (message in
 * cred_last_error()); no answer or a lost link dies with exit status 3. */
int ctl_get(struct ctl *ctl, const char *name, char **value);

/* Run command and return its raw value ("CMD raw", trimmed) in *value.
 * A rejection returns CRED_ERR_FAIL (the camera's text in
 * cred_last_error()); no answer or a lost link dies with exit status 3. */
int ctl_raw(struct ctl *ctl, const char *command, char **value);
/* The same with the verbose answer. */
int ctl_command(struct ctl *ctl, const char *command, char **answer);
/* The same for a line sent as is (credctl raw): through the camera when it
 * is open already, else through a bare client (cred_camera_open_cli) that
 * neither resynchronises nor asks the model first, so the line reaches a
 * camera that gives no prompt (`sim power on` to a powered-off simulator).
 * Nothing within the timeout dies with "no answer", exit status 3. */
int ctl_line(struct ctl *ctl, const char *command, char **answer);

/* Print an answer as text lines: CR LF become LF, one final newline. */
void print_answer(const char *answer);
/* Join argv[0..argc-1] with single spaces (malloc'd). */
char *join_words(int argc, char **argv);

/* Subcommands (struct subcommand): argv[0] is the subcommand name, user
 * the struct ctl; they return the exit status. */
int cmd_raw(int argc, char **argv, void *user);
int cmd_passthrough(int argc, char **argv, void *user);
int cmd_get(int argc, char **argv, void *user);
int cmd_set(int argc, char **argv, void *user);
int cmd_status(int argc, char **argv, void *user);
int cmd_temps(int argc, char **argv, void *user);
int cmd_info(int argc, char **argv, void *user);
int cmd_wait(int argc, char **argv, void *user);
int cmd_list(int argc, char **argv, void *user);
int cmd_preset(int argc, char **argv, void *user);
int cmd_shell(int argc, char **argv, void *user);
/* Operations (credctl-check*.c, -history.c, -getter.c, -cooling.c). */
int cmd_check(int argc, char **argv, void *user);
int cmd_history(int argc, char **argv, void *user);
int cmd_getter(int argc, char **argv, void *user);
int cmd_cooling(int argc, char **argv, void *user);
int cmd_shutdown(int argc, char **argv, void *user);
int cmd_dump(int argc, char **argv, void *user);
int cmd_apply(int argc, char **argv, void *user);
int cmd_reboot(int argc, char **argv, void *user);
/* Every setting the camera gives (cred_param_is_setting), typed, keyed
 * by the get names: the "settings" object of a dump. */
json_t *settings_read(struct ctl *ctl);
/* Apply such an object (cred_camera_set_list: checked, in the camera's
 * order). Dies on a name that is not a setting; camera errors returned. */
int settings_set(struct ctl *ctl, json_t *settings);
/* The last settings credctl saw in preset n of this camera (loaded or
 * saved by credctl), or NULL; and keeping them (preset-record.c). */
json_t *preset_record_read(struct ctl *ctl, long preset);
void preset_record_write(struct ctl *ctl, long preset, json_t *settings);
/* Their lines in credctl --help. */
void ops_help(void);

/* A report: labelled values printed as aligned "label: value unit" lines,
 * or gathered into one JSON object with --json (status, temps, info). */
struct report_item {
	const char *label; /* text label */
	const char *param; /* parameter name (cred_camera_get), also the JSON key */
	const char *unit;  /* shown after the value; "" for none */
	bool text;         /* JSON: always a string (identifiers, versions) */
};

struct report {
	struct ctl *ctl;
	json_t *root;     /* --json: the object being filled */
	int indent;       /* text: indentation of the current section */
	const char *heading; /* text: section heading not printed yet */
};

void report_begin(struct report *r, struct ctl *ctl);
void report_value(struct report *r, const char *key, const char *label,
		  const char *value, const char *unit);
/* The same, kept as a JSON string even when it looks like a number. */
void report_text(struct report *r, const char *key, const char *label, const char *value);
/* Read each item's parameter; items this camera cannot give (rejected, or
 * needing newer firmware) are left out, with a warning under -v. */
void report_items(struct report *r, const struct report_item *items, size_t n);
/* "model" and "model_name" (JSON), or the model's name (text). */
void report_model(struct report *r, const struct cred_model *m);
/* A heading in text; nothing in JSON, whose keys are the flat parameter
 * names of credtools-json(7) ("temperatures.snake"). */
void report_section(struct report *r, const char *label);
void report_section_end(struct report *r);
/* Print the JSON object (with --json); returns EXIT_OK. */
int report_end(struct report *r);

/* Temperature table of a model (for status and temps). */
const struct report_item *temps_items(const struct cred_model *model, size_t *n);

/* Shell completion: candidates for the word being typed, from the model's
 * command table (cred_model_commands). */
char **complete_command(enum cred_model_id model, const char *line, int start, const char *word);
/* The same for a line of credctl shell: credctl's subcommands first (with
 * their arguments: get names readable parameters, set only writable ones),
 * "raw" followed by a camera command, or a camera command. NULL-terminated
 * malloc'd array of malloc'd strings, or NULL when nothing matches. */
char **complete_shell(enum cred_model_id model, const char *line, int start, const char *word);

/* The subcommands a shell line may start with (every one but shell
 * itself): the entry, or NULL; and the i-th name, NULL past the end. */
const struct subcommand *shell_subcommand(const char *name);
const char *shell_subcommand_name(size_t i);
/* After the camera rejected command: "did you mean 'status'?" when its
 * first word is a typo of a credctl subcommand. */
void ctl_suggest(const char *command);
/* Words of the shell itself: "raw", "quit", "exit" (NULL-terminated). */
extern const char *const shell_words[];
/* The state words wait accepts (NULL-terminated). */
extern const char *const known_states[];


#endif
