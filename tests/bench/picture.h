/* SPDX-License-Identifier: Apache-2.0 */
/*
 * picture.h - the pictures the codec benchmark reads (binary PPM) and the
 * SSIM it measures them with (tests/bench/codec_pick.c).
 */
#ifndef BENCH_PICTURE_H
#define BENCH_PICTURE_H

#include <stddef.h>
#include <stdint.h>

struct picture {
	int w, h;
	uint8_t *rgb;           /* w * h * 3, rows packed */
};

/* malloc, or exit with a message: a benchmark has no way on without it */
void *xmalloc(size_t n);
/* A binary PPM (P6, maxval 255): 0, or -1 (said on stderr). */
int ppm_read(const char *path, struct picture *p);
/* Once, before ssim_rgb. */
void ssim_init(void);
/* Mean SSIM of luma (*y) and of Cb and Cr averaged (*c): Gaussian 11x11
 * window, sigma 1.5, K1 0.01, K2 0.03, over the windows that fit. */
void ssim_rgb(const struct picture *orig, const struct picture *got, double *y, double *c);

#endif
