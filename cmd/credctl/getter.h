/* credctl getter: the regeneration journal. A C-RED One locks itself for
 * good after more than four getter regenerations within 48 hours (two
 * before firmware 2.0.0), and the camera only tells how many it has done
 * in its life, not when. The journal keeps the when: one JSON line per
 * event, keyed by the camera's hwuid, in a file of the user's state
 * directory. */
#ifndef CREDCTL_GETTER_H
#define CREDCTL_GETTER_H

#include "ops.h"

/* Journal events: "seen" (the camera's count, observed), "regeneration"
 * (started by credctl), "unlogged" (counted by the camera but not seen
 * starting: taken as started when noticed, the safe assumption). */
#define EV_SEEN "seen"
#define EV_REGEN "regeneration"
#define EV_UNLOGGED "unlogged"

struct journal {
	char *path;
	bool known;          /* the journal has lines for this camera */
	long last_count;     /* the camera's count in its newest line; -1 */
	int recent;          /* regenerations (logged or not) within the window */
	time_t oldest;       /* the oldest of them (the window frees a slot at oldest + 48 h) */
	int bad_lines;       /* lines that are not journal entries (ignored) */
};

/* The journal file: opt (--journal) if given, else $CRED_GETTER_JOURNAL,
 * else $XDG_STATE_HOME/credtools/getter-journal.jsonl, else
 * ~/.local/state/credtools/getter-journal.jsonl. malloc'd; NULL when
 * neither XDG_STATE_HOME nor HOME is set. */
char *journal_path(const char *opt);
/* Read what the journal knows about the camera with this key (hwuid) at
 * time now. A missing file is an empty journal. 0, or -1 with errno. */
int journal_load(const char *path, const char *key, time_t now, struct journal *j);
/* Append an event (creating the file and its directories, mode 0700 for
 * directories and 0600 for the file). 0, or -1 with errno. */
int journal_add(const char *path, const char *key, const char *serial, const char *event,
		long count, time_t when);

#endif
