/* Subcommand tables: "credctl get", "crednuc upload" (see common.h). */
#include "common.h"

#include <stdlib.h>
#include <string.h>

const struct subcommand *find_subcommand(const struct subcommand *table, size_t n,
					 const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

/* Optimal string alignment distance: insertions, deletions,
 * substitutions and swaps of two neighbours ("stauts" is 1 from
 * "status"). Words longer than 63 characters are never close. */
static size_t typo_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[64][64];

	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const struct subcommand *closest_subcommand(const struct subcommand *table, size_t n,
					    const char *word)
{
	const struct subcommand *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(word);
	/* one slip in a short word, two in a longer one */
	size_t limit = len <= 4 ? 1 : 2;

	if (find_subcommand(table, n, word))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t dist = typo_distance(word, table[i].name);

		if (dist <= limit && dist < best_d) {
			best = &table[i];
			best_d = dist;
		}
	}
	return best;
}

void suggest_subcommand(const struct subcommand *table, size_t n, const char *word)
{
	const struct subcommand *sub = closest_subcommand(table, n, word);

	if (sub)
		print_error("did you mean '%s'?", sub->name);
}

int run_subcommand(const struct subcommand *table, size_t n, int argc, char **argv, void *user)
{
	const struct subcommand *sub;

	if (argc < 1)
		die_usage("no command given");
	sub = find_subcommand(table, n, argv[0]);
	if (!sub) {
		const struct subcommand *near = closest_subcommand(table, n, argv[0]);

		if (near)
			die_usage("unknown command '%s' (did you mean '%s'?)", argv[0], near->name);
		die_usage("unknown command '%s'", argv[0]);
	}
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
