/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x11_grab - the master's X11 capture alone, for tests and measurements.
 *
 *   x11_grab [--monitor N]               one grab as a binary PPM on stdout
 *   x11_grab [--monitor N] --cursor      "cursor x=X y=Y w=W h=H hot=HX,HY
 *                                        opaque=N" on stdout
 *   x11_grab [--monitor N] --watch DIR S grab at once and after every
 *                                        change for S seconds: DIR/NNNN.ppm,
 *                                        "grab N WxH" per grab on stdout
 *   x11_grab [--monitor N] --time N      N grabs, "grab_ms=M.MMM" (mean)
 *
 * The method ("XShm+XDamage+...") and the area go to stderr. Exit 1 with
 * the capture's reason when it cannot open.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "log.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
write_ppm(FILE *f, const struct image *img)
{
	fprintf(f, "P6\n%u %u\n255\n", img->w, img->h);
	for (size_t i = 0; i < (size_t)img->w * img->h; i++) {
		putc((int)(img->px[i] >> 16 & 0xFF), f);
		putc((int)(img->px[i] >> 8 & 0xFF), f);
		putc((int)(img->px[i] & 0xFF), f);
	}
	return ferror(f) ? -1 : 0;
}

static int
grab(struct capture *c, struct image *img)
{
	static uint8_t hint[MSG_TILES_MAX];
	char why[256];
	int r;

	if ((r = capture_grab(c, img, hint, why, sizeof(why))) != 0)
		fprintf(stderr, "x11_grab: %s (%s)\n", why, err_str(r));
	return r;
}

static int
watch(struct capture *c, struct image *img, const char *dir, int secs)
{
	double end = now_ms() + secs * 1e3;
	unsigned n = 0;
	bool screen = true, cursor;
	char path[4096];
	FILE *f;
	int r;

	while (now_ms() < end) {
		if (screen) {
			/* The display may go away between a poll and a grab too. */
			if ((r = grab(c, img)) != 0) {
				if (r == ERR_CLOSED)
					printf("closed %s\n", err_str(r));
				return 1;
			}
			snprintf(path, sizeof(path), "%s/%04u.ppm", dir, n);
			if ((f = fopen(path, "wb")) == NULL || write_ppm(f, img) != 0) {
				fprintf(stderr, "x11_grab: cannot write %s\n", path);
				if (f != NULL)
					fclose(f);
				return 1;
			}
			fclose(f);
			printf("grab %u %ux%u\n", n++, img->w, img->h);
			fflush(stdout);
		}
		struct pollfd p = { .fd = capture_fd(c), .events = POLLIN };
		poll(&p, 1, 50);
		if ((r = capture_poll(c, &screen, &cursor)) != 0) {
			printf("closed %s\n", err_str(r));
			return 1;
		}
	}
	return 0;
}

static int
show_cursor(struct capture *c)
{
	static struct capture_cursor cur;
	bool screen, cursor, shape = false;
	int x, y, opaque = 0;

	if (capture_poll(c, &screen, &cursor) != 0 ||
	    capture_cursor(c, &x, &y, &shape, &cur) != 0) {
		fprintf(stderr, "x11_grab: the display went away\n");
		return 1;
	}
	if (!shape) {
		printf("cursor x=%d y=%d shape=none\n", x, y);
		return 0;
	}
	for (unsigned i = 0; i < (unsigned)cur.w * cur.h; i++)
		opaque += cur.argb[i] >> 24 == 0xFF;
	printf("cursor x=%d y=%d w=%u h=%u hot=%u,%u opaque=%d\n", x, y, cur.w, cur.h,
	    cur.hot_x, cur.hot_y, opaque);
	return 0;
}

int
main(int argc, char **argv)
{
	struct image img = { 0 };
	struct capture *c;
	char why[256];
	int monitor = -1, i = 1, rc = 0, ox, oy;

	log_init("x11_grab", LOG_INFO);
	if (argc > 2 && strcmp(argv[1], "--monitor") == 0) {
		monitor = atoi(argv[2]);
		i = 3;
	}
	if ((c = capture_open("x11", &(struct capture_opts){ .monitor = monitor }, why,
	    sizeof(why))) == NULL) {
		fprintf(stderr, "x11_grab: %s\n", why);
		return 1;
	}
	capture_origin(c, &ox, &oy);
	fprintf(stderr, "method=%s origin=%d,%d\n", capture_method(c), ox, oy);
	if (i == argc) {
		rc = grab(c, &img) != 0 || write_ppm(stdout, &img) != 0;
	} else if (strcmp(argv[i], "--cursor") == 0 && i + 1 == argc) {
		rc = show_cursor(c);
	} else if (strcmp(argv[i], "--watch") == 0 && i + 3 == argc) {
		rc = watch(c, &img, argv[i + 1], atoi(argv[i + 2]));
	} else if (strcmp(argv[i], "--time") == 0 && i + 2 == argc) {
		int n = atoi(argv[i + 1]);
		double t0;

		rc = grab(c, &img) != 0;        /* the first one allocates */
		t0 = now_ms();
		for (int k = 0; k < n && rc == 0; k++)
			rc = grab(c, &img) != 0;
		if (rc == 0)
			printf("grab_ms=%.3f size=%ux%u\n", (now_ms() - t0) / (n > 0 ? n : 1),
			    img.w, img.h);
	} else {
		fprintf(stderr, "usage: x11_grab [--monitor N] [--cursor | --watch DIR SECONDS | "
		    "--time N]\n");
		rc = 2;
	}
	image_free(&img);
	capture_close(c);
	return rc;
}
