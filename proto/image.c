/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "image.h"
#include "limits.h"

int
image_init(struct image *img, uint16_t w, uint16_t h)
{
	memset(img, 0, sizeof(*img));
	if (w == 0 || h == 0)
		return ERR_FORMAT;
	if (w > MSG_DIM_MAX || h > MSG_DIM_MAX)
		return ERR_TOO_LARGE;
	if ((img->px = calloc((size_t)w * h, sizeof(*img->px))) == NULL)
		return ERR_NOMEM;
	img->w = w;
	img->h = h;
	return 0;
}

void
image_free(struct image *img)
{
	free(img->px);
	memset(img, 0, sizeof(*img));
}

void
image_tile_rect(const struct image *img, unsigned tx, unsigned ty, unsigned *x, unsigned *y,
    unsigned *tw, unsigned *th)
{
	*x = tx * MSG_TILE_LEN;
	*y = ty * MSG_TILE_LEN;
	*tw = img->w - *x < MSG_TILE_LEN ? img->w - *x : MSG_TILE_LEN;
	*th = img->h - *y < MSG_TILE_LEN ? img->h - *y : MSG_TILE_LEN;
}

static bool
tile_same(const struct image *a, const struct image *b, unsigned x, unsigned y,
    unsigned tw, unsigned th)
{
	unsigned j;

	for (j = 0; j < th; j++) {
		size_t o = (size_t)(y + j) * a->w + x;

		if (memcmp(a->px + o, b->px + o, tw * sizeof(*a->px)) != 0)
			return false;
	}
	return true;
}

void
image_changed(const struct image *cur, const struct image *prev, const uint8_t *only,
    uint8_t *mask)
{
	unsigned tiles_x = (cur->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tiles_y = (cur->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned x, y, tw, th;

	for (unsigned ty = 0; ty < tiles_y; ty++)
		for (unsigned tx = 0; tx < tiles_x; tx++) {
			unsigned i = ty * tiles_x + tx;

			if (only != NULL && !only[i]) {
				mask[i] = 0;
				continue;
			}
			image_tile_rect(cur, tx, ty, &x, &y, &tw, &th);
			mask[i] = !tile_same(cur, prev, x, y, tw, th);
		}
}

void
image_copy_tiles(struct image *dst, const struct image *src, const uint8_t *mask)
{
	unsigned tiles_x = (src->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tiles_y = (src->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned x, y, tw, th;

	for (unsigned ty = 0; ty < tiles_y; ty++)
		for (unsigned tx = 0; tx < tiles_x; tx++) {
			if (!mask[ty * tiles_x + tx])
				continue;
			image_tile_rect(src, tx, ty, &x, &y, &tw, &th);
			for (unsigned r = 0; r < th; r++)
				memcpy(dst->px + (size_t)(y + r) * dst->w + x,
				    src->px + (size_t)(y + r) * src->w + x, (size_t)tw * 4);
		}
}
