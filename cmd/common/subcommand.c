/* Subcommand tables: "credctl get", "crednuc upload" (see common.h). */
#include "common.h"

#include <string.h>

const struct subcommand *find_subcommand(const struct subcommand *table, size_t n,
					 const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

int run_subcommand(const struct subcommand *table, size_t n, int argc, char **argv, void *user)
{
	const struct subcommand *sub;

	if (argc < 1)
		die_usage("no command given");
	sub = find_subcommand(table, n, argv[0]);
	if (!sub)
		die_usage("unknown command '%s'", argv[0]);
	return sub->run(argc, argv, user);
}

int parse_subcommand_opts(int argc, char **argv, const struct tool_opts *t, struct common_opts *c,
			  int (*handle)(int opt, const char *arg, void *user), void *user)
{
	int opt;

	optind = 0; /* full reset: a new argument vector */
	while ((opt = common_getopt(argc, argv, t, c)) != -1)
		if (!handle || handle(opt, optarg, user) < 0)
			die_usage("unexpected option for '%s'", argv[0]);
	return optind;
}
