/* SPDX-License-Identifier: Apache-2.0 */
/* picture.c - reading PPMs and measuring SSIM for the codec benchmark. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "picture.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fprintf(stderr, "codec_pick: out of memory\n");
		exit(1);
	}
	return p;
}

/* A binary PPM (P6, maxval 255) as written by ImageMagick. */
int
ppm_read(const char *path, struct picture *p)
{
	FILE *f = fopen(path, "rb");
	int maxval = 0;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	if (fscanf(f, "P6 %d %d %d", &p->w, &p->h, &maxval) != 3 || maxval != 255 ||
	    p->w <= 0 || p->h <= 0 || p->w > 16384 || p->h > 16384 || fgetc(f) == EOF) {
		fprintf(stderr, "%s: not an 8-bit binary PPM\n", path);
		fclose(f);
		return -1;
	}
	p->rgb = xmalloc((size_t)p->w * p->h * 3);
	if (fread(p->rgb, 3, (size_t)p->w * p->h, f) != (size_t)p->w * p->h) {
		fprintf(stderr, "%s: short\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

enum plane { PLANE_Y, PLANE_CB, PLANE_CR };

/* Full-range BT.601 (JFIF): the same for the metric and the VPX path. */
static void
to_plane(const struct picture *p, enum plane which, float *out)
{
	size_t n = (size_t)p->w * p->h;

	for (size_t i = 0; i < n; i++) {
		float r = p->rgb[3 * i], g = p->rgb[3 * i + 1], b = p->rgb[3 * i + 2];

		if (which == PLANE_Y)
			out[i] = 0.299f * r + 0.587f * g + 0.114f * b;
		else if (which == PLANE_CB)
			out[i] = 128.0f - 0.168736f * r - 0.331264f * g + 0.5f * b;
		else
			out[i] = 128.0f + 0.5f * r - 0.418688f * g - 0.081312f * b;
	}
}

enum { SSIM_TAPS = 11 };

static float ssim_kernel[SSIM_TAPS];

void
ssim_init(void)
{
	double sum = 0;

	for (int i = 0; i < SSIM_TAPS; i++) {
		double d = i - SSIM_TAPS / 2;

		ssim_kernel[i] = (float)exp(-d * d / (2 * 1.5 * 1.5));
		sum += ssim_kernel[i];
	}
	for (int i = 0; i < SSIM_TAPS; i++)
		ssim_kernel[i] = (float)(ssim_kernel[i] / sum);
}

/* Mean SSIM of two planes over every 11x11 window that fits. */
static double
ssim_plane(const float *a, const float *b, int w, int h)
{
	int ow = w - SSIM_TAPS + 1, oh = h - SSIM_TAPS + 1;
	size_t tn = (size_t)ow * h;
	float *t = xmalloc(tn * 5 * sizeof(float));
	const double c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255);
	double sum = 0;

	/* Horizontal pass of a, b, a², b², ab; the vertical pass follows. */
	for (int y = 0; y < h; y++) {
		const float *ra = a + (size_t)y * w, *rb = b + (size_t)y * w;

		for (int x = 0; x < ow; x++) {
			float sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;

			for (int k = 0; k < SSIM_TAPS; k++) {
				float g = ssim_kernel[k], va = ra[x + k], vb = rb[x + k];

				sa += g * va;
				sb += g * vb;
				saa += g * va * va;
				sbb += g * vb * vb;
				sab += g * va * vb;
			}
			size_t i = (size_t)y * ow + x;

			t[i] = sa;
			t[tn + i] = sb;
			t[2 * tn + i] = saa;
			t[3 * tn + i] = sbb;
			t[4 * tn + i] = sab;
		}
	}
	/* Vertical pass a row at a time, so the inner loop runs along rows. */
	float *m = xmalloc((size_t)ow * 5 * sizeof(float));

	for (int y = 0; y < oh; y++) {
		memset(m, 0, (size_t)ow * 5 * sizeof(float));
		for (int k = 0; k < SSIM_TAPS; k++) {
			float g = ssim_kernel[k];

			for (int q = 0; q < 5; q++) {
				const float *row = t + q * tn + (size_t)(y + k) * ow;
				float *acc = m + (size_t)q * ow;

				for (int x = 0; x < ow; x++)
					acc[x] += g * row[x];
			}
		}
		for (int x = 0; x < ow; x++) {
			double ma = m[x], mb = m[ow + x];
			double va = m[2 * ow + x] - ma * ma, vb = m[3 * ow + x] - mb * mb;
			double cov = m[4 * ow + x] - ma * mb;

			sum += ((2 * ma * mb + c1) * (2 * cov + c2)) /
			    ((ma * ma + mb * mb + c1) * (va + vb + c2));
		}
	}
	free(m);
	free(t);
	return sum / ((double)ow * oh);
}

/* Luma SSIM into *y, mean of Cb and Cr SSIM into *c. */
void
ssim_rgb(const struct picture *orig, const struct picture *got, double *y, double *c)
{
	size_t n = (size_t)orig->w * orig->h;
	float *a = xmalloc(n * sizeof(float)), *b = xmalloc(n * sizeof(float));

	to_plane(orig, PLANE_Y, a);
	to_plane(got, PLANE_Y, b);
	*y = ssim_plane(a, b, orig->w, orig->h);
	to_plane(orig, PLANE_CB, a);
	to_plane(got, PLANE_CB, b);
	*c = ssim_plane(a, b, orig->w, orig->h) / 2;
	to_plane(orig, PLANE_CR, a);
	to_plane(got, PLANE_CR, b);
	*c += ssim_plane(a, b, orig->w, orig->h) / 2;
	free(a);
	free(b);
}
