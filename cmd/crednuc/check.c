/* crednuc check FILE: is this a bias or flat file the camera can use? */
#include "crednuc.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_KIND = OPT_TOOL_BASE, OPT_GEOMETRY };

struct check_args {
	const char *kind;
	const char *geometry;
};

static const struct option check_long[] = {
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "geometry", required_argument, NULL, OPT_GEOMETRY },
	{ NULL, 0, NULL, 0 },
};

static const struct tool_opts check_opts = {
	.longopts = check_long,
	.common = COMMON_JSON,
	.print_help = crednuc_help,
};

static int check_option(int opt, const char *arg, void *user)
{
	struct check_args *a = user;

	if (opt == OPT_KIND)
		a->kind = arg;
	else if (opt == OPT_GEOMETRY)
		a->geometry = arg;
	else
		return -1;
	return 0;
}

/* The kind a file name starts with ("bias_hdr_c1.bin", "flat-2024.bin"),
 * the longest that matches; NULL if none. */
static const char *kind_from_name(const char *path)
{
	static const char *const kinds[] = { "bias_hdr_c1", "bias_hdr_c2", "flat_hdr_c1",
					     "flat_hdr_c2", "bias", "flat" };
	char *copy = strdup(path);
	const char *base, *found = NULL;

	if (!copy)
		die("out of memory");
	base = basename(copy);
	for (size_t i = 0; i < ARRAY_SIZE(kinds) && !found; i++)
		if (!strncmp(base, kinds[i], strlen(kinds[i])))
			found = kinds[i];
	free(copy);
	return found;
}

/* A whole (small) file in memory. */
void *read_whole_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;

	if (!f)
		die_perror("cannot open '%s'", path);
	if (!(buf = malloc(max + 1)))
		die("out of memory");
	*len = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		free(buf);
		die_perror("cannot read '%s'", path);
	}
	fclose(f);
	if (*len > max) {
		free(buf);
		die("'%s' is larger than any correction file (%zu bytes at most)", path, max);
	}
	return buf;
}

static const char *window_origin(const struct target *t, const struct check_args *a)
{
	return t->from_camera ? "the camera's window" : a->geometry ? "the given window" :
	       "the full sensor";
}

static int report_invalid(const struct nuc *nuc, const char *path, const char *msg)
{
	if (nuc->opts.json) {
		json_t *o = json_object();

		json_object_set_new(o, "file", json_text(path));
		json_object_set_new(o, "valid", json_false());
		json_object_set_new(o, "error", json_text(msg));
		print_json(o);
	}
	print_error("%s: %s", path, msg);
	return EXIT_REFUSED;
}

static void report_json(const char *path, const char *kind, const struct target *t,
			const struct check_args *a, const struct cred_calib_report *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "file", json_text(path));
	json_object_set_new(o, "valid", json_true());
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "model", json_string(t->model->key));
	json_object_set_new(o, "width", json_integer(t->width));
	json_object_set_new(o, "height", json_integer(t->height));
	json_object_set_new(o, "window", json_string(window_origin(t, a)));
	json_object_set_new(o, "min", json_real(r->min));
	json_object_set_new(o, "max", json_real(r->max));
	json_object_set_new(o, "mean", json_real(r->mean));
	json_object_set_new(o, "zeros", json_integer((json_int_t)r->zeros));
	print_json(o);
}

static void report_text(const char *path, const struct cred_calib_kind *k, const struct target *t,
			const struct check_args *a, const struct cred_calib_report *r)
{
	printf("%s: a valid %s file for a %s %dx%d window (%s)\n", path, k->name, t->model->name,
	       t->width, t->height, window_origin(t, a));
	if (k->type == CRED_CALIB_BIAS)
		printf("values: %.0f to %.0f ADU, mean %.2f\n", r->min, r->max, r->mean);
	else
		printf("factors: %.4f to %.4f, mean %.4f\n", r->min, r->max, r->mean);
}

int cmd_check(int argc, char **argv, void *user)
{
	struct nuc *nuc = user;
	struct check_args a = { NULL, NULL };
	const struct cred_calib_kind *kind;
	struct cred_calib_report rep;
	struct target t;
	size_t len;
	void *data;
	int first = parse_subcommand_opts(argc, argv, &check_opts, &nuc->opts, check_option, &a);

	if (first + 1 != argc)
		die_usage("check needs one FILE");
	if (!a.kind && !(a.kind = kind_from_name(argv[first])))
		die_usage("cannot tell the kind of '%s' from its name: use --kind", argv[first]);
	data = read_whole_file(argv[first], NUC_FILE_MAX, &len);
	resolve_target(nuc, a.geometry, NULL, &t);
	kind = find_kind(t.model, a.kind);
	if (cred_calib_validate(t.model, kind->name, t.width, t.height, data, len, &rep) < 0) {
		free(data);
		return report_invalid(nuc, argv[first], cred_last_error());
	}
	if (nuc->opts.json)
		report_json(argv[first], kind->name, &t, &a, &rep);
	else
		report_text(argv[first], kind, &t, &a, &rep);
	if (kind->type == CRED_CALIB_FLAT && rep.zeros)
		print_warning("%s: %zu pixels have a factor of 0: they will read 0", argv[first],
			      rep.zeros);
	if (kind->hdr_capacitor && t.from_camera && !t.hdr)
		print_warning("the camera is not in HDR mode: %s applies only in HDR", kind->name);
	free(data);
	return EXIT_OK;
}
