/* What a set moved: the parameters a setting can change as a side effect
 * (struct cred_param.moves) are read before and after, so that a tool can
 * say aloud that `set fps` reset tint or a mode change reset the gain. */
#include "camera-impl.h"
#include "model-impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct watch {
	const char **names;
	size_t n, cap;
};

static int watched(const struct watch *w, const char *name)
{
	for (size_t i = 0; i < w->n; i++)
		if (!strcasecmp(w->names[i], name))
			return 1;
	return 0;
}

static int watch_add(struct watch *w, const struct cred_param *p)
{
	if (!p || !p->get_cmd || watched(w, p->name))
		return CRED_OK;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		const char **names = realloc(w->names, cap * sizeof(*names));

		if (!names)
			return cred_fail(CRED_ERR_MEM, "out of memory");
		w->names = names;
		w->cap = cap;
	}
	w->names[w->n++] = p->name;
	return CRED_OK;
}

/* The asked settings first, then what they can move; loading a preset
 * can move every setting the camera reads back. */
static int collect(enum cred_model_id model, const char *const *names, size_t n, struct watch *w)
{
	int r;

	for (size_t i = 0; i < n; i++)
		if ((r = watch_add(w, cred_param_find(model, names[i]))) < 0)
			return r;
	for (size_t i = 0; i < n; i++) {
		const struct cred_param *p = cred_param_find(model, names[i]);

		if (!p)
			continue;
		for (size_t k = 0; p->moves && p->moves[k]; k++)
			if ((r = watch_add(w, cred_param_find(model, p->moves[k]))) < 0)
				return r;
		if (p->order != CRED_ORDER_PRESET)
			continue;
		for (size_t k = 0; k < cred_param_count(model); k++) {
			const struct cred_param *q = cred_param_at(model, k);

			if (q->set_cmd && !(q->flags & CRED_PARAM_READONLY) &&
			    (r = watch_add(w, q)) < 0)
				return r;
		}
	}
	return CRED_OK;
}

static int read_all(struct cred_camera *cam, const struct watch *w, char **values)
{
	int r;

	for (size_t i = 0; i < w->n; i++)
		if ((r = cred_camera_current(cam, w->names[i], &values[i])) < 0)
			return r;
	return CRED_OK;
}

static int same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static int is_asked(const struct cred_param *const *asked, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(asked[i]->name, name))
			return 1;
	return 0;
}

/* The asked ones in the caller's order (their read-back from set_list),
 * then the side effects that moved. */
static int build(const struct cred_param *const *asked, size_t n, char **readback,
		 const struct watch *w, char **before, char **after, struct cred_change *out,
		 size_t *count)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		out[k].name = asked[i]->name;
		out[k].asked = 1;
		out[k].after = readback[i];
		readback[i] = NULL;
		for (size_t j = 0; j < w->n; j++)
			if (!strcmp(w->names[j], asked[i]->name)) {
				out[k].before = before[j];
				before[j] = NULL;
			}
		k++;
	}
	for (size_t j = 0; j < w->n; j++) {
		if (is_asked(asked, n, w->names[j]) || !after[j] || same(before[j], after[j]))
			continue;
		out[k].name = w->names[j];
		out[k].before = before[j];
		out[k].after = after[j];
		before[j] = after[j] = NULL;
		k++;
	}
	*count = k;
	return CRED_OK;
}

static void free_strings(char **s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i]);
	free(s);
}

int cred_camera_set_changes(struct cred_camera *cam, const char *const *names,
			    const char *const *values, size_t n, struct cred_change **changes,
			    size_t *count)
{
	struct watch w = { 0 };
	const struct cred_param **asked = NULL;
	char **before = NULL, **after = NULL, **readback = NULL;
	struct cred_change *out = NULL;
	int r;

	*changes = NULL;
	*count = 0;
	cred_clear_error();
	asked = calloc(n + 1, sizeof(*asked));
	readback = calloc(n + 1, sizeof(*readback));
	if (!asked || !readback) {
		r = cred_fail(CRED_ERR_MEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if ((r = cred_camera_param(cam, names[i], 1, &asked[i])) < 0)
			goto out;
	if ((r = collect(cam->model->id, names, n, &w)) < 0)
		goto out;
	before = calloc(w.n + 1, sizeof(*before));
	after = calloc(w.n + 1, sizeof(*after));
	out = calloc(n + w.n + 1, sizeof(*out));
	if (!before || !after || !out) {
		r = cred_fail(CRED_ERR_MEM, "out of memory");
		goto out;
	}
	if ((r = read_all(cam, &w, before)) < 0 ||
	    (r = cred_camera_set_list(cam, names, values, n, readback)) < 0 ||
	    (r = read_all(cam, &w, after)) < 0)
		goto out;
	r = build(asked, n, readback, &w, before, after, out, count);
	*changes = out;
	out = NULL;
out:
	free(out);
	free_strings(before, w.n);
	free_strings(after, w.n);
	free_strings(readback, n);
	free(asked);
	free(w.names);
	return r;
}

void cred_changes_free(struct cred_change *changes, size_t count)
{
	for (size_t i = 0; changes && i < count; i++) {
		free(changes[i].before);
		free(changes[i].after);
	}
	free(changes);
}
