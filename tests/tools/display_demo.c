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
 *   chat-send text="T"            the chat line the supporter sent
 *   drop path="P"                 a file dropped on the window
 *   cancel id=I incoming=0|1      a transfer's Cancel button
 *
 *   display_demo [--seconds N] [--size WxH] [--view-only] [--screenshot FILE.bmp]
 *                [--commands] [--desktop]
 *
 * --desktop shows a quiet desktop instead of the busy test picture (for
 * the docs). "ready" is printed once the first frame is shown. The cursor follows the
 * pointer events, as the host's would. With --commands, stdin gives the
 * window what a session would, one command a line:
 *   chat WHO TEXT | mine TEXT | note TEXT    chat lines (mine: as once sent)
 *   transfer ... | untransfer ID             fake transfer rows (demo_rows.h)
 *   screenshot FILE                          save the window as BMP now
 *   status joining|proving|waiting CHECK     the status line as a session makes it
 *   status active LOSSY AES CONTROL FPS KBIT RTT  (LOSSY, AES, CONTROL: 0 or 1)
 * and a sent chat line is shown as "You" at once. Exits 0 after N seconds
 * (default 10) or when the window is closed. The words follow the
 * language as the viewer's do (net/i18n.h; FERNSICHT_LOCALEDIR names the
 * catalogues, which are not beside this program).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "demo_rows.h"
#include "display.h"
#include "i18n.h"
#include "log.h"
#include "status.h"

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

/* A quiet desktop for pictures in the docs (--desktop): a plain
 * background, two windows with title bars and lines of "text". */
static void
draw_desktop(struct image *img)
{
	static const struct { unsigned x, y, w, h; } win[] = {
		{ 60, 50, 560, 380 }, { 480, 230, 620, 420 },
	};

	for (size_t i = 0; i < (size_t)img->w * img->h; i++)
		img->px[i] = 0x3A5F7D;
	for (size_t k = 0; k < sizeof(win) / sizeof(win[0]); k++) {
		for (unsigned y = win[k].y; y < win[k].y + win[k].h && y < img->h; y++) {
			for (unsigned x = win[k].x; x < win[k].x + win[k].w && x < img->w; x++) {
				unsigned dy = y - win[k].y, dx = x - win[k].x;
				uint32_t p = dy < 28 ? 0x2B2B2B : 0xF4F4F2;

				/* Rows of text: dark runs of varying length. */
				if (dy >= 48 && dy % 22 < 10 && dx >= 24 &&
				    dx < 24 + (win[k].w - 48) * (3 + (dy / 22 + k) % 5) / 7 &&
				    (dx / 7) % 9 != 0)
					p = 0x404040;
				img->px[(size_t)y * img->w + x] = p;
			}
		}
	}
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

/* "status ...": the status line from the words status.c makes; false when
 * line is not one. */
static bool
status_command(struct display *d, const char *line)
{
	struct vstatus st = { .state = VSTATUS_ACTIVE };
	char full[256], brief[256], state[16];
	unsigned lossy, aes, control;

	if (sscanf(line, "status %15s", state) != 1)
		return false;
	if (strcmp(state, "joining") == 0)
		st.state = VSTATUS_JOINING;
	else if (strcmp(state, "proving") == 0)
		st.state = VSTATUS_PROVING;
	else if (strcmp(state, "waiting") == 0 && sscanf(line, "status waiting %u", &st.check) == 1)
		st.state = VSTATUS_WAITING;
	else if (sscanf(line, "status active %u %u %u %u %lf %u", &lossy, &aes, &control, &st.fps,
	    &st.kbit_s, &st.rtt_ms) == 6)
		st.lossy = lossy, st.aes = aes, st.control = control;
	else
		return false;
	vstatus_text(&st, full, brief, sizeof(full));
	display_status(d, full, brief);
	printf("status %s\n", full);
	return true;
}

/* One --commands line. */
static void
command(struct display *d, struct demo_rows *rows, const char *line)
{
	char who[256];
	int r, off = 0;

	if (status_command(d, line))
		return;
	if ((r = demo_rows_command(rows, line)) != 0) {
		if (r < 0)
			fprintf(stderr, "display_demo: bad transfer line \"%s\"\n", line);
		else
			display_set_transfers(d, rows->row, rows->n);
	} else if (sscanf(line, "chat %255s %n", who, &off) == 1 && off > 0) {
		display_chat_add(d, who, line + off, strlen(line + off), false);
	} else if (strncmp(line, "mine ", 5) == 0) {
		display_chat_add(d, "You", line + 5, strlen(line + 5), true);
	} else if (strncmp(line, "note ", 5) == 0) {
		display_chat_note(d, line + 5);
	} else if (strncmp(line, "screenshot ", 11) == 0) {
		if (display_screenshot(d, line + 11) != 0)
			fprintf(stderr, "display_demo: cannot save %s\n", line + 11);
		else
			printf("screenshot %s\n", line + 11);
	} else {
		fprintf(stderr, "display_demo: cannot do \"%s\"\n", line);
	}
}

/* Whole lines from stdin, when there are any. */
static void
read_commands(struct display *d, struct demo_rows *rows, char *buf, size_t size, size_t *len,
    bool *eof)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char *nl;
	ssize_t n;

	if (*eof || poll(&p, 1, 0) <= 0)
		return;
	n = read(0, buf + *len, size - 1 - *len);
	if (n <= 0) {
		*eof = true;
		return;
	}
	*len += (size_t)n;
	buf[*len] = '\0';
	while ((nl = strchr(buf, '\n')) != NULL) {
		*nl = '\0';
		if (buf[0] != '\0')
			command(d, rows, buf);
		*len -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, *len + 1);
	}
	if (*len == size - 1)
		*len = 0;
}

/* What the window reports besides input. */
static void
print_event(struct display *d, const struct display_event *ev)
{
	static char esc[4 * MSG_TEXT_MAX + 1];

	switch (ev->kind) {
	case DISPLAY_CLIPBOARD:
		printf("clipboard len=%zu\n", ev->text_len);
		break;
	case DISPLAY_CHAT_SEND:
		printf("chat-send text=\"%s\"\n", log_escape_text(esc, sizeof(esc), ev->text,
		    ev->text_len));
		display_chat_add(d, "You", ev->text, ev->text_len, true);
		break;
	case DISPLAY_DROP_FILE:
		printf("drop path=\"%s\"\n", log_escape_text(esc, sizeof(esc), ev->text,
		    ev->text_len < MSG_TEXT_MAX ? ev->text_len : MSG_TEXT_MAX));
		break;
	case DISPLAY_CANCEL_TRANSFER:
		printf("cancel id=%u incoming=%d\n", (unsigned)ev->id, ev->incoming);
		break;
	default:
		break;
	}
}

int
main(int argc, char **argv)
{
	static struct demo_rows rows;
	static char cmd[8192];
	size_t cmd_len = 0;
	bool commands = false, cmd_eof = false, desktop = false;
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
		} else if (strcmp(argv[i], "--commands") == 0) {
			commands = true;
		} else if (strcmp(argv[i], "--desktop") == 0) {
			desktop = true;
		} else {
			fprintf(stderr, "usage: display_demo [--seconds N] [--size WxH] "
			    "[--view-only] [--screenshot FILE.bmp] [--commands] [--desktop]\n");
			return 2;
		}
	}
	i18n_init();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (image_init(&img, (uint16_t)w, (uint16_t)h) != 0)
		return 1;
	if (desktop)
		draw_desktop(&img);
	else
		draw(&img);
	arrow(cursor);
	if ((d = display_open("Fernsicht display demo", why, sizeof(why))) == NULL) {
		fprintf(stderr, "display_demo: %s\n", why);
		image_free(&img);
		return 1;
	}
	display_status(d, "demo", NULL);
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
		if (commands)
			read_commands(d, &rows, cmd, sizeof(cmd), &cmd_len, &cmd_eof);
		if (ev.kind != DISPLAY_INPUT) {
			print_event(d, &ev);
			continue;
		}
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
