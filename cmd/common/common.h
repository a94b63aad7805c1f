/* Shared command-line plumbing for every credtools binary. One header, one
 * small file per job: messages.c (messages and exit codes), numbers.c
 * (strict number parsing), options.c (the common options), subcommand.c
 * (subcommand tables), prompt.c (confirmation), progress.c (progress
 * lines), duration.c (showing and waiting out durations), signals.c
 * (stopping on Ctrl-C; a file size limit), interrupted.c (what an
 * interrupted upload left), cleanup.c and outfile.c (atomic output files),
 * camera.c (opening the camera), json.c (JSON output).
 *
 * The library (libcred) never prints or exits; this layer turns its error
 * codes into messages and exit statuses, the same way in every tool. */
#ifndef CRED_TOOLS_COMMON_H
#define CRED_TOOLS_COMMON_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "cred.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NORETURN __attribute__((noreturn))
#define PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* Exit statuses shared by all tools (see credtools(7)). */
enum {
	EXIT_OK = 0,
	EXIT_REFUSED = 1,   /* the camera refused, or a check failed */
	EXIT_USAGE = 2,     /* bad option, argument or value */
	EXIT_NO_ANSWER = 3, /* cannot open, timeout, port busy, lost link */
};

/* ---- program name and messages ----------------------------------------- */

/* Set once from argv[0] (only the base name is kept). */
void set_prog_name(const char *argv0);
const char *get_prog_name(void);

/* "PROG: message" on stderr. */
void print_error(const char *fmt, ...) PRINTF(1, 2);
/* "PROG: warning: message" on stderr; silenced by -q (common_opts.quiet). */
void print_warning(const char *fmt, ...) PRINTF(1, 2);
/* -q: silence print_warning (common_getopt calls it). */
void set_quiet(bool quiet);
/* print_error then exit(EXIT_REFUSED). */
void die(const char *fmt, ...) PRINTF(1, 2) NORETURN;
/* print_error then exit(code). */
void die_code(int code, const char *fmt, ...) PRINTF(2, 3) NORETURN;
/* Usage error: message, "Try 'PROG --help' ...", exit(EXIT_USAGE). */
void die_usage(const char *fmt, ...) PRINTF(1, 2) NORETURN;
/* Change the exit status of usage errors (die_usage, bad options, bad
 * numbers) from EXIT_USAGE to code: monitoring checks report them as
 * UNKNOWN (3), the plugin convention. */
void set_usage_exit(int code);
/* Message followed by ": strerror(errno)", exit(EXIT_REFUSED). For local
 * files; a camera port that cannot be opened goes through die_cred. A full
 * disk or a file size limit gets what to do (errno_advice). */
void die_perror(const char *fmt, ...) PRINTF(1, 2) NORETURN;
/* What to do about an errno of a failed write, as " (...)" to append to
 * the message: ENOSPC and EDQUOT (free space or write elsewhere), EFBIG
 * (names the file size limit, `ulimit -f`); "" for anything else. Static
 * storage. */
const char *errno_advice(int err);

/* Exit status for a libcred error code:
 *   CRED_OK 0; CRED_ERR_ARG 2; CRED_ERR_FAIL, _DATA, _SUPP, _MEM 1;
 *   CRED_ERR_TIMEOUT, _IO, _BUSY, _PROTO 3.
 * SUPP is 1: the camera (model, firmware) cannot do what was asked, which
 * is a refusal, not a missing answer. PROTO is 3: the camera said
 * something we cannot use, so in effect there was no answer. */
int exit_code_for(int err);

/* "PROG: message: cred_last_error()" (": ..." left out when the library
 * has no message) and errno_advice(cred_last_errno()), then
 * exit(exit_code_for(err)). */
void die_cred(int err, const char *fmt, ...) PRINTF(2, 3) NORETURN;

/* ---- strict number parsing ----------------------------------------------
 * Unlike bare strtol/strtod these reject empty input, leading spaces,
 * trailing junk, overflow and values outside [min, max]. They return true
 * on success and leave *out untouched on failure. parse_long reads decimal
 * ("010" is ten, never octal) or 0x-prefixed hexadecimal ("0x2faf");
 * parse_double reads plain decimal notation only (no hex, inf or nan). */
bool parse_long(const char *s, long min, long max, long *out);
/* True for "0x1F"-style text (an optional minus, 0x or 0X, hex digits and
 * nothing else): parse_long reads it as hexadecimal. */
bool looks_hex(const char *s);
bool parse_double(const char *s, double min, double max, double *out);
/* Seconds, fractional allowed ("2", "0.5"), into milliseconds rounded up,
 * within [min_s, max_s]. */
bool parse_seconds(const char *s, double min_s, double max_s, int *out_ms);

/* A pressure in mbar as every tool prints it: two significant digits in
 * compact scientific notation, "7.1e-3", "5e-3", "1.2e-6" ("1" for 1.0,
 * "nan" for NAN). The unit is the caller's. Returns buf. */
char *format_pressure(char *buf, size_t size, double mbar);

/* The same, dying with EXIT_USAGE and a message naming what and the range:
 * "invalid preset number 'x': must be an integer within 0-9". */
long get_long_arg(const char *what, const char *s, long min, long max);
double get_double_arg(const char *what, const char *s, double min, double max);
/* The same for a quantity in unit ("mbar", "C", "K", "s"), which may carry
 * a unit of its kind ("1e-3mbar", "50Pa"; cred_unit_parse); the message
 * names the units expected. */
double get_quantity_arg(const char *what, const char *s, const char *unit, double min, double max);
int get_seconds_arg(const char *what, const char *s, double min_s, double max_s);

/* ---- common options ------------------------------------------------------ */

struct common_opts {
	const char *port;         /* -p; NULL: $CRED_PORT, else auto */
	const struct cred_model *model; /* -m; NULL: detect */
	int timeout_ms;           /* -t; 0: library defaults (with COMMON_TIMEOUT_ZERO
				   * and timeout_set: -t 0, no time limit) */
	bool timeout_set;         /* -t was given */
	int verbose;              /* -v (repeatable; -vv traces the wire) */
	bool quiet;               /* -q */
	bool json;                /* --json */
	bool yes;                 /* -y */
	int lock_wait_ms;         /* --wait-lock[=S]: 0 fail at once, -1 forever */
	bool lock_wait_set;       /* --wait-lock was given (else lock_wait() is the default) */
	int deadline_ms;          /* --deadline: the whole run; 0 none */
};

/* How long a tool waits for a port another process holds, for the open
 * and for each exchange (the lock is held per exchange, cred-port.h):
 * --wait-lock, else DEFAULT_LOCK_WAIT_MS. */
#define DEFAULT_LOCK_WAIT_MS 5000
int lock_wait(const struct common_opts *c);

/* Which of the optional common options a tool (or subcommand) accepts.
 * -p -m -t -v -q --wait-lock -h -V are always accepted. */
#define COMMON_JSON 0x1
#define COMMON_YES  0x2
#define COMMON_TIMEOUT_ZERO 0x4 /* -t 0 is accepted (the tool's "no limit") */

/* Long-only option codes; tools number theirs from OPT_TOOL_BASE. */
enum {
	OPT_JSON = 0x100,
	OPT_WAIT_LOCK,
	OPT_DEADLINE,
	OPT_TOOL_BASE = 0x200,
};

struct tool_opts {
	const char *shortopts;         /* the tool's own, without the common ones
					* ("+" first: stop at the first non-option) */
	const struct option *longopts; /* the tool's own, NULL-terminated; may be NULL */
	unsigned common;               /* COMMON_JSON | COMMON_YES */
	void (*print_help)(void);      /* called for -h/--help, then exit(0) */
};

/* getopt_long over the tool's options plus the common ones. Common options
 * are stored in *c and skipped; -h and -V print and exit 0; an unknown
 * option or a missing argument dies with EXIT_USAGE. Returns the tool's
 * own option characters, or -1 at the end (optind as with getopt). Set
 * optind = 0 before reusing it on another argument vector. */
int common_getopt(int argc, char **argv, const struct tool_opts *t, struct common_opts *c);

/* ---- subcommands ----------------------------------------------------------
 * Every tool with subcommands ("credctl get", "credbpm upload") keeps a
 * table of them and reaches its own state through user (its struct
 * config), never through file-static pointers. */
struct subcommand {
	const char *name;
	/* argv[0] is the subcommand's name; returns the exit status. */
	int (*run)(int argc, char **argv, void *user);
};

/* The entry named name, or NULL. */
const struct subcommand *find_subcommand(const struct subcommand *table, size_t n,
					 const char *name);
/* The entry whose name is a typo away from word ("stauts": status): at
 * most one slip (a wrong, missing, extra or swapped letter) in a word of
 * up to four letters, two in a longer one; NULL when none is that close
 * or word is itself a name. */
const struct subcommand *closest_subcommand(const struct subcommand *table, size_t n,
					    const char *word);
/* "PROG: did you mean 'status'?" on stderr when closest_subcommand finds
 * one (for tools that send unknown words to the camera: say it once the
 * camera has rejected the word). */
void suggest_subcommand(const struct subcommand *table, size_t n, const char *word);
/* Run the subcommand named argv[0] with (argc, argv, user). Dies with a
 * usage error when argc is 0 ("no command given") or the name is unknown
 * ("unknown command 'uplaod' (did you mean 'upload'?)"). */
int run_subcommand(const struct subcommand *table, size_t n, int argc, char **argv, void *user);

/* Parse a subcommand's own options (t) plus the common ones into *c, from
 * a fresh start (optind reset). handle() gets each of the subcommand's own
 * options and returns 0, or -1 for one it does not take (a usage error).
 * handle may be NULL when t declares no options. Returns optind. */
int parse_subcommand_opts(int argc, char **argv, const struct tool_opts *t, struct common_opts *c,
			  int (*handle)(int opt, const char *arg, void *user), void *user);

/* Help lines for the common options (the same text as in credtools(7)),
 * for a tool's print_help(). */
void print_common_help(unsigned common);

/* "PROG (credtools) X.Y.Z" and "libcred X.Y.Z" on stdout. */
void print_version(void);

/* Apply the environment side of the options (CRED_DEBUG for -vv). Called
 * by common_getopt at the end; exposed for tools that parse by hand. */
void common_apply(const struct common_opts *c);

/* True when messages should be shown (not -q). */
bool common_verbose_ok(void);

/* ---- the whole-run deadline ----------------------------------------------
 * -t is how long one answer (or, for credgrab, the next frame) may take;
 * --deadline=SECONDS bounds the whole run, waits and watch loops included.
 * When it passes, stop_signal becomes SIGALRM and libcred's waits are
 * cancelled: the tool ends as on Ctrl-C, and however it ends, it says
 * "deadline of N s passed" and exits with status 3; a tool still running a
 * second later is ended at once (temporary files removed). common_apply
 * arms it. */
void deadline_arm(int ms);
/* True once the deadline has passed. */
bool deadline_passed(void);
/* "deadline of 3 s passed", for messages (it counts as said). */
const char *deadline_message(void);
/* True once deadline_message() was used: the die functions then do not
 * say it again. */
bool deadline_reported(void);

/* ---- asking the user ----------------------------------------------------- */

/* Ask question (e.g. "Continue? [y/N] ") on stderr and read a line from the
 * terminal. True only for y/yes. With -y returns true without asking.
 * When stdin is not a terminal it refuses to guess: prints why and exits
 * with EXIT_USAGE ("use -y to confirm"). */
bool ask_yes_no(const struct common_opts *c, const char *question);

/* ---- durations ------------------------------------------------------------
 * Clocks and UTC time stamps are libcred's (cred-clock.h: cred_now_s,
 * cred_now_utc, cred_format_utc): one clock for the library and the tools. */

/* "12:34" (minutes:seconds) or "1:23:45" for seconds, rounded; negative
 * values show as "0:00". */
void format_duration(double seconds, char *buf, size_t size);
/* Sleep ms milliseconds; a caught signal (stop_signal) ends it early. */
void sleep_ms(int ms);

/* ---- progress line ------------------------------------------------------- */

/* A one-line progress display on stderr, redrawn in place, shown only when
 * stderr is a terminal and -q is not given. total 0: unknown (elapsed time
 * only); otherwise a percentage and an estimate of the time left. */
struct progress {
	bool enabled;
	double start;      /* monotonic seconds */
	double last_draw;
	unsigned long long total;
	int width;         /* characters drawn last time */
};
void progress_start(struct progress *p, const struct common_opts *c, unsigned long long total);
/* Redraw with done units so far and a short label ("isbeingcooled"); at
 * most ten times a second. */
void progress_update(struct progress *p, unsigned long long done, const char *label);
/* Erase the line (nothing is left behind on the terminal). */
void progress_end(struct progress *p);
/* Following a camera through its boot (cred_firmware_wait_boot): the
 * state it shows on the progress line, and in -v mode on stderr. */
struct boot_watch {
	struct progress bar;
	const struct common_opts *opts;
};
void boot_watch_state(const char *state, void *user);

/* ---- stopping on a signal -------------------------------------------------
 * A long operation (a watch loop, an upload, an acquisition) stops cleanly
 * on Ctrl-C: the signal only sets a flag, which the loop (or libcred, given
 * &stop_signal as its cancel flag) looks at. */

/* The signal that asked the tool to stop (SIGINT, SIGTERM or SIGHUP); 0
 * until one comes. */
extern volatile sig_atomic_t stop_signal;
/* Catch SIGINT and SIGTERM (and SIGHUP when hup) into stop_signal, without
 * SA_RESTART (a blocked read returns at once). What they did before is
 * kept; a signal already caught stays as it is. */
void catch_stop_signals(bool hup);
/* stop_signal, set back to 0 in one step (a signal that comes meanwhile is
 * never lost between a look and a clear). A SIGTERM or SIGHUP waiting
 * there is not replaced by a later Ctrl-C. */
int take_stop_signal(void);
/* True when stop_signal was SIGINT (a Ctrl-C), now 0, in one step; a
 * SIGTERM or SIGHUP stays. */
bool take_ctrl_c(void);
/* Make stop_signal libcred's cancel flag too (cred-cancel.h): every wait in
 * the library then ends soon after a signal, and any camera call may fail
 * with an "interrupted" error the caller must take for the stop. */
void cancel_library_on_stop(void);
/* Give the caught signals back what they did before, and unregister the
 * cancel flag: call it before talking to the camera after an interruption
 * (to abort, to put a setting back). */
void restore_stop_signals(void);
/* Ignore SIGXFSZ (a file size limit, `ulimit -f`): a write past the limit
 * then fails with EFBIG, reported and cleaned up like a full disk,
 * instead of killing the tool with its temporary files left behind.
 * Every tool calls it first thing in main. */
void ignore_file_size_signal(void);
/* An upload stopped by a signal (stop_signal): say how far it got (sent
 * of total bytes, cred_transfer_options.sent) and so whether the camera
 * may hold part of the file or all of it, then exit(EXIT_REFUSED). */
void die_upload_interrupted(const char *what, size_t sent, size_t total) NORETURN;

/* The rule every tool follows when the user interrupts (credtools(7), EXIT
 * STATUS): a run with no count to reach whose output is complete (credgrab
 * without -n or --duration, credsim serving) exits 0; any other run cut
 * short exits 128 + the signal, as the shell shows a program killed by it:
 * 130 SIGINT, 143 SIGTERM, 129 SIGHUP. */
#define EXIT_SIGNAL_BASE 128
/* 128 + sig (sig 0: SIGINT, for a stop a library call reported first). */
int interrupted_status(int sig);
/* print_error, then exit(interrupted_status(stop_signal)). */
void die_interrupted(const char *fmt, ...) PRINTF(1, 2) NORETURN;

/* ---- atomic output files -------------------------------------------------- */

/* An output file is written under a temporary name in the same directory
 * and renamed into place on commit, so an interrupted run never leaves half
 * a file: libcred's cred_outfile (cred-outfile.h), which also holds the one
 * rule for replacing files. The temporary file is removed on abort, on
 * exit without commit and on SIGINT/SIGTERM/SIGHUP. "-" means standard
 * output. */
struct out_file;
/* Dies (EXIT_REFUSED) if path exists and !force, with a message that says
 * to use --force, or if the temporary file cannot be created. */
struct out_file *out_file_open(const char *path, bool force);
FILE *out_file_stream(struct out_file *of);
/* Flush, sync and rename into place; dies (EXIT_REFUSED) on failure: the
 * temporary file is removed, or kept and named in the message when the
 * name appeared meanwhile and !force. Frees of. */
void out_file_commit(struct out_file *of);
/* Remove the temporary file and free of. */
void out_file_abort(struct out_file *of);

/* The cleanup registry behind out_file, for other temporary files: path is
 * removed at exit or on a fatal signal unless forgotten first. */
void cleanup_add(const char *path);
void cleanup_forget(const char *path);
/* Remove the registered files now; async-signal-safe (for a hard exit). */
void cleanup_run_now(void);

/* ---- camera -------------------------------------------------------------- */

/* Open the camera named by the common options (port, model, timeout, lock
 * wait). Dies on failure with the exit status for the error and a message
 * saying what to do ("use -p PORT or set CRED_PORT", "use --wait-lock"). */
struct cred_camera *open_camera(const struct common_opts *c);
/* Only the port and a protocol client (cred_camera_open_cli): nothing is
 * sent, so a silent camera does not fail the open. Dies like open_camera
 * when the port cannot be opened. Free with cred_cli_free. */
struct cred_cli *open_cli(const struct common_opts *c);

/* The port spec the tools will use: -p, else $CRED_PORT, else "auto"
 * (cred_port_resolve). */
const char *effective_port(const struct common_opts *c);
/* True when the user named a port (-p or $CRED_PORT), not left to "auto". */
bool port_named(const struct common_opts *c);

/* ---- JSON output --------------------------------------------------------- */

/* Print root on stdout (indented, newline-terminated) and release it.
 * Reals are written with the fewest digits that read back to the same
 * double (52.3, not 52.299999999999997), always with a '.' or exponent. */
void print_json(json_t *root);
/* The same on out; indent 0 gives one compact line (JSON Lines logs). */
void print_json_to(FILE *out, json_t *root, int indent);
/* The text print_json_to writes (newline-terminated, malloc'd: free it). */
char *json_encode(json_t *root, int indent);
/* A real as print_json writes it, into buf (40 bytes are enough). */
void json_format_real(double v, char *buf, size_t len);
/* "model": "cred3" and "model_name": "C-RED 3" into obj: the one spelling
 * of the model in every tool's JSON. */
void json_set_model(json_t *obj, const struct cred_model *m);
/* The error object of credtools-json(7) on stdout:
 * {"error": {"program", "message", "exit_status", "kind"}}. */
void print_json_error(const char *message, int code);

/* features.c: the hwfeatures/swfeatures bits with libcred's tables
 * (cred_firmware_hw_bits, cred_firmware_sw_bits). */
typedef const struct cred_feature_bit *(*feature_table)(size_t *n);
/* {"value": mask, "bits": [names]} */
json_t *feature_bits_json(unsigned value, feature_table table);
/* "LABEL: 0x0601" then one line per bit set: its name and meaning */
void print_feature_bits(const char *label, unsigned value, feature_table table);
/* the names of the bits set on one line ("none" when none is) */
void feature_bit_names(unsigned value, feature_table table, char *buf, size_t size);
/* With on, every die*() also prints that object (--json sets it). */
void set_json_errors(bool on);
bool json_errors_on(void);
/* After a subcommand ran with --json: a command that printed no JSON of
 * its own still leaves one object on stdout, {"program", "command",
 * "exit_status": 0} on success, the error object otherwise. */
void json_finish(const char *command, int status);
/* A JSON value for a camera answer: a number when the whole text is one,
 * else a string. */
json_t *json_from_answer(const char *text);
/* A parameter's value typed by its table entry: NUMBER a real, INT an
 * integer, everything else (switches, choices, windows, versions) a
 * string; a name the model does not know goes through json_from_answer. */
json_t *json_param_value(const struct cred_model *m, const char *name, const char *text);
/* json_string that never fails on text that is not UTF-8 (bytes >= 0x80
 * become '?'). */
json_t *json_text(const char *text);

#endif
