/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tile_psnr.h - how close one picture's tile is to another's, for the
 * tests of the lossy tile kinds (JPEG, VP9).
 */
#ifndef TEST_TILE_PSNR_H
#define TEST_TILE_PSNR_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "image.h"
#include "limits.h"

/* PSNR of tile (tx, ty) of b against a (same size), in dB; 99 when exact. */
static inline double
tile_psnr(const struct image *a, const struct image *b, unsigned tx, unsigned ty)
{
	double se = 0;
	unsigned n = 0;

	for (unsigned y = ty * MSG_TILE_LEN; y < (ty + 1) * MSG_TILE_LEN && y < a->h; y++)
		for (unsigned x = tx * MSG_TILE_LEN; x < (tx + 1) * MSG_TILE_LEN && x < a->w; x++) {
			uint32_t p = a->px[(size_t)y * a->w + x], q = b->px[(size_t)y * a->w + x];

			for (int sh = 0; sh < 24; sh += 8) {
				double d = (double)((p >> sh) & 0xFF) - (double)((q >> sh) & 0xFF);

				se += d * d;
				n++;
			}
		}
	return se == 0 ? 99.0 : 10 * log10(255.0 * 255.0 / (se / n));
}

static inline bool
tile_same(const struct image *a, const struct image *b, unsigned tx, unsigned ty)
{
	return tile_psnr(a, b, tx, ty) == 99.0;
}

#endif
