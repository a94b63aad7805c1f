/* credbpm internals shared by the files of cmd/credbpm/: the run context,
 * map files in their formats, and the subcommands. */
#ifndef CREDBPM_H
#define CREDBPM_H

#include "common.h"

struct config {
	struct common_opts opts;
	struct cred_camera *cam; /* opened on first use */
};

/* Print credbpm's help on stdout (for -h anywhere). */
void credbpm_help(void);

/* Parse a subcommand's argv with its own options t (NULL: none) plus the
 * common ones; handle() gets each of its options. Returns optind. */
int bpm_parse(struct config *cfg, int argc, char **argv, const struct tool_opts *t,
	      int (*handle)(int opt, const char *arg, void *user), void *user);

/* The camera, opened on first use, checked for bad pixel map transfer
 * (dies with exit 1 when it has none). */
struct cred_camera *bpm_camera(struct config *cfg);

/* ---- map files (formats.c) ------------------------------------------------- */

enum map_format { FMT_AUTO, FMT_BIN, FMT_PBM, FMT_FITS, FMT_TXT, FMT_PNG };

/* "bin", "pbm", "fits", "txt", "png" (dies with a usage error otherwise). */
enum map_format map_format_parse(const char *name);
/* The format a file name says (.pbm .fits/.fit/.fts .txt .png; anything
 * else: the camera's binary map). */
enum map_format map_format_of(const char *path);

/* Read a map in any format but PNG (fmt FMT_AUTO: from the name, and a PBM
 * is also recognised by its content). The model (-m) decides the geometry
 * where the file does not. Dies with a clear message (exit 1) when the file
 * cannot be read or is not a map of the right size. */
struct cred_bpm *map_read(struct config *cfg, const char *path, enum map_format fmt);

/* Write map to path ("-": standard output) in fmt (FMT_AUTO: from the
 * name), atomically, never replacing a file without force. over: a FITS
 * frame under a PNG picture (may be NULL). */
void map_write(const struct cred_bpm *map, const char *path, enum map_format fmt, bool force,
	       const char *over);

/* png.c: the picture of a map (optionally over a frame) into f. */
void png_write_map(FILE *f, const char *path, const struct cred_bpm *map, const char *over);

/* ---- frame statistics (frames.c) ------------------------------------------------ */

#include "frame-input.h"

/* Per-pixel statistics of one set of frames. */
struct frames_stats {
	int width, height;
	size_t skip;          /* tag pixels at the start of every frame */
	size_t frames;
	const struct cred_model *model;
	double *mean, *sd;    /* width*height each: mean and temporal standard deviation */
};

/* Read every frame of in (its command, if any, is started and reaped
 * here) into *st; what ("dark", "flat") names them in messages. Dies when
 * they cannot be read or there is none. */
void frames_stats_read(struct config *cfg, const struct frame_input *in, const char *what,
		       struct frames_stats *st);
void frames_stats_free(struct frames_stats *st);

/* ---- subcommands ------------------------------------------------------------------ */

int cmd_download(int argc, char **argv, void *user);
int cmd_upload(int argc, char **argv, void *user);
int cmd_restore_factory(int argc, char **argv, void *user);
int cmd_switch(int argc, char **argv, void *user);
int cmd_detect(int argc, char **argv, void *user);
int cmd_stats(int argc, char **argv, void *user);
int cmd_list(int argc, char **argv, void *user);
int cmd_diff(int argc, char **argv, void *user);
int cmd_merge(int argc, char **argv, void *user);
int cmd_set(int argc, char **argv, void *user);
int cmd_convert(int argc, char **argv, void *user);

#endif
