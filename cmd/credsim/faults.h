/* Fault injection: answers that go wrong the way real links do.
 *
 * SPEC is KIND[:ARG][/COMMAND][@N]
 *   KIND     drop          remove ARG bytes (default 3) from inside the answer
 *            late-tail     after the prompt, ARG ms later (default 200), the
 *                          second half of the answer arrives again with a prompt
 *            double-prompt an extra "\r\nfli-cli>" after the answer
 *            stall         hold the answer ARG ms (default 3000)
 *            garbage       ARG random bytes (default 8) before the answer
 *            no-answer     execute the command, answer nothing
 *   /COMMAND only commands whose words start with COMMAND ("/set cropping")
 *   @N       only the Nth matching command (counted from when the fault
 *            was added); without it every matching command. */
#ifndef CREDSIM_FAULTS_H
#define CREDSIM_FAULTS_H

#include <stddef.h>
#include <stdint.h>
#include "fault-spec.h"

enum fault_kind { F_DROP, F_LATE_TAIL, F_DOUBLE_PROMPT, F_STALL, F_GARBAGE, F_NO_ANSWER, F_KINDS };

struct fault {
	enum fault_kind kind;
	long arg;
	char command[FAULT_COMMAND_MAX];
	long nth;     /* 0: every match */
	long seen;    /* matching commands so far */
	long fired;
};

/* What happens to one answer: the union of the faults that fired. */
struct fault_effect {
	unsigned mask;            /* 1u << enum fault_kind */
	long drop, garbage, stall_ms, tail_ms;
};

#define MAX_FAULTS 32

struct fault_list {
	struct fault f[MAX_FAULTS];
	int n;
};

int fault_parse(const char *spec, struct fault *f, char *err, size_t size);
int faults_add(struct fault_list *fl, const char *spec, char *err, size_t size);
void faults_clear(struct fault_list *fl);
/* "stall:3000/fps@2 (seen 1, fired 0)" */
const char *fault_describe(const struct fault *f, char *buf, size_t size);
/* Count line against every fault; fill eff with the ones that fire. */
void faults_match(struct fault_list *fl, const char *line, struct fault_effect *eff);

struct link;
/* Queue answer body plus prompt on the link as eff says, not before real
 * time at. Returns the real time the answer itself leaves (for busy). */
int64_t faults_emit(struct link *l, const struct fault_effect *eff, const char *body, size_t len,
		    int64_t at, uint64_t *rng);

#endif
