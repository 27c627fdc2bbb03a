/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pw_portal_frame - the master's PipeWire stream (master/pipewire_stream.c) on
 * a screen cast's node, for the tests of the ScreenCast portal:
 * tests/tools/portal_probe.py --stream runs it with the PipeWire connection
 * the portal's OpenPipeWireRemote gave.
 *
 *   pw_portal_frame FD NODE OUT.ppm [SECONDS]
 *
 * FD is the inherited PipeWire connection (taken over), NODE the stream's
 * node. Prints "format WxH" once the format is known; when no picture
 * came 1.5 s later, pauses and resumes the stream once (as capture_mutter
 * does for Mutter) and prints "nudged". Every picture is written to
 * OUT.ppm (through OUT.ppm.tmp, so a reader sees whole pictures only),
 * with "frame N WxH METHOD" on stdout. Ends after SECONDS (default 10) or
 * when killed with exit 0; exit 1 with the reason when the stream cannot
 * open or ends.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pipewire_stream.h"

/* How long a still screen may keep the first picture back before the nudge. */
enum { NUDGE_MS = 1500 };

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
write_ppm(const char *path, const struct image *img)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "wb")) == NULL)
		return -1;
	fprintf(f, "P6\n%u %u\n255\n", img->w, img->h);
	for (size_t i = 0; i < (size_t)img->w * img->h; i++) {
		putc((int)(img->px[i] >> 16 & 0xFF), f);
		putc((int)(img->px[i] >> 8 & 0xFF), f);
		putc((int)(img->px[i] & 0xFF), f);
	}
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

int
main(int argc, char **argv)
{
	static uint8_t hint[MSG_TILES_MAX];
	struct image img = { 0 };
	struct pipewire_stream *s;
	char why[256];
	long long end, first_by = 0;
	unsigned frames = 0;
	bool told_format = false, nudged = false;
	int fd, w, h;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: pw_portal_frame FD NODE OUT.ppm [SECONDS]\n");
		return 2;
	}
	fd = atoi(argv[1]);
	end = now_ms() + (argc == 5 ? atoi(argv[4]) : 10) * 1000LL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((s = pipewire_stream_open(fd, (uint32_t)strtoul(argv[2], NULL, 10), why,
	    sizeof(why))) == NULL) {
		printf("error=%s\n", why);
		return 1;
	}
	while (now_ms() < end) {
		struct pollfd p = { .fd = pipewire_stream_fd(s), .events = POLLIN };
		bool frame = false, cursor = false;

		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			break;
		if (pipewire_stream_poll(s, &frame, &cursor, why, sizeof(why)) != 0) {
			printf("error=%s\n", why);
			pipewire_stream_close(s);
			return 1;
		}
		pipewire_stream_size(s, &w, &h);
		if (!told_format && w > 0) {
			printf("format %dx%d\n", w, h);
			told_format = true;
			first_by = now_ms() + NUDGE_MS;
		}
		if (told_format && frames == 0 && !nudged && !pipewire_stream_ready(s) &&
		    now_ms() >= first_by) {
			pipewire_stream_nudge(s);
			printf("nudged\n");
			nudged = true;
		}
		if (!frame || !pipewire_stream_ready(s))
			continue;
		if (pipewire_stream_grab(s, &img, hint, why, sizeof(why)) != 0) {
			printf("error=%s\n", why);
			pipewire_stream_close(s);
			return 1;
		}
		if (write_ppm(argv[3], &img) != 0) {
			printf("error=cannot write %s: %s\n", argv[3], strerror(errno));
			pipewire_stream_close(s);
			return 1;
		}
		printf("frame %u %ux%u %s\n", ++frames, img.w, img.h, pipewire_stream_method(s));
	}
	pipewire_stream_close(s);
	image_free(&img);
	return 0;
}
