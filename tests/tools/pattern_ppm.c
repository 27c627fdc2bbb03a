/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pattern_ppm - the master's test pattern, drawn independently of any
 * session, to check what a viewer decoded.
 *
 *   pattern_ppm W H N            write pattern frame N as a binary PPM
 *   pattern_ppm --match FILE MAX print the N < MAX whose frame equals the
 *                                PPM in FILE exactly; exit 1 when none does
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "pattern.h"

static int
read_ppm(const char *path, struct image *img)
{
	FILE *f = fopen(path, "rb");
	unsigned w, h, maxval;
	int c;

	if (f == NULL || fscanf(f, "P6 %u %u %u", &w, &h, &maxval) != 3 || maxval != 255 ||
	    w == 0 || h == 0 || w > 8192 || h > 8192 || (c = fgetc(f)) == EOF ||
	    image_init(img, (uint16_t)w, (uint16_t)h) != 0) {
		fprintf(stderr, "pattern_ppm: %s is not a readable P6 image\n", path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	for (size_t i = 0; i < (size_t)w * h; i++) {
		int r = fgetc(f), g = fgetc(f), b = fgetc(f);

		if (b == EOF) {
			fclose(f);
			return -1;
		}
		img->px[i] = (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
	}
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	struct image img, want;

	if (argc == 4 && strcmp(argv[1], "--match") == 0) {
		unsigned long max = strtoul(argv[3], NULL, 10);

		if (read_ppm(argv[2], &want) != 0 || image_init(&img, want.w, want.h) != 0)
			return 2;
		for (unsigned long n = 0; n < max; n++) {
			pattern_draw(&img, (uint32_t)n);
			if (memcmp(img.px, want.px, (size_t)want.w * want.h * 4) == 0) {
				printf("%lu\n", n);
				image_free(&img);
				image_free(&want);
				return 0;
			}
		}
		image_free(&img);
		image_free(&want);
		return 1;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: pattern_ppm W H N | pattern_ppm --match FILE MAX\n");
		return 2;
	}
	if (image_init(&img, (uint16_t)atoi(argv[1]), (uint16_t)atoi(argv[2])) != 0)
		return 2;
	pattern_draw(&img, (uint32_t)strtoul(argv[3], NULL, 10));
	printf("P6\n%u %u\n255\n", img.w, img.h);
	for (size_t i = 0; i < (size_t)img.w * img.h; i++) {
		putchar((int)(img.px[i] >> 16 & 0xFF));
		putchar((int)(img.px[i] >> 8 & 0xFF));
		putchar((int)(img.px[i] & 0xFF));
	}
	image_free(&img);
	return 0;
}
