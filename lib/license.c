/* License files (cred-license.h). */
#include "camera-impl.h"
#include "cred-license.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DISABLED ".disabled"

static int supported(const struct cred_camera *cam)
{
	if (cam->model->id != CRED_MODEL_CRED3)
		return cred_fail(CRED_ERR_SUPP, "the %s has no license files", cam->model->name);
	return CRED_OK;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

int cred_license_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > 64 || name[0] == '.' || ends_with(name, DISABLED))
		return 0;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && !strchr("._-", *name))
			return 0;
	return 1;
}

/* One line of the `licenses` answer into l; -1 if it is not a file name. */
static int parse_line(const char *line, struct cred_license *l)
{
	char name[80];
	size_t n = strlen(line);

	if (n >= sizeof(name))
		return -1;
	memcpy(name, line, n + 1);
	l->enabled = !ends_with(name, DISABLED);
	if (!l->enabled)
		name[n - strlen(DISABLED)] = '\0';
	if (!cred_license_name_ok(name))
		return -1;
	snprintf(l->name, sizeof(l->name), "%s", name);
	return 0;
}

static int parse_list(char *answer, struct cred_license **list, size_t *n)
{
	struct cred_license *out = calloc(strlen(answer) / 2 + 1, sizeof(*out));
	char *save = NULL;

	if (!out)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	for (char *line = strtok_r(answer, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t\r");
		line[strcspn(line, " \t\r")] = '\0';
		if (!*line || !strcmp(line, "OK"))
			continue;
		if (parse_line(line, &out[*n]) < 0) {
			free(out);
			*n = 0;
			return cred_fail(CRED_ERR_PROTO, "the license list holds '%s', which is not a "
					 "license file name", line);
		}
		(*n)++;
	}
	*list = out;
	return CRED_OK;
}

int cred_license_list(struct cred_camera *cam, struct cred_license **list, size_t *n)
{
	char *answer = NULL;
	int r;

	cred_clear_error();
	*list = NULL;
	*n = 0;
	if ((r = supported(cam)) < 0 || (r = cred_cli_command(cam->cli, "licenses", 0, &answer)) < 0)
		return r;
	r = parse_list(answer, list, n);
	free(answer);
	return r;
}

int cred_license_install(struct cred_camera *cam, const char *name, const void *data, size_t len,
			 enum cred_transfer_method method, const struct cred_transfer_options *opts)
{
	char *answer = NULL;
	int r;

	cred_clear_error();
	if ((r = supported(cam)) < 0)
		return r;
	if (!cred_license_name_ok(name))
		return cred_fail(CRED_ERR_ARG, "invalid license file name '%s' (1 to 64 of A-Z a-z "
				 "0-9 . _ -, not ending in .disabled)", name ? name : "");
	if (method != CRED_TRANSFER_RAW && method != CRED_TRANSFER_XMODEM)
		return cred_fail(CRED_ERR_ARG, "licenses go by sendfile or XMODEM");
	r = cred_transfer_upload(cam->cli, method, "license", name, data, len, opts, &answer);
	free(answer);
	return r;
}

static int license_exec(struct cred_camera *cam, const char *verb, const char *name)
{
	char *answer = NULL;
	int r;

	cred_clear_error();
	if ((r = supported(cam)) < 0)
		return r;
	if (!cred_license_name_ok(name))
		return cred_fail(CRED_ERR_ARG, "invalid license file name '%s'", name ? name : "");
	r = cred_cli_commandf(cam->cli, 0, &answer, "exec %slicense %s", verb, name);
	free(answer);
	return r;
}

int cred_license_enable(struct cred_camera *cam, const char *name)
{
	return license_exec(cam, "enable", name);
}

int cred_license_disable(struct cred_camera *cam, const char *name)
{
	return license_exec(cam, "disable", name);
}

int cred_license_remove(struct cred_camera *cam, const char *name)
{
	return license_exec(cam, "del", name);
}
