/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lossy.c - JPEG tiles: which tiles the encoder sends lossy, what
 * the decoder refuses, that a COPY never reads a tile held lossy, and the
 * master's bookkeeping of held tiles and their exact refresh (lossy.c).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "jpeg_tile.h"
#include "limits.h"
#include "lossy.h"
#include "test.h"
#include "tile_psnr.h"
#include "video.h"

/* 3 x 2 tiles; the last column is 64 wide too, the bottom row 64 high. */
enum { W = 192, H = 128, TILES = 6 };

struct sink {
	uint8_t raw[1 << 20];
	size_t len;
	unsigned parts;
};

/* The tile bytes of every part, one after the other (no zstd: the
 * decoder paints them with codec_decode_tiles). */
static int
keep(void *arg, const uint8_t *raw, size_t raw_len, bool last)
{
	struct sink *s = arg;

	(void)last;
	if (s->len + raw_len > sizeof(s->raw))
		return ERR_LIMIT;
	memcpy(s->raw + s->len, raw, raw_len);
	s->len += raw_len;
	s->parts++;
	return 0;
}

/* A photograph-like tile: smooth colour ramps with a little grain (far
 * more than MSG_PALETTE_MAX colours, nothing a palette holds). */
static void
paint_photo(struct image *img, unsigned tx, unsigned ty, unsigned seed)
{
	uint32_t s = seed * 2654435761u + 1;

	for (unsigned y = ty * 64; y < ty * 64 + 64 && y < img->h; y++)
		for (unsigned x = tx * 64; x < tx * 64 + 64 && x < img->w; x++) {
			unsigned r, g, b;
			unsigned lx = x - tx * 64, ly = y - ty * 64;

			s ^= s << 13;
			s ^= s >> 17;
			s ^= s << 5;
			/* Ramps that never wrap: a photo has no hard edge here. */
			r = lx * 2 + seed * 20 + (s & 7);
			g = ly * 2 + lx + ((s >> 3) & 7);
			b = 200 - ly + ((s >> 6) & 7);
			img->px[(size_t)y * img->w + x] = r << 16 | g << 8 | b;
		}
}

/* A text-like tile: two colours. */
static void
paint_text(struct image *img, unsigned tx, unsigned ty)
{
	for (unsigned y = ty * 64; y < ty * 64 + 64 && y < img->h; y++)
		for (unsigned x = tx * 64; x < tx * 64 + 64 && x < img->w; x++)
			img->px[(size_t)y * img->w + x] = ((x / 3 + y / 5) % 4 == 0) ? 0 : 0xFFFFFF;
}

static void
test_encode_choice(void)
{
	static const uint8_t all[TILES] = { 1, 1, 1, 1, 1, 1 };
	static const uint8_t only1[TILES] = { 0, 1, 0, 0, 0, 0 };
	struct codec_enc *e = codec_enc_new();
	struct codec_dec *d = codec_dec_new();
	struct image cur, out;
	static struct sink s;
	const uint8_t *sent;
	size_t tiles;

	CHECK(e != NULL && d != NULL);
	CHECK(image_init(&cur, W, H) == 0 && image_init(&out, W, H) == 0);
	for (unsigned t = 0; t < 3; t++)
		paint_photo(&cur, t, 0, t + 1);
	for (unsigned t = 0; t < 3; t++)
		paint_text(&cur, t, 1);

	/* Everything allowed: the photo row goes JPEG, the text row exact. */
	codec_enc_lossy(e, all, NULL, 75);
	s.len = 0;
	CHECK(codec_encode(e, &cur, NULL, sizeof(s.raw), keep, &s, &tiles) == 0);
	CHECK(tiles == TILES);
	sent = codec_enc_sent(e);
	CHECK(sent[0] == CODEC_SENT_LOSSY && sent[1] == CODEC_SENT_LOSSY &&
	    sent[2] == CODEC_SENT_LOSSY);
	CHECK(sent[3] == CODEC_SENT_EXACT && sent[4] == CODEC_SENT_EXACT &&
	    sent[5] == CODEC_SENT_EXACT);
	/* A photo tile is 12 KiB of RAW; as JPEG at 75 far less. */
	CHECK(s.len < 3 * 64 * 64 * 3 / 2 + 3 * 1000);
	codec_dec_begin(d);
	CHECK(codec_decode_tiles(d, s.raw, s.len, &out) == 0);
	CHECK(codec_dec_lossy(d) == 3 && codec_dec_held(d) == 3);
	for (unsigned t = 0; t < 3; t++) {
		double q = tile_psnr(&cur, &out, t, 0);

		CHECK(q > 30.0 && q < 99.0);    /* close, and not exact */
		CHECK(tile_same(&cur, &out, t, 1));
	}

	/* Only where allowed. */
	codec_enc_lossy(e, only1, NULL, 75);
	s.len = 0;
	CHECK(codec_encode(e, &cur, NULL, sizeof(s.raw), keep, &s, &tiles) == 0);
	sent = codec_enc_sent(e);
	CHECK(sent[0] == CODEC_SENT_EXACT && sent[1] == CODEC_SENT_LOSSY &&
	    sent[2] == CODEC_SENT_EXACT);
	memset(out.px, 0, (size_t)W * H * 4);
	codec_dec_begin(d);
	CHECK(codec_decode_tiles(d, s.raw, s.len, &out) == 0);
	CHECK(codec_dec_lossy(d) == 1);
	CHECK(codec_dec_held(d) == 1);  /* tiles 0 and 2 exact again, 1 JPEG anew */
	CHECK(tile_same(&cur, &out, 0, 0) && !tile_same(&cur, &out, 1, 0));

	/* None: exact everywhere, at any quality. */
	codec_enc_lossy(e, NULL, NULL, 1);
	s.len = 0;
	CHECK(codec_encode(e, &cur, NULL, sizeof(s.raw), keep, &s, &tiles) == 0);
	memset(out.px, 0, (size_t)W * H * 4);
	codec_dec_begin(d);
	CHECK(codec_decode_tiles(d, s.raw, s.len, &out) == 0);
	CHECK(codec_dec_lossy(d) == 0 && codec_dec_held(d) == 0);
	CHECK(memcmp(out.px, cur.px, (size_t)W * H * 4) == 0);

	/* Lower quality, fewer bytes. */
	{
		size_t q75, q20;

		codec_enc_lossy(e, all, NULL, 75);
		s.len = 0;
		CHECK(codec_encode(e, &cur, NULL, sizeof(s.raw), keep, &s, &tiles) == 0);
		q75 = s.len;
		codec_enc_lossy(e, all, NULL, 20);
		s.len = 0;
		CHECK(codec_encode(e, &cur, NULL, sizeof(s.raw), keep, &s, &tiles) == 0);
		q20 = s.len;
		CHECK(q20 < q75);
	}
	image_free(&cur);
	image_free(&out);
	codec_enc_free(e);
	codec_dec_free(d);
}

/* A small change in a photo goes exact as a PART; a big one as JPEG. */
static void
test_parts(void)
{
	static const uint8_t all[TILES] = { 1, 1, 1, 1, 1, 1 };
	struct codec_enc *e = codec_enc_new();
	struct image prev, cur;
	static struct sink s;
	size_t tiles;

	CHECK(image_init(&prev, W, H) == 0 && image_init(&cur, W, H) == 0);
	paint_photo(&prev, 0, 0, 1);
	memcpy(cur.px, prev.px, (size_t)W * H * 4);
	for (unsigned y = 10; y < 20; y++)
		for (unsigned x = 10; x < 30; x++)
			cur.px[y * W + x] ^= 0x808080;
	paint_photo(&cur, 1, 0, 9);
	codec_enc_lossy(e, all, NULL, 75);
	CHECK(codec_encode(e, &cur, &prev, sizeof(s.raw), keep, &s, &tiles) == 0);
	CHECK(tiles == 2);
	CHECK(codec_enc_sent(e)[0] == CODEC_SENT_PART);
	CHECK(codec_enc_sent(e)[1] == CODEC_SENT_LOSSY);
	CHECK(codec_enc_sent(e)[2] == CODEC_SENT_NONE);
	image_free(&prev);
	image_free(&cur);
	codec_enc_free(e);
}

/* A window moved right by one tile: a COPY, unless its source tile is held lossy. */
static void
test_no_copy_from_lossy(void)
{
	static const uint8_t held0[TILES] = { 1, 0, 0, 0, 0, 0 };
	struct codec_move mv = { .dx = 64, .dy = 0 };
	struct codec_enc *e = codec_enc_new();
	struct image prev, cur;
	static struct sink s;
	size_t tiles, copied;

	CHECK(image_init(&prev, W, H) == 0 && image_init(&cur, W, H) == 0);
	for (unsigned t = 0; t < TILES; t++)
		paint_text(&prev, t % 3, t / 3);
	paint_photo(&prev, 0, 0, 3);
	memcpy(cur.px, prev.px, (size_t)W * H * 4);
	for (unsigned y = 0; y < 64; y++)
		memcpy(cur.px + y * W + 64, prev.px + y * W, 64 * 4);

	codec_enc_moves(e, &mv, 1);
	s.len = 0;
	CHECK(codec_encode(e, &cur, &prev, sizeof(s.raw), keep, &s, &tiles) == 0);
	copied = s.len;
	CHECK(tiles == 1 && codec_enc_sent(e)[1] == CODEC_SENT_EXACT);
	CHECK(copied < 16);     /* a COPY: a head and four bytes */

	codec_enc_lossy(e, NULL, held0, 75);
	codec_enc_moves(e, &mv, 1);
	s.len = 0;
	CHECK(codec_encode(e, &cur, &prev, sizeof(s.raw), keep, &s, &tiles) == 0);
	CHECK(tiles == 1 && s.len > 64 * 64);   /* the pixels themselves */
	image_free(&prev);
	image_free(&cur);
	codec_enc_free(e);
}

/* Paint one hand-made tile stream onto a 130x67 image (3x2 tiles; tile 5
 * is 2x3 pixels); returns codec_decode_tiles()'s result. */
static int
paint(const uint8_t *raw, size_t len)
{
	struct codec_dec *d = codec_dec_new();
	struct image img;
	int r;

	CHECK(d != NULL && image_init(&img, 130, 67) == 0);
	codec_dec_begin(d);
	r = codec_decode_tiles(d, raw, len, &img);
	image_free(&img);
	codec_dec_free(d);
	return r;
}

static void
test_bad_jpeg(void)
{
	struct jpeg_tile *j = jpeg_tile_new();
	struct image src;
	const uint8_t *jp;
	size_t jlen, n;
	static uint8_t t[20000];

	CHECK(j != NULL && image_init(&src, 64, 64) == 0);
	paint_photo(&src, 0, 0, 5);
	CHECK(jpeg_tile_encode(j, &src, 0, 0, 64, 64, 75, 20000, &jp, &jlen) == 0);
	CHECK(jlen > 100 && jlen < 64 * 64 * 3);
	/* A 64x64 JPEG at tile 0 (64x64) paints; the same at edge tile 5
	 * (2x3) is refused, as is a short one, a flipped bit in its markers,
	 * a PART form, a length past the end and an empty JPEG. */
	t[0] = 0x00;
	t[1] = CODEC_JPEG;
	n = 2 + buf_var32_pack(t + 2, (uint32_t)jlen);
	memcpy(t + n, jp, jlen);
	CHECK(paint(t, n + jlen) == 0);
	t[0] = 0x0A;
	CHECK(paint(t, n + jlen) == ERR_FORMAT);
	t[0] = 0x00;
	CHECK(paint(t, n + jlen - 1) == ERR_FORMAT);
	n = 2 + buf_var32_pack(t + 2, (uint32_t)(jlen - 40));
	memcpy(t + n, jp, jlen - 40);
	CHECK(paint(t, n + jlen - 40) == ERR_FORMAT);   /* cut short: a warning refuses it */
	n = 2 + buf_var32_pack(t + 2, (uint32_t)jlen);
	memcpy(t + n, jp, jlen);
	t[n + 1] ^= 0xFF;                                /* SOI no more */
	CHECK(paint(t, n + jlen) == ERR_FORMAT);
	t[n + 1] ^= 0xFF;
	t[1] = CODEC_JPEG | CODEC_PART;
	CHECK(paint(t, n + jlen) == ERR_FORMAT);
	t[1] = CODEC_JPEG;
	t[2] = 0x7F;                                     /* 127 bytes, fewer there */
	CHECK(paint(t, 3 + 20) == ERR_FORMAT);
	t[2] = 0x00;
	CHECK(paint(t, 3) == ERR_FORMAT);
	/* Quality out of range is the caller's error, not a crash. */
	CHECK(jpeg_tile_encode(j, &src, 0, 0, 64, 64, 0, 20000, &jp, &jlen) == ERR_INTERNAL);
	CHECK(jpeg_tile_encode(j, &src, 0, 0, 64, 64, 75, 10, &jp, &jlen) == ERR_TOO_LARGE);
	image_free(&src);
	jpeg_tile_free(j);
}

/* lossy.c: what a viewer holds, and when it is refreshed. */
static void
test_bookkeeping(void)
{
	static struct lossy l;
	static struct video_viewer vv;
	uint8_t sent[TILES] = { CODEC_SENT_LOSSY, CODEC_SENT_LOSSY, CODEC_SENT_EXACT,
		CODEC_SENT_NONE, CODEC_SENT_NONE, CODEC_SENT_NONE };
	uint8_t all[TILES] = { 1, 1, 1, 1, 1, 1 }, mask[TILES];

	lossy_init(&l, false, 0);
	CHECK(l.quality == MASTER_QUALITY_DEFAULT);
	lossy_changed(&l, NULL, TILES, 10000);
	lossy_plan(&l, TILES, 10000);
	CHECK(l.allow[0] && l.allow[5]);
	lossy_plan(&l, TILES, 10000 + MASTER_LOSSY_SETTLE_MS);
	CHECK(!l.allow[0] && !l.allow[5]);      /* still that long: exact from now on */

	lossy_sent(&vv, sent, TILES);
	CHECK(vv.n_lossy == 2 && vv.lossy[0] && vv.lossy[1] && !vv.lossy[2]);
	/* A PART leaves the tile lossy; EXACT clears it; LOSSY again is one. */
	memset(sent, CODEC_SENT_NONE, sizeof(sent));
	sent[0] = CODEC_SENT_PART;
	sent[1] = CODEC_SENT_LOSSY;
	lossy_sent(&vv, sent, TILES);
	CHECK(vv.n_lossy == 2);
	lossy_changed(&l, (const uint8_t[TILES]){ 0, 1, 0, 0, 0, 0 }, TILES, 10500);

	/* Tile 0 settled at 11000, tile 1 (changed again) at 11500. */
	memset(mask, 0, sizeof(mask));
	CHECK(lossy_settled(&l, &vv, TILES, 10999, mask, 10) == 0);
	CHECK(lossy_settled(&l, &vv, TILES, 11000, mask, 10) == 1 && mask[0] && !mask[1]);
	memset(mask, 0, sizeof(mask));
	CHECK(lossy_settled(&l, &vv, TILES, 11500, mask, 1) == 1);      /* at most max */
	CHECK(lossy_settled(&l, &vv, TILES, 11500, mask, 1) == 1 && mask[0] && mask[1]);
	memset(sent, CODEC_SENT_NONE, sizeof(sent));
	sent[0] = sent[1] = CODEC_SENT_EXACT;
	lossy_sent(&vv, sent, TILES);
	CHECK(vv.n_lossy == 0);
	memset(mask, 0, sizeof(mask));
	CHECK(lossy_settled(&l, &vv, TILES, 99999, mask, 10) == 0);

	/* --lossless: nothing is ever allowed. */
	lossy_init(&l, true, 40);
	lossy_changed(&l, all, TILES, 5000);
	lossy_plan(&l, TILES, 5000);
	CHECK(!l.allow[0] && l.quality == 40);
	lossy_forget(&vv);
	CHECK(vv.n_lossy == 0);
}

int
main(void)
{
	test_encode_choice();
	test_parts();
	test_no_copy_from_lossy();
	test_bad_jpeg();
	test_bookkeeping();
	return test_done();
}
