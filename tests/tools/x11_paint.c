/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x11_paint - a tiny X client that puts known pixels on a test display.
 *
 *   x11_paint X Y W H SEED      map a window at X,Y of W x H, paint colour
 *                               bars and a noise block drawn from SEED,
 *                               print "painted" and stay until killed
 *   x11_paint --ppm FILE X Y    the same with the picture of a binary PPM
 *                               (P6, maxval 255) of its own size
 *   x11_paint --pan FILE X Y W H STEP FPS FRAMES EVERY
 *                               a W x H window at X,Y showing FRAMES crops
 *                               of the PPM FILE, FPS a second, the crop
 *                               moving right by STEP px a frame (vertically
 *                               centred), one process painting them all;
 *                               "painted" after the first, and before frame
 *                               N+1 replaces frame N (N+1 a multiple of
 *                               EVERY) "shown frame=N sx=SX sy=SY t_ns=T"
 *                               (T: CLOCK_REALTIME, frame N was on the
 *                               screen until then); exits after the last
 *   x11_paint --write FILE W H SEED
 *                               write the picture "X Y W H SEED" paints as
 *                               a binary PPM (no display needed)
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
#include <time.h>

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

/* Upper half: eight colour bars; lower half: noise, one colour per pixel;
 * as 0xRRGGBB. */
static uint32_t *
pattern(unsigned w, unsigned h, uint32_t seed)
{
	static const uint32_t bars[8] = { 0xFFFFFF, 0xFFFF00, 0x00FFFF, 0x00FF00,
	    0xFF00FF, 0xFF0000, 0x0000FF, 0x000000 };
	uint32_t *px = malloc((size_t)w * h * sizeof(*px));

	if (px == NULL) {
		fprintf(stderr, "x11_paint: out of memory\n");
		exit(2);
	}
	seed = seed != 0 ? seed : 1;
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++)
			px[(size_t)y * w + x] = y < h / 2 ? bars[x * 8 / w] :
			    xorshift32(&seed) & 0xFFFFFF;
	return px;
}

/* A binary PPM's pixels as 0xRRGGBB; exits 2 with a reason when FILE is not one. */
static uint32_t *
read_ppm(const char *file, unsigned *w, unsigned *h)
{
	FILE *f = fopen(file, "rb");
	unsigned maxval;
	uint32_t *px;
	uint8_t *row;

	if (f == NULL) {
		perror(file);
		exit(2);
	}
	/* The header: "P6", width, height, maxval, one whitespace (no comments:
	 * the bench writes these files itself). */
	if (fscanf(f, "P6 %u %u %u", w, h, &maxval) != 3 || maxval != 255 || fgetc(f) == EOF ||
	    *w == 0 || *h == 0 || *w > 16384 || *h > 16384) {
		fprintf(stderr, "x11_paint: %s: not a binary PPM of maxval 255 up to 16384 px\n",
		    file);
		exit(2);
	}
	px = malloc((size_t)*w * *h * sizeof(*px));
	row = malloc((size_t)*w * 3);
	if (px == NULL || row == NULL) {
		fprintf(stderr, "x11_paint: out of memory\n");
		exit(2);
	}
	for (unsigned y = 0; y < *h; y++) {
		if (fread(row, 3, *w, f) != *w) {
			fprintf(stderr, "x11_paint: %s: cut short\n", file);
			exit(2);
		}
		for (unsigned x = 0; x < *w; x++)
			px[(size_t)y * *w + x] = (uint32_t)row[3 * x] << 16 |
			    (uint32_t)row[3 * x + 1] << 8 | row[3 * x + 2];
	}
	free(row);
	fclose(f);
	return px;
}

/* The W x H crop of a PPM's pixels (stride SW) at SX,SY into XI. */
static void
crop(XImage *xi, const Visual *v, const uint32_t *src, unsigned sw, unsigned sx, unsigned sy)
{
	for (int y = 0; y < xi->height; y++)
		for (int x = 0; x < xi->width; x++)
			XPutPixel(xi, x, y, pixel(v, src[(size_t)(sy + (unsigned)y) * sw + sx +
			    (unsigned)x]));
}

static XImage *
new_image(Display *dpy, Visual *v, int depth, unsigned w, unsigned h)
{
	XImage *xi = XCreateImage(dpy, v, (unsigned)depth, ZPixmap, 0, NULL, w, h, 32, 0);

	if (xi == NULL || (xi->data = malloc((size_t)xi->bytes_per_line * h)) == NULL) {
		fprintf(stderr, "x11_paint: out of memory\n");
		exit(2);
	}
	return xi;
}

/* An override-redirect window (no window manager on Xvfb keeps X,Y exact). */
static Window
map_window(Display *dpy, int x, int y, unsigned w, unsigned h)
{
	int scr = DefaultScreen(dpy);
	XSetWindowAttributes a;
	Window win;

	a.override_redirect = True;
	a.background_pixel = BlackPixel(dpy, scr);
	win = XCreateWindow(dpy, RootWindow(dpy, scr), x, y, w, h, 0, CopyFromParent,
	    InputOutput, CopyFromParent, CWOverrideRedirect | CWBackPixel, &a);
	XSelectInput(dpy, win, ExposureMask);
	XMapRaised(dpy, win);
	return win;
}

static long long
realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Frame N (its crop at SX,SY) was on the screen until now. */
static void
shown(int n, int sx, unsigned sy)
{
	printf("shown frame=%d sx=%d sy=%u t_ns=%lld\n", n, sx, sy, realtime_ns());
}

/* --pan FILE X Y W H STEP FPS FRAMES EVERY */
static int
pan(char **argv)
{
	Display *dpy = open_display();
	int scr = DefaultScreen(dpy);
	Visual *v = DefaultVisual(dpy, scr);
	unsigned sw, sh, w = (unsigned)atoi(argv[3]), h = (unsigned)atoi(argv[4]);
	int step = atoi(argv[5]), fps = atoi(argv[6]), frames = atoi(argv[7]);
	int every = atoi(argv[8]);
	uint32_t *src = read_ppm(argv[0], &sw, &sh);
	unsigned sy;
	XImage *xi;
	Window win;
	GC gc;
	XEvent ev;
	struct timespec next;
	long period_ns;

	if (w == 0 || h == 0 || step < 0 || fps < 1 || fps > 1000 || frames < 1 || every < 1 ||
	    w > sw || h > sh || (long long)step * (frames - 1) + w > sw) {
		fprintf(stderr, "x11_paint: the pan does not fit in %ux%u\n", sw, sh);
		return 2;
	}
	sy = (sh - h) / 2;
	xi = new_image(dpy, v, DefaultDepth(dpy, scr), w, h);
	win = map_window(dpy, atoi(argv[1]), atoi(argv[2]), w, h);
	gc = XCreateGC(dpy, win, 0, NULL);
	/* The first frame once the window is there, then one a period. */
	do
		XNextEvent(dpy, &ev);
	while (ev.type != Expose);
	period_ns = 1000000000L / fps;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (int i = 0; i < frames; i++) {
		if (i > 0) {
			next.tv_nsec += period_ns;
			if (next.tv_nsec >= 1000000000L) {
				next.tv_nsec -= 1000000000L;
				next.tv_sec++;
			}
			crop(xi, v, src, sw, (unsigned)(step * i), sy);
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) != 0)
				;
			if (i % every == 0)
				shown(i - 1, step * (i - 1), sy);
		} else {
			crop(xi, v, src, sw, 0, sy);
		}
		while (XPending(dpy))
			XNextEvent(dpy, &ev);           /* exposures: the next frame repaints */
		XPutImage(dpy, win, gc, xi, 0, 0, 0, 0, w, h);
		XSync(dpy, False);
		if (i == 0)
			printf("painted\n");
		fflush(stdout);
	}
	/* The last frame stays one period too. */
	next.tv_nsec += period_ns;
	if (next.tv_nsec >= 1000000000L) {
		next.tv_nsec -= 1000000000L;
		next.tv_sec++;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) != 0)
		;
	if (frames % every == 0)
		shown(frames - 1, step * (frames - 1), sy);
	fflush(stdout);
	XCloseDisplay(dpy);
	return 0;
}

/* Maps XI's window at X,Y, paints it on every exposure, says "painted" once;
 * returns only when the display goes. */
static int
show(Display *dpy, XImage *xi, int x, int y)
{
	unsigned w = (unsigned)xi->width, h = (unsigned)xi->height;
	Window win = map_window(dpy, x, y, w, h);
	GC gc = XCreateGC(dpy, win, 0, NULL);
	XEvent ev;
	bool said = false;

	for (;;) {
		XNextEvent(dpy, &ev);       /* a lost display ends the process in Xlib */
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
	return 0;
}

/* --ppm FILE X Y */
static int
paint_ppm(char **argv)
{
	Display *dpy = open_display();
	int scr = DefaultScreen(dpy);
	Visual *v = DefaultVisual(dpy, scr);
	unsigned w, h;
	uint32_t *src = read_ppm(argv[0], &w, &h);
	XImage *xi = new_image(dpy, v, DefaultDepth(dpy, scr), w, h);

	crop(xi, v, src, w, 0, 0);
	free(src);
	return show(dpy, xi, atoi(argv[1]), atoi(argv[2]));
}

static int
paint(char **argv)
{
	Display *dpy = open_display();
	int scr = DefaultScreen(dpy);
	unsigned w = (unsigned)atoi(argv[3]), h = (unsigned)atoi(argv[4]);
	uint32_t *px;
	XImage *xi;

	if (w == 0 || h == 0 || w > 8192 || h > 8192) {
		fprintf(stderr, "x11_paint: bad size\n");
		return 2;
	}
	px = pattern(w, h, (uint32_t)strtoul(argv[5], NULL, 10));
	xi = new_image(dpy, DefaultVisual(dpy, scr), DefaultDepth(dpy, scr), w, h);
	crop(xi, DefaultVisual(dpy, scr), px, w, 0, 0);
	free(px);
	return show(dpy, xi, atoi(argv[1]), atoi(argv[2]));
}

/* --write FILE W H SEED: the picture of "X Y W H SEED" as a binary PPM. */
static int
write_pattern(char **argv)
{
	unsigned w = (unsigned)atoi(argv[1]), h = (unsigned)atoi(argv[2]);
	uint32_t *px;
	FILE *f;

	if (w == 0 || h == 0 || w > 8192 || h > 8192) {
		fprintf(stderr, "x11_paint: bad size\n");
		return 2;
	}
	px = pattern(w, h, (uint32_t)strtoul(argv[3], NULL, 10));
	if ((f = fopen(argv[0], "wb")) == NULL) {
		perror(argv[0]);
		return 2;
	}
	fprintf(f, "P6\n%u %u\n255\n", w, h);
	for (size_t i = 0; i < (size_t)w * h; i++) {
		fputc((int)(px[i] >> 16 & 0xFF), f);
		fputc((int)(px[i] >> 8 & 0xFF), f);
		fputc((int)(px[i] & 0xFF), f);
	}
	free(px);
	if (fclose(f) != 0) {
		perror(argv[0]);
		return 2;
	}
	return 0;
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
	if (argc == 6 && strcmp(argv[1], "--write") == 0)
		return write_pattern(argv + 2);
	if (argc == 5 && strcmp(argv[1], "--ppm") == 0)
		return paint_ppm(argv + 2);
	if (argc == 11 && strcmp(argv[1], "--pan") == 0)
		return pan(argv + 2);
	if (argc == 6)
		return paint(argv);
	fprintf(stderr, "usage: x11_paint X Y W H SEED | --ppm FILE X Y | "
	    "--pan FILE X Y W H STEP FPS FRAMES EVERY | --write FILE W H SEED | "
	    "--fb WxH | --warp X Y | --monitor X Y W H\n");
	return 2;
}
