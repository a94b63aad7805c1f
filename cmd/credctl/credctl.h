/* credctl internals shared by the files of cmd/credctl/: the run context, the
 * subcommands and small helpers around the camera. */
#ifndef CREDCTL_H
#define CREDCTL_H

#include "common.h"

struct ctl {
	struct common_opts opts;
	struct cred_camera *cam; /* opened on first use */
};

/* The camera, opened on first use (dies if it cannot be opened). */
struct cred_camera *ctl_camera(struct ctl *ctl);
struct cred_cli *ctl_cli(struct ctl *ctl);
const struct cred_model *ctl_model(struct ctl *ctl);
void ctl_close(struct ctl *ctl);

/* Print credctl's help on stdout (for -h in any subcommand). */
void credctl_help(void);

/* Parse a subcommand's argv (argv[0] is its name) with the tool's own
 * options t plus the common ones; returns optind. For subcommands without
 * options of their own, pass t NULL. */
int ctl_parse_sub(struct ctl *ctl, int argc, char **argv, const struct tool_opts *t,
		  int (*handle)(struct ctl *ctl, int opt, const char *arg));

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

/* Print an answer as text lines: CR LF become LF, one final newline. */
void print_answer(const char *answer);
/* Join argv[0..argc-1] with single spaces (malloc'd). */
char *join_words(int argc, char **argv);

/* Subcommands: argv[0] is the subcommand name; return the exit status. */
int cmd_raw(struct ctl *ctl, int argc, char **argv);
int cmd_passthrough(struct ctl *ctl, int argc, char **argv);
int cmd_get(struct ctl *ctl, int argc, char **argv);
int cmd_set(struct ctl *ctl, int argc, char **argv);
int cmd_status(struct ctl *ctl, int argc, char **argv);
int cmd_temps(struct ctl *ctl, int argc, char **argv);
int cmd_info(struct ctl *ctl, int argc, char **argv);
int cmd_wait(struct ctl *ctl, int argc, char **argv);
int cmd_list(struct ctl *ctl, int argc, char **argv);
int cmd_preset(struct ctl *ctl, int argc, char **argv);
int cmd_shell(struct ctl *ctl, int argc, char **argv);
/* Operations (credctl-check*.c, -history.c, -getter.c, -cooling.c). */
int cmd_check(struct ctl *ctl, int argc, char **argv);
int cmd_history(struct ctl *ctl, int argc, char **argv);
int cmd_getter(struct ctl *ctl, int argc, char **argv);
int cmd_cooling(struct ctl *ctl, int argc, char **argv);
int cmd_shutdown(struct ctl *ctl, int argc, char **argv);
/* Their lines in credctl --help. */
void ops_help(void);

/* A report: labelled values printed as aligned "label: value unit" lines,
 * or gathered into one JSON object with --json (status, temps, info). */
struct report_item {
	const char *key;   /* JSON key */
	const char *label; /* text label */
	const char *param; /* parameter name (cred_camera_get) */
	const char *unit;  /* shown after the value; "" for none */
	bool text;         /* JSON: always a string (identifiers, versions) */
};

struct report {
	struct ctl *ctl;
	json_t *root;     /* --json: the object being filled */
	json_t *section;  /* current nested object, or root */
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
void report_section(struct report *r, const char *key, const char *label);
void report_section_end(struct report *r);
/* Print the JSON object (with --json); returns EXIT_OK. */
int report_end(struct report *r);

/* Temperature table of a model (for status and temps). */
const struct report_item *temps_items(const struct cred_model *model, size_t *n);

/* Shell completion: candidates for the word being typed, from the model's
 * command table (cred_model_commands). */
char **complete_command(enum cred_model_id model, const char *line, int start, const char *word);


#endif
