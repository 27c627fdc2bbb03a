/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_codec.c - the tile codec as the viewer runs it on a VIDEO part.
 *
 * Input: u8 mode | u16 w | u16 h | u32 raw_len | rest (w, h cut to
 * 1..300, 1..160 for round trips). The mode picks one of three paths:
 *   0  rest is a part of the zstd screen stream, decoded with raw_len as
 *      given, on a restarted stream (or, with bit 0x10, on the stream as
 *      the last input left it)
 *   1  rest is a tile stream, painted as it is, so the tile parser is
 *      reached without having to get past zstd first
 *   2  rest is pixels: encode against a base, decode, compare (the
 *      encoder must round-trip whatever it is given)
 */
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "limits.h"
#include "zstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Round trips cost per pixel: their images are smaller, still 3x3 tiles. */
enum { HEAD_LEN = 9, DIM_MAX = 300, RT_DIM_MAX = 160 };

static struct codec_dec *dec;
static struct codec_enc *enc;
static struct zs_enc *zs;       /* the master's end of the round trips' stream */

struct rt {
	struct image *out;
	int err;
	unsigned parts;
};

/* Each part as a viewer gets it: on its stream, restarted by the first. */
static int
decode_part(void *arg, const uint8_t *raw, size_t raw_len, bool last)
{
	struct rt *rt = arg;
	struct buf z;

	(void)last;
	buf_init(&z, zs_enc_bound(raw_len));
	if (zs_enc_part(zs, rt->parts == 0, raw, raw_len, &z) != 0)
		__builtin_trap();
	rt->err = codec_decode(dec, rt->parts++ == 0, buf_ptr(&z), buf_len(&z), raw_len, rt->out);
	buf_release(&z);
	return rt->err;
}

static void
round_trip(const uint8_t *p, size_t n, uint8_t mode, struct image *cur)
{
	struct image prev, out;
	struct rt rt;
	size_t i, npx = (size_t)cur->w * cur->h, tiles;
	int r;

	if (image_init(&prev, cur->w, cur->h) != 0 || image_init(&out, cur->w, cur->h) != 0)
		__builtin_trap();
	for (i = 0; i < npx && n > 0; i++) {
		uint32_t v = p[i % n];

		/* Few distinct colours (bit 0x20) make SOLID and PALETTE tiles. */
		if (mode & 0x20)
			cur->px[i] = (v & 0x07) * 0x212121;
		else
			cur->px[i] = v << 16 | (uint32_t)p[(i + 1) % n] << 8 | (v ^ 0x5A);
		/* With bit 0x40 half the tiles (a checkerboard) equal the base. */
		if ((mode & 0x40) &&
		    ((i % cur->w) / MSG_TILE_LEN + (i / cur->w) / MSG_TILE_LEN) % 2 == 0)
			prev.px[i] = cur->px[i];
		else
			prev.px[i] = 0x123456;
	}
	memcpy(out.px, prev.px, npx * sizeof(*out.px));
	codec_dec_begin(dec);   /* one update follows: COPY sources are out's pixels */
	rt.out = &out;
	rt.err = 0;
	rt.parts = 0;
	/* A small part_max (bit 0x80) forces many parts. */
	r = codec_encode(enc, cur, (mode & 0x40) ? &prev : NULL,
	    (mode & 0x80) ? MSG_TILE_LEN * MSG_TILE_LEN * 3 + 9 : 256 << 10,
	    decode_part, &rt, &tiles);
	if (r != 0 || rt.err != 0 || memcmp(out.px, cur->px, npx * sizeof(*out.px)) != 0)
		__builtin_trap();
	image_free(&prev);
	image_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct image img;
	uint8_t mode;
	uint16_t w, h;
	size_t raw_len;

	if (dec == NULL && ((dec = codec_dec_new()) == NULL || (enc = codec_enc_new()) == NULL ||
	    (zs = zs_enc_new(1)) == NULL))
		__builtin_trap();
	if (n < HEAD_LEN)
		return 0;
	mode = d[0];
	w = (uint16_t)(1 + (d[1] << 8 | d[2]) % DIM_MAX);
	h = (uint16_t)(1 + (d[3] << 8 | d[4]) % DIM_MAX);
	raw_len = (size_t)d[5] << 24 | (size_t)d[6] << 16 | (size_t)d[7] << 8 | d[8];
	d += HEAD_LEN;
	n -= HEAD_LEN;
	if (mode % 3 == 2) {
		w = (uint16_t)((w - 1) % RT_DIM_MAX + 1);
		h = (uint16_t)((h - 1) % RT_DIM_MAX + 1);
	}
	if (image_init(&img, w, h) != 0)
		__builtin_trap();
	/* Every input is a new update (so COPY tiles get decoded too), except
	 * when bit 0x10 says "go on with the last one". */
	if (!(mode & 0x10))
		codec_dec_begin(dec);
	switch (mode % 3) {
	case 0:
		/* Bit 0x10 also goes on with the stream as the last input left it. */
		if (codec_decode(dec, !(mode & 0x10), d, n, raw_len, &img) != 0)
			break;  /* refused: fine, as long as it did not crash */
		break;
	case 1:
		if (codec_decode_tiles(dec, d, n, &img) != 0)
			break;
		break;
	default:
		round_trip(d, n, mode, &img);
		break;
	}
	image_free(&img);
	return 0;
}
