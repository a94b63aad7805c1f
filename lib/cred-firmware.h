/* Firmware: the camera's versions and feature bits, firmware upgrades, and
 * the reboot that follows one (also after a license change).
 *
 * Wire assumptions (the manuals give the commands, not their answers):
 *   version <part> raw    one value per part; a part the model lacks
 *                         (C-RED 3 "version fpga detailed") is rejected.
 *   hwfeatures raw, swfeatures raw   a number, decimal or 0x hexadecimal,
 *                         combining the bits of the C-RED 3 manual's tables
 *                         (firmware 1.1.0 and later; the C-RED One has none).
 *   exec upgradefirmware URL   the camera fetches URL, checks the file,
 *                         answers, and reboots into the new firmware: its
 *                         status then goes through starting and configuring
 *                         (or it stays silent a while) before the model's
 *                         normal state after a boot.
 *   exec uploadfirmware   (C-RED 3) the camera prints nothing and starts an
 *                         XMODEM receiver (NAK or 'C') at once; the release
 *                         follows by XMODEM (the camera drops the 0x1A
 *                         padding of the last block), then it answers as
 *                         for a URL. Text ending in a prompt instead of the
 *                         receiver's start is a refusal.
 *   reboot                answers, then the same boot sequence. */
#ifndef CRED_FIRMWARE_H
#define CRED_FIRMWARE_H

#include <signal.h>
#include <stddef.h>
#include "cred-camera.h"
#include "cred-transfer.h"

/* Every version the camera reports; "" for a part it did not give. */
struct cred_versions {
	char firmware[64];
	char firmware_detailed[64];
	char firmware_build[64];
	char fpga[64];
	char fpga_detailed[64];   /* C-RED One only */
	char hardware[64];
};

/* Read every version part with `version PART raw`. A part the camera
 * rejects stays "" (it is not guessed). Also refreshes the firmware that
 * cred_camera_firmware() returns. Errors: the client's (timeout, lost
 * link); a rejection of one part is not an error. */
CRED_API int cred_firmware_versions(struct cred_camera *cam, struct cred_versions *out);

/* One bit of the hwfeatures or swfeatures tables. */
struct cred_feature_bit {
	unsigned mask;       /* 0x0001 */
	const char *name;    /* "HW_FEATURES_INTERFACE_CL" as in the manual */
	const char *meaning; /* "operated via Camera Link" */
};

/* The manual's tables (static data); *n gets the number of rows. */
CRED_API const struct cred_feature_bit *cred_firmware_hw_bits(size_t *n);
CRED_API const struct cred_feature_bit *cred_firmware_sw_bits(size_t *n);

/* Read `hwfeatures raw` and `swfeatures raw`. Returns CRED_OK;
 * CRED_ERR_SUPP on a C-RED One or firmware before 1.1.0 (nothing is sent);
 * CRED_ERR_PROTO when an answer is not a number; the client's errors. */
CRED_API int cred_firmware_features(struct cred_camera *cam, unsigned *hw, unsigned *sw);

/* Whether the camera may be upgraded now. Returns CRED_OK with *state the
 * status word (malloc'd, free it), or CRED_ERR_FAIL with a message saying
 * what the camera is doing and what to do first (*state still set when it
 * is known): safe mode (power-cycle it), locked (contact First Light
 * Imaging), busy building a NUC file, a getter regeneration, still
 * booting, or on a C-RED One cooled (switch the cooling off and wait for
 * ready). Other errors: the client's. */
CRED_API int cred_firmware_check_ready(struct cred_camera *cam, char **state);

/* Reported while waiting for a reboot: the status word ("starting",
 * "configuring", "operational"), or "" while the camera does not answer. */
typedef void (*cred_boot_fn)(const char *state, void *user);

/* Send `reboot` (C-RED 3; the C-RED One has no reboot command:
 * CRED_ERR_SUPP). Returns once the camera has accepted it; follow it with
 * cred_firmware_wait_boot. */
CRED_API int cred_firmware_reboot(struct cred_camera *cam);

/* Follow a reboot: poll `status` until the camera has been seen booting
 * (starting, configuring, or silent) and then reports any other state, or
 * until timeout_ms passes. Then reads the firmware version again.
 * on_state (may be NULL) hears each new state. Returns CRED_OK with
 * *state the final status word (malloc'd; may be NULL), CRED_ERR_TIMEOUT
 * (message: the last state seen, or that the camera never answered, or
 * that it never went through a reboot), CRED_ERR_IO (EINTR when *cancel
 * became non-zero). */
CRED_API int cred_firmware_wait_boot(struct cred_camera *cam, int timeout_ms, cred_boot_fn on_state,
				     void *user, volatile sig_atomic_t *cancel, char **state);

struct cred_upgrade_options {
	int serial;             /* 1: `exec uploadfirmware` and XMODEM on the
				 * camera's own line (C-RED 3), not a URL */
	const char *http_host;  /* see cred_transfer_options */
	int http_port;
	int answer_timeout_ms;  /* the camera's answer to the upgrade command; 0: 10 min */
	volatile sig_atomic_t *cancel;
	cred_progress_fn progress; /* bytes the camera has fetched */
	void *progress_user;
};

/* Serve data (len bytes, a firmware release) once over HTTP and send
 * `exec upgradefirmware URL` (or with opts->serial send it by XMODEM after
 * `exec uploadfirmware`: CRED_ERR_SUPP on a C-RED One), then wait for the
 * camera's verdict. Does not
 * wait for the reboot (cred_firmware_wait_boot does). *answer (may be
 * NULL) gets the camera's answer, malloc'd. Errors as for
 * cred_transfer_upload: CRED_ERR_FAIL (the camera rejected the file or
 * could not fetch it: its text), CRED_ERR_DATA (it answered without
 * fetching the whole file), CRED_ERR_TIMEOUT, CRED_ERR_IO, CRED_ERR_ARG
 * (no address for the URL). */
CRED_API int cred_firmware_upgrade(struct cred_camera *cam, const void *data, size_t len,
				   const struct cred_upgrade_options *opts, char **answer);

#endif
