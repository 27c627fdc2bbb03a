/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x11_paint - a tiny X client that puts known pixels on a test display.
 *
 *   x11_paint X Y W H SEED      map a window at X,Y of W x H, paint colour
 *                               bars and a noise block drawn from SEED,
 *                               print "painted" and stay until killed
 *   x11_paint --fb WxH          resize the screen with XRandR; exit 3 when
 *                               the server cannot
 *   x11_paint --warp X Y        move the pointer
 *   x11_paint --monitor X Y W H add a monitor "fernsicht-test" (XRandR 1.5)
 *
 * Links libX11 and libXrandr (pkg-config x11 xrandr).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xrandr.h>

static Display *
open_display(void)
{
	Display *dpy = XOpenDisplay(NULL);

	if (dpy == NULL) {
		fprintf(stderr, "x11_paint: cannot open display %s\n", getenv("DISPLAY"));
		exit(2);
	}
	return dpy;
}

static uint32_t
xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* 0xRRGGBB to the visual's pixel value. */
static unsigned long
pixel(const Visual *v, uint32_t rgb)
{
	unsigned long p = 0;
	const unsigned long masks[3] = { v->red_mask, v->green_mask, v->blue_mask };

	for (int i = 0; i < 3; i++) {
		unsigned long m = masks[i], c = rgb >> (16 - 8 * i) & 0xFF;
		int shift = __builtin_ctzl(m), bits = __builtin_popcountl(m);

		c = bits >= 8 ? c << (bits - 8) : c >> (8 - bits);
		p |= c << shift & m;
	}
	return p;
}

/* Upper half: eight colour bars; lower half: noise, one colour per pixel. */
static XImage *
draw(Display *dpy, Visual *v, int depth, unsigned w, unsigned h, uint32_t seed)
{
	static const uint32_t bars[8] = { 0xFFFFFF, 0xFFFF00, 0x00FFFF, 0x00FF00,
	    0xFF00FF, 0xFF0000, 0x0000FF, 0x000000 };
	XImage *xi = XCreateImage(dpy, v, (unsigned)depth, ZPixmap, 0, NULL, w, h, 32, 0);

	if (xi == NULL || (xi->data = malloc((size_t)xi->bytes_per_line * h)) == NULL) {
		fprintf(stderr, "x11_paint: out of memory\n");
		exit(2);
	}
	seed = seed != 0 ? seed : 1;
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++) {
			uint32_t c = y < h / 2 ? bars[x * 8 / w] : xorshift32(&seed) & 0xFFFFFF;

			XPutPixel(xi, (int)x, (int)y, pixel(v, c));
		}
	return xi;
}

static int
paint(int argc, char **argv)
{
	Display *dpy = open_display();
	int scr = DefaultScreen(dpy);
	Visual *v = DefaultVisual(dpy, scr);
	int x = atoi(argv[1]), y = atoi(argv[2]);
	unsigned w = (unsigned)atoi(argv[3]), h = (unsigned)atoi(argv[4]);
	XSetWindowAttributes a;
	XImage *xi;
	Window win;
	GC gc;
	XEvent ev;
	bool said = false;

	(void)argc;
	if (w == 0 || h == 0 || w > 8192 || h > 8192) {
		fprintf(stderr, "x11_paint: bad size\n");
		return 2;
	}
	xi = draw(dpy, v, DefaultDepth(dpy, scr), w, h, (uint32_t)strtoul(argv[5], NULL, 10));
	/* No window manager on Xvfb: override-redirect keeps X,Y exact. */
	a.override_redirect = True;
	a.background_pixel = BlackPixel(dpy, scr);
	win = XCreateWindow(dpy, RootWindow(dpy, scr), x, y, w, h, 0, CopyFromParent,
	    InputOutput, CopyFromParent, CWOverrideRedirect | CWBackPixel, &a);
	XSelectInput(dpy, win, ExposureMask);
	gc = XCreateGC(dpy, win, 0, NULL);
	XMapRaised(dpy, win);
	for (;;) {
		XNextEvent(dpy, &ev);
		if (ev.type != Expose || ev.xexpose.count != 0)
			continue;
		XPutImage(dpy, win, gc, xi, 0, 0, 0, 0, w, h);
		XSync(dpy, False);
		if (!said) {
			printf("painted\n");
			fflush(stdout);
			said = true;
		}
	}
}

static int
resize(const char *size)
{
	Display *dpy = open_display();
	Window root = DefaultRootWindow(dpy);
	XRRScreenResources *res;
	int w, h, minw, minh, maxw, maxh, ev, er;

	if (sscanf(size, "%dx%d", &w, &h) != 2 || w <= 0 || h <= 0) {
		fprintf(stderr, "x11_paint: bad size %s\n", size);
		return 2;
	}
	if (!XRRQueryExtension(dpy, &ev, &er) ||
	    !XRRGetScreenSizeRange(dpy, root, &minw, &minh, &maxw, &maxh)) {
		printf("unsupported: no XRandR\n");
		return 3;
	}
	if (w < minw || h < minh || w > maxw || h > maxh) {
		printf("unsupported: %dx%d outside the screen size range %dx%d..%dx%d\n", w, h,
		    minw, minh, maxw, maxh);
		return 3;
	}
	/* A screen cannot be smaller than a lit CRTC: switch those off. */
	res = XRRGetScreenResources(dpy, root);
	for (int i = 0; res != NULL && i < res->ncrtc; i++) {
		XRRCrtcInfo *ci = XRRGetCrtcInfo(dpy, res, res->crtcs[i]);

		if (ci != NULL && ci->mode != None && (ci->x + (int)ci->width > w ||
		    ci->y + (int)ci->height > h))
			XRRSetCrtcConfig(dpy, res, res->crtcs[i], CurrentTime, 0, 0, None,
			    RR_Rotate_0, NULL, 0);
		if (ci != NULL)
			XRRFreeCrtcInfo(ci);
	}
	if (res != NULL)
		XRRFreeScreenResources(res);
	/* The physical size only feeds DPI; keep it proportional. */
	XRRSetScreenSize(dpy, root, w, h, w * 254 / 960, h * 254 / 960);
	XSync(dpy, False);
	if (DisplayWidth(dpy, DefaultScreen(dpy)) != w) {
		XWindowAttributes wa;

		XGetWindowAttributes(dpy, root, &wa);
		if (wa.width != w || wa.height != h) {
			printf("unsupported: the screen stayed %dx%d\n", wa.width, wa.height);
			return 3;
		}
	}
	printf("resized %dx%d\n", w, h);
	XCloseDisplay(dpy);
	return 0;
}

static int
add_monitor(char **argv)
{
	Display *dpy = open_display();
	XRRMonitorInfo *m = XRRAllocateMonitor(dpy, 0);

	m->name = XInternAtom(dpy, "fernsicht-test", False);
	m->x = atoi(argv[0]);
	m->y = atoi(argv[1]);
	m->width = atoi(argv[2]);
	m->height = atoi(argv[3]);
	m->mwidth = m->width * 254 / 960;
	m->mheight = m->height * 254 / 960;
	XRRSetMonitor(dpy, DefaultRootWindow(dpy), m);
	XSync(dpy, False);
	XFree(m);
	XCloseDisplay(dpy);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--fb") == 0)
		return resize(argv[2]);
	if (argc == 4 && strcmp(argv[1], "--warp") == 0) {
		Display *dpy = open_display();

		XWarpPointer(dpy, None, DefaultRootWindow(dpy), 0, 0, 0, 0, atoi(argv[2]),
		    atoi(argv[3]));
		XSync(dpy, False);
		XCloseDisplay(dpy);
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "--monitor") == 0)
		return add_monitor(argv + 2);
	if (argc == 6)
		return paint(argc, argv);
	fprintf(stderr, "usage: x11_paint X Y W H SEED | --fb WxH | --warp X Y | "
	    "--monitor X Y W H\n");
	return 2;
}
