/* isio-read: a test reader of milk ImageStreamIO 2.00 streams, written
 * for the tests from the public layout (milk-org/ImageStreamIO,
 * ImageStruct.h and ImageStreamIO.c, version "2.00") as byte offsets, on
 * purpose not from libcred's structures, so a layout mistake in the
 * writer cannot hide behind a shared header.
 *
 *   isio-read [-n COUNT] [-o FILE] [-s SEM] [-t SECONDS] NAME
 *
 * Maps $MILK_SHM_DIR/NAME.im.shm (else /milk/shm, else /tmp), checks that
 * the file size is what the metadata imply, and prints the metadata and
 * keywords. With -n, empties semaphore SEM, says "ready" on stderr, then
 * waits on it until COUNT more frames are in the stream. cnt0 must never
 * go back. In a circular buffer every frame k is taken from slice
 * (k-1) mod depth, whose cntarray entry must be k (frames that came in a
 * burst are taken in order after one post); in a 2-D stream the frame of
 * each post, with cnt1 0 and the keyword FRAMECNT equal to the counter
 * in its tags, and a frame the writer replaced while it was read is
 * counted as missed. Each frame taken is printed ("frame K slice S
 * counter C") and its pixels go to FILE as little-endian 16-bit values;
 * "missed N" ends the list. Exit 0 when all holds, 1 otherwise, 2 usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* IMAGE_METADATA field offsets on LP64 Linux */
enum {
	MD_VERSION = 0, MD_NAME = 32, MD_NAXIS = 112, MD_SIZE = 116, MD_NELEMENT = 128,
	MD_DATATYPE = 136, MD_IMAGETYPE = 144, MD_ATIME = 184, MD_WRITETIME = 200,
	MD_CREATOR = 216, MD_OWNER = 220, MD_SHARED = 224, MD_INODE = 232, MD_LOCATION = 240,
	MD_SEM = 258, MD_NBPROCTRACE = 260, MD_CNT0 = 264, MD_CNT1 = 272, MD_WRITE = 288,
	MD_NBKW = 290, MD_CBSIZE = 292, MD_IMDATAMEMSIZE = 312, MD_SIZEOF = 384,
};
/* IMAGE_KEYWORD: name[16] at 0, type at 16, value at 24, cnt at 40, comment at 48 */
enum { KW_SIZEOF = 128, KW_TYPE = 16, KW_VALUE = 24, KW_CNT = 40, KW_COMMENT = 48 };
enum { PROCTRACE_SIZEOF = 64, TIMESPEC_SIZEOF = 16 };

static const char *prog = "isio-read";
static uint8_t *base;
static size_t semfile, kw_at, data_at, cnts_at, atimes_at;
static unsigned depth; /* slices of a temporal circular buffer, 0 otherwise */

#define R(type, off) (*(volatile type *)(base + (off)))

__attribute__((format(printf, 1, 2), noreturn))
static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static size_t round8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

static const char *shm_dir(void)
{
	const char *env = getenv("MILK_SHM_DIR");
	struct stat st;

	if (env && stat(env, &st) == 0 && S_ISDIR(st.st_mode))
		return env;
	if (stat("/milk/shm", &st) == 0 && S_ISDIR(st.st_mode))
		return "/milk/shm";
	return "/tmp";
}

/* The file size the metadata imply, noting where the areas are. */
static size_t layout(void)
{
	unsigned naxis = R(uint8_t, MD_NAXIS), sem = R(uint16_t, MD_SEM);
	uint64_t type = R(uint64_t, MD_IMAGETYPE);
	size_t at = MD_SIZEOF;

	if ((type & 0xF000F) == 0x20001 && naxis == 3)
		depth = R(uint32_t, MD_SIZE + 8);
	data_at = at;
	at += round8(R(uint64_t, MD_IMDATAMEMSIZE));
	kw_at = at;
	at += round8((size_t)KW_SIZEOF * R(uint16_t, MD_NBKW));
	semfile = at;
	at += round8(sizeof(sem_t) * sem);
	at += round8(sizeof(sem_t));                            /* semlog */
	at += 2 * round8(4 * (size_t)sem) + 2 * round8(4 * (size_t)sem); /* PIDs, ctrl, status */
	at += round8((size_t)PROCTRACE_SIZEOF * R(uint16_t, MD_NBPROCTRACE));
	if (depth) {
		atimes_at = at;
		at += 2 * round8((size_t)TIMESPEC_SIZEOF * depth);
		cnts_at = at;
		at += round8(8 * (size_t)depth);
	}
	return at;
}

static void print_metadata(void)
{
	printf("version %.32s\nname %.80s\n", (const char *)base + MD_VERSION,
	       (const char *)base + MD_NAME);
	printf("naxis %u\nsize %u %u %u\n", R(uint8_t, MD_NAXIS), R(uint32_t, MD_SIZE),
	       R(uint32_t, MD_SIZE + 4), R(uint32_t, MD_SIZE + 8));
	printf("datatype %u\nimagetype 0x%llx\n", R(uint8_t, MD_DATATYPE),
	       (unsigned long long)R(uint64_t, MD_IMAGETYPE));
	printf("cnt0 %llu\ncnt1 %llu\nwrite %u\n", (unsigned long long)R(uint64_t, MD_CNT0),
	       (unsigned long long)R(uint64_t, MD_CNT1), R(uint8_t, MD_WRITE));
	printf("sem %u\nNBkw %u\ncreator %d\nowner %d\n", R(uint16_t, MD_SEM), R(uint16_t, MD_NBKW),
	       R(int32_t, MD_CREATOR), R(int32_t, MD_OWNER));
	for (unsigned i = 0; i < R(uint16_t, MD_NBKW); i++) {
		size_t k = kw_at + (size_t)i * KW_SIZEOF;
		char type = R(char, k + KW_TYPE);

		if (type == 'L')
			printf("kw %.16s L %lld\n", (const char *)base + k,
			       (long long)R(int64_t, k + KW_VALUE));
		else if (type == 'D')
			printf("kw %.16s D %.10g\n", (const char *)base + k, R(double, k + KW_VALUE));
		else if (type == 'S')
			printf("kw %.16s S %.16s\n", (const char *)base + k,
			       (const char *)base + k + KW_VALUE);
	}
}

static long long keyword(const char *name)
{
	for (unsigned i = 0; i < R(uint16_t, MD_NBKW); i++) {
		size_t k = kw_at + (size_t)i * KW_SIZEOF;

		if (R(char, k + KW_TYPE) == 'L' && strncmp((const char *)base + k, name, 16) == 0)
			return R(int64_t, k + KW_VALUE);
	}
	return -1;
}

/* Take frame k from its slice; 0 when the writer wrote over it meanwhile
 * (a 2-D stream keeps only the newest frame), 1 when taken. */
static int take(uint64_t k, size_t frame, FILE *out)
{
	uint64_t slot = depth ? (k - 1) % depth : 0;
	const uint8_t *px = base + data_at + slot * frame;
	uint32_t counter = (uint32_t)(px[0] | px[1] << 8 | px[2] << 16 | (uint32_t)px[3] << 24);
	long long framecnt = depth ? -1 : keyword("FRAMECNT");
	uint64_t now;

	if (depth && R(uint64_t, cnts_at + 8 * slot) != k)
		fail("slice %llu does not hold frame %llu: the reader fell behind",
		     (unsigned long long)slot, (unsigned long long)k);
	if (!depth && R(uint64_t, MD_CNT1) != 0)
		fail("cnt1 %llu in a 2-D stream", (unsigned long long)R(uint64_t, MD_CNT1));
	if (out && fwrite(px, 1, frame, out) != frame)
		fail("cannot write the frames: %s", strerror(errno));
	/* the slice must not have been written again while we read it */
	now = R(uint64_t, MD_CNT0);
	if (!depth && (now != k || R(uint8_t, MD_WRITE))) {
		if (out && fseek(out, -(long)frame, SEEK_CUR) != 0)
			fail("cannot seek in the output: %s", strerror(errno));
		return 0;
	}
	if (depth && now + 1 >= k + depth)
		fail("the reader fell behind the writer at frame %llu", (unsigned long long)k);
	if (!depth && framecnt != counter)
		fail("FRAMECNT %lld for a frame with counter %u", framecnt, counter);
	printf("frame %llu slice %llu counter %u\n", (unsigned long long)k,
	       (unsigned long long)slot, counter);
	return 1;
}

/* Wait for the stream to reach cnt0 + count. Every frame of a circular
 * buffer is taken, also after a burst; of a 2-D stream, the newest at each
 * post (the others are counted as missed). */
static void read_frames(unsigned sem, long count, double timeout, FILE *out)
{
	sem_t *s = (sem_t *)(base + semfile + sem * sizeof(sem_t));
	size_t frame = (size_t)R(uint32_t, MD_SIZE) * R(uint32_t, MD_SIZE + 4) * 2;
	uint64_t start, last, missed = 0;

	if (sem >= R(uint16_t, MD_SEM))
		fail("no semaphore %u", sem);
	while (sem_trywait(s) == 0)
		;
	start = last = R(uint64_t, MD_CNT0);
	fprintf(stderr, "ready\n");
	while (last < start + (uint64_t)count) {
		struct timespec until;
		uint64_t now;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)timeout;
		while (sem_timedwait(s, &until) < 0)
			if (errno != EINTR)
				fail("no frame for %g s after frame %llu", timeout, (unsigned long long)last);
		now = R(uint64_t, MD_CNT0);
		if (now < last)
			fail("cnt0 went back from %llu to %llu", (unsigned long long)last,
			     (unsigned long long)now);
		if (now == last)
			continue; /* the post of a frame already taken */
		if (depth) {
			for (uint64_t k = last + 1; k <= now; k++)
				take(k, frame, out);
		} else {
			missed += now - last - 1 + !take(now, frame, out);
		}
		last = now;
	}
	printf("missed %llu\n", (unsigned long long)missed);
}

int main(int argc, char **argv)
{
	long count = 0;
	unsigned sem = 0;
	double timeout = 30;
	const char *outname = NULL;
	char path[4096];
	struct stat st;
	FILE *out = NULL;
	int opt, fd;

	while ((opt = getopt(argc, argv, "n:o:s:t:")) != -1) {
		switch (opt) {
		case 'n': count = atol(optarg); break;
		case 'o': outname = optarg; break;
		case 's': sem = (unsigned)atoi(optarg); break;
		case 't': timeout = atof(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: %s [-n COUNT] [-o FILE] [-s SEM] [-t SECONDS] NAME\n", prog);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/%s.im.shm", shm_dir(), argv[optind]);
	fd = open(path, O_RDWR);
	if (fd < 0 || fstat(fd, &st) < 0)
		fail("cannot open '%s': %s", path, strerror(errno));
	if (st.st_size <= MD_SIZEOF)
		fail("'%s' is too small (%lld bytes)", path, (long long)st.st_size);
	base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED)
		fail("cannot map '%s': %s", path, strerror(errno));
	if (strcmp((const char *)base + MD_VERSION, "2.00") != 0)
		fail("'%s' has version '%.32s', not 2.00", path, (const char *)base);
	if (layout() != (size_t)st.st_size)
		fail("'%s' has %lld bytes, its metadata say %zu", path, (long long)st.st_size, layout());
	if (R(uint8_t, MD_SHARED) != 1 || R(int8_t, MD_LOCATION) != -1 ||
	    R(uint64_t, MD_INODE) != (uint64_t)st.st_ino)
		fail("'%s': shared, location or inode wrong", path);
	if (outname && !(out = fopen(outname, "wb")))
		fail("cannot create '%s': %s", outname, strerror(errno));
	if (count > 0)
		read_frames(sem, count, timeout, out);
	/* a last frame given back (missed) leaves bytes after the end */
	if (out && (fflush(out) != 0 || ftruncate(fileno(out), ftell(out)) != 0))
		fail("cannot write '%s': %s", outname, strerror(errno));
	print_metadata();
	if (out && fclose(out) != 0)
		fail("cannot write '%s': %s", outname, strerror(errno));
	return 0;
}
