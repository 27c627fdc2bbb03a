/* SPDX-License-Identifier: Apache-2.0 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xfixes.h>

#include "buf.h"
#include "err.h"  /* before clip.h: it uses WUR */
#include "clip.h"
#include "limits.h"
#include "log.h"

struct x11_clip {
	struct clip base;              /* first: clip.c sees only this */
	Display *dpy;
	Window win;
	int fixes_event;
	Atom clipboard, utf8, string, text, targets, incr, prop;
	char *own;          /* our text while we own the selection, else NULL */
	size_t own_len;
	char *got;          /* the host's last text, handed out by clip_poll */
	size_t got_len;
};

/*
 * Xlib's error handler is per process: a requestor that vanishes before
 * we answer gives BadWindow, which must not end the master. Errors on
 * other connections go to whoever handled them before.
 */
static Display *clip_dpy;
static XErrorHandler prev_handler;

static int
on_error(Display *d, XErrorEvent *e)
{
	if (d == clip_dpy) {
		log_debug("clipboard: X error %d (request %d)", e->error_code, e->request_code);
		return 0;
	}
	return prev_handler != NULL ? prev_handler(d, e) : 0;
}

static struct x11_clip *
x11_clip_open(const char *display, char *why, size_t why_len)
{
	struct x11_clip *c;
	int ev, er;

	if (clip_dpy != NULL) {
		snprintf(why, why_len, "the clipboard is already open");
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	if ((c->dpy = XOpenDisplay(display)) == NULL) {
		snprintf(why, why_len, "cannot open display %s", display ? display : "$DISPLAY");
		free(c);
		return NULL;
	}
	if (!XFixesQueryExtension(c->dpy, &c->fixes_event, &er)) {
		snprintf(why, why_len, "the X server has no XFIXES extension");
		XCloseDisplay(c->dpy);
		free(c);
		return NULL;
	}
	ev = 0;
	er = 0;
	XFixesQueryVersion(c->dpy, &ev, &er);
	c->clipboard = XInternAtom(c->dpy, "CLIPBOARD", False);
	c->utf8 = XInternAtom(c->dpy, "UTF8_STRING", False);
	c->string = XA_STRING;
	c->text = XInternAtom(c->dpy, "TEXT", False);
	c->targets = XInternAtom(c->dpy, "TARGETS", False);
	c->incr = XInternAtom(c->dpy, "INCR", False);
	c->prop = XInternAtom(c->dpy, "FERNSICHT_CLIP", False);
	c->win = XCreateSimpleWindow(c->dpy, DefaultRootWindow(c->dpy), 0, 0, 1, 1, 0, 0, 0);
	XFixesSelectSelectionInput(c->dpy, c->win, c->clipboard, XFixesSetSelectionOwnerNotifyMask);
	clip_dpy = c->dpy;
	prev_handler = XSetErrorHandler(on_error);
	XFlush(c->dpy);
	return c;
}

static void
x11_clip_close(struct x11_clip *c)
{
	if (c == NULL)
		return;
	XDestroyWindow(c->dpy, c->win);
	XSync(c->dpy, False);
	XSetErrorHandler(prev_handler);
	clip_dpy = NULL;
	XCloseDisplay(c->dpy);
	free(c->own);
	free(c->got);
	free(c);
}

static int
x11_clip_fd(const struct x11_clip *c)
{
	return ConnectionNumber(c->dpy);
}

static int
x11_clip_set(struct x11_clip *c, const char *text, size_t len)
{
	char *copy;

	if (len > MSG_CLIPBOARD_MAX)
		return ERR_TOO_LARGE;
	if (!buf_utf8_valid((const uint8_t *)text, len))
		return ERR_FORMAT;
	if ((copy = malloc(len + 1)) == NULL)
		return ERR_NOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	free(c->own);
	c->own = copy;
	c->own_len = len;
	/* No round trip here: events it would queue would wait for the fd. */
	XSetSelectionOwner(c->dpy, c->clipboard, c->win, CurrentTime);
	XFlush(c->dpy);
	return 0;
}

static bool
ascii(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return false;
	return true;
}

/* Answer another client's request for our text (ICCCM 2.2). */
static void
answer(struct x11_clip *c, const XSelectionRequestEvent *rq)
{
	Atom list[] = { c->targets, c->utf8, c->text, c->string };
	XSelectionEvent re = {
		.type = SelectionNotify, .display = rq->display, .requestor = rq->requestor,
		.selection = rq->selection, .target = rq->target, .time = rq->time,
		.property = None,
	};
	/* Obsolete requestors give no property: use the target's name. */
	Atom prop = rq->property != None ? rq->property : rq->target;
	long max = XExtendedMaxRequestSize(c->dpy);

	if (max == 0)
		max = XMaxRequestSize(c->dpy);
	if (c->own == NULL || rq->selection != c->clipboard) {
		/* Not ours (any more): refuse. */
	} else if (rq->target == c->targets) {
		XChangeProperty(c->dpy, rq->requestor, prop, XA_ATOM, 32, PropModeReplace,
		    (const unsigned char *)list, (int)(sizeof(list) / sizeof(list[0])) -
		    !ascii(c->own, c->own_len));
		re.property = prop;
	} else if ((size_t)max * 4 < c->own_len + 64) {
		/* INCR transfers are not implemented; the server limit is MiBs. */
		log_warn("clipboard: %zu bytes exceed the X request size", c->own_len);
	} else if (rq->target == c->utf8 || rq->target == c->text) {
		XChangeProperty(c->dpy, rq->requestor, prop, c->utf8, 8, PropModeReplace,
		    (const unsigned char *)c->own, (int)c->own_len);
		re.property = prop;
	} else if (rq->target == c->string && ascii(c->own, c->own_len)) {
		/* STRING is Latin-1; plain ASCII is the same in both. */
		XChangeProperty(c->dpy, rq->requestor, prop, c->string, 8, PropModeReplace,
		    (const unsigned char *)c->own, (int)c->own_len);
		re.property = prop;
	}
	XSendEvent(c->dpy, rq->requestor, False, NoEventMask, (XEvent *)&re);
}

/* The owner's answer to our conversion request: take the text from prop. */
static int
fetch(struct x11_clip *c, const XSelectionEvent *se)
{
	unsigned long n = 0, after = 0;
	unsigned char *data = NULL;
	Atom type = None;
	int format = 0, r = 0;
	char *copy;

	if (se->property == None) {
		log_info("clipboard: the owner has no UTF-8 text");
		return 0;
	}
	/* One long past the limit tells a too large text from a full one. */
	if (XGetWindowProperty(c->dpy, c->win, c->prop, 0, MSG_CLIPBOARD_MAX / 4 + 1, True,
	    AnyPropertyType, &type, &format, &n, &after, &data) != Success)
		return 0;
	if (type == c->incr) {
		log_warn("clipboard: not taken: the owner sends it incrementally (large text)");
	} else if (type != c->utf8 || format != 8) {
		log_info("clipboard: not taken: not UTF-8 text");
	} else if (after > 0 || n > MSG_CLIPBOARD_MAX) {
		log_warn("clipboard: not taken: more than %d bytes", MSG_CLIPBOARD_MAX);
	} else if (!buf_utf8_valid(data, n)) {
		log_warn("clipboard: not taken: invalid UTF-8");
	} else if ((copy = malloc(n + 1)) != NULL) {
		memcpy(copy, data, n);
		copy[n] = '\0';
		free(c->got);
		c->got = copy;
		c->got_len = n;
		r = 1;
	}
	if (data != NULL)
		XFree(data);
	return r;
}

static int
x11_clip_poll(struct x11_clip *c, const char **text, size_t *len)
{
	int got = 0;
	XEvent e;

	/* Every queued event now: the fd does not wake for queued ones. */
	while (XPending(c->dpy) > 0) {
		XNextEvent(c->dpy, &e);
		if (e.type == c->fixes_event + XFixesSelectionNotify) {
			XFixesSelectionNotifyEvent *fe = (XFixesSelectionNotifyEvent *)&e;

			/* Our own clip_set, or nobody: nothing to read. */
			if (fe->owner == c->win || fe->owner == None)
				continue;
			free(c->own);
			c->own = NULL;
			XConvertSelection(c->dpy, c->clipboard, c->utf8, c->prop, c->win,
			    fe->selection_timestamp);
		} else if (e.type == SelectionNotify) {
			if (fetch(c, &e.xselection) == 1)
				got = 1;
		} else if (e.type == SelectionRequest) {
			answer(c, &e.xselectionrequest);
		} else if (e.type == SelectionClear) {
			free(c->own);
			c->own = NULL;
		}
	}
	XFlush(c->dpy);
	if (got) {
		*text = c->got;
		*len = c->got_len;
	}
	return got;
}

/* ---- the back-end's entry in clip.c's table ---- */

static struct clip *
op_open(const char *display, char *why, size_t why_len)
{
	struct x11_clip *c = x11_clip_open(display, why, why_len);

	return c != NULL ? &c->base : NULL;
}

static void
op_close(struct clip *c)
{
	x11_clip_close((struct x11_clip *)c);
}

static int
op_fd(const struct clip *c)
{
	return x11_clip_fd((const struct x11_clip *)c);
}

static int
op_poll(struct clip *c, const char **text, size_t *len)
{
	return x11_clip_poll((struct x11_clip *)c, text, len);
}

static int
op_set(struct clip *c, const char *text, size_t len)
{
	return x11_clip_set((struct x11_clip *)c, text, len);
}

const struct clip_ops clip_x11_ops = {
	.name = "x11",
	.open = op_open,
	.close = op_close,
	.fd = op_fd,
	.poll = op_poll,
	.set = op_set,
};
