/* credbpm stats, list, diff: looking at maps. */
#include "credbpm.h"

#include <stdlib.h>
#include <string.h>

/* The one MAP argument of a subcommand without options of its own. */
static const char *one_map(struct config *cfg, int argc, char **argv)
{
	int first = bpm_parse(cfg, argc, argv, NULL, NULL, NULL);

	if (first + 1 != argc)
		die_usage("%s needs one MAP", argv[0]);
	return argv[first];
}

int cmd_stats(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	struct cred_bpm *map = map_read(cfg, one_map(cfg, argc, argv), FMT_AUTO);
	struct cred_bpm_stats st;

	if (cred_bpm_stats(map, &st) < 0)
		die_cred(CRED_ERR_MEM, "cannot compute the statistics");
	if (cfg->opts.json) {
		json_t *o = json_pack("{s:i,s:i,s:I,s:I,s:f,s:I,s:I,s:I,s:I}",
				      "width", cred_bpm_width(map), "height", cred_bpm_height(map),
				      "pixels", (json_int_t)st.pixels, "bad", (json_int_t)st.bad,
				      "fraction", (double)st.bad / st.pixels,
				      "clusters", (json_int_t)st.clusters,
				      "clustered", (json_int_t)st.clustered,
				      "largest_cluster", (json_int_t)st.largest,
				      "unfixable", (json_int_t)st.unfixable);
		print_json(o);
	} else {
		printf("size:            %dx%d\n", cred_bpm_width(map), cred_bpm_height(map));
		printf("bad pixels:      %zu\n", st.bad);
		printf("fraction:        %.4f%%\n", 100.0 * st.bad / st.pixels);
		printf("clusters:        %zu (%zu pixels touching another bad pixel)\n", st.clusters,
		       st.clustered);
		printf("largest cluster: %zu\n", st.largest);
		printf("unfixable:       %zu (no good left or right neighbour)\n", st.unfixable);
	}
	cred_bpm_free(map);
	return EXIT_OK;
}

int cmd_list(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	struct cred_bpm *map = map_read(cfg, one_map(cfg, argc, argv), FMT_AUTO);
	size_t pos = 0;
	int x, y;

	if (cfg->opts.json) {
		json_t *a = json_array();

		while (cred_bpm_next(map, &pos, &x, &y))
			json_array_append_new(a, json_pack("[i,i]", x, y));
		print_json(a);
	} else {
		while (cred_bpm_next(map, &pos, &x, &y))
			printf("%d %d\n", x, y);
	}
	cred_bpm_free(map);
	return EXIT_OK;
}

static json_t *pixels_json(const struct cred_bpm *m)
{
	json_t *a = json_array();
	size_t pos = 0;
	int x, y;

	while (cred_bpm_next(m, &pos, &x, &y))
		json_array_append_new(a, json_pack("[i,i]", x, y));
	return a;
}

static void print_pixels(const struct cred_bpm *m, char sign)
{
	size_t pos = 0;
	int x, y;

	while (cred_bpm_next(m, &pos, &x, &y))
		printf("%c%d %d\n", sign, x, y);
}

/* Like cmp: silent and 0 when equal; the differences and 1 otherwise. */
int cmd_diff(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	int first = bpm_parse(cfg, argc, argv, NULL, NULL, NULL);
	struct cred_bpm *a, *b, *added = NULL, *removed = NULL;
	size_t na, nr;

	if (first + 2 != argc)
		die_usage("diff needs two maps, A and B");
	a = map_read(cfg, argv[first], FMT_AUTO);
	b = map_read(cfg, argv[first + 1], FMT_AUTO);
	if (cred_bpm_subtract(b, a, &added) < 0 || cred_bpm_subtract(a, b, &removed) < 0)
		die("cannot compare '%s' and '%s': %s", argv[first], argv[first + 1],
		    cred_last_error());
	na = cred_bpm_count(added);
	nr = cred_bpm_count(removed);
	if (cfg->opts.json) {
		print_json(json_pack("{s:I,s:I,s:o,s:o}", "added", (json_int_t)na, "removed",
				     (json_int_t)nr, "added_pixels", pixels_json(added),
				     "removed_pixels", pixels_json(removed)));
	} else {
		print_pixels(removed, '-');
		print_pixels(added, '+');
		if ((na || nr) && !cfg->opts.quiet)
			fprintf(stderr, "%s: %zu added, %zu removed\n", get_prog_name(), na, nr);
	}
	cred_bpm_free(a);
	cred_bpm_free(b);
	cred_bpm_free(added);
	cred_bpm_free(removed);
	return na || nr ? EXIT_REFUSED : EXIT_OK;
}
