/* SPDX-License-Identifier: Apache-2.0 */
/*
 * image.h - screen pictures and their 64x64 tiles (MSG_TILE_LEN; edge
 * tiles are smaller), numbered row by row from 0.
 */
#ifndef PROTO_IMAGE_H
#define PROTO_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct image {
	uint16_t w, h;
	uint32_t *px;           /* w * h pixels, 0x00RRGGBB, row by row */
};

int image_init(struct image *img, uint16_t w, uint16_t h) WUR; /* zeroed pixels */
void image_free(struct image *img);

/* The pixel rectangle of tile (tx, ty); edge tiles are cut by the image. */
void image_tile_rect(const struct image *img, unsigned tx, unsigned ty, unsigned *x,
    unsigned *y, unsigned *tw, unsigned *th);
/* mask[ty * tiles_x + tx] = 1 where cur differs from prev (same size),
 * looking only at the tiles only marks (NULL: at every tile). */
void image_changed(const struct image *cur, const struct image *prev, const uint8_t *only,
    uint8_t *mask);
/* Copy the tiles mask marks from src to dst (same size). */
void image_copy_tiles(struct image *dst, const struct image *src, const uint8_t *mask);

#endif
