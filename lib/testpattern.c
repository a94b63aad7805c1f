/* C-RED One test patterns (cred-testpattern.h). */
#include "archive-impl.h"
#include "camera-impl.h"
#include "cred-testpattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_frames(struct cred_frame_reader *r, size_t frame_size, unsigned char *buf,
		       size_t *n)
{
	struct cred_frame f;
	int rr;

	*n = 0;
	while ((rr = cred_frame_reader_next(r, &f)) == 1) {
		if (*n == CRED_TESTPATTERN_IMAGES)
			return cred_fail(CRED_ERR_ARG, "more than %d frames: a test pattern holds %d "
					 "images", CRED_TESTPATTERN_IMAGES, CRED_TESTPATTERN_IMAGES);
		if (f.size != frame_size)
			return cred_fail(CRED_ERR_ARG, "frame %zu is %dx%d: test pattern images have "
					 "the full sensor geometry", *n, f.width, f.height);
		memcpy(buf + *n * frame_size, f.data, frame_size);
		(*n)++;
	}
	if (rr < 0)
		return rr;
	if (*n == 0)
		return cred_fail(CRED_ERR_ARG, "no frame to make a test pattern from");
	return CRED_OK;
}

int cred_testpattern_build(struct cred_frame_reader *r, enum cred_model_id model, void **tgz,
			   size_t *len, size_t *frames)
{
	const struct cred_model *m = cred_model_get(model);
	char names[CRED_TESTPATTERN_IMAGES][3];
	const char *np[CRED_TESTPATTERN_IMAGES];
	const void *cp[CRED_TESTPATTERN_IMAGES];
	size_t sizes[CRED_TESTPATTERN_IMAGES], fsize, n = 0;
	unsigned char *buf;
	int rr;

	cred_clear_error();
	*tgz = NULL;
	*len = 0;
	if (frames)
		*frames = 0;
	if (!m || model != CRED_MODEL_CREDONE)
		return cred_fail(CRED_ERR_SUPP, "only the C-RED One has test patterns");
	fsize = (size_t)m->width * m->height * 2;
	if (!(buf = malloc(fsize * CRED_TESTPATTERN_IMAGES)))
		return cred_fail(CRED_ERR_MEM, "out of memory");
	if ((rr = read_frames(r, fsize, buf, &n)) == CRED_OK) {
		for (size_t i = 0; i < CRED_TESTPATTERN_IMAGES; i++) {
			snprintf(names[i], sizeof(names[i]), "%02zu", i);
			np[i] = names[i];
			cp[i] = buf + (i % n) * fsize; /* fewer frames repeat in order */
			sizes[i] = fsize;
		}
		rr = cred_archive_build_tgz(np, cp, sizes, CRED_TESTPATTERN_IMAGES, tgz, len);
	}
	free(buf);
	if (frames)
		*frames = n;
	return rr;
}

int cred_testpattern_upload(struct cred_camera *cam, const void *tgz, size_t len,
			    const struct cred_transfer_options *opts)
{
	char *answer = NULL;
	int r;

	cred_clear_error();
	if (cam->model->id != CRED_MODEL_CREDONE)
		return cred_fail(CRED_ERR_SUPP, "the %s has no test patterns", cam->model->name);
	r = cred_transfer_upload(cam->cli, CRED_TRANSFER_URL, "testpattern", "testpattern.tar.gz",
				 tgz, len, opts, &answer);
	free(answer);
	return r;
}
