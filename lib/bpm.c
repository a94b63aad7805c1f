/* Bad-pixel maps (see cred-bpm.h for the format). */
#include "cred-bpm.h"
#include "error-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cred_bpm {
	int width, height;
	size_t len;
	uint8_t *bits;
};

/* No map file is larger than the C-RED 3's; read a little more than that
 * so a file too large is seen as such. */
#define BPM_READ_MAX ((size_t)640 * 512 / 8 + 1)

size_t cred_bpm_size_for(int width, int height)
{
	if (width <= 0 || height <= 0)
		return 0;
	return (size_t)width * (size_t)height / 8;
}

int cred_bpm_new(int width, int height, struct cred_bpm **out)
{
	struct cred_bpm *m;

	cred_clear_error();
	*out = NULL;
	if (width < 8 || width > 65528 || width % 8 || height < 1 || height > 65535)
		return cred_fail(CRED_ERR_ARG, "invalid map geometry %dx%d (the width must be a "
				 "multiple of 8)", width, height);
	m = calloc(1, sizeof(*m));
	if (!m || !(m->bits = calloc(1, cred_bpm_size_for(width, height)))) {
		free(m);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	m->width = width;
	m->height = height;
	m->len = cred_bpm_size_for(width, height);
	*out = m;
	return CRED_OK;
}

/* The geometry of a map of len bytes for model; 0 when it is not one. */
static const struct cred_model *model_for_size(size_t len, enum cred_model_id model)
{
	static const enum cred_model_id ids[] = { CRED_MODEL_CRED3, CRED_MODEL_CREDONE };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct cred_model *m = cred_model_get(ids[i]);

		if ((model == CRED_MODEL_UNKNOWN || model == ids[i]) &&
		    len == cred_bpm_size_for(m->width, m->height))
			return m;
	}
	return NULL;
}

int cred_bpm_check_size(size_t len, enum cred_model_id model)
{
	const struct cred_model *m = cred_model_get(model);

	cred_clear_error();
	if (model_for_size(len, model))
		return CRED_OK;
	if (m)
		return cred_fail(CRED_ERR_DATA, "%zu bytes is not a %s bad pixel map (%zu bytes for "
				 "%dx%d)", len, m->name, cred_bpm_size_for(m->width, m->height),
				 m->width, m->height);
	return cred_fail(CRED_ERR_DATA, "%zu bytes is not a bad pixel map (40960 bytes for a "
			 "640x512 C-RED 3, 10240 for a 320x256 C-RED One)", len);
}

int cred_bpm_from_bytes(const void *data, size_t len, enum cred_model_id model,
			struct cred_bpm **out)
{
	const struct cred_model *m;
	int err;

	*out = NULL;
	if ((err = cred_bpm_check_size(len, model)) < 0)
		return err;
	m = model_for_size(len, model);
	if ((err = cred_bpm_new(m->width, m->height, out)) < 0)
		return err;
	memcpy((*out)->bits, data, len);
	return CRED_OK;
}

/* Up to max bytes of the file at path (malloc'd). */
static int read_file(const char *path, size_t max, uint8_t **data, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	if (fd < 0)
		return cred_fail_errno("cannot open '%s'", path);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return cred_fail_errno("cannot read '%s'", path);
	}
	if (!(buf = malloc(max))) {
		close(fd);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	while (got < max) {
		ssize_t n = read(fd, buf + got, max - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = cred_fail_errno("cannot read '%s'", path);

			close(fd);
			free(buf);
			return r;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = got;
	return CRED_OK;
}

int cred_bpm_load(const char *path, enum cred_model_id model, struct cred_bpm **out)
{
	uint8_t *data;
	size_t len = 0;
	int err;

	cred_clear_error();
	*out = NULL;
	if ((err = read_file(path, BPM_READ_MAX, &data, &len)) < 0)
		return err;
	err = cred_bpm_from_bytes(data, len, model, out);
	free(data);
	if (err == CRED_ERR_DATA) {
		char why[256]; /* the message is rewritten: keep a copy */

		snprintf(why, sizeof(why), "%s", cred_last_error());
		if (len == BPM_READ_MAX)
			return cred_fail(err, "'%s' is larger than any bad pixel map (40960 bytes for "
					 "a C-RED 3, 10240 for a C-RED One)", path);
		return cred_fail(err, "'%s': %s", path, why);
	}
	return err;
}

int cred_bpm_dup(const struct cred_bpm *map, struct cred_bpm **out)
{
	int err = cred_bpm_new(map->width, map->height, out);

	if (err == CRED_OK)
		memcpy((*out)->bits, map->bits, map->len);
	return err;
}

void cred_bpm_free(struct cred_bpm *map)
{
	if (!map)
		return;
	free(map->bits);
	free(map);
}

int cred_bpm_width(const struct cred_bpm *map)
{
	return map->width;
}

int cred_bpm_height(const struct cred_bpm *map)
{
	return map->height;
}

const uint8_t *cred_bpm_bytes(const struct cred_bpm *map, size_t *len)
{
	*len = map->len;
	return map->bits;
}

static int bit(const struct cred_bpm *m, size_t i)
{
	return m->bits[i / 8] >> (7 - i % 8) & 1;
}

static int outside(const struct cred_bpm *m, int x, int y)
{
	if (x >= 0 && y >= 0 && x < m->width && y < m->height)
		return 0;
	return cred_fail(CRED_ERR_ARG, "pixel %d,%d is outside the %dx%d map (x 0-%d, y 0-%d)", x, y,
			 m->width, m->height, m->width - 1, m->height - 1);
}

int cred_bpm_get(const struct cred_bpm *map, int x, int y)
{
	cred_clear_error();
	if (outside(map, x, y))
		return CRED_ERR_ARG;
	return bit(map, (size_t)y * map->width + x);
}

int cred_bpm_set(struct cred_bpm *map, int x, int y, int bad)
{
	size_t i;

	cred_clear_error();
	if (outside(map, x, y))
		return CRED_ERR_ARG;
	i = (size_t)y * map->width + x;
	if (bad)
		map->bits[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	else
		map->bits[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	return CRED_OK;
}

size_t cred_bpm_count(const struct cred_bpm *map)
{
	size_t n = 0;

	for (size_t i = 0; i < map->len; i++)
		n += (size_t)__builtin_popcount(map->bits[i]);
	return n;
}

int cred_bpm_next(const struct cred_bpm *map, size_t *pos, int *x, int *y)
{
	size_t n = map->len * 8;

	for (size_t i = *pos; i < n; i++) {
		if (!map->bits[i / 8]) { /* skip good bytes whole */
			i |= 7;
			continue;
		}
		if (bit(map, i)) {
			*x = (int)(i % (size_t)map->width);
			*y = (int)(i / (size_t)map->width);
			*pos = i + 1;
			return 1;
		}
	}
	*pos = n;
	return 0;
}

static int same_geometry(const struct cred_bpm *a, const struct cred_bpm *b)
{
	if (a->width == b->width && a->height == b->height)
		return 1;
	cred_fail(CRED_ERR_ARG, "the maps differ in size (%dx%d and %dx%d)", a->width, a->height,
		  b->width, b->height);
	return 0;
}

int cred_bpm_merge(struct cred_bpm *dst, const struct cred_bpm *src)
{
	cred_clear_error();
	if (!same_geometry(dst, src))
		return CRED_ERR_ARG;
	for (size_t i = 0; i < dst->len; i++)
		dst->bits[i] |= src->bits[i];
	return CRED_OK;
}

int cred_bpm_subtract(const struct cred_bpm *a, const struct cred_bpm *b, struct cred_bpm **out)
{
	int err;

	cred_clear_error();
	*out = NULL;
	if (!same_geometry(a, b))
		return CRED_ERR_ARG;
	if ((err = cred_bpm_new(a->width, a->height, out)) < 0)
		return err;
	for (size_t i = 0; i < a->len; i++)
		(*out)->bits[i] = a->bits[i] & (uint8_t)~b->bits[i];
	return CRED_OK;
}

/* Size of the group of touching bad pixels holding pixel start, marking
 * them seen (an explicit stack: a group can be a whole column). */
static size_t group_size(const struct cred_bpm *m, size_t start, uint8_t *seen, size_t *stack)
{
	size_t top = 0, size = 0;

	stack[top++] = start;
	seen[start] = 1;
	while (top) {
		size_t i = stack[--top];
		int x = (int)(i % (size_t)m->width), y = (int)(i / (size_t)m->width);

		size++;
		for (int dy = -1; dy <= 1; dy++)
			for (int dx = -1; dx <= 1; dx++) {
				int nx = x + dx, ny = y + dy;
				size_t j = (size_t)ny * m->width + nx;

				if ((dx || dy) && nx >= 0 && ny >= 0 && nx < m->width && ny < m->height &&
				    !seen[j] && bit(m, j)) {
					seen[j] = 1;
					stack[top++] = j;
				}
			}
	}
	return size;
}

int cred_bpm_stats(const struct cred_bpm *map, struct cred_bpm_stats *st)
{
	size_t n = map->len * 8, pos = 0;
	uint8_t *seen = calloc(n, 1);
	size_t *stack = malloc(n * sizeof(*stack));
	int x, y;

	cred_clear_error();
	memset(st, 0, sizeof(*st));
	if (!seen || !stack) {
		free(seen);
		free(stack);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	st->pixels = n;
	while (cred_bpm_next(map, &pos, &x, &y)) {
		size_t i = pos - 1;
		int left = x > 0 && !bit(map, i - 1), right = x + 1 < map->width && !bit(map, i + 1);

		st->bad++;
		if (!left && !right)
			st->unfixable++;
		if (!seen[i]) {
			size_t g = group_size(map, i, seen, stack);

			if (g > st->largest)
				st->largest = g;
			if (g > 1) {
				st->clusters++;
				st->clustered += g;
			}
		}
	}
	free(seen);
	free(stack);
	return CRED_OK;
}
