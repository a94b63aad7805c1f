/* An answer being built: text lines joined with "\r\n" (the prompt is added
 * when it is sent), or raw bytes (recvfile content). Also carries what the
 * interpreter must do with it: delay it, or wait for a transfer. */
#ifndef CREDSIM_ANSWER_H
#define CREDSIM_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

struct answer {
	char *buf;
	size_t len, cap;
	int lines;          /* lines added so far */
	double delay;       /* simulated seconds before the answer is sent */
	bool deferred;      /* a receiver will produce the answer later */
	bool failed;        /* the answer is a rejection (for the -v log) */
};

void answer_init(struct answer *a);
void answer_free(struct answer *a);
/* Add one line (printf style). */
void answer_line(struct answer *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append raw bytes (no line handling). */
void answer_bytes(struct answer *a, const void *data, size_t len);

/* The standard answers. */
void answer_ok(struct answer *a);
void answer_error(struct answer *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void answer_syntax(struct answer *a, const char *token);
/* "label: value" when verbose, "value" when raw. */
void answer_value(struct answer *a, bool raw, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Shortest decimal text for a real value ("600", "0.0001", "2.5e-08"). */
const char *fmt_real(char *buf, size_t size, double v);

#endif
