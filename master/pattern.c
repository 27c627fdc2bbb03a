/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "limits.h"
#include "pattern.h"

#define T MSG_TILE_LEN

static const char marker[] = "FERNSICHT-PLAINTEXT-MARKER";

const char *
pattern_marker(void)
{
	return marker;
}

static uint32_t
rgb(unsigned r, unsigned g, unsigned b)
{
	return (uint32_t)(r & 0xFF) << 16 | (uint32_t)(g & 0xFF) << 8 | (b & 0xFF);
}

/* Fill a rectangle, cut to the image (small screens lose parts of it). */
static void
fill(struct image *img, unsigned x, unsigned y, unsigned w, unsigned h, uint32_t c)
{
	unsigned i, j;

	if (x >= img->w || y >= img->h)
		return;
	if (w > img->w - x)
		w = img->w - x;
	if (h > img->h - y)
		h = img->h - y;
	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++)
			img->px[(size_t)j * img->w + i] = c;
}

static uint32_t
xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/*
 * Tile (1, 1) (or (0, 0) on a tiny screen) is noise, new each frame, so
 * it is always sent and always RAW. One of its rows carries the marker,
 * three ASCII bytes per pixel: RAW rows are plain RGB triples, so the
 * bytes sit contiguous in the tile stream.
 */
static void
noise_tile(struct image *img, uint32_t frame_no)
{
	unsigned x0 = img->w > T ? T : 0, y0 = img->h > T ? T : 0;
	unsigned w = img->w - x0 < T ? img->w - x0 : T, h = img->h - y0 < T ? img->h - y0 : T;
	unsigned i, j, k, mx = x0 + 2, my = y0 + h / 2;
	uint32_t s = 0x9E3779B9u ^ (frame_no * 2654435761u);
	size_t mlen = sizeof(marker) - 1, npx = (mlen + 2) / 3;

	if (s == 0)
		s = 1;          /* xorshift stays 0 once it is 0 */
	for (j = y0; j < y0 + h; j++)
		for (i = x0; i < x0 + w; i++)
			img->px[(size_t)j * img->w + i] = xorshift32(&s) & 0xFFFFFF;
	if (mx + npx > x0 + w)
		return;         /* no room on this screen */
	for (k = 0; k < npx; k++) {
		uint8_t b[3];

		for (i = 0; i < 3; i++)
			b[i] = 3 * k + i < mlen ? (uint8_t)marker[3 * k + i] : ' ';
		img->px[(size_t)my * img->w + mx + k] = rgb(b[0], b[1], b[2]);
	}
}

void
pattern_draw(struct image *img, uint32_t frame_no)
{
	unsigned x, y, bar_x;

	/*
	 * Background: a gradient along x, more than 16 colours per tile, so
	 * RAW. Its rows repeat, so zstd codes most of it as matches and the
	 * noise tile's literals dominate their block: then zstd stores them
	 * as they are and the marker stays readable after compression too.
	 */
	for (x = 0; x < img->w; x++)
		img->px[x] = rgb(x * 256 / img->w, 255 - x * 256 / img->w, x * 3);
	for (y = 1; y < img->h; y++)
		memcpy(img->px + (size_t)y * img->w, img->px, img->w * sizeof(*img->px));
	/* Solid blocks, tile-aligned so that whole tiles are one colour. */
	fill(img, 3 * T, T, T, T, rgb(200, 30, 30));
	fill(img, 5 * T, T, 2 * T, T, rgb(30, 160, 40));
	fill(img, 0, 3 * T, 2 * T, 2 * T, rgb(20, 40, 180));
	/* Four-colour stripes: PALETTE tiles. */
	for (y = T; y < 2 * T && y < img->h; y++)
		for (x = 8 * T; x < 10 * T && x < img->w; x++) {
			static const uint32_t c[4] = { 0x000000, 0xFFFFFF, 0xFF8000, 0x0080FF };

			img->px[(size_t)y * img->w + x] = c[((x + y) / 8) % 4];
		}
	noise_tile(img, frame_no);
	/* The moving bar: it stays inside tile row 2, so a frame changes few tiles. */
	bar_x = (unsigned)(((uint64_t)frame_no * 8) % img->w);
	fill(img, bar_x, 2 * T + 8, 16, T - 16, rgb(250, 240, 40));
}
