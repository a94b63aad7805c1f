/* Helpers shared by credctl's operation subcommands (check, history,
 * getter, cooling, shutdown): parsing wall-clock times, camera reads
 * that either die (interactive commands) or return the error (monitoring
 * checks, which must turn every failure into a status line), the camera's
 * identity, safe appending to log files, and the state watch loop. */
#ifndef CREDCTL_OPS_H
#define CREDCTL_OPS_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>
#include "credctl.h"

/* ---- time -------------------------------------------------------------------- */

/* Parse "2025-06-01T12:00:00Z" (UTC, ISO 8601, as cred_format_utc writes
 * it), also with fractional seconds or an offset ("+02:00"); false if s
 * is not such a time. */
bool parse_utc(const char *s, time_t *out);

/* ---- camera reads that return the error ---------------------------------------- */

/* Read parameter name as a number (NAN on failure): CRED_OK; a camera
 * error; or CRED_ERR_PROTO when the answer is not a number. On failure a
 * message naming the parameter is left in why. */
int read_number(struct cred_camera *cam, const char *name, double *value, char *why, size_t size);
/* True for the errors that mean the camera is not answering at all (as
 * opposed to refusing one command). */
bool is_no_answer(int err);

/* Who the camera is: serial number (from `cameratype`) and hardware
 * identifier (`hwuid`); "" when the camera does not say. Never fails: the
 * identity only labels records. */
struct cam_identity {
	char serial[64];
	char hwuid[64];
};
void read_identity(struct cred_camera *cam, struct cam_identity *id);

/* ---- camera reads that die (for interactive subcommands) ----------------------- */

/* The number, or die: exit 3 when the camera does not answer, 1 when it
 * rejects the command or answers something else than a number. */
double ctl_number(struct ctl *ctl, const char *name);
/* The state word (malloc'd), or die the same way. */
char *ctl_state(struct ctl *ctl);
/* Die with exit 1 unless the camera is a C-RED One ("getter regenerate
 * needs a C-RED One (this is a C-RED 3)"). */
void ctl_require_credone(struct ctl *ctl, const char *what);
/* Send a camera command (one that changes something): die on no answer or
 * rejection, with the camera's text. */
void ctl_send(struct ctl *ctl, const char *command);

/* ---- files ------------------------------------------------------------------------- */

/* Append line (which must end with '\n') to path with one write(2) under
 * an exclusive flock, so that concurrent writers never interleave. The
 * file is created with mode (less the umask) if missing; symbolic links
 * and anything but a regular file are refused (ELOOP, EINVAL). Returns 0,
 * or -1 with errno set. */
int append_line(const char *path, const char *line, mode_t mode);
/* A JSON object as one compact line with a final '\n' (malloc'd). */
char *json_line(json_t *obj);
/* mkdir -p with mode for the directories it creates; 0 or -1/errno. */
int make_dirs(const char *path, mode_t mode);

/* ---- watch loops -------------------------------------------------------------------- */

/* A watch loop catches SIGINT and SIGTERM (catch_stop_signals): it ends
 * cleanly and can say that the camera goes on (a getter regeneration
 * cannot be stopped by us). */
/* Interval between polls of watch loops ("--interval"), in ms. */
#define WATCH_INTERVAL_MS 2000

#endif
