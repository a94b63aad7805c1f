/* What credctl last saw in each preset of a camera, so that `preset load`
 * can tell unsaved changes: the camera cannot show a preset without
 * loading it. One JSON settings object per camera and preset, under
 * $XDG_STATE_HOME/credtools/presets/ (~/.local/state without it), written
 * whenever credctl loads or saves a preset. */
#include "credctl.h"
#include "ops.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *record_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir = NULL;
	int r;

	/* a relative XDG_STATE_HOME is invalid and must be ignored */
	if (xdg && xdg[0] == '/')
		r = asprintf(&dir, "%s/credtools/presets", xdg);
	else if (home && *home)
		r = asprintf(&dir, "%s/.local/state/credtools/presets", home);
	else
		return NULL;
	return r < 0 ? NULL : dir;
}

/* The camera's key: its hwuid, else its serial number. */
static char *record_path(struct ctl *ctl, long preset)
{
	struct cam_identity id;
	char *dir = record_dir(), *path = NULL;
	const char *key;

	read_identity(ctl_camera(ctl), &id);
	key = *id.hwuid ? id.hwuid : id.serial;
	if (!dir || !*key || strchr(key, '/') ||
	    asprintf(&path, "%s/%s-%s-%ld.json", dir, ctl_model(ctl)->key, key, preset) < 0)
		path = NULL;
	free(dir);
	return path;
}

json_t *preset_record_read(struct ctl *ctl, long preset)
{
	char *path = record_path(ctl, preset);
	json_t *o = path ? json_load_file(path, 0, NULL) : NULL;

	free(path);
	if (o && !json_is_object(o)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

void preset_record_write(struct ctl *ctl, long preset, json_t *settings)
{
	char *path = record_path(ctl, preset), *dir = record_dir(), *text;
	struct cred_outfile *of = NULL;
	ssize_t len;

	/* A record that cannot be written only costs a question later. */
	if (!path || !dir || make_dirs(dir, 0700) < 0 || cred_outfile_open(path, 1, &of) < 0) {
		if (ctl->opts.verbose)
			print_warning("cannot keep a record of preset %ld: %s", preset,
				      path ? cred_last_error() : "no state directory");
		goto out;
	}
	text = json_encode(settings, 2);
	len = (ssize_t)strlen(text);
	if (write(cred_outfile_fd(of), text, (size_t)len) != len)
		cred_outfile_abort(of);
	else
		cred_outfile_commit(of);
	free(text);
out:
	free(path);
	free(dir);
}
