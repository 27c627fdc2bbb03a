/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x11_stack - the stacking order of top-level windows on $DISPLAY, and a
 * window to cover them, for tests without a window manager.
 *
 *   x11_stack list         one line per mapped child of the root window,
 *                          from the bottom to the top of the stack:
 *                          "ID X Y W H NAME" (ID in decimal, as xdotool
 *                          prints it; NAME is _NET_WM_NAME, else WM_NAME,
 *                          else "-")
 *   x11_stack cover NAME   map a window named NAME over the whole screen,
 *                          print "covering ID", then for each line "raise"
 *                          on stdin raise it to the top and print "raised";
 *                          ends at the end of stdin
 *
 * Exit 2 when there is no display.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

static Display *
open_display(void)
{
	Display *dpy = XOpenDisplay(NULL);

	if (dpy == NULL) {
		fprintf(stderr, "x11_stack: cannot open display %s\n", getenv("DISPLAY"));
		exit(2);
	}
	return dpy;
}

/* The window's name into out; "-" when it has none. */
static void
window_name(Display *dpy, Window w, char *out, size_t len)
{
	Atom utf8 = XInternAtom(dpy, "UTF8_STRING", False), type;
	unsigned long n, after;
	unsigned char *p = NULL;
	char *name = NULL;
	int format;

	snprintf(out, len, "-");
	if (XGetWindowProperty(dpy, w, XInternAtom(dpy, "_NET_WM_NAME", False), 0, 1024, False,
	    utf8, &type, &format, &n, &after, &p) == Success && p != NULL && type == utf8 &&
	    format == 8 && n > 0) {
		snprintf(out, len, "%.*s", (int)n, (const char *)p);
	} else if (XFetchName(dpy, w, &name) != 0 && name != NULL) {
		snprintf(out, len, "%s", name);
	}
	if (p != NULL)
		XFree(p);
	if (name != NULL)
		XFree(name);
	/* One window, one line. */
	for (char *c = out; *c != '\0'; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
}

static int
list(void)
{
	Display *dpy = open_display();
	Window root, parent, *kids = NULL;
	unsigned n;
	char name[1024];

	if (XQueryTree(dpy, DefaultRootWindow(dpy), &root, &parent, &kids, &n) == 0) {
		fprintf(stderr, "x11_stack: XQueryTree failed\n");
		return 1;
	}
	/* XQueryTree gives the children from the bottom of the stack up. */
	for (unsigned i = 0; i < n; i++) {
		XWindowAttributes a;

		if (XGetWindowAttributes(dpy, kids[i], &a) == 0 || a.map_state != IsViewable)
			continue;
		window_name(dpy, kids[i], name, sizeof(name));
		printf("%lu %d %d %d %d %s\n", (unsigned long)kids[i], a.x, a.y, a.width, a.height,
		    name);
	}
	if (kids != NULL)
		XFree(kids);
	XCloseDisplay(dpy);
	return 0;
}

static int
cover(const char *name)
{
	Display *dpy = open_display();
	int scr = DefaultScreen(dpy);
	Window w;
	XEvent ev;
	char line[64];

	w = XCreateSimpleWindow(dpy, RootWindow(dpy, scr), 0, 0, (unsigned)DisplayWidth(dpy, scr),
	    (unsigned)DisplayHeight(dpy, scr), 0, BlackPixel(dpy, scr), 0x3a6ea5);
	XStoreName(dpy, w, name);
	XChangeProperty(dpy, w, XInternAtom(dpy, "_NET_WM_NAME", False),
	    XInternAtom(dpy, "UTF8_STRING", False), 8, PropModeReplace,
	    (const unsigned char *)name, (int)strlen(name));
	XSelectInput(dpy, w, StructureNotifyMask);
	XMapWindow(dpy, w);
	do
		XNextEvent(dpy, &ev);
	while (ev.type != MapNotify);
	printf("covering %lu\n", (unsigned long)w);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (strcmp(line, "raise\n") != 0) {
			fprintf(stderr, "x11_stack: unknown command %s", line);
			continue;
		}
		XRaiseWindow(dpy, w);
		XSync(dpy, False);
		printf("raised\n");
		fflush(stdout);
	}
	XCloseDisplay(dpy);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return list();
	if (argc == 3 && strcmp(argv[1], "cover") == 0)
		return cover(argv[2]);
	fprintf(stderr, "usage: x11_stack list | x11_stack cover NAME\n");
	return 1;
}
