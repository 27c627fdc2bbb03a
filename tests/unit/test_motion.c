/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_motion.c - VP9 regions: the VP9 tile through the codec (what it
 * paints, what stays, inter frames after a key frame), what the decoder
 * refuses (a frame without its key frame, another region, a wrong size,
 * damaged bytes, stray flags and mask bits), that only the painted tiles
 * are converted and exactly, that frame buffers are reused, and the
 * master's region (master/motion.c): when one forms, who holds its
 * stream, when key frames may come, when it ends.
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "limits.h"
#include "motion.h"
#include "test.h"
#include "tile_psnr.h"
#include "vp9_stream.h"

/* 4 x 3 tiles. */
enum { W = 256, H = 192, TX = 4, TY = 3, TILES = TX * TY };

struct sink {
	uint8_t raw[1 << 20];
	size_t len;
};

static int
keep(void *arg, const uint8_t *raw, size_t raw_len, bool last)
{
	struct sink *s = arg;

	(void)last;
	if (s->len + raw_len > sizeof(s->raw))
		return ERR_LIMIT;
	memcpy(s->raw + s->len, raw, raw_len);
	s->len += raw_len;
	return 0;
}

/* A moving picture: smooth ramps shifted by frame, many colours. */
static void
paint_frame(struct image *img, unsigned x0, unsigned y0, unsigned w, unsigned h,
    unsigned frame)
{
	/* A pan: the same smooth picture 3 pixels further each frame. */
	for (unsigned y = y0; y < y0 + h; y++)
		for (unsigned x = x0; x < x0 + w; x++) {
			unsigned px = x + frame * 3;
			unsigned r = 128 + (unsigned)(100 * sin(px / 23.0)), g = y;
			unsigned b = 128 + (unsigned)(90 * cos((px + 2 * y) / 31.0));

			img->px[(size_t)y * img->w + x] = r << 16 | g << 8 | b;
		}
}

/* The whole update: changed is every tile that differs. */
static int
encode(struct codec_enc *e, const struct image *cur, const struct image *prev,
    const struct codec_vp9 *v, struct sink *s)
{
	uint8_t changed[TILES];
	size_t tiles;

	image_changed(cur, prev, NULL, changed);
	s->len = 0;
	codec_enc_vp9(e, v);
	return codec_encode_diff(e, cur, prev, changed, sizeof(s->raw), keep, s, &tiles);
}

/* A frame of the 2 x 2 region at tile (1, 1): the pixels (64, 64)-(192, 192). */
static struct codec_vp9
frame_of(struct vp9_enc *enc, const struct image *cur, bool key, const uint8_t *paint)
{
	struct codec_vp9 v = { .tx = 1, .ty = 1, .cols = 2, .rows = 2, .key = key,
		.paint = paint };

	CHECK(vp9_enc_frame(enc, cur, 64, 64, key, 75, &v.data, &v.len) == 0);
	return v;
}

static void
test_codec(void)
{
	struct codec_enc *e = codec_enc_new();
	struct codec_dec *d = codec_dec_new(), *late = codec_dec_new();
	struct vp9_enc *enc = vp9_enc_new(128, 128);
	struct image prev, cur, out, out_late;
	static struct sink s;
	struct codec_vp9 v;
	const uint8_t *sent;
	uint8_t paint[TILES];

	CHECK(e != NULL && d != NULL && late != NULL && enc != NULL);
	CHECK(image_init(&prev, W, H) == 0 && image_init(&cur, W, H) == 0 &&
	    image_init(&out, W, H) == 0 && image_init(&out_late, W, H) == 0);
	memset(prev.px, 0x40, (size_t)W * H * 4);
	for (size_t i = 0; i < (size_t)W * H; i++)
		prev.px[i] &= 0xFFFFFF;
	memcpy(cur.px, prev.px, (size_t)W * H * 4);
	memcpy(out.px, prev.px, (size_t)W * H * 4);
	memcpy(out_late.px, prev.px, (size_t)W * H * 4);

	/* Key frame: the region's four tiles painted lossy, the rest as was. */
	paint_frame(&cur, 64, 64, 128, 128, 0);
	v = frame_of(enc, &cur, true, NULL);
	CHECK(encode(e, &cur, &prev, &v, &s) == 0);
	sent = codec_enc_sent(e);
	CHECK(sent[5] == CODEC_SENT_LOSSY && sent[6] == CODEC_SENT_LOSSY &&
	    sent[9] == CODEC_SENT_LOSSY && sent[10] == CODEC_SENT_LOSSY);
	CHECK(sent[0] == CODEC_SENT_NONE && sent[4] == CODEC_SENT_NONE);
	codec_dec_begin(d);
	CHECK_ERR(codec_decode_tiles(d, s.raw, s.len, &out), 0);
	CHECK(codec_dec_lossy(d) == 4 && codec_dec_held(d) == 4);
	CHECK(tile_psnr(&cur, &out, 1, 1) > 30 && tile_psnr(&cur, &out, 2, 2) > 30);
	CHECK(tile_psnr(&cur, &out, 0, 0) == 99.0 && tile_psnr(&cur, &out, 3, 2) == 99.0);

	/* Inter frames follow; each is a fraction of the key frame. */
	{
		size_t key_len = v.len, inter_len = 0;

		for (unsigned f = 1; f <= 3; f++) {
			memcpy(prev.px, cur.px, (size_t)W * H * 4);
			paint_frame(&cur, 64, 64, 128, 128, f);
			v = frame_of(enc, &cur, false, NULL);
			inter_len += v.len;
			CHECK(encode(e, &cur, &prev, &v, &s) == 0);
			codec_dec_begin(d);
			CHECK_ERR(codec_decode_tiles(d, s.raw, s.len, &out), 0);
			CHECK(tile_psnr(&cur, &out, 1, 1) > 30 && tile_psnr(&cur, &out, 2, 2) > 30);
			/* A decoder that missed the key frame refuses them. */
			if (f == 1) {
				codec_dec_begin(late);
				CHECK_ERR(codec_decode_tiles(late, s.raw, s.len, &out_late),
				    ERR_PROTOCOL);
			}
		}
		CHECK(inter_len < key_len);
	}

	/* Only the tiles paint allows are painted: tile (1, 1) goes exact (a
	 * refresh, say), though the frame covers it; the decoder still takes
	 * the frame. */
	memcpy(prev.px, cur.px, (size_t)W * H * 4);
	paint_frame(&cur, 64, 64, 128, 128, 4);
	memset(paint, 1, sizeof(paint));
	paint[5] = 0;
	v = frame_of(enc, &cur, false, paint);
	CHECK(encode(e, &cur, &prev, &v, &s) == 0);
	sent = codec_enc_sent(e);
	CHECK(sent[5] == CODEC_SENT_EXACT && sent[6] == CODEC_SENT_LOSSY);
	codec_dec_begin(d);
	CHECK_ERR(codec_decode_tiles(d, s.raw, s.len, &out), 0);
	CHECK(tile_psnr(&cur, &out, 1, 1) == 99.0 && tile_psnr(&cur, &out, 2, 1) > 30);
	CHECK(codec_dec_held(d) == 3);

	/* A still region tile is not painted (nothing changed there). */
	memcpy(prev.px, cur.px, (size_t)W * H * 4);
	paint_frame(&cur, 128, 64, 64, 128, 5);       /* the right column only */
	v = frame_of(enc, &cur, false, NULL);
	CHECK(encode(e, &cur, &prev, &v, &s) == 0);
	codec_dec_begin(d);
	CHECK_ERR(codec_decode_tiles(d, s.raw, s.len, &out), 0);
	CHECK(codec_dec_lossy(d) == 2);
	CHECK(tile_psnr(&cur, &out, 1, 1) == 99.0);

	image_free(&prev);
	image_free(&cur);
	image_free(&out);
	image_free(&out_late);
	vp9_enc_free(enc);
	codec_enc_free(e);
	codec_dec_free(d);
	codec_dec_free(late);
}

/* A hand-made VP9 tile; where: its index byte (zigzag of the distance). */
static size_t
vp9_tile_at(uint8_t *p, uint8_t where, uint8_t cols_1, uint8_t rows_1, uint8_t flags,
    const uint8_t *mask, size_t n_mask, const uint8_t *data, size_t len)
{
	size_t n = 0;

	p[n++] = where;
	p[n++] = CODEC_VP9;
	p[n++] = cols_1;
	p[n++] = rows_1;
	p[n++] = flags;
	memcpy(p + n, mask, n_mask);
	n += n_mask;
	n += buf_var32_pack(p + n, (uint32_t)len);
	memcpy(p + n, data, len);
	return n + len;
}

/* At tile index 5 (the first of the region above): zigzag(5 - 0). */
static size_t
vp9_tile(uint8_t *p, uint8_t cols_1, uint8_t rows_1, uint8_t flags, const uint8_t *mask,
    size_t n_mask, const uint8_t *data, size_t len)
{
	return vp9_tile_at(p, 10, cols_1, rows_1, flags, mask, n_mask, data, len);
}

/* One update of n tile bytes. */
static int
decode1(struct codec_dec *d, const uint8_t *t, size_t n, struct image *img)
{
	codec_dec_begin(d);
	return codec_decode_tiles(d, t, n, img);
}

/*
 * The decoder converts only the tiles the mask paints, a run of them in a
 * row at once: each painted tile must be exactly what converting the whole
 * region gives (on a region of odd size, so that its last column and row
 * are in it), and the others untouched. A long stream reuses libvpx's
 * frame buffers: none are allocated after the first frames (before the
 * pool, every frame allocated one).
 */
static void
test_paint_part(void)
{
	/* 4 x 2 tiles, the last column 9 pixels wide, the last row 53 high. */
	enum { PW = 201, PH = 117, PTX = 4, PTY = 2, FRAMES = 120 };
	static uint8_t t[256 << 10];
	struct vp9_enc *enc = vp9_enc_new(PW, PH);
	struct vp9_dec *whole_dec = vp9_dec_new();
	struct codec_dec *d = codec_dec_new();
	struct image src, whole, part, before;
	unsigned held = 0, held_then = 0, decoded = 0, differ = 0;
	unsigned long made = 0, made_then = 0;

	CHECK(enc != NULL && whole_dec != NULL && d != NULL);
	CHECK(image_init(&src, PW, PH) == 0 && image_init(&whole, PW, PH) == 0 &&
	    image_init(&part, PW, PH) == 0 && image_init(&before, PW, PH) == 0);
	for (size_t i = 0; i < (size_t)PW * PH; i++)
		part.px[i] = 0x123456;
	for (unsigned f = 0; f < FRAMES; f++) {
		/* Runs at the region's edges: tiles 0, 2-3, 5, 7; then 1-2, 4, 6. */
		uint8_t mask = f % 2 == 0 ? 0xB5 : 0x6A;
		const uint8_t *p;
		size_t len, n;

		paint_frame(&src, 0, 0, PW, PH, f);
		if (vp9_enc_frame(enc, &src, 0, 0, f == 0, 75, &p, &len) != 0 ||
		    len > sizeof(t) - 16) {
			CHECK(!"frame encoded");
			break;
		}
		n = vp9_tile_at(t, 0, PTX - 1, PTY - 1, f == 0 ? CODEC_VP9_KEY : 0, &mask, 1, p,
		    len);
		memcpy(before.px, part.px, (size_t)PW * PH * sizeof(*part.px));
		decoded += decode1(d, t, n, &part) == 0 &&
		    vp9_dec_frame(whole_dec, f == 0, p, len, PW, PH) == 0 &&
		    vp9_dec_paint(whole_dec, 0, 0, PW, PH, &whole, 0, 0) == 0;
		for (unsigned k = 0; k < PTX * PTY; k++) {
			const struct image *want = mask & 0x80 >> k ? &whole : &before;

			differ += !tile_same(&part, want, k % PTX, k / PTX);
		}
		vp9_dec_buffers(whole_dec, &held, &made);
		if (f == FRAMES / 2) {
			held_then = held;
			made_then = made;
		}
	}
	CHECK(decoded == FRAMES && differ == 0);
	/* Decoded at odd coordinates or past the frame: refused. */
	CHECK_ERR(vp9_dec_paint(whole_dec, 1, 0, 64, 64, &whole, 0, 0), ERR_INTERNAL);
	CHECK_ERR(vp9_dec_paint(whole_dec, 192, 64, 10, 53, &whole, 0, 0), ERR_INTERNAL);
	CHECK_ERR(vp9_dec_paint(whole_dec, 192, 64, 9, 53, &whole, 0, 0), 0);
	/* The pool: none made in the second half (the encoder's references
	 * settle within the first 20 frames), every one made still held (none
	 * replaced), and no more than VP9's 8 references and one or two at
	 * work. */
	CHECK(held_then > 0 && held == held_then && made == made_then);
	CHECK(made == held && held <= 10);
	printf("# vp9 frame buffers: %u held, %lu made in %u frames\n", held, made,
	    (unsigned)FRAMES);

	image_free(&src);
	image_free(&whole);
	image_free(&part);
	image_free(&before);
	vp9_enc_free(enc);
	vp9_dec_free(whole_dec);
	codec_dec_free(d);
}

static void
test_hostile(void)
{
	static uint8_t key[64 << 10], inter[64 << 10], t[80 << 10];
	struct vp9_enc *enc = vp9_enc_new(128, 128), *small = vp9_enc_new(64, 64);
	struct codec_dec *d = codec_dec_new();
	size_t key_len, inter_len, n;
	const uint8_t *p;
	struct image img;
	uint8_t full = 0xF0;

	CHECK(enc != NULL && small != NULL && d != NULL && image_init(&img, W, H) == 0);
	paint_frame(&img, 0, 0, W, H, 0);
	CHECK(vp9_enc_frame(enc, &img, 64, 64, true, 75, &p, &key_len) == 0);
	memcpy(key, p, key_len);
	paint_frame(&img, 0, 0, W, H, 1);
	CHECK(vp9_enc_frame(enc, &img, 64, 64, false, 75, &p, &inter_len) == 0);
	memcpy(inter, p, inter_len);

	/* An inter frame first: no key frame before it. */
	n = vp9_tile(t, 1, 1, 0, &full, 1, inter, inter_len);
	CHECK_ERR(decode1(d, t, n, &img), ERR_PROTOCOL);
	/* Inter bytes flagged key. */
	n = vp9_tile(t, 1, 1, CODEC_VP9_KEY, &full, 1, inter, inter_len);
	CHECK_ERR(decode1(d, t, n, &img), ERR_FORMAT);
	/* A key frame of 128x128 for a region of one tile (64x64). */
	n = vp9_tile(t, 0, 0, CODEC_VP9_KEY, &(uint8_t){ 0x80 }, 1, key, key_len);
	CHECK_ERR(decode1(d, t, n, &img), ERR_FORMAT);
	/* Unknown flags; mask bits past the region; a region past the image. */
	n = vp9_tile(t, 1, 1, CODEC_VP9_KEY | 0x02, &full, 1, key, key_len);
	CHECK_ERR(decode1(d, t, n, &img), ERR_FORMAT);
	n = vp9_tile(t, 1, 1, CODEC_VP9_KEY, &(uint8_t){ 0xF8 }, 1, key, key_len);
	CHECK_ERR(decode1(d, t, n, &img), ERR_FORMAT);
	n = vp9_tile(t, 3, 1, CODEC_VP9_KEY, (const uint8_t[]){ 0xFF }, 1, key, key_len);
	CHECK_ERR(decode1(d, t, n, &img), ERR_FORMAT);
	/* Cut short: the frame's length past the end. */
	n = vp9_tile(t, 1, 1, CODEC_VP9_KEY, &full, 1, key, key_len);
	CHECK_ERR(decode1(d, t, n - 1, &img), ERR_FORMAT);
	/* Damaged bytes in a key frame (its header kept, its body zeroed). */
	n = vp9_tile(t, 1, 1, CODEC_VP9_KEY, &full, 1, key, key_len);
	memset(t + n - key_len / 2, 0, key_len / 2);
	{
		int r = decode1(d, t, n, &img);

		/* libvpx may take zeroes as a valid (ugly) picture; any
		 * refusal must be ERR_FORMAT, and never a crash. */
		CHECK(r == 0 || r == ERR_FORMAT);
	}
	/* The real key frame, then its inter frame: fine. */
	n = vp9_tile(t, 1, 1, CODEC_VP9_KEY, &full, 1, key, key_len);
	CHECK_ERR(decode1(d, t, n, &img), 0);
	n = vp9_tile(t, 1, 1, 0, &full, 1, inter, inter_len);
	CHECK_ERR(decode1(d, t, n, &img), 0);
	/* The inter frame again: a different region (one column). */
	n = vp9_tile(t, 0, 1, 0, &(uint8_t){ 0xC0 }, 1, inter, inter_len);
	CHECK_ERR(decode1(d, t, n, &img), ERR_PROTOCOL);
	/* After a failed frame the stream is spent until a key frame. */
	n = vp9_tile(t, 1, 1, 0, &full, 1, inter, inter_len);
	CHECK_ERR(decode1(d, t, n, &img), ERR_PROTOCOL);

	image_free(&img);
	vp9_enc_free(enc);
	vp9_enc_free(small);
	codec_dec_free(d);
}

/* motion_sent after an update where these tiles went lossy. */
static void
lossy_update(struct motion *mo, const struct image *cur, const uint8_t *tiles, size_t n,
    uint64_t now)
{
	static const uint16_t one[1] = { 1 };
	static const uint8_t none[TILES] = { 0 };
	uint8_t changed[TILES] = { 0 }, sent[TILES] = { 0 };

	for (size_t i = 0; i < n; i++) {
		changed[tiles[i]] = 1;
		sent[tiles[i]] = CODEC_SENT_LOSSY;
	}
	motion_sent(mo, cur, changed, none, sent, one, 1, now);
}

static void
test_region(void)
{
	static const uint8_t square[] = { 5, 6, 9, 10 }, few[] = { 0, 3, 11 };
	static struct motion mo;
	uint8_t changed[TILES] = { 0 }, refresh[TILES] = { 0 };
	static const uint16_t one[1] = { 1 }, two[2] = { 1, 2 };
	struct codec_vp9 v;
	struct image cur;
	uint64_t now = 10000;

	CHECK(image_init(&cur, W, H) == 0);
	paint_frame(&cur, 0, 0, W, H, 0);
	motion_init(&mo, false);

	/* Four tiles lossy in three updates: not yet; the fourth makes it. */
	for (int i = 0; i < MOTION_HOT_FRAMES - 1; i++, now += 33)
		lossy_update(&mo, &cur, square, 4, now);
	CHECK(!mo.active);
	lossy_update(&mo, &cur, square, 4, now);
	CHECK(mo.active && mo.tx == 1 && mo.ty == 1 && mo.cols == 2 && mo.rows == 2);

	/* Its first frame is a key frame; then the viewer holds the stream. */
	now += 33;
	for (int t = 0; t < 4; t++)
		changed[square[t]] = 1;
	CHECK(motion_frame(&mo, &cur, changed, refresh, one, 1, 75, 1 << 20, now, &v) == 1);
	CHECK(v.key && v.tx == 1 && v.ty == 1 && v.cols == 2 && v.rows == 2 && v.len > 0);
	motion_sent(&mo, &cur, changed, refresh, (const uint8_t[TILES]){ 0 }, one, 1, now);
	CHECK(mo.member[1] && !mo.member[2]);
	now += 33;
	CHECK(motion_frame(&mo, &cur, changed, refresh, one, 1, 75, 1 << 20, now, &v) == 1);
	CHECK(!v.key);
	motion_sent(&mo, &cur, changed, refresh, (const uint8_t[TILES]){ 0 }, one, 1, now);

	/* A second viewer: no key frame within MOTION_KEY_GAP_MS of the last
	 * one (the diff goes with JPEG tiles), then one for both. */
	now += 33;
	CHECK(motion_frame(&mo, &cur, changed, refresh, two, 2, 75, 1 << 20, now, &v) == 0);
	motion_sent(&mo, &cur, changed, refresh, (const uint8_t[TILES]){ 0 }, two, 2, now);
	CHECK(mo.member[1] && !mo.member[2]);
	now += MOTION_KEY_GAP_MS;
	CHECK(motion_frame(&mo, &cur, changed, refresh, two, 2, 75, 1 << 20, now, &v) == 1);
	CHECK(v.key);
	motion_sent(&mo, &cur, changed, refresh, (const uint8_t[TILES]){ 0 }, two, 2, now);
	CHECK(mo.member[1] && mo.member[2]);
	/* A frame that goes to viewer 1 alone: viewer 2 misses it and is out. */
	now += 33;
	CHECK(motion_frame(&mo, &cur, changed, refresh, one, 1, 75, 1 << 20, now, &v) == 1);
	CHECK(!v.key);
	motion_sent(&mo, &cur, changed, refresh, (const uint8_t[TILES]){ 0 }, one, 1, now);
	CHECK(mo.member[1] && !mo.member[2]);
	/* A whole picture of tiles for viewer 1: out too. */
	motion_forget(&mo, 1);
	CHECK(!mo.member[1]);

	/* Nothing moved in the region: no frame. A refreshed tile is no
	 * change: the frame does not paint it. */
	now += 33;
	memset(changed, 0, sizeof(changed));
	CHECK(motion_frame(&mo, &cur, changed, refresh, one, 1, 75, 1 << 20, now, &v) == 0);
	changed[5] = changed[6] = refresh[5] = 1;
	now += MOTION_KEY_GAP_MS;
	CHECK(motion_frame(&mo, &cur, changed, refresh, one, 1, 75, 1 << 20, now, &v) == 1);
	CHECK(v.paint[6] && !v.paint[5]);
	motion_sent(&mo, &cur, changed, refresh, (const uint8_t[TILES]){ 0 }, one, 1, now);
	refresh[5] = 0;

	/* A key frame over the part size: no frame, and the region ends. */
	motion_forget(&mo, 1);
	now += MOTION_KEY_GAP_MS;
	CHECK(motion_frame(&mo, &cur, changed, refresh, one, 1, 75, 64, now, &v) == 0);
	CHECK(!mo.active);
	/* and it does not come back at once (each try costs key frames). */
	for (int i = 0; i < MOTION_HOT_FRAMES + 2; i++, now += 33)
		lossy_update(&mo, &cur, square, 4, now);
	CHECK(!mo.active);
	now += MOTION_KEY_GAP_MS;
	for (int i = 0; i < MOTION_HOT_FRAMES; i++, now += 33)
		lossy_update(&mo, &cur, square, 4, now);
	CHECK(mo.active);
	/* A key frame that fits only at a lower quality is sent at that one. */
	{
		struct vp9_enc *probe = vp9_enc_new(128, 128);
		const uint8_t *p;
		size_t len75, len50, head = CODEC_VP9_HEAD_MAX(2, 2);

		CHECK(probe != NULL);
		CHECK(vp9_enc_frame(probe, &cur, 64, 64, true, 75, &p, &len75) == 0);
		CHECK(vp9_enc_frame(probe, &cur, 64, 64, true, 50, &p, &len50) == 0);
		CHECK(len50 < len75);
		now += 33;
		CHECK(motion_frame(&mo, &cur, changed, refresh, one, 1, 75, len50 + head, now,
		    &v) == 1);
		CHECK(v.key && v.len == len50);
		motion_sent(&mo, &cur, changed, refresh, (const uint8_t[TILES]){ 0 }, one, 1, now);
		vp9_enc_free(probe);
	}

	/* Fewer than MOTION_MIN_TILES moving make no region; a pause starts
	 * the count over. */
	motion_restart(&mo);
	for (int i = 0; i < 10; i++, now += 33)
		lossy_update(&mo, &cur, few, 3, now);
	CHECK(!mo.active);
	for (int i = 0; i < 10; i++, now += MOTION_HOT_MS + 1)
		lossy_update(&mo, &cur, square, 4, now);
	CHECK(!mo.active);

	/* A region ends MOTION_END_MS after its last change. */
	for (int i = 0; i < MOTION_HOT_FRAMES; i++, now += 33)
		lossy_update(&mo, &cur, square, 4, now);
	CHECK(mo.active);
	now -= 33;      /* the last change */
	lossy_update(&mo, &cur, NULL, 0, now + MOTION_END_MS - 1);
	CHECK(mo.active);
	lossy_update(&mo, &cur, NULL, 0, now + MOTION_END_MS + 40);
	CHECK(!mo.active);
	/* An exact refresh of its tiles is no movement, and it ends without
	 * any diff too (motion_expire on every update). */
	now += MOTION_END_MS + 40;
	for (int i = 0; i < MOTION_HOT_FRAMES; i++, now += 33)
		lossy_update(&mo, &cur, square, 4, now);
	CHECK(mo.active);
	now -= 33;
	memset(changed, 0, sizeof(changed));
	changed[5] = refresh[5] = 1;
	motion_sent(&mo, &cur, changed, refresh, (const uint8_t[TILES]){ CODEC_SENT_EXACT },
	    one, 1, now + MOTION_END_MS / 2);
	CHECK(mo.active);
	motion_expire(&mo, now + MOTION_END_MS - 1);
	CHECK(mo.active);
	motion_expire(&mo, now + MOTION_END_MS);
	CHECK(!mo.active);
	refresh[5] = 0;

	/* --lossless: never. */
	motion_free(&mo);
	motion_init(&mo, true);
	for (int i = 0; i < 10; i++, now += 33)
		lossy_update(&mo, &cur, square, 4, now);
	CHECK(!mo.active);
	motion_free(&mo);
	image_free(&cur);
}

int
main(void)
{
	test_codec();
	test_hostile();
	test_paint_part();
	test_region();
	return test_done();
}
