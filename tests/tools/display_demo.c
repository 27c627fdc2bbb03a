/* SPDX-License-Identifier: Apache-2.0 */
/*
 * display_demo - the viewer's window without a session, for tests and
 * screenshots: a generated "remote screen", a cursor shape and the status
 * "demo". Every input event the viewer would send is printed as a line:
 *
 *   input kind=pointer x=X y=Y arg=MASK
 *   input kind=button arg=B code=1|0
 *   input kind=wheel x=DX y=DY
 *   input kind=key code=0xKEYSYM arg=1|0 x=KEYCODE
 *   clipboard len=N
 *
 *   display_demo [--seconds N] [--size WxH] [--view-only] [--screenshot FILE.bmp]
 *
 * "ready" is printed once the first frame is shown. The cursor follows the
 * pointer events, as the host's would. Exits 0 after N seconds (default
 * 10) or when the window is closed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "display.h"

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A gradient with rows of "text": blocks of glyph-like dots, so that
 * scaling artefacts show in a screenshot. */
static void
draw(struct image *img)
{
	for (unsigned y = 0; y < img->h; y++) {
		for (unsigned x = 0; x < img->w; x++) {
			uint32_t r = x * 255 / img->w, g = y * 255 / img->h, b = 160;
			unsigned cx = x % 9, cy = y % 18, word = (x / 9 * 7 + y / 18 * 3) % 11;

			img->px[y * img->w + x] = r << 16 | g << 8 | b;
			/* 7x12 "glyphs" on a 9x18 grid, a gap every few. */
			if (y >= 40 && cx < 7 && cy >= 3 && cy < 15 && word > 1 &&
			    ((x * 7 + y * 13 + x / 9 * 5) % 5) < 2)
				img->px[y * img->w + x] = 0x101010;
		}
	}
	/* A white frame marks the image's edge. */
	for (unsigned x = 0; x < img->w; x++)
		img->px[x] = img->px[(size_t)(img->h - 1) * img->w + x] = 0xFFFFFF;
	for (unsigned y = 0; y < img->h; y++)
		img->px[(size_t)y * img->w] = img->px[(size_t)y * img->w + img->w - 1] = 0xFFFFFF;
}

/* A 12x19 arrow: black outline, white inside, hot spot at its tip. */
static void
arrow(uint32_t *argb)
{
	for (int y = 0; y < 19; y++) {
		for (int x = 0; x < 12; x++) {
			uint32_t p = 0;

			if (x <= y && x < 12 && y < 17)
				p = (x == 0 || x == y || y == 16) ? 0xFF000000 : 0xFFFFFFFF;
			argb[y * 12 + x] = p;
		}
	}
}

static void
print_input(const struct msg_input *in)
{
	switch (in->kind) {
	case MSG_INPUT_POINTER:
		printf("input kind=pointer x=%u y=%u arg=%u\n", in->x, in->y, in->arg);
		break;
	case MSG_INPUT_BUTTON:
		printf("input kind=button arg=%u code=%u\n", in->arg, in->code);
		break;
	case MSG_INPUT_WHEEL:
		printf("input kind=wheel x=%d y=%d\n", (int16_t)in->x, (int16_t)in->y);
		break;
	case MSG_INPUT_KEY:
		printf("input kind=key code=0x%x arg=%u x=%u\n", in->code, in->arg, in->x);
		break;
	default:
		printf("input kind=%u\n", in->kind);
		break;
	}
}

int
main(int argc, char **argv)
{
	unsigned seconds = 10, w = 1280, h = 800;
	const char *shot = NULL;
	bool control = true;
	struct display *d;
	struct image img;
	uint32_t cursor[12 * 19];
	char why[256];
	uint64_t end;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			seconds = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
			if (sscanf(argv[++i], "%ux%u", &w, &h) != 2 || w < 16 || h < 16 ||
			    w > 8192 || h > 8192) {
				fprintf(stderr, "display_demo: --size WxH, 16..8192\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--screenshot") == 0 && i + 1 < argc) {
			shot = argv[++i];
		} else if (strcmp(argv[i], "--view-only") == 0) {
			control = false;
		} else {
			fprintf(stderr, "usage: display_demo [--seconds N] [--size WxH] "
			    "[--view-only] [--screenshot FILE.bmp]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (image_init(&img, (uint16_t)w, (uint16_t)h) != 0)
		return 1;
	draw(&img);
	arrow(cursor);
	if ((d = display_open("Fernsicht display demo", why, sizeof(why))) == NULL) {
		fprintf(stderr, "display_demo: %s\n", why);
		image_free(&img);
		return 1;
	}
	display_status(d, "demo");
	display_set_control(d, control);
	if (display_cursor_shape(d, 12, 19, 0, 0, cursor) != 0)
		fprintf(stderr, "display_demo: cannot set the cursor shape\n");
	display_cursor_pos(d, (int)w / 2, (int)h / 2);
	if (display_frame(d, &img, 0, 0, w, h) != 0) {
		fprintf(stderr, "display_demo: cannot show the frame\n");
		rc = 1;
		goto out;
	}
	printf("ready image=%ux%u\n", w, h);
	end = now_ms() + (uint64_t)seconds * 1000;
	for (uint64_t t; (t = now_ms()) < end;) {
		struct display_event ev = display_poll(d, (int)(end - t < 100 ? end - t : 100));

		if (ev.kind == DISPLAY_QUIT) {
			printf("quit\n");
			break;
		}
		if (ev.kind == DISPLAY_CLIPBOARD)
			printf("clipboard len=%zu\n", ev.text_len);
		if (ev.kind != DISPLAY_INPUT)
			continue;
		print_input(&ev.input);
		/* The host's cursor follows its pointer. */
		if (ev.input.kind == MSG_INPUT_POINTER)
			display_cursor_pos(d, ev.input.x, ev.input.y);
	}
	if (shot != NULL) {
		if (display_screenshot(d, shot) != 0) {
			fprintf(stderr, "display_demo: cannot save %s\n", shot);
			rc = 1;
		} else {
			printf("screenshot %s\n", shot);
		}
	}
out:
	display_close(d);
	image_free(&img);
	return rc;
}
