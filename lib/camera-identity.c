/* Who the camera is (cred_camera_identity): the "Label: value" lines of
 * `cameratype`, parsed strictly, and `hwuid`. */
#include "camera-impl.h"
#include "model-impl.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *label;
	size_t off;
} fields[] = {
	{ "camera type", offsetof(struct cred_identity, type) },
	{ "serial number", offsetof(struct cred_identity, serial) },
	{ "sensor", offsetof(struct cred_identity, sensor) },
	{ "interface", offsetof(struct cred_identity, interface) },
};

#define FIELD_SIZE sizeof(((struct cred_identity *)0)->type)

/* [s, s+n) without blanks at either end. */
static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t' || **s == '\r')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static int store(char *field, const char *label, const char *value, size_t n)
{
	if (field[0])
		return cred_fail(CRED_ERR_PROTO, "'cameratype' gives the %s twice", label);
	if (n >= FIELD_SIZE)
		return cred_fail(CRED_ERR_PROTO, "'cameratype' gives a %s of %zu characters",
				 label, n);
	memcpy(field, value, n);
	field[n] = '\0';
	return CRED_OK;
}

/* One line of the answer; lines is how many there are. */
static int parse_line(struct cred_identity *id, const char *line, size_t n, int lines)
{
	const char *colon = memchr(line, ':', n), *label = line, *value;
	size_t ln, vn;

	trim(&line, &n);
	if (!n)
		return CRED_OK;
	if (!colon) {
		if (lines == 1) /* `cameratype raw`: the type alone */
			return store(id->type, "camera type", line, n);
		return cred_fail(CRED_ERR_PROTO, "'cameratype' answered '%.*s', not 'Label: value'",
				 (int)n, line);
	}
	ln = (size_t)(colon - label);
	trim(&label, &ln);
	value = colon + 1;
	vn = n - (size_t)(value - line);
	trim(&value, &vn);
	for (size_t i = 0; i < CRED_ARRAY_SIZE(fields); i++)
		if (strlen(fields[i].label) == ln && strncasecmp(label, fields[i].label, ln) == 0)
			return store((char *)id + fields[i].off, fields[i].label, value, vn);
	return CRED_OK; /* a label we do not use */
}

static int parse_cameratype(struct cred_identity *id, const char *answer)
{
	int lines = 0, r = CRED_OK;

	for (const char *p = answer; *p; p += strcspn(p, "\n"), p += *p == '\n')
		lines += strcspn(p, "\n") > 0;
	for (const char *p = answer; *p && r == CRED_OK; p += *p == '\n') {
		size_t n = strcspn(p, "\n");

		r = parse_line(id, p, n, lines);
		p += n;
	}
	return r;
}

int cred_camera_identity(struct cred_camera *cam, struct cred_identity *id)
{
	char *answer = NULL;
	int r;

	memset(id, 0, sizeof(*id));
	cred_clear_error();
	r = cred_cli_command(cam->cli, "cameratype", 0, &answer);
	if (r == CRED_OK) {
		r = parse_cameratype(id, answer);
		free(answer);
		answer = NULL;
		if (r < 0) {
			memset(id, 0, sizeof(*id));
			return r;
		}
	}
	if (r < 0 && r != CRED_ERR_FAIL)
		return r;
	r = cred_camera_get(cam, "hwuid", &answer);
	if (r == CRED_OK && strlen(answer) < sizeof(id->hwuid))
		snprintf(id->hwuid, sizeof(id->hwuid), "%s", answer);
	else if (r == CRED_OK)
		r = cred_fail(CRED_ERR_PROTO, "'hwuid' gives %zu characters", strlen(answer));
	free(answer);
	if (r == CRED_ERR_FAIL || r == CRED_ERR_SUPP)
		r = CRED_OK;
	if (r == CRED_OK)
		cred_clear_error();
	return r;
}
