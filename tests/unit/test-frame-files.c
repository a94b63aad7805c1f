/* Unit tests: frame writers and readers (raw, y4m, FITS, FITS.fz, PNG),
 * written and read back through the library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <png.h>
#include <fitsio.h>

#include "cred.h"

#define W 32
#define H 8
#define NFRAMES 5

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/credtools-test-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static char *path_of(const char *name)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	if (d)
		closedir(d);
	return n;
}

static void fmt_of(struct cred_frame_format *f, enum cred_model_id model)
{
	assert_int_equal(cred_frame_format_init(f, model), CRED_OK);
	f->width = W;
	f->height = H;
}

/* Frame k: tags, then pixels covering the whole 16-bit range. */
static void make_frame(const struct cred_frame_format *fmt, int k, unsigned char *buf,
		       struct cred_frame *f)
{
	struct cred_tags t = { .counter = 100 + (uint32_t)k * 2, .gain_cap = k % 3, .marker = k & 1 };

	for (int i = 0; i < W * H; i++) {
		unsigned v = (unsigned)(i * 2053 + k * 7919) & 0xffff;

		buf[2 * i] = v & 0xff;
		buf[2 * i + 1] = v >> 8;
	}
	if (fmt->tags != CRED_TAGS_NONE)
		assert_int_equal(cred_tags_encode(fmt->tags, &t, buf, W * H * 2), CRED_OK);
	memset(f, 0, sizeof(*f));
	f->data = buf;
	f->size = W * H * 2;
	f->width = W;
	f->height = H;
	f->pixel_signed = fmt->pixel_signed;
	f->index = (uint64_t)k;
	f->has_tags = fmt->tags != CRED_TAGS_NONE;
	f->tags = t;
	if (fmt->tags == CRED_TAGS_CREDONE)
		f->tags.gain_cap = f->tags.marker = -1;
	f->timestamp = 1700000000.25 + k * 0.5;
}

static void write_frames(const char *path, const struct cred_writer_options *o, int n)
{
	struct cred_frame_writer *w;
	unsigned char buf[W * H * 2];
	struct cred_frame f;

	assert_int_equal(cred_frame_writer_open(path, o, &w), CRED_OK);
	for (int k = 0; k < n; k++) {
		make_frame(&o->format, k, buf, &f);
		assert_int_equal(cred_frame_writer_write(w, &f), CRED_OK);
	}
	assert_int_equal(cred_frame_writer_count(w), (uint64_t)n);
	assert_int_equal(cred_frame_writer_close(w), CRED_OK);
}

static void read_back(const char *path, const struct cred_frame_format *fmt, int n, int timestamps)
{
	struct cred_frame_reader *r;
	unsigned char want[W * H * 2];
	struct cred_frame f, expect;

	assert_int_equal(cred_frame_reader_open(path, fmt, &r), CRED_OK);
	assert_int_equal(cred_frame_reader_format(r)->width, W);
	assert_int_equal(cred_frame_reader_format(r)->height, H);
	assert_int_equal(cred_frame_reader_format(r)->pixel_signed, fmt->pixel_signed);
	for (int k = 0; k < n; k++) {
		assert_int_equal(cred_frame_reader_next(r, &f), 1);
		make_frame(fmt, k, want, &expect);
		assert_int_equal(f.size, sizeof(want));
		assert_memory_equal(f.data, want, sizeof(want));
		assert_int_equal(f.index, (uint64_t)k);
		assert_int_equal(f.has_tags, 1);
		assert_int_equal(f.tags.counter, expect.tags.counter);
		assert_int_equal(f.tags.gain_cap, expect.tags.gain_cap);
		assert_int_equal(f.tags.marker, expect.tags.marker);
		if (timestamps)
			assert_true(f.timestamp > expect.timestamp - 1e-5 &&
				    f.timestamp < expect.timestamp + 1e-5);
	}
	assert_int_equal(cred_frame_reader_next(r, &f), 0);
	cred_frame_reader_close(r);
}

static void options(struct cred_writer_options *o, enum cred_model_id model)
{
	memset(o, 0, sizeof(*o));
	fmt_of(&o->format, model);
	o->fps = 600;
	o->tint = 0.001;
}

static void test_types(void **state)
{
	assert_int_equal(cred_file_type_from_name("a.fits"), CRED_FILE_FITS);
	assert_int_equal(cred_file_type_from_name("a.FITS.FZ"), CRED_FILE_FITS_FZ);
	assert_int_equal(cred_file_type_from_name("a.y4m"), CRED_FILE_Y4M);
	assert_int_equal(cred_file_type_from_name("a.png"), CRED_FILE_PNG);
	assert_int_equal(cred_file_type_from_name("a.raw"), CRED_FILE_RAW);
	assert_int_equal(cred_file_type_from_name("a.txt"), CRED_FILE_UNKNOWN);
	assert_int_equal(cred_file_type_from_name(".fits"), CRED_FILE_UNKNOWN);
	assert_int_equal(cred_file_type_parse("fits.fz"), CRED_FILE_FITS_FZ);
	assert_int_equal(cred_file_type_parse("jpeg"), CRED_FILE_UNKNOWN);
	assert_string_equal(cred_file_type_name(CRED_FILE_Y4M), "y4m");
}

static void test_raw_roundtrip(void **state)
{
	struct cred_writer_options o;

	options(&o, CRED_MODEL_CRED3);
	write_frames(path_of("a.raw"), &o, NFRAMES);
	read_back(path_of("a.raw"), &o.format, NFRAMES, 0);
	/* no geometry, no raw reading */
	{
		struct cred_frame_reader *r;

		assert_int_equal(cred_frame_reader_open(path_of("a.raw"), NULL, &r), CRED_ERR_ARG);
	}
}

static void test_y4m_roundtrip(void **state)
{
	struct cred_writer_options o;
	char line[200];
	FILE *fp;

	options(&o, CRED_MODEL_CREDONE);
	o.fps = 602.673549;
	o.tint = 0.000285714;
	write_frames(path_of("a.y4m"), &o, NFRAMES);
	fp = fopen(path_of("a.y4m"), "rb");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_true(strlen(line) <= 96);
	assert_string_equal(line, "YUV4MPEG2 W32 H8 F602674:1000 Cmono16 XMODEL=credone XSIGNED=0 "
			    "XTINT=0.000285714\n");
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_true(strlen(line) < 80);
	assert_string_equal(line, "FRAME XCOUNT=100 XTIME=1700000000.250000 XNDR=0\n");
	fclose(fp);
	read_back(path_of("a.y4m"), &o.format, NFRAMES, 1);
}

/* A timestamp read back from a file can be any number: the frame line
 * must stay within ffmpeg's 80 bytes (and the writer's buffer) anyway. */
static void test_y4m_wild_timestamp(void **state)
{
	static const double stamps[] = { 1e300, -5, 9.9e9 };
	struct cred_writer_options o;
	struct cred_frame_writer *w;
	unsigned char buf[W * H * 2];
	struct cred_frame f;
	char line[400];
	FILE *fp;

	options(&o, CRED_MODEL_CRED3);
	assert_int_equal(cred_frame_writer_open(path_of("t.y4m"), &o, &w), CRED_OK);
	for (int k = 0; k < 3; k++) {
		make_frame(&o.format, k, buf, &f);
		f.timestamp = stamps[k];
		assert_int_equal(cred_frame_writer_write(w, &f), CRED_OK);
	}
	assert_int_equal(cred_frame_writer_close(w), CRED_OK);
	fp = fopen(path_of("t.y4m"), "rb");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	for (int k = 0; k < 3; k++) {
		assert_non_null(fgets(line, sizeof(line), fp));
		assert_true(strlen(line) < 80);
		assert_int_equal(strncmp(line, "FRAME XCOUNT=", 13), 0);
		assert_true((strstr(line, "XTIME=") != NULL) == (k == 2));
		assert_int_equal(fseek(fp, W * H * 2, SEEK_CUR), 0);
	}
	fclose(fp);
	read_back(path_of("t.y4m"), &o.format, 3, 0);
	unlink(path_of("t.y4m"));
}

/* The descriptors open now that a child process would inherit. */
static void inheritable_fds(int *fds, int *n)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	*n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) && *n < 256) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] != '.' && fd != dirfd(d) && !(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			fds[(*n)++] = fd;
	}
	closedir(d);
}

/* Writers and readers open their files close-on-exec (FITS files are
 * opened by cfitsio, which has no such option). */
static void test_no_inheritable_descriptors(void **state)
{
	static const char *const names[] = { "c.raw", "c.y4m", "c.png" };
	int before[256], after[256], nb, na;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct cred_writer_options o;
		struct cred_frame_writer *w;
		struct cred_frame_reader *r;
		unsigned char buf[W * H * 2];
		struct cred_frame f;

		options(&o, CRED_MODEL_CRED3);
		inheritable_fds(before, &nb);
		assert_int_equal(cred_frame_writer_open(path_of(names[i]), &o, &w), CRED_OK);
		make_frame(&o.format, 0, buf, &f);
		assert_int_equal(cred_frame_writer_write(w, &f), CRED_OK);
		inheritable_fds(after, &na);
		assert_int_equal(na, nb);
		assert_int_equal(cred_frame_writer_close(w), CRED_OK);
		if (i < 2) {
			assert_int_equal(cred_frame_reader_open(path_of(names[i]), &o.format, &r), CRED_OK);
			inheritable_fds(after, &na);
			assert_int_equal(na, nb);
			cred_frame_reader_close(r);
		}
		unlink(path_of(names[i]));
	}
}

/* Output files get the mode of any new file: 0666 less the umask (not
 * the 0600 of a temporary file). */
static void test_output_mode(void **state)
{
	static const char *const names[] = { "m.raw", "m.y4m", "m.png", "m.fits", "m-%d.raw" };
	mode_t old = umask(027);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct cred_writer_options o;
		struct stat st;
		const char *written = strchr(names[i], '%') ? "m-0.raw" : names[i];

		options(&o, CRED_MODEL_CRED3);
		write_frames(path_of(names[i]), &o, 1);
		assert_int_equal(stat(path_of(written), &st), 0);
		assert_int_equal(st.st_mode & 0777, 0640);
		unlink(path_of(written));
	}
	umask(old);
}

/* Frames whose pixels are all there but whose FRAMES table is cut short
 * (a crash while the table was written) or gone: every frame is read, in
 * order, with its pixels (the reader once stopped after frame 1). */
static void read_pixels_only(const char *path, const struct cred_frame_format *fmt, int n)
{
	struct cred_frame_reader *r;
	unsigned char want[W * H * 2];
	struct cred_frame f, expect;

	assert_int_equal(cred_frame_reader_open(path, fmt, &r), CRED_OK);
	for (int k = 0; k < n; k++) {
		assert_int_equal(cred_frame_reader_next(r, &f), 1);
		make_frame(fmt, k, want, &expect);
		assert_memory_equal(f.data, want, sizeof(want));
	}
	assert_int_equal(cred_frame_reader_next(r, &f), 0);
	cred_frame_reader_close(r);
}

static void test_fits_table_damaged(void **state)
{
	struct cred_writer_options o;
	LONGLONG head, data, end;
	fitsfile *fp;
	int st = 0;

	options(&o, CRED_MODEL_CRED3);
	write_frames(path_of("cut.fits"), &o, NFRAMES);
	assert_int_equal(fits_open_diskfile(&fp, path_of("cut.fits"), READONLY, &st), 0);
	assert_int_equal(fits_movnam_hdu(fp, BINARY_TBL, "FRAMES", 0, &st), 0);
	assert_int_equal(fits_get_hduaddrll(fp, &head, &data, &end, &st), 0);
	fits_close_file(fp, &st);
	/* the table's header stays, its rows are gone */
	assert_int_equal(truncate(path_of("cut.fits"), (off_t)data + 8), 0);
	read_pixels_only(path_of("cut.fits"), &o.format, NFRAMES);

	write_frames(path_of("notable.fits"), &o, NFRAMES);
	assert_int_equal(fits_open_diskfile(&fp, path_of("notable.fits"), READWRITE, &st), 0);
	assert_int_equal(fits_movnam_hdu(fp, BINARY_TBL, "FRAMES", 0, &st), 0);
	assert_int_equal(fits_delete_hdu(fp, NULL, &st), 0);
	fits_close_file(fp, &st);
	assert_int_equal(st, 0);
	read_pixels_only(path_of("notable.fits"), &o.format, NFRAMES);
}

static void test_fits_cube(void **state)
{
	struct cred_keyword keys[] = {
		{ "FRATE", "600", "frame rate", 0 }, { "CROPPED", "off", NULL, 0 },
		{ "READMODE", "globalresetcds", "readout mode", 0 }, { "DET-TMP", "80.5", NULL, 0 },
		{ "SERIAL", "0123", NULL, 1 }, { "HWUID", "99999999999999999999999", NULL, 0 },
		{ "HEXID", "0x1f", NULL, 0 },
	};
	/* what each keyword must look like: typed from its text */
	static const char *const want[][2] = {
		{ "FRATE", "600" }, { "CROPPED", "F" }, { "READMODE", "'globalresetcds'" },
		{ "DET-TMP", "80.5" }, { "SERIAL", "'0123    '" }, { "HWUID", "'99999999999999999999999'" },
		{ "HEXID", "'0x1f    '" }, { "INSTRUME", "'C-RED One'" }, { "NAXIS3", "5" },
	};
	struct cred_writer_options o;
	char value[FLEN_VALUE];
	fitsfile *fp;
	int st = 0;

	options(&o, CRED_MODEL_CREDONE);
	o.keywords = keys;
	o.nkeywords = sizeof(keys) / sizeof(keys[0]);
	write_frames(path_of("cube.fits"), &o, NFRAMES);
	read_back(path_of("cube.fits"), &o.format, NFRAMES, 1);
	assert_int_equal(fits_open_diskfile(&fp, path_of("cube.fits"), READONLY, &st), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(fits_read_keyword(fp, want[i][0], value, NULL, &st), 0);
		assert_string_equal(value, want[i][1]);
	}
	fits_close_file(fp, &st);
	options(&o, CRED_MODEL_CRED3);
	write_frames(path_of("cube3.fits"), &o, NFRAMES);
	read_back(path_of("cube3.fits"), &o.format, NFRAMES, 1);
	/* no temporary files left behind */
	assert_int_equal(files_in_dir(), 4);
}

/* Two cubes finished at the same moment in two threads: each FRAMES table
 * must hold its own counters (the table was once built in static arrays). */
#define PARALLEL_FRAMES (2 * 4096 + 100)

struct parallel_cube {
	const char *path;
	uint32_t base;
	pthread_barrier_t *barrier;
	int err;
};

static void *write_parallel_cube(void *arg)
{
	struct parallel_cube *p = arg;
	struct cred_writer_options o;
	struct cred_frame_writer *w;
	unsigned char buf[W * H * 2];
	struct cred_frame f;

	options(&o, CRED_MODEL_CRED3);
	p->err = cred_frame_writer_open(p->path, &o, &w);
	for (int k = 0; !p->err && k < PARALLEL_FRAMES; k++) {
		make_frame(&o.format, k % 3, buf, &f);
		f.tags.counter = p->base + (uint32_t)k;
		p->err = cred_frame_writer_write(w, &f);
	}
	pthread_barrier_wait(p->barrier);
	if (!p->err)
		p->err = cred_frame_writer_close(w);
	return NULL;
}

static void test_fits_cubes_in_parallel(void **state)
{
	pthread_barrier_t barrier;
	struct parallel_cube p[2] = {
		{ path_of("p0.fits"), 1000000, &barrier, 0 },
		{ path_of("p1.fits"), 5000000, &barrier, 0 },
	};
	pthread_t t[2];

	pthread_barrier_init(&barrier, NULL, 2);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, write_parallel_cube, &p[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (int i = 0; i < 2; i++) {
		struct cred_frame_reader *r;
		struct cred_frame f;

		assert_int_equal(p[i].err, CRED_OK);
		assert_int_equal(cred_frame_reader_open(p[i].path, NULL, &r), CRED_OK);
		for (uint32_t k = 0; k < PARALLEL_FRAMES; k++) {
			assert_int_equal(cred_frame_reader_next(r, &f), 1);
			assert_int_equal(f.tags.counter, p[i].base + k);
		}
		assert_int_equal(cred_frame_reader_next(r, &f), 0);
		cred_frame_reader_close(r);
		unlink(p[i].path);
	}
}

/* A FITS header may claim any size: a frame past the library's 1 GiB is
 * refused at open, before any buffer is allocated for it. */
static void test_fits_too_large(void **state)
{
	static const char *const cards[] = {
		"SIMPLE  =                    T", "BITPIX  =                   16",
		"NAXIS   =                    2", "NAXIS1  =                40000",
		"NAXIS2  =                40000", "END",
	};
	char header[2880];
	struct cred_frame_reader *r = (struct cred_frame_reader *)1;
	FILE *fp = fopen(path_of("huge.fits"), "wb");

	memset(header, ' ', sizeof(header));
	for (size_t i = 0; i < sizeof(cards) / sizeof(cards[0]); i++)
		memcpy(header + 80 * i, cards[i], strlen(cards[i]));
	assert_non_null(fp);
	assert_int_equal(fwrite(header, sizeof(header), 1, fp), 1);
	fclose(fp);
	assert_int_equal(cred_frame_reader_open(path_of("huge.fits"), NULL, &r), CRED_ERR_DATA);
	assert_null(r);
	assert_non_null(strstr(cred_last_error(), "40000x40000 pixels is too large"));
	unlink(path_of("huge.fits"));
}

static void test_fits_compressed(void **state)
{
	struct cred_writer_options o;
	struct stat st1, st2;

	options(&o, CRED_MODEL_CREDONE);
	write_frames(path_of("cube.fits.fz"), &o, NFRAMES);
	read_back(path_of("cube.fits.fz"), &o.format, NFRAMES, 1);
	write_frames(path_of("plain.fits"), &o, NFRAMES);
	assert_int_equal(stat(path_of("cube.fits.fz"), &st1), 0);
	assert_int_equal(stat(path_of("plain.fits"), &st2), 0);
	assert_true(st1.st_size > 2880);
}

/* A frame whose size is no multiple of the converter's block. */
static void test_fits_odd_size(void **state)
{
	struct cred_writer_options o;
	struct cred_frame_writer *w;
	struct cred_frame_reader *r;
	unsigned char px[7 * 3 * 2];
	struct cred_frame f = { .data = px, .size = sizeof(px), .width = 7, .height = 3 };

	for (int unsig = 0; unsig < 2; unsig++) {
		options(&o, unsig ? CRED_MODEL_CREDONE : CRED_MODEL_CRED3);
		o.format.width = 7;
		o.format.height = 3;
		o.format.tags = CRED_TAGS_NONE;
		o.overwrite = 1;
		f.pixel_signed = !unsig;
		for (size_t i = 0; i < sizeof(px); i++)
			px[i] = (unsigned char)(i * 37 + 1);
		assert_int_equal(cred_frame_writer_open(path_of("odd.fits"), &o, &w), CRED_OK);
		assert_int_equal(cred_frame_writer_write(w, &f), CRED_OK);
		assert_int_equal(cred_frame_writer_close(w), CRED_OK);
		assert_int_equal(cred_frame_reader_open(path_of("odd.fits"), NULL, &r), CRED_OK);
		assert_int_equal(cred_frame_reader_next(r, &f), 1);
		assert_memory_equal(f.data, px, sizeof(px));
		cred_frame_reader_close(r);
		f.data = px;
	}
}

static void test_fits_empty_cube(void **state)
{
	struct cred_writer_options o;
	struct cred_frame_reader *r;
	struct cred_frame f;

	options(&o, CRED_MODEL_CRED3);
	write_frames(path_of("empty.fits"), &o, 0);
	assert_int_equal(cred_frame_reader_open(path_of("empty.fits"), NULL, &r), CRED_OK);
	assert_int_equal(cred_frame_reader_next(r, &f), 0);
	cred_frame_reader_close(r);
}

static void test_pattern(void **state)
{
	struct cred_writer_options o;
	const char *paths[NFRAMES];
	struct cred_frame_reader *r;
	unsigned char want[W * H * 2];
	struct cred_frame f, e;

	options(&o, CRED_MODEL_CRED3);
	write_frames(path_of("f-%03d.fits"), &o, NFRAMES);
	for (int k = 0; k < NFRAMES; k++) {
		char name[32];

		snprintf(name, sizeof(name), "f-%03d.fits", k);
		paths[k] = strdup(path_of(name));
		assert_int_equal(access(paths[k], F_OK), 0);
	}
	assert_int_equal(cred_frame_reader_open_list(paths, NFRAMES, NULL, &r), CRED_OK);
	for (int k = 0; k < NFRAMES; k++) {
		assert_int_equal(cred_frame_reader_next(r, &f), 1);
		make_frame(&o.format, k, want, &e);
		assert_memory_equal(f.data, want, sizeof(want));
		assert_int_equal(f.tags.counter, e.tags.counter);
		assert_int_equal(f.tags.gain_cap, e.tags.gain_cap);
		assert_true(f.timestamp > e.timestamp - 1e-5 && f.timestamp < e.timestamp + 1e-5);
	}
	assert_int_equal(cred_frame_reader_next(r, &f), 0);
	cred_frame_reader_close(r);
	for (int k = 0; k < NFRAMES; k++)
		free((char *)paths[k]);
	/* a pattern must have one conversion only */
	{
		struct cred_frame_writer *w;

		assert_int_equal(cred_frame_writer_open(path_of("x-%d-%d.fits"), &o, &w), CRED_ERR_ARG);
		assert_int_equal(cred_frame_writer_open(path_of("x-%s.fits"), &o, &w), CRED_ERR_ARG);
		assert_int_equal(cred_frame_writer_open(path_of("x.jpeg"), &o, &w), CRED_ERR_ARG);
		assert_int_equal(cred_frame_writer_open("-", &(struct cred_writer_options){
				.type = CRED_FILE_FITS, .format = o.format }, &w), CRED_ERR_SUPP);
	}
}

static void test_overwrite(void **state)
{
	struct cred_writer_options o;
	struct cred_frame_writer *w;
	struct stat st;

	options(&o, CRED_MODEL_CRED3);
	write_frames(path_of("once.raw"), &o, 1);
	assert_int_equal(cred_frame_writer_open(path_of("once.raw"), &o, &w), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "exists"));
	o.overwrite = 1;
	write_frames(path_of("once.raw"), &o, 2);
	assert_int_equal(stat(path_of("once.raw"), &st), 0);
	assert_int_equal(st.st_size, 2 * W * H * 2);
	/* an aborted file leaves nothing behind */
	assert_int_equal(cred_frame_writer_open(path_of("gone.fits"), &o, &w), CRED_OK);
	cred_frame_writer_abort(w);
	assert_int_equal(access(path_of("gone.fits"), F_OK), -1);
}

/* The quick-look: 8-bit gray, stretched between percentiles, so one hot
 * pixel does not flatten the rest. */
static void test_png(void **state)
{
	struct cred_writer_options o;
	struct cred_frame_writer *w;
	unsigned char buf[W * H * 2];
	struct cred_frame f;
	png_image img;
	unsigned char out[W * H];

	options(&o, CRED_MODEL_CREDONE);
	o.format.tags = CRED_TAGS_NONE;
	for (int i = 0; i < W * H; i++) {
		unsigned v = i == 100 ? 65535 : 1000 + (unsigned)i;

		buf[2 * i] = v & 0xff;
		buf[2 * i + 1] = v >> 8;
	}
	f = (struct cred_frame){ .data = buf, .size = sizeof(buf), .width = W, .height = H };
	assert_int_equal(cred_frame_writer_open(path_of("q.png"), &o, &w), CRED_OK);
	assert_int_equal(cred_frame_writer_write(w, &f), CRED_OK);
	assert_int_equal(cred_frame_writer_write(w, &f), CRED_ERR_SUPP);
	assert_int_equal(cred_frame_writer_close(w), CRED_OK);

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_file(&img, path_of("q.png")));
	assert_int_equal(img.width, W);
	assert_int_equal(img.height, H);
	img.format = PNG_FORMAT_GRAY;
	assert_true(png_image_finish_read(&img, NULL, out, 0, NULL));
	assert_int_equal(out[0], 0);
	assert_int_equal(out[W * H - 1], 255);
	assert_int_equal(out[100], 255);
	/* the middle of the ramp lands mid-gray, not near black */
	assert_true(out[W * H / 2] > 100 && out[W * H / 2] < 160);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_raw_roundtrip),
		cmocka_unit_test(test_y4m_roundtrip),
		cmocka_unit_test(test_y4m_wild_timestamp),
		cmocka_unit_test(test_no_inheritable_descriptors),
		cmocka_unit_test(test_output_mode),
		cmocka_unit_test(test_fits_cube),
		cmocka_unit_test(test_fits_cubes_in_parallel),
		cmocka_unit_test(test_fits_too_large),
		cmocka_unit_test(test_fits_compressed),
		cmocka_unit_test(test_fits_odd_size),
		cmocka_unit_test(test_fits_empty_cube),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_overwrite),
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_fits_table_damaged),
	};
	return cmocka_run_group_tests(tests, setup, getenv("KEEP") ? NULL : teardown);
}
