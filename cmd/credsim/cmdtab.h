/* Command tables: one row per command of a model's manual, matched word by
 * word. A pattern word "<name>" takes one argument token; other words are
 * keywords, which may be abbreviated to any unambiguous prefix ("temp water"
 * for "temperatures water", as field code does). Rows needing a newer
 * firmware than the camera's are invisible: such a command is answered as
 * an unknown one. */
#ifndef CREDSIM_CMDTAB_H
#define CREDSIM_CMDTAB_H

#include <stdbool.h>
#include <stddef.h>

struct interp_ctx;
struct camera;
struct answer;

enum cmd_kind { K_GET, K_SET, K_OTHER, K_EXEC, K_SIM };

#define CF_BUSY_OK   0x1  /* allowed while the camera computes a NUC file */
#define CF_ANY_STATE 0x2  /* a change allowed in every state (events, reboot ...) */
#define CF_READ      0x4  /* an "other" row that only reads (licenses, recvfile ...) */

#define MAX_ARGS 8

typedef void (*cmd_fn)(struct interp_ctx *c);

struct cmd_row {
	enum cmd_kind kind;
	const char *pattern;
	const char *fw;       /* minimum firmware ("1.1.0"), NULL for any */
	cmd_fn fn;
	const void *arg;      /* handler data: a parameter, a file kind ... */
	unsigned flags;
	const char *help;     /* one line for `help` */
};

struct cmd_table {
	const struct cmd_row *rows;
	size_t count;
};

/* Find the row for tokens. On success fills args (pointers into tok) and
 * returns the row; on failure returns NULL and *bad is the token to name
 * in "Syntax error next to '...'". */
const struct cmd_row *cmdtab_match(const struct cmd_table *t, const char *firmware,
				   char **tok, int ntok, char **args, int *nargs,
				   const char **bad);
/* The last keyword of a row's pattern ("on" in "set bias on"). */
const char *cmdtab_last_word(const struct cmd_row *row, char *buf, size_t size);
/* One line per visible row: "pattern  description". */
void cmdtab_help(const struct cmd_table *t, const char *firmware, struct answer *ans);
const char *cmd_kind_name(enum cmd_kind k);

#endif
