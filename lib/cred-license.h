/* License files of optional features (C-RED 3 manual, "Camera optional
 * features"): list, install, enable, disable, remove. Every change takes
 * effect at the camera's next boot (cred_firmware_reboot). The C-RED One
 * has no license commands: every call there returns CRED_ERR_SUPP.
 *
 * Wire: `licenses` answers one file name per line, a disabled one with
 * ".disabled" appended, then "OK"; `exec enablelicense NAME`,
 * `exec disablelicense NAME` and `exec dellicense NAME` answer "OK"; a
 * license is installed with `sendfile license NAME SIZE MD5` (or
 * xsendfile) and is enabled by default. */
#ifndef CRED_LICENSE_H
#define CRED_LICENSE_H

#include <stddef.h>
#include "cred-camera.h"
#include "cred-transfer.h"

struct cred_license {
	char name[65];   /* "hdr.lic" (without ".disabled") */
	int enabled;     /* 0 when the camera lists it with ".disabled" */
};

/* The installed licenses: *list is malloc'd (free it), *n its length (may
 * be 0). Errors: CRED_ERR_SUPP (model), CRED_ERR_PROTO (a line that is not
 * a file name), the client's. */
CRED_API int cred_license_list(struct cred_camera *cam, struct cred_license **list, size_t *n);

/* Non-zero if name is a valid license file name: 1 to 64 of [A-Za-z0-9._-],
 * not starting with '.', not ending in ".disabled". */
CRED_API int cred_license_name_ok(const char *name);

/* Upload a license file (len bytes) as name with sendfile (method
 * CRED_TRANSFER_RAW) or xsendfile (CRED_TRANSFER_XMODEM), size and MD5
 * checked by the camera. opts may be NULL. Errors: CRED_ERR_ARG (bad name,
 * method), CRED_ERR_SUPP, and those of cred_transfer_upload. */
CRED_API int cred_license_install(struct cred_camera *cam, const char *name, const void *data,
				  size_t len, enum cred_transfer_method method,
				  const struct cred_transfer_options *opts);

/* exec enablelicense / disablelicense / dellicense NAME. Errors:
 * CRED_ERR_ARG (bad name), CRED_ERR_SUPP, CRED_ERR_FAIL (the camera
 * refused: no such license ...), the client's. */
CRED_API int cred_license_enable(struct cred_camera *cam, const char *name);
CRED_API int cred_license_disable(struct cred_camera *cam, const char *name);
CRED_API int cred_license_remove(struct cred_camera *cam, const char *name);

#endif
