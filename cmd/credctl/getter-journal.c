/* credctl getter: the regeneration journal (see credctl-getter.h). */
#include "getter.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#define JOURNAL_NAME "credtools/getter-journal.jsonl"

char *journal_path(const char *opt)
{
	const char *env = getenv("CRED_GETTER_JOURNAL"), *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *path = NULL;
	int r;

	if (opt && *opt)
		return strdup(opt);
	if (env && *env)
		return strdup(env);
	/* XDG: a relative XDG_STATE_HOME is invalid and must be ignored */
	if (xdg && xdg[0] == '/')
		r = asprintf(&path, "%s/%s", xdg, JOURNAL_NAME);
	else if (home && *home)
		r = asprintf(&path, "%s/.local/state/%s", home, JOURNAL_NAME);
	else
		return NULL;
	return r < 0 ? NULL : path;
}

/* One line: count it in j if it is about the camera key. */
static void journal_line(const char *line, const char *key, time_t now, struct journal *j)
{
	json_error_t error;
	json_t *e = json_loads(line, 0, &error);
	const char *hw = NULL, *stamp = NULL, *event = NULL;
	json_int_t count = -1;
	time_t t;

	if (!e || json_unpack(e, "{s:s, s:s, s:s, s?I}", "hwuid", &hw, "timestamp", &stamp,
			      "event", &event, "count", &count) < 0 || !parse_utc(stamp, &t)) {
		j->bad_lines++;
		json_decref(e);
		return;
	}
	if (!strcmp(hw, key)) {
		j->known = true;
		if (count >= 0)
			j->last_count = (long)count;
		/* a time ahead of ours (a clock set back) still counts */
		if ((!strcmp(event, EV_REGEN) || !strcmp(event, EV_UNLOGGED)) &&
		    t > now - CRED_GETTER_WINDOW_S) {
			if (!j->recent || t < j->oldest)
				j->oldest = t;
			j->recent++;
		}
	}
	json_decref(e);
}

int journal_load(const char *path, const char *key, time_t now, struct journal *j)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t size = 0;

	*j = (struct journal){ .last_count = -1 };
	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (getline(&line, &size, f) >= 0)
		if (line[strspn(line, " \t\r\n")])
			journal_line(line, key, now, j);
	free(line);
	fclose(f);
	return 0;
}

int journal_add(const char *path, const char *key, const char *serial, const char *event,
		long count, time_t when)
{
	char stamp[32], *dir = strdup(path), *line;
	json_t *e;
	int r;

	if (!dir)
		return -1;
	r = make_dirs(dirname(dir), 0700);
	free(dir);
	if (r < 0)
		return -1;
	cred_format_utc(when, 0, 1, stamp, sizeof(stamp));
	e = json_pack("{s:s, s:s, s:s, s:s, s:I}", "timestamp", stamp, "hwuid", key,
		      "serial", serial, "event", event, "count", (json_int_t)count);
	if (!e) {
		errno = ENOMEM;
		return -1;
	}
	line = json_line(e);
	r = append_line(path, line, 0600);
	free(line);
	json_decref(e);
	return r;
}
