/* The file layout of a milk ImageStreamIO shared-memory stream, written
 * from the facts in milk-org/ImageStreamIO's ImageStruct.h and
 * ImageStreamIO.c: library version "2.00" (IMAGESTRUCT_VERSION), as of
 * commit 2b765cb (March 2024), built without DAO_COMPAT and without
 * IMAGESTRUCT_WRITEHISTORY (the defaults), for 64-bit Linux (LP64: x86_64,
 * aarch64), where milk runs. Our own declarations: field names follow
 * milk's so a reader can compare, nothing else is taken from there.
 *
 * A stream is one file, NAME.im.shm, in $MILK_SHM_DIR when that folder
 * exists, else /milk/shm when it exists, else /tmp. The file holds, each
 * area starting on an 8-byte boundary (its size rounded up to 8):
 *
 *   struct isio_metadata                      384 bytes
 *   pixels: nelement * element size           (all slices of a 3-D buffer)
 *   NBkw keywords, struct isio_keyword        128 bytes each
 *   sem semaphores, sem_t each                (readers wait on them)
 *   the log semaphore, one sem_t
 *   semReadPID[sem], semWritePID[sem]         pid_t (int32) each
 *   semctrl[sem], semstatus[sem]              uint32 each
 *   NBproctrace struct isio_proctrace         64 bytes each
 *   only for a temporal circular buffer (imagetype & 0xF000F ==
 *   CIRCULAR_BUFFER | ZAXIS_TEMPORAL), per slice size[2]:
 *     atimearray, writetimearray              16-byte times
 *     cntarray                                uint64
 *   CBsize fast-buffer records (48 bytes) and CBsize frame copies: none
 *   here (CBsize 0)
 *
 * A reader (ImageStreamIO_openIm) accepts the file when its size equals
 * the sum above computed from the metadata, and version is "2.00". Since
 * 2.00 the semaphores live inside the file (unnamed, process-shared).
 * Times are struct timespec on CLOCK_TAI (CLOCK_ISIO). */
#ifndef CRED_ISIO_LAYOUT_IMPL_H
#define CRED_ISIO_LAYOUT_IMPL_H

#include <semaphore.h>
#include <stddef.h>
#include <stdint.h>

#define ISIO_VERSION "2.00"
#define ISIO_NAME_MAX 80         /* STRINGMAXLEN_IMAGE_NAME, with its NUL */
#define ISIO_DEFAULT_DIR "/milk/shm"
#define ISIO_FALLBACK_DIR "/tmp"
#define ISIO_SUFFIX ".im.shm"

#define ISIO_NB_SEMAPHORE 10     /* IMAGE_NB_SEMAPHORE */
#define ISIO_NB_PROCTRACE 10     /* IMAGE_NB_PROCTRACE */
#define ISIO_SEMAPHORE_MAXVAL 10 /* a post stops at this value */

/* datatype codes */
#define ISIO_DATATYPE_UINT16 3
#define ISIO_DATATYPE_INT16 4

/* imagetype bits */
#define ISIO_MATH_DATA 0x0002         /* what milk's plain createIm sets */
#define ISIO_CIRCULAR_BUFFER 0x0001   /* z axis holds slices in time */
#define ISIO_ZAXIS_TEMPORAL 0x20000
#define ISIO_TYPE_MASK 0xF000F        /* the bits that decide the layout */

/* struct timespec on LP64. */
struct isio_time {
	int64_t sec;
	int64_t nsec;
};

/* IMAGE_KEYWORD: 128 bytes. type 'N' unused, 'L' int64, 'D' double,
 * 'S' string of up to 15 characters and a NUL. cnt grows at every write. */
#define ISIO_KW_NAME 16
#define ISIO_KW_STRING 16
#define ISIO_KW_COMMENT 80
struct isio_keyword {
	char name[ISIO_KW_NAME];
	char type;
	char pad_[7];
	union {
		int64_t numl;
		double numf;
		char valstr[ISIO_KW_STRING];
	} value;
	uint64_t cnt;
	char comment[ISIO_KW_COMMENT];
};

/* IMAGE_METADATA: 384 bytes. */
struct isio_metadata {
	char version[32];
	char name[ISIO_NAME_MAX];
	uint8_t naxis;
	uint32_t size[3];
	uint64_t nelement;
	uint8_t datatype;
	uint64_t imagetype;
	struct isio_time creationtime;
	struct isio_time lastaccesstime;
	struct isio_time atime;          /* acquisition time of the last frame */
	struct isio_time writetime;      /* when it was written */
	int32_t creatorPID;
	int32_t ownerPID;                /* 0: nobody */
	uint8_t shared;                  /* 1: in shared memory */
	uint64_t inode;                  /* the file's inode */
	int8_t location;                 /* -1: CPU memory */
	uint8_t status;
	uint64_t flag;
	uint8_t logflag;
	uint16_t sem;                    /* semaphores in the file */
	uint16_t NBproctrace;
	uint64_t cnt0;                   /* frames written */
	uint64_t cnt1;                   /* slice written last */
	uint64_t cnt2;
	uint8_t write;                   /* 1 while a frame is being written */
	uint16_t NBkw;
	uint32_t CBsize;
	uint32_t CBindex;
	uint64_t CBcycle;
	uint64_t imdatamemsize;          /* bytes of one frame (naxis 2) or all slices */
	char cudaMemHandle[64];
};

/* STREAM_PROC_TRACE: 64 bytes. */
struct isio_proctrace {
	int32_t triggermode;
	int32_t procwrite_PID;
	uint64_t trigger_inode;
	struct isio_time ts_procstart;
	struct isio_time ts_streamupdate;
	int32_t trigsemindex;
	int32_t triggerstatus;
	uint64_t cnt0;
};

#if __SIZEOF_POINTER__ == 8 && __SIZEOF_LONG__ == 8
#define ISIO_LAYOUT_OK 1
_Static_assert(sizeof(struct isio_keyword) == 128, "IMAGE_KEYWORD is 128 bytes");
_Static_assert(offsetof(struct isio_keyword, value) == 24, "keyword value at 24");
_Static_assert(sizeof(struct isio_proctrace) == 64, "STREAM_PROC_TRACE is 64 bytes");
_Static_assert(offsetof(struct isio_metadata, naxis) == 112, "naxis at 112");
_Static_assert(offsetof(struct isio_metadata, size) == 116, "size at 116");
_Static_assert(offsetof(struct isio_metadata, imagetype) == 144, "imagetype at 144");
_Static_assert(offsetof(struct isio_metadata, creatorPID) == 216, "creatorPID at 216");
_Static_assert(offsetof(struct isio_metadata, inode) == 232, "inode at 232");
_Static_assert(offsetof(struct isio_metadata, sem) == 258, "sem at 258");
_Static_assert(offsetof(struct isio_metadata, cnt0) == 264, "cnt0 at 264");
_Static_assert(offsetof(struct isio_metadata, write) == 288, "write at 288");
_Static_assert(offsetof(struct isio_metadata, NBkw) == 290, "NBkw at 290");
_Static_assert(offsetof(struct isio_metadata, imdatamemsize) == 312, "imdatamemsize at 312");
_Static_assert(sizeof(struct isio_metadata) == 384, "IMAGE_METADATA is 384 bytes");
#else
#define ISIO_LAYOUT_OK 0         /* the writer refuses: CRED_ERR_SUPP */
#endif

/* Where each area of a stream starts, and the file's size. */
struct isio_map {
	size_t data, kw, semfile, semlog, semread, semwrite, semctrl, semstatus, proctrace;
	size_t atimes, wtimes, cnts;     /* 0 unless a temporal circular buffer */
	size_t total;
};

/* Compute the areas from the metadata (its naxis, size, datatype,
 * imagetype, NBkw, sem, NBproctrace, CBsize). Returns 0, or -1 when the
 * metadata do not describe a stream this writer can hold (naxis not 2 or
 * 3, an unknown datatype, a fast circular buffer). */
int cred_isio_layout(const struct isio_metadata *md, struct isio_map *map);

#endif
