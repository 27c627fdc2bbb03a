/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vp9_decode.c - the viewer's CPU for a VP9 region: a 640x360 region (10 x
 * 6 tiles) panning for FRAMES frames, decoded through the codec as the
 * viewer does, with the mask painting no tile, 4 tiles, or all 60. The
 * masks are each other's peers: what the decoding costs alone, and what
 * painting adds. Built against an older tree, the same source measures
 * the change between the two (docs/benchmarks.md).
 *
 *   vp9_decode [rounds]   prints "vp9_decode: MASK = N us/frame" lines,
 *                         the median of the rounds, in process CPU time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "codec.h"
#include "image.h"
#include "vp9_stream.h"

enum { W = 640, H = 360, COLS = 10, ROWS = 6, FRAMES = 120, ROUNDS_DEFAULT = 7 };

/* The tile bytes of one frame, for each mask. */
struct frame {
	uint8_t *tile[3];
	size_t len[3];
};

static const char *const mask_names[3] = { "none", "4 tiles", "all 60 tiles" };

static void
pan(struct image *img, unsigned frame)
{
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			unsigned px = x + frame * 3;
			unsigned r = 128 + (unsigned)(100 * sin(px / 23.0)), g = y * 255 / H;
			unsigned b = 128 + (unsigned)(90 * cos((px + 2 * y) / 31.0));

			img->px[(size_t)y * W + x] = r << 16 | g << 8 | b;
		}
}

/* Mask m: 0 none, 1 four tiles apart (two of them at the edges), 2 all. */
static void
mask_of(unsigned m, uint8_t mask[8])
{
	static const unsigned four[] = { 0, 13, 36, 59 };

	memset(mask, 0, 8);
	if (m == 2) {
		memset(mask, 0xFF, 7);
		mask[7] = 0xF0;         /* 60 bits */
	} else if (m == 1) {
		for (unsigned i = 0; i < 4; i++)
			mask[four[i] / 8] |= (uint8_t)(0x80 >> four[i] % 8);
	}
}

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : ROUNDS_DEFAULT;
	static struct frame frames[FRAMES];
	struct vp9_enc *enc = vp9_enc_new(W, H);
	struct image src, out;
	double us[3][64];

	if (rounds < 1 || rounds > 64 || enc == NULL || image_init(&src, W, H) != 0 ||
	    image_init(&out, W, H) != 0) {
		fprintf(stderr, "vp9_decode: cannot start\n");
		return 1;
	}
	for (unsigned f = 0; f < FRAMES; f++) {
		const uint8_t *p;
		size_t len;

		pan(&src, f);
		if (vp9_enc_frame(enc, &src, 0, 0, f == 0, 75, &p, &len) != 0) {
			fprintf(stderr, "vp9_decode: frame %u not encoded\n", f);
			return 1;
		}
		for (unsigned m = 0; m < 3; m++) {
			uint8_t *t = malloc(len + 32);
			size_t n = 0;

			if (t == NULL)
				return 1;
			t[n++] = 0;     /* where: tile 0 */
			t[n++] = CODEC_VP9;
			t[n++] = COLS - 1;
			t[n++] = ROWS - 1;
			t[n++] = f == 0 ? CODEC_VP9_KEY : 0;
			mask_of(m, t + n);
			n += 8;
			n += buf_var32_pack(t + n, (uint32_t)len);
			memcpy(t + n, p, len);
			frames[f].tile[m] = t;
			frames[f].len[m] = n + len;
		}
	}
	/* Rounds alternate the masks, so that other work on the machine
	 * falls on all of them alike. */
	for (int r = 0; r < rounds; r++)
		for (unsigned m = 0; m < 3; m++) {
			struct codec_dec *d = codec_dec_new();
			double t0;

			if (d == NULL)
				return 1;
			t0 = cpu_now();
			for (unsigned f = 0; f < FRAMES; f++) {
				codec_dec_begin(d);
				if (codec_decode_tiles(d, frames[f].tile[m], frames[f].len[m],
				    &out) != 0) {
					fprintf(stderr, "vp9_decode: frame %u refused\n", f);
					return 1;
				}
			}
			us[m][r] = (cpu_now() - t0) / FRAMES * 1e6;
			codec_dec_free(d);
		}
	for (unsigned m = 0; m < 3; m++) {
		qsort(us[m], (size_t)rounds, sizeof(us[m][0]), cmp_double);
		printf("vp9_decode: %s = %.0f us/frame\n", mask_names[m], us[m][rounds / 2]);
	}
	for (unsigned f = 0; f < FRAMES; f++)
		for (unsigned m = 0; m < 3; m++)
			free(frames[f].tile[m]);
	image_free(&src);
	image_free(&out);
	vp9_enc_free(enc);
	return 0;
}
