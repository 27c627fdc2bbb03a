/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x11_latency - the target of the screen benchmark's latency probe
 * (tests/bench/screen.sh).
 *
 *   x11_latency [X Y [SIZE]]    default 1872 1032 48: the bottom-right
 *                               corner of a 1920x1080 screen, which no
 *                               workload draws on
 *
 * Maps a SIZE x SIZE override-redirect window at X,Y that is all white
 * while the pointer is in its left half and all black otherwise (in its
 * right half, or before the pointer ever came in). A viewer moves the
 * host's pointer to one half and times until its picture shows the
 * colour. The window repaints only when the colour changes, and only on
 * the pointer's events, so nothing else about it changes the screen. It
 * takes no keyboard input and never asks for the focus. Prints "ready"
 * once it is mapped and painted, and stays until killed.
 *
 * Links libX11 only (pkg-config x11).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <X11/Xlib.h>

static long
arg(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "usage: x11_latency [X Y [SIZE]]\n");
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	int x = 1872, y = 1032, scr;
	unsigned size = 48;
	XSetWindowAttributes a;
	Display *dpy;
	Window win;
	XEvent ev;
	GC gc;
	bool white = false, painted = false;

	if (argc != 1 && argc != 3 && argc != 4) {
		fprintf(stderr, "usage: x11_latency [X Y [SIZE]]\n");
		return 2;
	}
	if (argc >= 3) {
		x = (int)arg(argv[1], 0, 32767);
		y = (int)arg(argv[2], 0, 32767);
	}
	if (argc == 4)
		size = (unsigned)arg(argv[3], 2, 4096);
	if ((dpy = XOpenDisplay(NULL)) == NULL) {
		fprintf(stderr, "x11_latency: cannot open display %s\n", getenv("DISPLAY"));
		return 2;
	}
	scr = DefaultScreen(dpy);
	/* No window manager on Xvfb: override-redirect keeps X,Y exact and
	 * keeps the window out of any focus handling. */
	a.override_redirect = True;
	a.background_pixel = BlackPixel(dpy, scr);
	win = XCreateWindow(dpy, RootWindow(dpy, scr), x, y, size, size, 0, CopyFromParent,
	    InputOutput, CopyFromParent, CWOverrideRedirect | CWBackPixel, &a);
	XSelectInput(dpy, win, ExposureMask | PointerMotionMask | EnterWindowMask |
	    VisibilityChangeMask);
	gc = XCreateGC(dpy, win, 0, NULL);
	XMapRaised(dpy, win);
	for (;;) {
		bool want = white;

		XNextEvent(dpy, &ev);
		switch (ev.type) {
		case Expose:
			if (ev.xexpose.count != 0)
				continue;
			break;
		case MotionNotify:
			want = ev.xmotion.x < (int)size / 2;
			break;
		case EnterNotify:
			want = ev.xcrossing.x < (int)size / 2;
			break;
		case VisibilityNotify:
			/* A workload window mapped over the corner: stay on top. */
			if (ev.xvisibility.state != VisibilityUnobscured)
				XRaiseWindow(dpy, win);
			continue;
		default:
			continue;
		}
		/* Repaint on exposure, or when the colour changes; never else. */
		if (ev.type != Expose && want == white && painted)
			continue;
		white = want;
		XSetForeground(dpy, gc, white ? WhitePixel(dpy, scr) : BlackPixel(dpy, scr));
		XFillRectangle(dpy, win, gc, 0, 0, size, size);
		if (!painted) {
			XSync(dpy, False);
			printf("ready\n");
			fflush(stdout);
			painted = true;
		} else {
			XFlush(dpy);
		}
	}
}
