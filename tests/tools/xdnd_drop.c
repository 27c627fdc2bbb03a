/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xdnd_drop - drop files on a window as a file manager does, through the
 * XDND protocol (version 5), for tests:
 *
 *   xdnd_drop (--window ID | --name TEXT) [--timeout S] PATH...
 *
 * The target (given by id, or the first window whose name contains TEXT)
 * must carry XdndAware. The tool owns XdndSelection with an unmapped
 * window of its own, sends XdndEnter offering text/uri-list and
 * XdndPosition at the target's centre, waits for XdndStatus, sends
 * XdndDrop, answers the target's SelectionRequest with the paths as
 * file:// URIs (percent-encoded; relative paths made absolute) and waits
 * for XdndFinished. It prints
 *   target 0xID version=V
 *   status accept=0|1
 *   sent uri-list bytes=N
 *   finished accept=0|1
 * and exits 0 when the target accepted and finished, 1 when it refused,
 * has no XdndAware or did not answer in time, 2 on a usage error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>

enum { XDND_VERSION = 5, URI_MAX = 1 << 20 };

static Display *dpy;
static Atom a_aware, a_enter, a_position, a_status, a_leave, a_drop, a_finished, a_selection;
static Atom a_uri_list, a_copy, a_targets;

static void
atoms(void)
{
	a_aware = XInternAtom(dpy, "XdndAware", False);
	a_enter = XInternAtom(dpy, "XdndEnter", False);
	a_position = XInternAtom(dpy, "XdndPosition", False);
	a_status = XInternAtom(dpy, "XdndStatus", False);
	a_leave = XInternAtom(dpy, "XdndLeave", False);
	a_drop = XInternAtom(dpy, "XdndDrop", False);
	a_finished = XInternAtom(dpy, "XdndFinished", False);
	a_selection = XInternAtom(dpy, "XdndSelection", False);
	a_uri_list = XInternAtom(dpy, "text/uri-list", False);
	a_copy = XInternAtom(dpy, "XdndActionCopy", False);
	a_targets = XInternAtom(dpy, "TARGETS", False);
}

/* The XdndAware version of w, or 0 when it has none. */
static int
aware(Window w)
{
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	int v = 0;

	if (XGetWindowProperty(dpy, w, a_aware, 0, 1, False, XA_ATOM, &type, &format, &n, &after,
	    &data) == Success && type == XA_ATOM && format == 32 && n == 1)
		v = (int)((unsigned long *)data)[0];
	if (data != NULL)
		XFree(data);
	return v;
}

/* The first window under w whose name contains name, aware ones first. */
static Window
find(Window w, const char *name, bool want_aware)
{
	Window root, parent, *kids = NULL, hit = None;
	unsigned int n = 0;
	char *title = NULL;

	if (XFetchName(dpy, w, &title) && title != NULL) {
		if (strstr(title, name) != NULL && (!want_aware || aware(w) > 0))
			hit = w;
		XFree(title);
	}
	if (hit == None && XQueryTree(dpy, w, &root, &parent, &kids, &n)) {
		for (unsigned int i = 0; i < n && hit == None; i++)
			hit = find(kids[i], name, want_aware);
		if (kids != NULL)
			XFree(kids);
	}
	return hit;
}

static void
client_message(Window target, Atom type, long l0, long l1, long l2, long l3, long l4)
{
	XEvent ev;

	memset(&ev, 0, sizeof(ev));
	ev.xclient.type = ClientMessage;
	ev.xclient.window = target;
	ev.xclient.message_type = type;
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = l0;
	ev.xclient.data.l[1] = l1;
	ev.xclient.data.l[2] = l2;
	ev.xclient.data.l[3] = l3;
	ev.xclient.data.l[4] = l4;
	XSendEvent(dpy, target, False, NoEventMask, &ev);
	XFlush(dpy);
}

/* "file://" + the absolute path, unreserved bytes and '/' as they are,
 * every other byte as %XX; lines end in CR LF (RFC 2483). */
static size_t
add_uri(char *out, size_t o, size_t max, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char cwd[4096], full[8192];

	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL)
		snprintf(full, sizeof(full), "%s/%s", cwd, path);
	else
		snprintf(full, sizeof(full), "%s", path);
	o += (size_t)snprintf(out + o, max - o, "file://");
	for (const unsigned char *p = (const unsigned char *)full; *p != '\0' && o + 4 < max; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	if (o + 3 < max)
		o += (size_t)snprintf(out + o, max - o, "\r\n");
	return o;
}

/* Answer a SelectionRequest for our XdndSelection. */
static void
answer(const XSelectionRequestEvent *r, const char *uris, size_t len)
{
	XEvent n;
	Atom prop = r->property != None ? r->property : r->target;

	memset(&n, 0, sizeof(n));
	n.xselection.type = SelectionNotify;
	n.xselection.requestor = r->requestor;
	n.xselection.selection = r->selection;
	n.xselection.target = r->target;
	n.xselection.time = r->time;
	n.xselection.property = prop;
	if (r->target == a_uri_list) {
		XChangeProperty(dpy, r->requestor, prop, a_uri_list, 8, PropModeReplace,
		    (const unsigned char *)uris, (int)len);
		printf("sent uri-list bytes=%zu\n", len);
	} else if (r->target == a_targets) {
		Atom t[2] = { a_targets, a_uri_list };

		XChangeProperty(dpy, r->requestor, prop, XA_ATOM, 32, PropModeReplace,
		    (const unsigned char *)t, 2);
	} else {
		n.xselection.property = None;
	}
	XSendEvent(dpy, r->requestor, False, NoEventMask, &n);
	XFlush(dpy);
}

/* The next event, or false when deadline (CLOCK_MONOTONIC s) passed. */
static bool
next_event(XEvent *ev, double deadline)
{
	struct timespec ts;

	for (;;) {
		fd_set r;
		struct timeval tv;
		double left;

		if (XPending(dpy) > 0) {
			XNextEvent(dpy, ev);
			return true;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		left = deadline - (ts.tv_sec + ts.tv_nsec / 1e9);
		if (left <= 0)
			return false;
		FD_ZERO(&r);
		FD_SET(ConnectionNumber(dpy), &r);
		tv.tv_sec = (time_t)left;
		tv.tv_usec = (suseconds_t)((left - (double)tv.tv_sec) * 1e6);
		if (select(ConnectionNumber(dpy) + 1, &r, NULL, NULL, &tv) == -1 && errno != EINTR)
			return false;
	}
}

static int
usage(void)
{
	fprintf(stderr, "usage: xdnd_drop (--window ID | --name TEXT) [--timeout S] PATH...\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *name = NULL;
	Window target = None, src;
	double timeout = 10, deadline;
	static char uris[URI_MAX];
	size_t len = 0;
	XWindowAttributes wa;
	struct timespec ts;
	Window child;
	int i, version, x, y;
	bool accepted = false, dropped = false;
	XEvent ev;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--window") == 0 && i + 1 < argc)
			target = (Window)strtoul(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = atof(argv[++i]);
		else
			return usage();
	}
	if (i == argc || (target == None) == (name == NULL))
		return usage();
	for (; i < argc; i++)
		len = add_uri(uris, len, sizeof(uris), argv[i]);
	if ((dpy = XOpenDisplay(NULL)) == NULL) {
		fprintf(stderr, "xdnd_drop: cannot open the display\n");
		return 1;
	}
	atoms();
	if (name != NULL && (target = find(DefaultRootWindow(dpy), name, true)) == None &&
	    (target = find(DefaultRootWindow(dpy), name, false)) == None) {
		fprintf(stderr, "xdnd_drop: no window named like \"%s\"\n", name);
		return 1;
	}
	if ((version = aware(target)) <= 0) {
		fprintf(stderr, "xdnd_drop: window 0x%lx has no XdndAware\n", target);
		return 1;
	}
	if (version > XDND_VERSION)
		version = XDND_VERSION;
	printf("target 0x%lx version=%d\n", target, version);
	if (!XGetWindowAttributes(dpy, target, &wa) ||
	    !XTranslateCoordinates(dpy, target, DefaultRootWindow(dpy), wa.width / 2, wa.height / 2,
	    &x, &y, &child)) {
		fprintf(stderr, "xdnd_drop: window 0x%lx is gone\n", target);
		return 1;
	}
	src = XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 1, 1, 0, 0, 0);
	XSetSelectionOwner(dpy, a_selection, src, CurrentTime);
	if (XGetSelectionOwner(dpy, a_selection) != src) {
		fprintf(stderr, "xdnd_drop: cannot own XdndSelection\n");
		return 1;
	}
	/* Three types or fewer travel in XdndEnter itself (bit 0 of l[1] clear). */
	client_message(target, a_enter, (long)src, (long)version << 24, (long)a_uri_list, 0, 0);
	client_message(target, a_position, (long)src, 0, (long)x << 16 | (y & 0xFFFF), CurrentTime,
	    (long)a_copy);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = ts.tv_sec + ts.tv_nsec / 1e9 + timeout;
	while (next_event(&ev, deadline)) {
		if (ev.type == SelectionRequest) {
			answer(&ev.xselectionrequest, uris, len);
		} else if (ev.type == ClientMessage && ev.xclient.message_type == a_status &&
		    !dropped) {
			accepted = (ev.xclient.data.l[1] & 1) != 0;
			printf("status accept=%d\n", accepted);
			if (!accepted) {
				client_message(target, a_leave, (long)src, 0, 0, 0, 0);
				return 1;
			}
			client_message(target, a_drop, (long)src, 0, CurrentTime, 0, 0);
			dropped = true;
		} else if (ev.type == ClientMessage && ev.xclient.message_type == a_finished) {
			bool ok = (ev.xclient.data.l[1] & 1) != 0;

			printf("finished accept=%d\n", ok);
			XDestroyWindow(dpy, src);
			XCloseDisplay(dpy);
			return ok ? 0 : 1;
		}
	}
	fprintf(stderr, "xdnd_drop: no %s from 0x%lx within %.0f s\n", dropped ? "XdndFinished" :
	    "XdndStatus", target, timeout);
	return 1;
}
