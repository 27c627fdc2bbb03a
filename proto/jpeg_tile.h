/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jpeg_tile.h - one screen tile as a baseline JPEG (libjpeg-turbo's
 * TurboJPEG): the lossy form of a tile with many colours (codec.h,
 * CODEC_JPEG). A decoded tile must have exactly the tile's size.
 */
#ifndef PROTO_JPEG_TILE_H
#define PROTO_JPEG_TILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "image.h"

struct jpeg_tile;

struct jpeg_tile *jpeg_tile_new(void);
void jpeg_tile_free(struct jpeg_tile *j);
/*
 * The tw x th pixels of img at (x, y) as a JPEG of the given quality
 * (1..100) in *out, *len bytes (valid until the next call). ERR_TOO_LARGE
 * when it would take more than max bytes (the tile is better sent exact).
 */
int jpeg_tile_encode(struct jpeg_tile *j, const struct image *img, unsigned x, unsigned y,
    unsigned tw, unsigned th, unsigned quality, size_t max, const uint8_t **out,
    size_t *len) WUR;
/* Paint the JPEG in[0..len) onto the tw x th rectangle of img at (x, y);
 * ERR_FORMAT for anything but a whole JPEG of exactly that size. */
int jpeg_tile_decode(struct jpeg_tile *j, const uint8_t *in, size_t len, struct image *img,
    unsigned x, unsigned y, unsigned tw, unsigned th) WUR;

#endif
