/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_codec.c - tile codec round trips and rejections, the master's test
 * pattern and the viewer's PPM recorder.
 */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "codec.h"
#include "zstream.h"
#include "limits.h"
#include "test.h"

/* Not in libproto: built into this test directly. */
#include "../../master/pattern.c"
#include "../../viewer/recording.c"

#define PARTS_MAX 256

struct part {
	uint8_t *z;             /* the tiles as a viewer receives them: on a stream */
	size_t zlen, raw_len;
	uint8_t *raw;           /* the tiles */
	bool last;
};

struct parts {
	struct part p[PARTS_MAX];
	size_t n;
	size_t part_max;        /* tile bytes */
	bool bad;               /* a part over part_max, or a late "last" */
	struct zs_enc *zs;      /* restarted with the first part, as for a key frame */
};

/* Collects the parts of an update, compressed as the master would, on one
 * stream: decode part i with codec_decode(d, i == 0, ...). */
static int
collect(void *arg, const uint8_t *raw, size_t raw_len, bool last)
{
	struct parts *ps = arg;
	struct part *p;
	struct buf z;
	int r;

	if (ps->n == PARTS_MAX)
		return ERR_LIMIT;
	if (raw_len > ps->part_max || (ps->n > 0 && ps->p[ps->n - 1].last))
		ps->bad = true;
	if (ps->zs == NULL && (ps->zs = zs_enc_new(3)) == NULL)
		return ERR_NOMEM;
	buf_init(&z, zs_enc_bound(raw_len));
	if ((r = zs_enc_part(ps->zs, ps->n == 0, raw, raw_len, &z)) != 0) {
		buf_release(&z);
		return r;
	}
	p = &ps->p[ps->n++];
	p->z = malloc(buf_len(&z) + 1);
	p->raw = malloc(raw_len + 1);
	if (p->z == NULL || p->raw == NULL) {
		buf_release(&z);
		return ERR_NOMEM;
	}
	memcpy(p->z, buf_ptr(&z), buf_len(&z));
	memcpy(p->raw, raw, raw_len);
	p->zlen = buf_len(&z);
	p->raw_len = raw_len;
	p->last = last;
	buf_release(&z);
	return 0;
}

static void
parts_free(struct parts *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->p[i].z);
		free(ps->p[i].raw);
	}
	ps->n = 0;
	zs_enc_free(ps->zs);
	ps->zs = NULL;
}

static uint32_t rng = 12345;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void
image_copy(struct image *dst, const struct image *src)
{
	memcpy(dst->px, src->px, (size_t)src->w * src->h * sizeof(*src->px));
}

static bool
image_same(const struct image *a, const struct image *b)
{
	return a->w == b->w && a->h == b->h &&
	    memcmp(a->px, b->px, (size_t)a->w * a->h * sizeof(*a->px)) == 0;
}

/* Encode cur against prev and decode the parts onto a copy of prev. */
static bool
round_trip(const struct image *cur, const struct image *prev, size_t part_max,
    size_t *n_tiles, size_t *n_parts)
{
	struct codec_enc *e = codec_enc_new();
	struct codec_dec *d = codec_dec_new();
	struct parts ps = { .part_max = part_max };
	struct image out = { 0 };
	bool ok = false;
	size_t i, tiles = 0;

	if (e == NULL || d == NULL || image_init(&out, cur->w, cur->h) != 0)
		goto done;
	if (prev != NULL)
		image_copy(&out, prev);
	if (codec_encode(e, cur, prev, part_max, collect, &ps, &tiles) != 0 || ps.bad)
		goto done;
	if (ps.n > 0 && !ps.p[ps.n - 1].last)
		goto done;
	for (i = 0; i < ps.n; i++)
		if (codec_decode(d, i == 0, ps.p[i].z, ps.p[i].zlen, ps.p[i].raw_len, &out) != 0)
			goto done;
	ok = image_same(&out, cur);
done:
	if (n_tiles != NULL)
		*n_tiles = tiles;
	if (n_parts != NULL)
		*n_parts = ps.n;
	parts_free(&ps);
	image_free(&out);
	codec_enc_free(e);
	codec_dec_free(d);
	return ok;
}

/* Fill with colours drawn from the first n of a fixed list (n = 0: any). */
static void
fill_random(struct image *img, unsigned n)
{
	size_t i;

	for (i = 0; i < (size_t)img->w * img->h; i++)
		img->px[i] = n == 0 ? rnd() & 0xFFFFFF : (rnd() % n) * 0x0F0D0B + 0x010203;
}

static void
test_round_trips(void)
{
	static const unsigned sizes[][2] = {
		{ 130, 67 }, { 1, 1 }, { 64, 64 }, { 65, 65 }, { 1, 200 }, { 200, 1 },
		{ 67, 3 }, { 127, 129 },
	};
	static const unsigned colours[] = { 0, 1, 2, 3, 4, 5, 16, 17 };
	struct image img;
	size_t s, c, tiles, parts;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		if (image_init(&img, (uint16_t)sizes[s][0], (uint16_t)sizes[s][1]) != 0)
			TEST_BAIL("image_init");
		for (c = 0; c < sizeof(colours) / sizeof(colours[0]); c++) {
			fill_random(&img, colours[c]);
			if (!CHECK(round_trip(&img, NULL, 256 << 10, &tiles, &parts)))
				printf("#   %ux%u, %u colours\n", sizes[s][0], sizes[s][1],
				    colours[c]);
		}
		image_free(&img);
	}

	/* A gradient: more than 16 colours in every tile. */
	if (image_init(&img, 1280, 720) != 0)
		TEST_BAIL("image_init");
	for (s = 0; s < (size_t)img.w * img.h; s++)
		img.px[s] = (uint32_t)((s % img.w) * 255 / img.w) << 16 |
		    (uint32_t)((s / img.w) * 255 / img.h) << 8 | 0x40;
	CHECK(round_trip(&img, NULL, 256 << 10, &tiles, &parts));
	CHECK(tiles == 20 * 12);
	/* The top byte is not sent: it comes back 0. */
	img.px[0] |= 0xFF000000;
	CHECK(!round_trip(&img, NULL, 256 << 10, NULL, NULL));
	image_free(&img);
}

static void
test_diff(void)
{
	struct image a, b;
	size_t tiles = 99, parts = 99;

	if (image_init(&a, 130, 67) != 0 || image_init(&b, 130, 67) != 0)
		TEST_BAIL("image_init");
	fill_random(&a, 0);
	image_copy(&b, &a);
	/* Nothing changed: no tile and no part at all. */
	CHECK(round_trip(&b, &a, 256 << 10, &tiles, &parts));
	CHECK(tiles == 0 && parts == 0);
	/* One pixel in tile (0,0), one in the edge tile (2,1), two in (1,0). */
	b.px[5 * 130 + 5] ^= 1;
	b.px[66 * 130 + 129] ^= 0x10000;
	b.px[3 * 130 + 64] ^= 7;
	b.px[63 * 130 + 127] ^= 7;
	CHECK(round_trip(&b, &a, 256 << 10, &tiles, &parts));
	CHECK(tiles == 3 && parts == 1);
	/* Against no base every tile is sent. */
	CHECK(round_trip(&b, NULL, 256 << 10, &tiles, &parts));
	CHECK(tiles == 6);
	image_free(&a);
	image_free(&b);
}

static void
test_parts(void)
{
	struct codec_enc *e = codec_enc_new();
	struct parts ps = { .part_max = 1000 };
	struct image img;
	size_t tiles = 0, parts = 0;

	if (e == NULL || image_init(&img, 300, 300) != 0)
		TEST_BAIL("setup");
	fill_random(&img, 0);
	/* Noise does not compress: about three RAW tiles per part. */
	CHECK(round_trip(&img, NULL, 40000, &tiles, &parts));
	CHECK(tiles == 25 && parts >= 8);
	if (!CHECK(round_trip(&img, NULL, ZSTD_compressBound(MSG_TILE_LEN * MSG_TILE_LEN * 3 + 5),
	    &tiles, &parts)))
		printf("#   one tile per part\n");
	CHECK(parts == 25);
	/* A single RAW tile cannot fit 1000 bytes. */
	CHECK_ERR(codec_encode(e, &img, NULL, 1000, collect, &ps, &tiles), ERR_TOO_LARGE);
	parts_free(&ps);
	/* Solid tiles pack densely. */
	memset(img.px, 0, (size_t)img.w * img.h * sizeof(*img.px));
	CHECK(round_trip(&img, NULL, 1000, &tiles, &parts));
	CHECK(tiles == 25 && parts == 1);
	image_free(&img);
	codec_enc_free(e);
}

/* Compress hand-made tile bytes and decode them onto a 130x67 image. */
static int decode_raw(const uint8_t *raw, size_t n, long raw_len_delta);
static bool walk_tiles(const uint8_t *p, size_t n, const struct image *img, unsigned kinds[4],
    long *last);

/* Text-like content: dark glyph strokes on a light background, no two lines alike. */
static void
fill_text(struct image *img, unsigned line_h)
{
	for (unsigned y = 0; y < img->h; y++)
		for (unsigned x = 0; x < img->w; x++) {
			unsigned line = y / line_h, col = x / 7;
			uint32_t seed = line * 2654435761u ^ col * 40503u;

			img->px[(size_t)y * img->w + x] = (y % line_h) > 2 &&
			    ((seed >> (x % 7 + y % line_h)) & 1) ? 0x202020 : 0xF0F0E8;
		}
}

/* Scrolled text becomes COPY tiles: exact, and far smaller than pixels. */
static void
test_scroll(void)
{
	struct image a, b, big, out;
	struct codec_enc *e = codec_enc_new();
	struct codec_dec *d = codec_dec_new();
	struct parts ps = { .part_max = 1 << 20 };
	size_t tiles, scrolled = 0, full = 0, i;
	bool ok = true;

	if (e == NULL || d == NULL || image_init(&a, 640, 480) != 0 ||
	    image_init(&b, 640, 480) != 0 || image_init(&big, 640, 480 + 13) != 0 ||
	    image_init(&out, 640, 480) != 0)
		TEST_BAIL("setup");
	fill_text(&big, 13);
	memcpy(a.px, big.px, (size_t)640 * 480 * 4);            /* lines 0.. */
	memcpy(b.px, big.px + 640 * 13, (size_t)640 * 480 * 4); /* one line further */
	CHECK(codec_encode(e, &b, &a, ps.part_max, collect, &ps, &tiles) == 0);
	for (i = 0; i < ps.n; i++)
		scrolled += ps.p[i].zlen;
	image_copy(&out, &a);
	codec_dec_begin(d);
	for (i = 0; i < ps.n; i++)
		ok &= codec_decode(d, i == 0, ps.p[i].z, ps.p[i].zlen, ps.p[i].raw_len, &out) == 0;
	CHECK(ok && image_same(&out, &b));
	parts_free(&ps);
	CHECK(codec_encode(e, &b, NULL, ps.part_max, collect, &ps, &tiles) == 0);
	for (i = 0; i < ps.n; i++)
		full += ps.p[i].zlen;
	parts_free(&ps);
	printf("# scroll by one 13-px line of 640x480 text: %zu bytes, key frame %zu bytes\n",
	    scrolled, full);
	CHECK(scrolled * 5 < full);

	/* A decoder refuses a COPY after a painted tile, or from outside. */
	{
		static const uint8_t solid_then_copy[] = {
			0x00, CODEC_SOLID, 1, 2, 3,
			0x00, CODEC_COPY, 0, 0, 0, 0,
		};
		static const uint8_t copy_outside[] = {
			0x00, CODEC_COPY, 0, 0, 0, 60,
		};
		static const uint8_t copy_ok[] = {
			0x02, CODEC_COPY, 0, 0, 0, 3,
		};

		CHECK_ERR(decode_raw(solid_then_copy, sizeof(solid_then_copy), 0), ERR_FORMAT);
		CHECK_ERR(decode_raw(copy_outside, sizeof(copy_outside), 0), ERR_FORMAT);
		CHECK_ERR(decode_raw(copy_ok, sizeof(copy_ok), 0), 0);
	}
	image_free(&a);
	image_free(&b);
	image_free(&big);
	image_free(&out);
	codec_enc_free(e);
	codec_dec_free(d);
}

/* Encode b against a (with the moves given) and decode onto a copy of a:
 * the compressed size, or 0 when the result is not exactly b. */
static size_t
moved_round_trip(const struct image *a, const struct image *b, const struct codec_move *mv,
    unsigned n_mv, size_t *copies)
{
	struct codec_enc *e = codec_enc_new();
	struct codec_dec *d = codec_dec_new();
	struct parts ps = { .part_max = 1 << 20 };
	struct image out = { 0 };
	size_t tiles, bytes = 0, i;
	bool ok = e != NULL && d != NULL && image_init(&out, a->w, a->h) == 0;

	if (ok) {
		codec_enc_moves(e, mv, n_mv);
		ok = codec_encode(e, b, a, ps.part_max, collect, &ps, &tiles) == 0;
	}
	if (ok) {
		image_copy(&out, a);
		codec_dec_begin(d);
		for (i = 0; i < ps.n && ok; i++) {
			ok = codec_decode(d, i == 0, ps.p[i].z, ps.p[i].zlen, ps.p[i].raw_len, &out) == 0;
			bytes += ps.p[i].zlen;
		}
		ok = ok && image_same(&out, b);
	}
	*copies = 0;
	/* Count the COPY tiles by decompressing what was sent. */
	for (i = 0; i < ps.n && ok; i++) {
		const uint8_t *raw = ps.p[i].raw;
		size_t at = 0;

		/* COPY tiles come first (head: var where, kind; 4 bytes); count those. */
		for (;;) {
			size_t k = at;

			while (k < ps.p[i].raw_len && (raw[k] & 0x80))
				k++;
			if (k + 1 >= ps.p[i].raw_len || raw[k + 1] != CODEC_COPY)
				break;
			(*copies)++;
			at = k + 2 + 4;
		}
	}
	parts_free(&ps);
	image_free(&out);
	codec_enc_free(e);
	codec_dec_free(d);
	return ok ? bytes : 0;
}

/* A typed character changes a few pixels of a tile: only that rectangle
 * travels (CODEC_PART), exactly; a decoder refuses rectangles outside. */
static void
test_changed_rect(void)
{
	struct image a, b;
	size_t trimmed, copies, whole = 0;
	struct parts ps = { .part_max = 1 << 20 };
	struct codec_enc *e = codec_enc_new();
	size_t tiles;

	if (e == NULL || image_init(&a, 640, 480) != 0 || image_init(&b, 640, 480) != 0)
		TEST_BAIL("setup");
	fill_text(&a, 13);
	image_copy(&b, &a);
	/* A 6x13 glyph and a moved 6x13 cursor block across a tile border. */
	for (unsigned y = 200; y < 213; y++)
		for (unsigned x = 186; x < 198; x++)
			b.px[(size_t)y * 640 + x] = x < 192 ? ((x ^ y) & 1 ? 0x202020 : 0xF0F0E8)
			    : 0x000000;
	trimmed = moved_round_trip(&a, &b, NULL, 0, &copies);
	CHECK(trimmed > 0);
	/* The same two tiles whole, as a viewer without the base gets them. */
	{
		uint8_t mask[(640 / 64) * (480 / 64 + 1)];

		image_changed(&b, &a, NULL, mask);
		CHECK(codec_encode_tiles(e, &b, mask, ps.part_max, collect, &ps, &tiles) == 0);
		CHECK(tiles == 2);
		for (size_t i = 0; i < ps.n; i++)
			whole += ps.p[i].zlen;
		parts_free(&ps);
	}
	printf("# a typed character over two tiles: %zu bytes as rectangles, %zu as tiles\n",
	    trimmed, whole);
	CHECK(trimmed * 2 < whole);
	{
		/* Tile (0,0) of the 130x67 test image is 64x64; (2,1) is 2x3. */
		static const uint8_t part_ok[] = { 0x00, CODEC_SOLID | CODEC_PART,
			60, 60, 3, 3, 1, 2, 3 };
		static const uint8_t part_wide[] = { 0x00, CODEC_SOLID | CODEC_PART,
			60, 0, 4, 0, 1, 2, 3 };
		static const uint8_t part_edge[] = { 0x0A, CODEC_SOLID | CODEC_PART,
			1, 0, 1, 0, 1, 2, 3 };
		static const uint8_t part_edge_ok[] = { 0x0A, CODEC_SOLID | CODEC_PART,
			1, 2, 0, 0, 1, 2, 3 };
		static const uint8_t part_copy[] = { 0x02, CODEC_COPY | CODEC_PART,
			0, 0, 0, 0, 0, 0, 0, 3 };
		static const uint8_t part_short[] = { 0x00, CODEC_SOLID | CODEC_PART,
			0, 0, 0 };
		/* A 2-colour palette over a 9x2 rectangle: rows of two bytes. */
		static const uint8_t part_pal[] = { 0x00, CODEC_PALETTE | CODEC_PART,
			3, 4, 8, 1, 2, 0, 0, 0, 255, 255, 255, 0xAA, 0x80, 0x55, 0x00 };

		CHECK_ERR(decode_raw(part_ok, sizeof(part_ok), 0), 0);
		CHECK_ERR(decode_raw(part_wide, sizeof(part_wide), 0), ERR_FORMAT);
		CHECK_ERR(decode_raw(part_edge, sizeof(part_edge), 0), ERR_FORMAT);
		CHECK_ERR(decode_raw(part_edge_ok, sizeof(part_edge_ok), 0), 0);
		CHECK_ERR(decode_raw(part_copy, sizeof(part_copy), 0), ERR_FORMAT);
		CHECK_ERR(decode_raw(part_short, sizeof(part_short), 0), ERR_FORMAT);
		CHECK_ERR(decode_raw(part_pal, sizeof(part_pal), 0), 0);
		CHECK_ERR(decode_raw(part_pal, sizeof(part_pal) - 1, 0), ERR_FORMAT);
	}
	image_free(&a);
	image_free(&b);
	codec_enc_free(e);
}

/* Screens one pixel tall or wide (an XRandR monitor can be any shape):
 * scroll detection still ends and the round trip is exact. */
static void
test_thin(void)
{
	static const uint16_t dims[][2] = { { 500, 1 }, { 1, 500 }, { 8192, 1 }, { 1, 2 } };

	for (size_t k = 0; k < sizeof(dims) / sizeof(dims[0]); k++) {
		struct image a, b;

		if (image_init(&a, dims[k][0], dims[k][1]) != 0 ||
		    image_init(&b, dims[k][0], dims[k][1]) != 0)
			TEST_BAIL("setup");
		fill_random(&a, 3);
		fill_random(&b, 3);
		CHECK(round_trip(&b, &a, 1 << 20, NULL, NULL));
		image_free(&a);
		image_free(&b);
	}
}

/* Anti-aliased text has dozens of shades per tile: up to 255 colours
 * travel as a palette with byte indices, a third of RAW's size. */
static void
test_shades(void)
{
	struct image img, out;
	struct codec_enc *e = codec_enc_new();
	struct codec_dec *d = codec_dec_new();
	struct parts ps = { .part_max = 1 << 20 };
	unsigned kinds[4] = { 0 };
	long last = -1;
	size_t tiles;

	if (e == NULL || d == NULL || image_init(&img, 64, 64) != 0 ||
	    image_init(&out, 64, 64) != 0)
		TEST_BAIL("setup");
	for (unsigned i = 0; i < 64 * 64; i++)
		img.px[i] = (rnd() % 200) * 0x010101;     /* 200 greys */
	CHECK(codec_encode(e, &img, NULL, ps.part_max, collect, &ps, &tiles) == 0 && ps.n == 1);
	CHECK(walk_tiles(ps.p[0].raw, ps.p[0].raw_len, &img, kinds, &last));
	CHECK(kinds[CODEC_PALETTE] == 1);
	CHECK(ps.p[0].raw_len == 2 + 1 + 200 * 3 + 64 * 64);
	codec_dec_begin(d);
	CHECK(codec_decode(d, true, ps.p[0].z, ps.p[0].zlen, ps.p[0].raw_len, &out) == 0);
	CHECK(image_same(&out, &img));
	parts_free(&ps);
	/* 256 colours: RAW again. */
	for (unsigned i = 0; i < 64 * 64; i++)
		img.px[i] = (i % 256) * 0x010101;
	CHECK(codec_encode(e, &img, NULL, ps.part_max, collect, &ps, &tiles) == 0 && ps.n == 1);
	CHECK(ps.p[0].raw_len == 2 + 64 * 64 * 3);
	parts_free(&ps);
	image_free(&img);
	image_free(&out);
	codec_enc_free(e);
	codec_dec_free(d);
}

/* A window dragged sideways and down: with the move as a hint its inner
 * tiles are COPY tiles and the update is far smaller; without, none are;
 * a wrong hint changes nothing but the time. */
static void
test_move(void)
{
	struct image a, b, win;
	struct codec_move right = { 24, 8 }, wrong = { -5, 3 }, both[2] = { { -5, 3 }, { 24, 8 } };
	size_t with, without, copies_with, copies_without, copies_wrong;

	if (image_init(&a, 640, 480) != 0 || image_init(&b, 640, 480) != 0 ||
	    image_init(&win, 300, 200) != 0)
		TEST_BAIL("setup");
	for (size_t i = 0; i < (size_t)640 * 480; i++)
		a.px[i] = b.px[i] = 0x336699;
	fill_text(&win, 13);
	for (unsigned y = 0; y < 200; y++) {
		memcpy(a.px + (size_t)(100 + y) * 640 + 50, win.px + (size_t)y * 300, 300 * 4);
		memcpy(b.px + (size_t)(108 + y) * 640 + 74, win.px + (size_t)y * 300, 300 * 4);
	}
	with = moved_round_trip(&a, &b, &right, 1, &copies_with);
	without = moved_round_trip(&a, &b, NULL, 0, &copies_without);
	CHECK(with > 0 && without > 0);
	CHECK(moved_round_trip(&a, &b, &wrong, 1, &copies_wrong) == without);
	CHECK(copies_wrong == 0 && copies_without == 0);
	CHECK(moved_round_trip(&a, &b, both, 2, &copies_wrong) == with);
	printf("# 300x200 window moved by (24, 8): %zu bytes with the move (%zu COPY tiles), "
	    "%zu without\n", with, copies_with, without);
	CHECK(copies_with >= 6);
	CHECK(with * 3 < without);
	image_free(&a);
	image_free(&b);
	image_free(&win);
}

static int
decode_raw(const uint8_t *raw, size_t n, long raw_len_delta)
{
	struct codec_dec *d = codec_dec_new();
	struct image img;
	size_t cap = ZSTD_compressBound(n), zlen;
	uint8_t *z = malloc(cap);
	int r;

	if (d == NULL || z == NULL || image_init(&img, 130, 67) != 0)
		TEST_BAIL("setup");
	zlen = ZSTD_compress(z, cap, raw, n, 3);
	if (ZSTD_isError(zlen))
		TEST_BAIL("ZSTD_compress");
	r = codec_decode(d, true, z, zlen, (size_t)((long)n + raw_len_delta), &img);
	free(z);
	image_free(&img);
	codec_dec_free(d);
	return r;
}

static void
test_bad_streams(void)
{
	/*
	 * The 130x67 test image has 3x2 tiles, numbered 0..5 row by row. A
	 * tile's head is zigzag(index - (previous index + 1)): the first tile
	 * of an update at index k is 2k; tile (2,1) is index 5: 0x0A.
	 */
	static const uint8_t solid[] = { 0x0A, CODEC_SOLID, 1, 2, 3 };
	static const uint8_t solid_past[] = { 0x0C, CODEC_SOLID, 1, 2, 3 };    /* index 6 */
	static const uint8_t solid_before[] = { 0x01, CODEC_SOLID, 1, 2, 3 };  /* index -1 */
	static const uint8_t solid_long[] = { 0x8A, 0x00, CODEC_SOLID, 1, 2, 3 }; /* not shortest */
	static const uint8_t solid_short[] = { 0x00, CODEC_SOLID, 1, 2 };
	static const uint8_t trailing[] = { 0x00, CODEC_SOLID, 1, 2, 3, 0 };
	static const uint8_t kind0[] = { 0x00, 0, 1, 2, 3 };
	static const uint8_t kind4[] = { 0x00, 4, 1, 2, 3 };
	/* Two tiles: 0, then 1 (the next: 0x00), then back to 0 (-2: 0x03). */
	static const uint8_t three[] = { 0x00, CODEC_SOLID, 1, 2, 3, 0x00, CODEC_SOLID, 4, 5, 6,
		0x03, CODEC_SOLID, 7, 8, 9 };
	/* Edge tile (2,1) is 2x3 pixels: palette rows are one byte each. */
	static const uint8_t pal3[] = { 0x0A, CODEC_PALETTE, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3,
	    0x40, 0x80, 0x00 };
	static const uint8_t pal3_idx3[] = { 0x0A, CODEC_PALETTE, 3, 1, 1, 1, 2, 2, 2,
	    3, 3, 3, 0x40, 0xC0, 0x00 };
	static const uint8_t pal3_short[] = { 0x0A, CODEC_PALETTE, 3, 1, 1, 1, 2, 2, 2,
	    3, 3, 3, 0x40, 0x80 };
	static const uint8_t pal1[] = { 0x0A, CODEC_PALETTE, 1, 1, 1, 1, 0, 0, 0 };
	static const uint8_t pal0[] = { 0x0A, CODEC_PALETTE, 0, 0, 0, 0 };
	uint8_t pal17[2 + 1 + 17 * 3 + 3 * 2];
	uint8_t raw[2 + 2 * 3 * 3];
	uint8_t z[256];
	struct codec_dec *d = codec_dec_new();
	struct image img;
	size_t zlen;

	if (d == NULL || image_init(&img, 130, 67) != 0)
		TEST_BAIL("setup");
	CHECK_ERR(decode_raw(solid, sizeof(solid), 0), 0);
	CHECK_ERR(decode_raw(pal3, sizeof(pal3), 0), 0);
	CHECK_ERR(decode_raw(solid_past, sizeof(solid_past), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(solid_before, sizeof(solid_before), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(solid_long, sizeof(solid_long), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(three, sizeof(three), 0), 0);
	CHECK_ERR(decode_raw(solid_short, sizeof(solid_short), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(solid, 1, 0), ERR_FORMAT);    /* a cut header */
	CHECK_ERR(decode_raw(trailing, sizeof(trailing), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(kind0, sizeof(kind0), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(kind4, sizeof(kind4), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(pal3_idx3, sizeof(pal3_idx3), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(pal3_short, sizeof(pal3_short), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(pal1, sizeof(pal1), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(pal0, sizeof(pal0), 0), ERR_FORMAT);
	/* 17 colours take 8-bit indices: 2x3 of them, each below 17. */
	memset(pal17, 0, sizeof(pal17));
	memcpy(pal17, pal3, 2);
	pal17[2] = 17;
	CHECK_ERR(decode_raw(pal17, sizeof(pal17), 0), 0);
	pal17[sizeof(pal17) - 1] = 17;
	CHECK_ERR(decode_raw(pal17, sizeof(pal17), 0), ERR_FORMAT);
	CHECK_ERR(decode_raw(pal17, sizeof(pal17) - 1, 0), ERR_FORMAT);
	/* RAW edge tile (2,1): 2x3 pixels; one byte short, one byte over. */
	memset(raw, 7, sizeof(raw));
	memcpy(raw, (const uint8_t[]){ 0x0A, CODEC_RAW }, 2);
	CHECK_ERR(decode_raw(raw, sizeof(raw), 0), 0);
	CHECK_ERR(decode_raw(raw, sizeof(raw) - 1, 0), ERR_FORMAT);
	/* raw_len that does not match the frame's content size */
	CHECK_ERR(decode_raw(solid, sizeof(solid), 1), ERR_FORMAT);
	CHECK_ERR(decode_raw(solid, sizeof(solid), -1), ERR_FORMAT);
	CHECK_ERR(decode_raw(solid, 0, 0), ERR_FORMAT); /* empty: never sent (msg.c refuses it too) */

	zlen = ZSTD_compress(z, sizeof(z), solid, sizeof(solid), 3);
	if (ZSTD_isError(zlen))
		TEST_BAIL("ZSTD_compress");
	CHECK_ERR(codec_decode(d, true, z, zlen, MSG_VIDEO_RAW_MAX_BYTES + 1, &img), ERR_TOO_LARGE);
	CHECK_ERR(codec_decode(d, true, z, 0, sizeof(solid), &img), ERR_FORMAT);
	CHECK(codec_decode(d, true, z, zlen - 1, sizeof(solid), &img) < 0);  /* cut frame */
	CHECK_ERR(codec_decode(d, true, z, zlen, sizeof(solid), &img), 0);
	CHECK(img.px[64 * 130 + 128] == 0x010203);
	/* Two frames back to back: only one is allowed. */
	memcpy(z + zlen, z, zlen);
	CHECK_ERR(codec_decode(d, true, z, 2 * zlen, sizeof(solid), &img), ERR_FORMAT);
	/* Garbage; a stream asking for a window over ZSTREAM_WINDOW_LOG. */
	memset(z, 0x5A, 64);
	CHECK(codec_decode(d, true, z, 64, sizeof(solid), &img) < 0);
	{
		ZSTD_CCtx *c = ZSTD_createCCtx();
		ZSTD_outBuffer out = { z, sizeof(z), 0 };
		ZSTD_inBuffer in = { solid, sizeof(solid), 0 };

		if (c == NULL ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog,
		    ZSTREAM_WINDOW_LOG + 1)))
			TEST_BAIL("zstd");
		if (ZSTD_compressStream2(c, &out, &in, ZSTD_e_flush) != 0)
			TEST_BAIL("zstd");
		CHECK_ERR(codec_decode(d, true, z, out.pos, sizeof(solid), &img), ERR_FORMAT);
		ZSTD_freeCCtx(c);
	}
	image_free(&img);
	codec_dec_free(d);
}

/* Walk a decompressed tile stream: count each kind; false if malformed. */
static bool
walk_tiles(const uint8_t *p, size_t n, const struct image *img, unsigned kinds[4], long *last)
{
	size_t off = 0;
	long idx = *last;       /* the update's tiles are numbered across its parts */
	unsigned tiles_x = (img->w + 63) / 64;

	while (off < n) {
		unsigned tx, ty, tw, th, bits, k, zz = 0, shift = 0;

		do {            /* var: zigzag(index - (previous + 1)) */
			if (off >= n || shift > 28)
				return false;
			zz |= (unsigned)(p[off] & 0x7F) << shift;
			shift += 7;
		} while (p[off++] & 0x80);
		idx += 1 + ((zz & 1) ? -(long)(zz / 2) - 1 : (long)(zz / 2));
		if (idx < 0 || off >= n)
			return false;
		*last = idx;
		tx = (unsigned)(idx % tiles_x);
		ty = (unsigned)(idx / tiles_x);
		k = p[off++];
		if (tx * 64 >= img->w || ty * 64 >= img->h || k < 1 || k > 3)
			return false;
		tw = img->w - tx * 64 < 64 ? img->w - tx * 64 : 64;
		th = img->h - ty * 64 < 64 ? img->h - ty * 64 : 64;
		kinds[k]++;
		if (k == CODEC_SOLID) {
			off += 3;
		} else if (k == CODEC_PALETTE) {
			if (off >= n)
				return false;
			bits = p[off] <= 2 ? 1 : p[off] <= 4 ? 2 : p[off] <= 16 ? 4 : 8;
			off += 1 + 3 * (size_t)p[off] + (size_t)th * ((tw * bits + 7) / 8);
		} else {
			off += (size_t)tw * th * 3;
		}
	}
	return off == n;
}

static void
test_pattern(void)
{
	const char *m = pattern_marker();
	struct codec_enc *e = codec_enc_new();
	struct parts ps = { .part_max = (256 << 10) - 80 };
	struct image a, b;
	unsigned kinds[4] = { 0 };
	size_t i, tiles, parts, raw_hits = 0, z_hits = 0;
	long last = -1;
	bool walk_ok = true;
	uint32_t f;

	CHECK(strcmp(m, "FERNSICHT-PLAINTEXT-MARKER") == 0);
	if (e == NULL || image_init(&a, 1280, 720) != 0 || image_init(&b, 1280, 720) != 0)
		TEST_BAIL("setup");
	pattern_draw(&a, 0);
	pattern_draw(&b, 0);
	CHECK(image_same(&a, &b));     /* a function of the frame number */
	pattern_draw(&b, 1);
	CHECK(!image_same(&a, &b));
	/* Consecutive frames differ in a few tiles only. */
	for (f = 1; f < 200; f++) {
		pattern_draw(&a, f - 1);
		pattern_draw(&b, f);
		if (!round_trip(&b, &a, 256 << 10, &tiles, &parts) || tiles < 1 || tiles > 4)
			break;
	}
	if (!CHECK(f == 200))
		printf("#   frame %u: %zu tiles\n", f, tiles);

	/* A key frame: every kind of tile, the marker inside the RAW bytes. */
	pattern_draw(&a, 7);
	if (codec_encode(e, &a, NULL, ps.part_max, collect, &ps, &tiles) != 0)
		TEST_BAIL("codec_encode");
	for (i = 0; i < ps.n; i++) {
		const uint8_t *raw = ps.p[i].raw;

		walk_ok &= walk_tiles(raw, ps.p[i].raw_len, &a, kinds, &last);
		raw_hits += memmem(raw, ps.p[i].raw_len, m, strlen(m)) != NULL;
		/*
		 * The integration scan looks for the marker in decrypted
		 * records, i.e. after zstd: the pattern keeps it literal.
		 */
		z_hits += memmem(ps.p[i].z, ps.p[i].zlen, m, strlen(m)) != NULL;
	}
	CHECK(walk_ok);
	CHECK(kinds[CODEC_SOLID] > 0 && kinds[CODEC_PALETTE] > 0 && kinds[CODEC_RAW] > 0);
	CHECK(raw_hits == 1);
	CHECK(z_hits == 1);
	parts_free(&ps);

	/* Each diff carries the marker too (the noise tile changes every frame). */
	pattern_draw(&b, 8);
	if (codec_encode(e, &b, &a, ps.part_max, collect, &ps, &tiles) != 0)
		TEST_BAIL("codec_encode");
	CHECK(ps.n == 1 && memmem(ps.p[0].z, ps.p[0].zlen, m, strlen(m)) != NULL);
	parts_free(&ps);

	/* Tiny screens draw without writing outside the image. */
	image_free(&a);
	if (image_init(&a, 1, 1) != 0)
		TEST_BAIL("image_init");
	pattern_draw(&a, 3);
	image_free(&a);
	if (image_init(&a, 70, 9) != 0)
		TEST_BAIL("image_init");
	pattern_draw(&a, 3);
	CHECK(round_trip(&a, NULL, 256 << 10, NULL, NULL));
	image_free(&a);
	image_free(&b);
	codec_enc_free(e);
}

/* The file is a P6 header for w x h, then w * h * 3 bytes matching img. */
static bool
ppm_ok(FILE *f, const struct image *img)
{
	unsigned w, h, max, i;
	int c;

	if (fscanf(f, "P6 %u %u %u", &w, &h, &max) != 3 || w != img->w || h != img->h ||
	    max != 255 || fgetc(f) != '\n')
		return false;
	for (i = 0; i < (unsigned)img->w * img->h; i++) {
		uint32_t px = 0;
		int k;

		for (k = 0; k < 3; k++) {
			if ((c = fgetc(f)) == EOF)
				return false;
			px = px << 8 | (uint32_t)c;
		}
		if (px != (img->px[i] & 0xFFFFFF))
			return false;
	}
	return true;
}

static void
test_record(void)
{
	char dir[] = "/tmp/test_codec.XXXXXX", path[256];
	struct recording r;
	struct image img;
	struct stat st;
	size_t hdr = strlen("P6\n130 67\n255\n");
	FILE *f;

	if (mkdtemp(dir) == NULL || image_init(&img, 130, 67) != 0)
		TEST_BAIL("setup");
	fill_random(&img, 0);

	/* A directory: one file per frame. */
	snprintf(path, sizeof(path), "%s/frames/", dir);
	CHECK_ERR(recording_open(&r, path), 0);
	CHECK_ERR(recording_frame(&r, &img, 17), 0);
	CHECK_ERR(recording_frame(&r, &img, 18), 0);
	recording_close(&r);
	snprintf(path, sizeof(path), "%s/frames/frame-000001.ppm", dir);
	CHECK(stat(path, &st) == 0 && (size_t)st.st_size == hdr + 130 * 67 * 3);
	if ((f = fopen(path, "rb")) != NULL) {
		CHECK(ppm_ok(f, &img));
		CHECK(fgetc(f) == EOF);
		fclose(f);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/frames/frame-000002.ppm", dir);
	CHECK(stat(path, &st) == 0 && (size_t)st.st_size == hdr + 130 * 67 * 3);
	unlink(path);
	/* An existing directory named without the slash. */
	snprintf(path, sizeof(path), "%s/frames", dir);
	CHECK_ERR(recording_open(&r, path), 0);
	CHECK_ERR(recording_frame(&r, &img, 1), 0);
	recording_close(&r);
	snprintf(path, sizeof(path), "%s/frames/frame-000001.ppm", dir);
	CHECK(stat(path, &st) == 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/frames", dir);
	rmdir(path);

	/* A file: the frames one after the other. */
	snprintf(path, sizeof(path), "%s/stream.ppm", dir);
	CHECK_ERR(recording_open(&r, path), 0);
	CHECK_ERR(recording_frame(&r, &img, 1), 0);
	CHECK_ERR(recording_frame(&r, &img, 2), 0);
	recording_close(&r);
	CHECK(stat(path, &st) == 0 && (size_t)st.st_size == 2 * (hdr + 130 * 67 * 3));
	if ((f = fopen(path, "rb")) != NULL) {
		CHECK(ppm_ok(f, &img) && ppm_ok(f, &img));
		CHECK(fgetc(f) == EOF);
		fclose(f);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/no/such/dir/file", dir);
	CHECK(recording_open(&r, path) != 0);
	rmdir(dir);
	image_free(&img);
}

int
main(void)
{
	test_scroll();
	test_move();
	test_shades();
	test_thin();
	test_changed_rect();
	test_round_trips();
	test_diff();
	test_parts();
	test_bad_streams();
	test_pattern();
	test_record();
	return test_done();
}
