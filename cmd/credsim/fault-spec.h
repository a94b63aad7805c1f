/* The one grammar of credsim's fault specs: command faults (faults.h),
 * frame faults (stream-faults.h) and transfer faults (xfer-faults.h) are
 * all KIND[:ARG][/COMMAND][@N], each list with its own kinds, ranges and
 * whether /COMMAND is taken. */
#ifndef CREDSIM_FAULT_SPEC_H
#define CREDSIM_FAULT_SPEC_H

#include <stdbool.h>
#include <stddef.h>

struct fault_kind_def {
	const char *name;
	bool has_arg;      /* takes :ARG */
	long def;          /* ARG when not given */
	long min, max;     /* range of ARG */
};

struct fault_grammar {
	const char *what;                   /* "fault", "frame fault", ... (messages) */
	const struct fault_kind_def *kinds; /* indexed by the list's kind enum */
	int nkinds;
	bool command;                       /* takes /COMMAND */
	long at_min, at_max;                /* range of N */
};

#define FAULT_COMMAND_MAX 96

struct fault_spec {
	int kind;
	long arg;                        /* the default when not given */
	char command[FAULT_COMMAND_MAX]; /* "" when not given */
	bool has_at;
	long at;                         /* N, when has_at */
};

/* Parse spec against g into *out. Numbers are plain decimal digits within
 * their range. On failure returns -1 with "invalid frame fault 'x':
 * expected KIND[:ARG][@N] with KIND drop, ... or gone" in err. */
int fault_spec_parse(const struct fault_grammar *g, const char *spec, struct fault_spec *out,
		     char *err, size_t size);

#endif
