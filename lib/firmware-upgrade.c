/* Firmware upgrades and reboots (cred-firmware.h): the state check before,
 * the upgrade by URL, and following the camera through its reboot. */
#include "camera-impl.h"
#include "clock-impl.h"
#include "cred-firmware.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLL_MS 500              /* status polls while the camera reboots */
#define STATUS_TIMEOUT_MS 1500   /* a booting camera may answer slowly or not at all */

static int is_boot_state(const char *st)
{
	return !strcmp(st, "starting") || !strcmp(st, "configuring");
}

/* Why the camera must not be upgraded in state st (NULL: it may). */
static const char *refusal(const struct cred_camera *cam, const char *st)
{
	if (!strcmp(st, "safe"))
		return "the camera is in safe mode: power-cycle it, check its status, then try again";
	if (!strcmp(st, "locked"))
		return "the camera is locked: contact First Light Imaging support";
	if (!strcmp(st, "vacuumrege"))
		return "a getter regeneration is running: wait until it ends (credctl status)";
	if (is_boot_state(st))
		return "the camera is still booting: wait until it is ready";
	if (cam->model->id == CRED_MODEL_CREDONE &&
	    (!strcmp(st, "isbeingcooled") || !strcmp(st, "standby") || !strcmp(st, "operational")))
		return "the camera is cooled: switch the cooling off (credctl cooling off) and wait "
		       "until its status is ready";
	return NULL;
}

int cred_firmware_check_ready(struct cred_camera *cam, char **state)
{
	const char *why;
	int r;

	*state = NULL;
	r = cred_camera_status(cam, state);
	if (r == CRED_ERR_FAIL && strstr(cred_last_error(), "busy"))
		return cred_fail(CRED_ERR_FAIL, "the camera is busy building a NUC file: wait until "
				 "it ends (buildnuc progress) or stop it (buildnuc abort)");
	if (r < 0)
		return r;
	if ((why = refusal(cam, *state)))
		return cred_fail(CRED_ERR_FAIL, "%s (status: %s)", why, *state);
	return CRED_OK;
}

int cred_firmware_reboot(struct cred_camera *cam)
{
	char *answer = NULL;
	int r;

	cred_clear_error();
	if (cam->model->id != CRED_MODEL_CRED3)
		return cred_fail(CRED_ERR_SUPP, "the %s has no reboot command: power-cycle it",
				 cam->model->name);
	r = cred_cli_command(cam->cli, "reboot", 0, &answer);
	free(answer);
	return r;
}

/* One status poll: 1 and *st (malloc'd) when the camera answered, 0 when
 * it was silent or garbled (a rebooting camera), else an error. */
static int poll_status(struct cred_camera *cam, char **st)
{
	char *answer = NULL;
	int r = cred_cli_raw(cam->cli, "status", STATUS_TIMEOUT_MS, &answer);

	*st = NULL;
	/* A state from the model's list only (strict answers): a rebooting
	 * camera's half-sent word is no state. */
	if (r == CRED_OK && cred_param_check_answer(cred_param_find(cam->model->id, "status"),
						    answer) < 0)
		r = CRED_ERR_PROTO;
	if (r == CRED_OK)
		r = cred_camera_parse_status(answer, st);
	free(answer);
	if (r == CRED_ERR_TIMEOUT || r == CRED_ERR_PROTO || r == CRED_ERR_FAIL) {
		cred_clear_error();
		return 0;
	}
	return r < 0 ? r : 1;
}

static int sleep_cancellable(int ms, volatile sig_atomic_t *cancel)
{
	for (; ms > 0; ms -= 100) {
		if (cancel && *cancel) {
			errno = EINTR;
			return cred_fail_errno("waiting for the reboot");
		}
		poll(NULL, 0, ms < 100 ? ms : 100);
	}
	return CRED_OK;
}

/* The state changed (or the camera fell silent): tell the caller. */
static void report(char *last, size_t size, const char *now, cred_boot_fn fn, void *user)
{
	if (!strcmp(last, now))
		return;
	snprintf(last, size, "%s", now);
	if (fn)
		fn(now, user);
}

static int boot_timeout(int seen_boot, const char *last, int timeout_ms)
{
	if (!seen_boot)
		return cred_fail(CRED_ERR_TIMEOUT, "the camera did not reboot within %g s (status: %s)",
				 timeout_ms / 1000.0, last[0] ? last : "no answer");
	if (!last[0])
		return cred_fail(CRED_ERR_TIMEOUT, "the camera has not answered for %g s since it "
				 "started rebooting", timeout_ms / 1000.0);
	return cred_fail(CRED_ERR_TIMEOUT, "the camera did not finish booting within %g s "
			 "(status: %s)", timeout_ms / 1000.0, last);
}

int cred_firmware_wait_boot(struct cred_camera *cam, int timeout_ms, cred_boot_fn on_state,
			    void *user, volatile sig_atomic_t *cancel, char **state)
{
	long long deadline = cred_now_ms() + timeout_ms;
	char last[64] = "-", *st = NULL, fw[64];
	int seen_boot = 0, r;

	cred_clear_error();
	if (state)
		*state = NULL;
	while (cred_now_ms() < deadline) {
		if ((r = poll_status(cam, &st)) < 0)
			return r;
		report(last, sizeof(last), r ? st : "", on_state, user);
		if (!r || is_boot_state(st)) {
			seen_boot = 1;
		} else if (seen_boot) {
			if ((r = cred_cli_resync(cam->cli)) == CRED_OK &&
			    (r = cred_firmware_versions(cam, &(struct cred_versions){ 0 })) == CRED_OK) {
				if (state)
					*state = st;
				else
					free(st);
				return CRED_OK;
			}
			free(st);
			return r;
		}
		free(st);
		st = NULL;
		if ((r = sleep_cancellable(POLL_MS, cancel)) < 0)
			return r;
	}
	snprintf(fw, sizeof(fw), "%s", strcmp(last, "-") ? last : "");
	return boot_timeout(seen_boot, fw, timeout_ms);
}

/* XMODEM's wait for the receiver: text ending in a prompt is a refusal. */
struct refusal_text {
	char buf[512];
	size_t len;
};

static int on_text(const unsigned char *bytes, size_t len, void *user)
{
	struct refusal_text *t = user;
	size_t room = sizeof(t->buf) - 1 - t->len;

	memcpy(t->buf + t->len, bytes, len < room ? len : room);
	t->len += len < room ? len : room;
	t->buf[t->len] = '\0';
	return strstr(t->buf, CRED_PROMPT) != NULL;
}

static int upload_serial(struct cred_camera *cam, const void *data, size_t len,
			 const struct cred_upgrade_options *o, char **answer)
{
	struct refusal_text text = { .len = 0 };
	struct cred_xmodem_options xo = {
		.block_size = 1024, .cancel = o->cancel, .progress = o->progress,
		.progress_user = o->progress_user, .on_text = on_text, .text_user = &text,
	};
	int r, rs;

	if (cam->model->id != CRED_MODEL_CRED3)
		return cred_fail(CRED_ERR_SUPP, "the %s has no exec uploadfirmware: upgrade by URL",
				 cam->model->name);
	/* One exchange, the clean-up after a refusal included. */
	if ((r = cred_port_hold(cred_cli_port(cam->cli))) < 0)
		return r;
	if ((r = cred_cli_send(cam->cli, "exec uploadfirmware")) < 0) {
		cred_port_release(cred_cli_port(cam->cli));
		return r;
	}
	r = cred_xmodem_send(cred_cli_port(cam->cli), data, len, &xo, NULL);
	if (r == CRED_ERR_FAIL && text.len) {
		text.buf[strcspn(text.buf, "\r\n")] = '\0';
		r = cred_fail(CRED_ERR_FAIL, "the camera refused exec uploadfirmware: %s", text.buf);
	} else if (r == CRED_OK) {
		char *ans = NULL;

		r = cred_cli_read_answer(cam->cli, o->answer_timeout_ms, &ans);
		if (answer)
			*answer = ans;
		else
			free(ans);
		if (r == CRED_ERR_FAIL) {
			char why[1024];

			snprintf(why, sizeof(why), "%s", cred_last_error());
			r = cred_fail(CRED_ERR_FAIL, "the camera refused the firmware file: %s", why);
		}
	}
	if (r < 0) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", cred_last_error());
		rs = r;
		cred_cli_resync(cam->cli);
		cred_port_release(cred_cli_port(cam->cli));
		return cred_fail(rs, "%s", msg);
	}
	cred_port_release(cred_cli_port(cam->cli));
	return CRED_OK;
}

int cred_firmware_upgrade(struct cred_camera *cam, const void *data, size_t len,
			  const struct cred_upgrade_options *opts, char **answer)
{
	struct cred_upgrade_options none = { 0 };
	struct cred_transfer_options to = { 0 };

	if (answer)
		*answer = NULL;
	if (!opts)
		opts = &none;
	if (opts->serial)
		return upload_serial(cam, data, len, opts, answer);
	to.http_host = opts->http_host;
	to.http_port = opts->http_port;
	to.answer_timeout_ms = opts->answer_timeout_ms;
	to.cancel = opts->cancel;
	to.progress = opts->progress;
	to.progress_user = opts->progress_user;
	return cred_transfer_upload(cam->cli, CRED_TRANSFER_URL, "firmware", "firmware.tar.gz", data,
				    len, &to, answer);
}
