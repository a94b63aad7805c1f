/* Asking the user before a risky step ("Continue? [y/N]"). */
#include "common.h"

#include <string.h>
#include <strings.h>
#include <unistd.h>

bool ask_yes_no(const struct common_opts *c, const char *question)
{
	char line[64];

	if (c->yes)
		return true;
	if (!isatty(STDIN_FILENO))
		die_code(EXIT_USAGE, "standard input is not a terminal, cannot ask '%s': use -y to confirm",
			 question);
	fputs(question, stderr);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return !strcasecmp(line, "y") || !strcasecmp(line, "yes");
}
