/* credfw internals shared by the files of cmd/credfw/: the run context,
 * the subcommands, and what several of them need (the camera, signals,
 * reading a local file, following a reboot, transfer progress). */
#ifndef CREDFW_H
#define CREDFW_H

#include <signal.h>
#include <stddef.h>

#include "common.h"

struct config {
	struct common_opts opts;
	struct cred_camera *cam;  /* opened on first use */
	const char *http_host;    /* --http-host: address the camera fetches from */
	int http_port;            /* --http-port */
	int boot_timeout_ms;      /* --boot-timeout */
	bool reboot;              /* --reboot (license changes) */
};

/* Option codes of the subcommands (long options only). */
enum {
	OPT_HTTP_HOST = OPT_TOOL_BASE,
	OPT_HTTP_PORT,
	OPT_BOOT_TIMEOUT,
	OPT_REBOOT,
	OPT_XMODEM,
	OPT_NAME,
	OPT_FROM,
	OPT_KEEP,
	OPT_MAX_SIZE,
	OPT_FORCE,
	OPT_DRY_RUN,
	OPT_SERIAL,
};

/* Stop a long operation on SIGINT/SIGTERM: the shared stop signals
 * (stop_signal), which are also libcred's cancel flag. */
void fw_catch_signals(void);

void credfw_help(void);

/* The camera, opened on first use (dies when it cannot be opened). */
struct cred_camera *fw_camera(struct config *cfg);
/* Die unless the camera is of model id: "the C-RED 3 has no WHAT". */
void fw_need_model(struct config *cfg, enum cred_model_id id, const char *what);

/* The whole of a local file, at most max bytes (dies otherwise). */
void *fw_read_file(const char *path, size_t max, size_t *len);

/* Parse the options shared by the subcommands that serve files over HTTP
 * or follow a reboot: returns 0 when opt was one of them. */
int fw_common_option(struct config *cfg, int opt, const char *arg);

/* Transfer options with the HTTP address, port, cancel flag and a
 * progress line labelled label (p must live until the transfer ends). */
struct fw_progress {
	struct progress bar;
	const char *label;
	size_t sent, total; /* uploads: bytes that left, of total */
};
struct cred_transfer_options fw_transfer_options(struct config *cfg, struct fw_progress *p,
						 const char *label, size_t total);
/* Die with the message a failed file transfer deserves (p: its progress,
 * which says how far an interrupted upload got; may be NULL). */
void fw_die_transfer(int err, const char *what, const struct fw_progress *p) NORETURN;

/* Follow the camera through a reboot until it answers in a settled state
 * (progress line on a terminal, state changes with -v). Returns 0, or dies
 * saying what state the camera is in and what to do. why: "upgrade". */
void fw_follow_boot(struct config *cfg, const char *why);
/* Offer the reboot a license change needs: with --reboot ask (or -y) and
 * reboot; otherwise say that the change waits for the next boot. */
void fw_offer_reboot(struct config *cfg);

int cmd_version(int argc, char **argv, void *user);
int cmd_upgrade(int argc, char **argv, void *user);
int cmd_license(int argc, char **argv, void *user);
int cmd_logs(int argc, char **argv, void *user);
int cmd_testpattern(int argc, char **argv, void *user);

#endif
