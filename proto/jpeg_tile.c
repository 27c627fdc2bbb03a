/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <turbojpeg.h>

#include "jpeg_tile.h"
#include "limits.h"

/*
 * Chroma at half resolution both ways: photographs and video lose little
 * by it, and it halves the colour data. Text never goes lossy (it has
 * few colours per tile: codec.c keeps it exact).
 */
#define JPEG_TILE_SUBSAMPLING TJSAMP_420

struct jpeg_tile {
	tjhandle enc, dec;              /* made on first use */
	uint8_t *out;                   /* the encoder's buffer, never reallocated */
	unsigned long out_cap;
	uint8_t rgb[MSG_TILE_LEN * MSG_TILE_LEN * 3]; /* one decoded tile */
};

struct jpeg_tile *
jpeg_tile_new(void)
{
	return calloc(1, sizeof(struct jpeg_tile));
}

void
jpeg_tile_free(struct jpeg_tile *j)
{
	if (j == NULL)
		return;
	if (j->enc != NULL)
		tjDestroy(j->enc);
	if (j->dec != NULL)
		tjDestroy(j->dec);
	if (j->out != NULL) {
		sodium_memzero(j->out, j->out_cap);     /* the screen is private */
		tjFree(j->out);
	}
	sodium_memzero(j->rgb, sizeof(j->rgb));
	free(j);
}

int
jpeg_tile_encode(struct jpeg_tile *j, const struct image *img, unsigned x, unsigned y,
    unsigned tw, unsigned th, unsigned quality, size_t max, const uint8_t **out, size_t *len)
{
	unsigned long size;

	if (tw == 0 || th == 0 || tw > MSG_TILE_LEN || th > MSG_TILE_LEN || quality < 1 ||
	    quality > 100)
		return ERR_INTERNAL;
	if (j->enc == NULL && (j->enc = tjInitCompress()) == NULL)
		return ERR_NOMEM;
	if (j->out == NULL) {
		/* The worst case of any tile: one buffer, never grown. */
		j->out_cap = tjBufSize(MSG_TILE_LEN, MSG_TILE_LEN, TJSAMP_444);
		if ((j->out = tjAlloc((int)j->out_cap)) == NULL)
			return ERR_NOMEM;
	}
	size = j->out_cap;
	/* 0x00RRGGBB in memory (little endian) is B, G, R, X. */
	if (tjCompress2(j->enc, (const unsigned char *)(img->px + (size_t)y * img->w + x),
	    (int)tw, (int)(img->w * sizeof(*img->px)), (int)th, TJPF_BGRX, &j->out, &size,
	    JPEG_TILE_SUBSAMPLING, (int)quality, TJFLAG_NOREALLOC | TJFLAG_FASTDCT) != 0)
		return ERR_INTERNAL;
	if (size > max)
		return ERR_TOO_LARGE;
	*out = j->out;
	*len = size;
	return 0;
}

int
jpeg_tile_decode(struct jpeg_tile *j, const uint8_t *in, size_t len, struct image *img,
    unsigned x, unsigned y, unsigned tw, unsigned th)
{
	int w, h, subsamp, colorspace;
	const uint8_t *p = j->rgb;

	if (j->dec == NULL && (j->dec = tjInitDecompress()) == NULL)
		return ERR_NOMEM;
	if (len == 0 || len > MSG_TILE_LEN * MSG_TILE_LEN * 3)
		return ERR_FORMAT;
	if (tjDecompressHeader3(j->dec, in, (unsigned long)len, &w, &h, &subsamp,
	    &colorspace) != 0 || w != (int)tw || h != (int)th)
		return ERR_FORMAT;
	/* Any warning (a truncated or damaged JPEG) refuses the tile: our
	 * own encoder never makes one. Progressive scans are bounded, so a
	 * hostile tile cannot make decoding slow. */
	if (tjDecompress2(j->dec, in, (unsigned long)len, j->rgb, (int)tw, (int)tw * 3, (int)th,
	    TJPF_RGB, TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0)
		return ERR_FORMAT;
	for (unsigned r = 0; r < th; r++) {
		uint32_t *row = img->px + (size_t)(y + r) * img->w + x;

		for (unsigned i = 0; i < tw; i++, p += 3)
			row[i] = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	}
	return 0;
}
