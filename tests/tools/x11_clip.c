/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x11_clip - the CLIPBOARD through master/clip_x11.c, for tests; with
 * --source wlr first, through master/clip_wlr.c on $WAYLAND_DISPLAY;
 * with --source mutter, through master/clip_mutter.c (a session of its
 * own with the Mutter on the session bus).
 *   x11_clip serve TEXT [SECONDS]  own the clipboard with TEXT and answer
 *                                  requests (prints "serving"), until
 *                                  another client takes it or time is up
 *   x11_clip watch [COUNT]         print "text <escaped>" for each new
 *                                  owner's text (COUNT times, default 1)
 *   x11_clip get TARGET            ask the owner for TARGET with plain
 *                                  Xlib; print "TYPE <escaped>" (TARGETS:
 *                                  the atom names) or "refused"
 * Escaping: '\\' and bytes < 0x20 as \xHH, so one text is one line.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include "err.h"  /* before clip.h: it uses WUR */
#include "clip.h"
#include "log.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
print_text(const char *t, size_t n)
{
	size_t i;

	printf("text ");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)t[i];

		if (ch < 0x20 || ch == '\\')
			printf("\\x%02x", ch);
		else
			putchar(ch);
	}
	printf(" len=%zu\n", n);
}

/* A requestor independent of clip_x11.c, to check how it answers. */
static int
get(const char *target)
{
	Display *d = XOpenDisplay(NULL);
	Atom t, type, prop;
	unsigned long n, after, i;
	unsigned char *data = NULL;
	int format, tries;
	Window w;
	XEvent e;

	if (d == NULL)
		return 2;
	t = XInternAtom(d, target, False);
	prop = XInternAtom(d, "X11_CLIP_GET", False);
	w = XCreateSimpleWindow(d, DefaultRootWindow(d), 0, 0, 1, 1, 0, 0, 0);
	XConvertSelection(d, XInternAtom(d, "CLIPBOARD", False), t, prop, w, CurrentTime);
	XFlush(d);
	for (tries = 0; tries < 50; tries++) {
		if (XCheckTypedWindowEvent(d, w, SelectionNotify, &e))
			break;
		usleep(100 * 1000);
	}
	if (tries == 50 || e.xselection.property == None) {
		printf("refused\n");
	} else if (XGetWindowProperty(d, w, prop, 0, 1 << 20, True, AnyPropertyType, &type,
	    &format, &n, &after, &data) == Success) {
		char *name = XGetAtomName(d, type);

		if (type == XA_ATOM) {
			printf("%s", name);
			for (i = 0; i < n; i++) {
				char *a = XGetAtomName(d, ((Atom *)data)[i]);

				printf(" %s", a);
				XFree(a);
			}
			printf("\n");
		} else {
			printf("%s ", name);
			print_text((const char *)data, n);
		}
		XFree(name);
		XFree(data);
	}
	XCloseDisplay(d);
	return 0;
}

int
main(int argc, char **argv)
{
	long long end;
	const char *source = "x11";
	struct clip *c;
	char why[200];
	int count = 1, r;

	log_init("x11_clip", LOG_INFO);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && strcmp(argv[1], "--source") == 0) {
		source = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2 || (strcmp(argv[1], "watch") != 0 && argc < 3)) {
		fprintf(stderr, "usage: x11_clip [--source wlr|mutter] serve TEXT [SECONDS] "
		    "| watch [COUNT] | get TARGET\n");
		return 2;
	}
	if (strcmp(argv[1], "get") == 0)
		return get(argv[2]);
	if ((c = clip_open(source, NULL, why, sizeof(why))) == NULL) {
		fprintf(stderr, "x11_clip: %s\n", why);
		return 2;
	}
	end = now_ms() + 1000LL * (argc > 3 ? atol(argv[3]) : 30);
	if (strcmp(argv[1], "serve") == 0) {
		if ((r = clip_set(c, argv[2], strlen(argv[2]))) != 0) {
			fprintf(stderr, "x11_clip: clip_set: %s\n", err_str(r));
			clip_close(c);
			return 1;
		}
		printf("serving\n");
	} else if (argc > 2) {
		count = atoi(argv[2]);
	}
	while (now_ms() < end) {
		struct pollfd p = { .fd = clip_fd(c), .events = POLLIN };
		const char *t;
		size_t n;

		if (poll(&p, 1, 100) < 0)
			break;
		if (clip_poll(c, &t, &n) == 1) {
			print_text(t, n);
			if (strcmp(argv[1], "serve") == 0 || --count == 0)
				break;
		}
	}
	clip_close(c);
	return 0;
}
