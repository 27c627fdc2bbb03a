/* SPDX-License-Identifier: Apache-2.0 */
/*
 * recording.h - write decoded frames as binary PPM (P6) images: one file per
 * frame in a directory (frame-000001.ppm, ...), or all frames one after
 * the other in one file (a PPM stream, as netpbm and ImageMagick read it).
 */
#ifndef VIEWER_RECORDING_H
#define VIEWER_RECORDING_H

#include <stdint.h>
#include <stdio.h>

#include "codec.h"

struct recording {
	char *dir;              /* one file per frame here; NULL: stream to f */
	FILE *f;                /* the stream */
	uint8_t *row;           /* one row of RGB bytes */
	uint32_t n;             /* frames written */
};

/*
 * A path that ends in '/' or names a directory records one file per frame
 * (the directory is made if missing); any other path is a new stream file.
 */
int recording_open(struct recording *r, const char *path) WUR;
/* frame_no is the sender's frame id; files are numbered 1, 2, ... instead. */
int recording_frame(struct recording *r, const struct image *img, uint32_t frame_no) WUR;
void recording_close(struct recording *r);

#endif
