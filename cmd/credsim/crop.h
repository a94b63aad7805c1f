/* Cropping windows and their text forms.
 * C-RED 3: one window "A-B" per axis, 0-indexed pixels; columns 0-639 in
 * steps of 32, rows 0-511 in steps of 4 (A and B+1 multiples of the step).
 * C-RED One: printer-style lists ("1,3,9-10"), 1-indexed; columns are
 * 32-pixel blocks 1-10, rows 1-256. */
#ifndef CREDSIM_CROP_H
#define CREDSIM_CROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model.h"

enum crop_axis { CROP_COLUMNS, CROP_ROWS };

struct crop {
	int c0, c1, r0, r1;      /* C-RED 3 window, inclusive pixel indexes */
	uint16_t cblocks;        /* C-RED One: bit b = column block b+1 */
	uint8_t rows[32];        /* C-RED One: bit r = row r+1 */
};

/* The whole sensor. */
void crop_full(enum sim_model m, struct crop *c);
/* Parse text for one axis into *c (other axis untouched). On error returns
 * -1 and writes a message naming the allowed form into err. */
int crop_parse(enum sim_model m, enum crop_axis axis, const char *text, struct crop *c,
	       char *err, size_t errlen);
/* Text form of one axis ("0-639", "1,3,9-10"). */
const char *crop_format(enum sim_model m, enum crop_axis axis, const struct crop *c,
			char *buf, size_t size);
/* Selected pixels on each axis. */
int crop_width(enum sim_model m, const struct crop *c);
int crop_height(enum sim_model m, const struct crop *c);
/* C-RED One: number of selected 32-column blocks. */
int crop_blocks(const struct crop *c);

#endif
