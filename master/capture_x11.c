/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture_x11.c - the X11 screen capture back-end (capture.h's "x11").
 *
 * A grab reads only what XDamage reported since the last one (fetched
 * through an XFixes region), one XShmGetImage (XGetImage without MIT-SHM)
 * per band of damaged tile rows, narrowed to the columns they touch; the
 * codec's tile compare then finds what really differs. Without damage
 * regions every grab reads everything. Xlib's error and I/O error
 * handlers are process-wide, so the ones here only record: an X error
 * must fail one call, and a lost display must end the session, not the
 * process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>
#include <X11/extensions/Xrandr.h>

#include "capture.h"
#include "clock.h"
#include "err.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "ximage.h"

struct x11 {
	struct capture base;            /* first: capture.c sees only this */
	Display *dpy;
	Window root;
	Visual *visual;
	int depth;
	int monitor;                    /* -1: the whole screen */
	int x, y, w, h;                 /* the captured area on the screen */
	bool geom_dirty;                /* re-read x, y, w, h before the next grab */
	bool closed;                    /* the connection broke */

	bool use_shm;
	bool shm_attached;
	XShmSegmentInfo shm;
	XImage *shm_img;                /* w x h, over shm.shmaddr */

	bool have_damage;
	int damage_ev;
	Damage damage;
	bool dirty;                     /* changed since the last grab */
	XserverRegion damaged;          /* scratch for the damage (XFixes 2); None: no regions */
	bool full;                      /* grab every row next time (start, resize, no regions) */
	int bpp_seen;                   /* an unreadable bits-per-pixel, for the message */
	unsigned sweep;                 /* the tile row re-read with the next sweep */
	uint64_t swept_ms;              /* when the last one was */

	bool have_fixes;
	int fixes_ev;
	bool shape_dirty;               /* XFixes announced a new cursor shape */
	bool shape_known;
	unsigned long shape_serial;     /* of the last shape handed out */
	int ptr_x, ptr_y;               /* last position seen (screen coordinates) */
	bool ptr_moved;

	bool have_rr;
	int rr_ev;

	/* Top-level windows, from the root's structure events: where each
	 * was at the last grab, so a moved window becomes a COPY hint. */
	struct capture_window {
		Window id;
		int x, y, w, h;         /* now */
		int gx, gy, gw, gh;     /* at the last grab */
	} win[CAPTURE_WINDOWS_MAX];
	unsigned n_win, next_win;
	struct codec_move moves[CODEC_MOVES_MAX];
	unsigned n_moves;               /* found by the last grab */

	char method[64];
};

static void x11_close(struct capture *base);

/* Set while a trap is active; read by trap_end(). */
static int x_error_code;

static int
on_x_error(Display *dpy, XErrorEvent *e)
{
	static struct log_rl rl;
	char text[128];

	x_error_code = e->error_code;
	XGetErrorText(dpy, e->error_code, text, sizeof(text));
	log_rl(&rl, LOG_DEBUG, "X error %s (request %d.%d)", text, e->request_code,
	    e->minor_code);
	return 0;
}

/* Xlib calls both on a broken connection; the defaults exit(1). */
static int
on_io_error(Display *dpy)
{
	log_warn("lost the connection to X display %s", DisplayString(dpy));
	return 0;
}

static void
on_io_error_exit(Display *dpy, void *arg)
{
	struct x11 *c = arg;

	(void)dpy;
	c->closed = true;
}

/*
 * Catch the errors of the requests between trap_begin() and trap_end(),
 * even when another module installed its own handler since open.
 */
static XErrorHandler
trap_begin(Display *dpy)
{
	XSync(dpy, False);
	x_error_code = 0;
	return XSetErrorHandler(on_x_error);
}

static int
trap_end(Display *dpy, XErrorHandler prev)
{
	XSync(dpy, False);
	XSetErrorHandler(prev);
	return x_error_code;
}

static void
shm_free(struct x11 *c)
{
	if (c->shm_img == NULL)
		return;
	if (c->shm_attached && !c->closed) {
		XShmDetach(c->dpy, &c->shm);
		XSync(c->dpy, False);
	}
	c->shm_attached = false;
	XDestroyImage(c->shm_img);      /* frees the XImage only, not the segment */
	c->shm_img = NULL;
	shmdt(c->shm.shmaddr);
}

/*
 * A shared segment for a w x h grab. 0, or -1 when MIT-SHM does not work
 * here (a remote display, no permission): the caller falls back.
 */
static int
shm_create(struct x11 *c)
{
	XErrorHandler prev;
	int err;

	memset(&c->shm, 0, sizeof(c->shm));
	c->shm_img = XShmCreateImage(c->dpy, c->visual, (unsigned)c->depth, ZPixmap, NULL,
	    &c->shm, (unsigned)c->w, (unsigned)c->h);
	if (c->shm_img == NULL)
		return -1;
	c->shm.shmid = shmget(IPC_PRIVATE, (size_t)c->shm_img->bytes_per_line * c->h,
	    IPC_CREAT | 0600);
	if (c->shm.shmid < 0) {
		log_warn("MIT-SHM: shmget: %s", strerror(errno));
		XDestroyImage(c->shm_img);
		c->shm_img = NULL;
		return -1;
	}
	c->shm.shmaddr = c->shm_img->data = shmat(c->shm.shmid, NULL, 0);
	if (c->shm.shmaddr == (char *)-1) {
		log_warn("MIT-SHM: shmat: %s", strerror(errno));
		shmctl(c->shm.shmid, IPC_RMID, NULL);
		XDestroyImage(c->shm_img);
		c->shm_img = NULL;
		return -1;
	}
	c->shm.readOnly = False;
	prev = trap_begin(c->dpy);
	XShmAttach(c->dpy, &c->shm);
	err = trap_end(c->dpy, prev);
	/* Both sides are attached now (or the server never will be): the
	 * segment goes away with the last detach, even if we crash. */
	shmctl(c->shm.shmid, IPC_RMID, NULL);
	c->shm_attached = err == 0;
	if (err != 0) {
		log_warn("MIT-SHM: the X server cannot attach our segment (X error %d); "
		    "using XGetImage", err);
		shm_free(c);
		return -1;
	}
	return 0;
}

static void
set_method(struct x11 *c)
{
	snprintf(c->method, sizeof(c->method), "%s%s%s%s", c->use_shm ? "XShm" : "XGetImage",
	    c->have_damage ? "+XDamage" : "", c->have_fixes ? "+XFixes" : "",
	    c->have_rr ? "+XRandR" : "");
}

/* Read where the captured area is now: the screen or one monitor. */
static int
read_geometry(struct x11 *c, char *why, size_t why_len)
{
	XWindowAttributes wa;
	int x = 0, y = 0, w, h;

	if (!XGetWindowAttributes(c->dpy, c->root, &wa)) {
		snprintf(why, why_len, "cannot read the size of the X screen");
		return ERR_SYSTEM;
	}
	w = wa.width;
	h = wa.height;
	if (c->monitor >= 0 && c->have_rr) {
		XRRMonitorInfo *mon;
		int n = 0;

		mon = XRRGetMonitors(c->dpy, c->root, True, &n);
		if (mon == NULL || c->monitor >= n) {
			snprintf(why, why_len, "there is no monitor %d: the display has %d "
			    "(numbered from 0)", c->monitor, mon == NULL ? 0 : n);
			if (mon != NULL)
				XRRFreeMonitors(mon);
			return ERR_SYSTEM;
		}
		x = mon[c->monitor].x;
		y = mon[c->monitor].y;
		/* A monitor may reach past the screen; capture what exists. */
		w = mon[c->monitor].width < wa.width - x ? mon[c->monitor].width : wa.width - x;
		h = mon[c->monitor].height < wa.height - y ? mon[c->monitor].height : wa.height - y;
		XRRFreeMonitors(mon);
		if (x < 0 || y < 0 || w <= 0 || h <= 0) {
			snprintf(why, why_len, "monitor %d lies outside the X screen", c->monitor);
			return ERR_SYSTEM;
		}
	} else if (c->monitor > 0) {
		snprintf(why, why_len, "there is no monitor %d: without XRandR 1.5 the "
		    "display counts as one monitor (0)", c->monitor);
		return ERR_SYSTEM;
	}
	if (w > MSG_DIM_MAX || h > MSG_DIM_MAX) {
		snprintf(why, why_len, "the captured area is %dx%d; at most %dx%d is supported "
		    "(choose one monitor)", w, h, MSG_DIM_MAX, MSG_DIM_MAX);
		return ERR_UNSUPPORTED;
	}
	if (w != c->w || h != c->h) {
		c->full = true;
		shm_free(c);
		c->w = w;
		c->h = h;
		if (c->use_shm && shm_create(c) != 0) {
			c->use_shm = false;
			set_method(c);
		}
	}
	if (x != c->x || y != c->y)
		c->full = true;
	c->x = x;
	c->y = y;
	c->geom_dirty = false;
	return 0;
}

static struct x11 *
x11_open(const char *display, int monitor, char *why, size_t why_len)
{
	struct x11 *c;

	const char *name = display != NULL ? display : getenv("DISPLAY");
	const char *no_shm = getenv("FERNSICHT_NO_XSHM");
	int scr, ev, er, major, minor;
	Bool pixmaps;

	if (why_len > 0)
		why[0] = '\0';
	if (name == NULL || name[0] == '\0') {
		if (getenv("WAYLAND_DISPLAY") != NULL)
			snprintf(why, why_len, "%s", _("this is a Wayland session without X11 "
			    "(DISPLAY is not set): on wlroots compositors (sway) use --source wlr"));
		else
			snprintf(why, why_len, "%s", _("no X display: DISPLAY is not set"));
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	c->monitor = monitor < 0 ? -1 : monitor;
	if ((c->dpy = XOpenDisplay(name)) == NULL) {
		snprintf(why, why_len, _("cannot open display %s: no X server there or no "
		    "permission (is XAUTHORITY set?)"), name);
		free(c);
		return NULL;
	}
	XSetErrorHandler(on_x_error);
	XSetIOErrorHandler(on_io_error);
	XSetIOErrorExitHandler(c->dpy, on_io_error_exit, c);
	scr = DefaultScreen(c->dpy);
	c->root = RootWindow(c->dpy, scr);
	c->visual = DefaultVisual(c->dpy, scr);
	c->depth = DefaultDepth(c->dpy, scr);
	if (c->visual->class != TrueColor || (c->depth != 24 && c->depth != 32)) {
		/* TRANSLATORS: the third %s is "TrueColor" or "colour-mapped". */
		snprintf(why, why_len, _("display %s uses a %d-bit %s visual; only 24- or 32-bit "
		    "TrueColor screens can be captured"), name, c->depth,
		    c->visual->class == TrueColor ? "TrueColor" : "colour-mapped");
		goto fail;
	}
	/* Xwayland shows Wayland windows as black: say so in the log. */
	if (XQueryExtension(c->dpy, "XWAYLAND", &major, &ev, &er))
		log_warn("display %s is Xwayland: windows of Wayland programs will look black", name);

	c->use_shm = XShmQueryExtension(c->dpy) && XShmQueryVersion(c->dpy, &major, &minor,
	    &pixmaps) && !(no_shm != NULL && strcmp(no_shm, "1") == 0);
	if (XDamageQueryExtension(c->dpy, &c->damage_ev, &er)) {
		c->have_damage = true;
		/* NonEmpty: one event until we subtract, not one per drawing. */
		c->damage = XDamageCreate(c->dpy, c->root, XDamageReportNonEmpty);
	}
	if (XFixesQueryExtension(c->dpy, &c->fixes_ev, &er) &&
	    XFixesQueryVersion(c->dpy, &major, &minor) && major >= 1) {
		c->have_fixes = true;
		XFixesSelectCursorInput(c->dpy, c->root, XFixesDisplayCursorNotifyMask);
		/* Regions (XFixes 2) say where the damage is, so a grab reads
		 * only those rows; without them every grab reads everything. */
		if (major >= 2 && c->have_damage)
			c->damaged = XFixesCreateRegion(c->dpy, NULL, 0);
	}
	if (XRRQueryExtension(c->dpy, &c->rr_ev, &er) &&
	    XRRQueryVersion(c->dpy, &major, &minor) && (major > 1 || minor >= 5)) {
		/* 1.5 has monitors; CRTC changes move them without a resize. */
		c->have_rr = true;
		XRRSelectInput(c->dpy, c->root, RRScreenChangeNotifyMask |
		    RRCrtcChangeNotifyMask | RROutputChangeNotifyMask);
	}
	XSelectInput(c->dpy, c->root, SubstructureNotifyMask);
	set_method(c);
	if (read_geometry(c, why, why_len) != 0)
		goto fail;
	c->dirty = true;
	c->full = true;
	c->shape_dirty = c->have_fixes;
	c->ptr_x = c->ptr_y = -1;
	c->ptr_moved = true;
	return c;
fail:
	x11_close(&c->base);
	return NULL;
}

static void
x11_close(struct capture *base)
{
	struct x11 *c = (struct x11 *)base;
	if (c == NULL)
		return;
	shm_free(c);
	if (c->damaged != None && !c->closed)
		XFixesDestroyRegion(c->dpy, c->damaged);
	if (c->have_damage && !c->closed)
		XDamageDestroy(c->dpy, c->damage);
	XCloseDisplay(c->dpy);
	free(c);
}

static int
x11_fd(const struct capture *base)
{
	const struct x11 *c = (const struct x11 *)base;
	return ConnectionNumber(c->dpy);
}

static bool
x11_queued(const struct capture *base)
{
	const struct x11 *c = (const struct x11 *)base;
	return !c->closed && XEventsQueued(c->dpy, QueuedAlready) > 0;
}

/* Where the pointer is now; false when unknown (on another screen). */
static bool
query_pointer(struct x11 *c, int *x, int *y)
{
	Window root_ret, child;
	int wx, wy;
	unsigned mask;

	return XQueryPointer(c->dpy, c->root, &root_ret, &child, x, y, &wx, &wy, &mask) &&
	    !c->closed;
}

/* A top-level window was made, changed or went away. */
static void
track_window(struct x11 *c, Window id, int x, int y, int w, int h, bool gone)
{
	struct capture_window *cw = NULL;
	unsigned i;

	for (i = 0; i < c->n_win && cw == NULL; i++)
		if (c->win[i].id == id)
			cw = &c->win[i];
	if (gone) {
		if (cw != NULL)
			*cw = c->win[--c->n_win];
		return;
	}
	if (cw == NULL) {
		/* Full: forget one in turn (it only costs a missed hint). */
		if (c->n_win < CAPTURE_WINDOWS_MAX)
			cw = &c->win[c->n_win++];
		else
			cw = &c->win[c->next_win++ % CAPTURE_WINDOWS_MAX];
		cw->id = id;
		cw->gx = x;
		cw->gy = y;
		cw->gw = w;
		cw->gh = h;
	}
	cw->x = x;
	cw->y = y;
	cw->w = w;
	cw->h = h;
}

/* The windows that moved (same size) since the last grab, as moves. */
static void
collect_moves(struct x11 *c)
{
	c->n_moves = 0;
	for (unsigned i = 0; i < c->n_win; i++) {
		struct capture_window *cw = &c->win[i];
		struct codec_move mv = { (int16_t)(cw->x - cw->gx), (int16_t)(cw->y - cw->gy) };
		unsigned k;

		if (cw->w == cw->gw && cw->h == cw->gh && (mv.dx != 0 || mv.dy != 0)) {
			for (k = 0; k < c->n_moves; k++)
				if (c->moves[k].dx == mv.dx && c->moves[k].dy == mv.dy)
					break;
			if (k == c->n_moves && c->n_moves < CODEC_MOVES_MAX)
				c->moves[c->n_moves++] = mv;
		}
		cw->gx = cw->x;
		cw->gy = cw->y;
		cw->gw = cw->w;
		cw->gh = cw->h;
	}
}

static unsigned
x11_moves(const struct capture *base, struct codec_move *moves)
{
	const struct x11 *c = (const struct x11 *)base;
	memcpy(moves, c->moves, c->n_moves * sizeof(*moves));
	return c->n_moves;
}

static int
x11_poll(struct capture *base, bool *screen_dirty, bool *cursor_dirty)
{
	struct x11 *c = (struct x11 *)base;
	XEvent ev;
	int x, y;

	*screen_dirty = false;
	*cursor_dirty = false;
	while (!c->closed && XPending(c->dpy) > 0) {
		XNextEvent(c->dpy, &ev);
		if (c->have_damage && ev.type == c->damage_ev + XDamageNotify) {
			c->dirty = true;
		} else if (ev.type == CreateNotify) {
			track_window(c, ev.xcreatewindow.window, ev.xcreatewindow.x,
			    ev.xcreatewindow.y, ev.xcreatewindow.width, ev.xcreatewindow.height, false);
		} else if (ev.type == ConfigureNotify && ev.xconfigure.event == c->root) {
			track_window(c, ev.xconfigure.window, ev.xconfigure.x, ev.xconfigure.y,
			    ev.xconfigure.width, ev.xconfigure.height, false);
		} else if (ev.type == DestroyNotify) {
			track_window(c, ev.xdestroywindow.window, 0, 0, 0, 0, true);
		} else if (c->have_fixes && ev.type == c->fixes_ev + XFixesCursorNotify) {
			c->shape_dirty = true;
		} else if (c->have_rr && (ev.type == c->rr_ev + RRScreenChangeNotify ||
		    ev.type == c->rr_ev + RRNotify)) {
			XRRUpdateConfiguration(&ev);
			c->geom_dirty = true;
			c->dirty = true;
		}
	}
	if (!c->closed && query_pointer(c, &x, &y) && (x != c->ptr_x || y != c->ptr_y)) {
		c->ptr_x = x;
		c->ptr_y = y;
		c->ptr_moved = true;
	}
	if (c->closed)
		return ERR_CLOSED;
	/* A sweep that is due is a reason to grab, too (read_damage). */
	*screen_dirty = c->dirty || !c->have_damage ||
	    (c->damaged != None && mono_ms() - c->swept_ms >= CAPTURE_SWEEP_MS);
	*cursor_dirty = c->shape_dirty || c->ptr_moved;
	return 0;
}

/*
 * Read the w x rows rectangle at (x0, y0) of the captured area into img.
 * With MIT-SHM the shared image is narrowed to it for one request: the
 * server writes it packed (its own stride for w) at the place of row y0
 * in the segment, which always has room. 0, or an X error code
 * (BadMatch: the area no longer fits the screen), or -1 for a pixel
 * format we cannot read.
 */
static int
grab_rect(struct x11 *c, struct image *img, int x0, int y0, int w, int rows)
{
	XImage *xi;
	int ok;

	if (c->use_shm) {
		XImage saved = *c->shm_img;
		int pad = c->shm_img->bitmap_pad;

		xi = c->shm_img;
		xi->data = saved.data + (size_t)y0 * saved.bytes_per_line;
		xi->width = w;
		xi->height = rows;
		xi->bytes_per_line = (w * xi->bits_per_pixel + pad - 1) / pad * (pad / 8);
		x_error_code = 0;
		ok = XShmGetImage(c->dpy, c->root, xi, c->x + x0, c->y + y0, AllPlanes);
		if (ok && x_error_code == 0 && (xi->bits_per_pixel == 32 || xi->bits_per_pixel == 24))
			ximage_convert(xi, img, x0, y0);
		xi->data = saved.data;
		xi->width = saved.width;
		xi->height = saved.height;
		xi->bytes_per_line = saved.bytes_per_line;
		if (!ok || x_error_code != 0)
			return x_error_code != 0 ? x_error_code : BadImplementation;
	} else {
		x_error_code = 0;
		xi = XGetImage(c->dpy, c->root, c->x + x0, c->y + y0, (unsigned)w, (unsigned)rows,
		    AllPlanes, ZPixmap);
		if (xi == NULL)
			return x_error_code != 0 ? x_error_code : BadImplementation;
		if (xi->bits_per_pixel == 32 || xi->bits_per_pixel == 24)
			ximage_convert(xi, img, x0, y0);
	}
	ok = xi->bits_per_pixel == 32 || xi->bits_per_pixel == 24 ? 0 : -1;
	if (ok != 0)
		c->bpp_seen = xi->bits_per_pixel;
	if (xi != c->shm_img)
		XDestroyImage(xi);
	return ok;
}

/*
 * Which tile rows to read, and which tiles to compare, from the damage
 * since the last grab: rows[tile row] and hint[tile]. The damage is
 * fetched and cleared in one request pair, before looking, so drawing
 * during the grab is damage for the next one instead of being lost.
 * Returns false when everything must be read.
 */
static bool
read_damage(struct x11 *c, uint8_t *rows, uint8_t *hint, int tiles_x, int tiles_y)
{
	XRectangle *r;
	uint64_t now;
	int n = 0;

	if (c->damaged == None) {
		XDamageSubtract(c->dpy, c->damage, None, None);
		return false;
	}
	XDamageSubtract(c->dpy, c->damage, None, c->damaged);
	/* An empty region may come back as NULL; a broken display as well. */
	if ((r = XFixesFetchRegion(c->dpy, c->damaged, &n)) == NULL && (n != 0 || c->closed))
		return false;
	for (int i = 0; i < n; i++) {
		/* Into the captured area's coordinates, clipped to it. */
		int x0 = r[i].x - c->x, y0 = r[i].y - c->y;
		int x1 = x0 + r[i].width, y1 = y0 + r[i].height;

		x0 = x0 < 0 ? 0 : x0;
		y0 = y0 < 0 ? 0 : y0;
		x1 = x1 > c->w ? c->w : x1;
		y1 = y1 > c->h ? c->h : y1;
		if (x0 >= x1 || y0 >= y1)
			continue;
		for (int ty = y0 / MSG_TILE_LEN; ty <= (y1 - 1) / MSG_TILE_LEN; ty++) {
			rows[ty] = 1;
			memset(hint + (size_t)ty * tiles_x + x0 / MSG_TILE_LEN, 1,
			    (size_t)((x1 - 1) / MSG_TILE_LEN - x0 / MSG_TILE_LEN + 1));
		}
	}
	if (r != NULL)
		XFree(r);
	/* Damage is a hint: one more tile row, in turn, is read and compared
	 * whole every CAPTURE_SWEEP_MS (capture_poll() asks for a grab when
	 * one is due, damage or not), so a change X did not report - a GL
	 * program, a compositor that loses damage - is caught: at 1080p the
	 * screen is swept in under 4 s. Not on every grab: a keystroke is a
	 * few hundred pixels, a tile row 120 000. */
	now = mono_ms();
	if (now - c->swept_ms >= CAPTURE_SWEEP_MS) {
		c->swept_ms = now;
		c->sweep = c->sweep >= (unsigned)tiles_y ? 0 : c->sweep;
		rows[c->sweep] = 1;
		memset(hint + (size_t)c->sweep * tiles_x, 1, (size_t)tiles_x);
		c->sweep++;
	}
	return true;
}

/* One grab attempt: 0, 1 when the area no longer fits the screen, or < 0. */
static int
grab_once(struct x11 *c, struct image *img, uint8_t *hint, char *why, size_t why_len)
{
	int tiles_x = (c->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	int tiles_y = (c->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	uint8_t rows[MSG_DIM_MAX / MSG_TILE_LEN];
	XErrorHandler prev;
	int err = 0;

	memset(rows, 0, sizeof(rows));
	memset(hint, 0, (size_t)tiles_x * tiles_y);
	prev = trap_begin(c->dpy);
	if (c->full || !c->have_damage || !read_damage(c, rows, hint, tiles_x, tiles_y)) {
		if (c->have_damage && c->full)
			XDamageSubtract(c->dpy, c->damage, None, None);
		memset(rows, 1, (size_t)tiles_y);
		memset(hint, 1, (size_t)tiles_x * tiles_y);
	}
	c->bpp_seen = 0;
	/* Runs of tile rows, each one request for the columns they touch. */
	for (int ty = 0; ty < tiles_y && err == 0 && !c->closed; ty++) {
		int end = ty, y0, y1, tx0 = tiles_x, tx1 = -1, x1;

		if (!rows[ty])
			continue;
		while (end + 1 < tiles_y && rows[end + 1])
			end++;
		for (int t = ty; t <= end; t++)
			for (int tx = 0; tx < tiles_x; tx++)
				if (hint[t * tiles_x + tx]) {
					tx0 = tx < tx0 ? tx : tx0;
					tx1 = tx > tx1 ? tx : tx1;
				}
		if (tx1 < 0) {
			tx0 = 0;
			tx1 = tiles_x - 1;
		}
		y0 = ty * MSG_TILE_LEN;
		y1 = (end + 1) * MSG_TILE_LEN > c->h ? c->h : (end + 1) * MSG_TILE_LEN;
		x1 = (tx1 + 1) * MSG_TILE_LEN > c->w ? c->w : (tx1 + 1) * MSG_TILE_LEN;
		err = grab_rect(c, img, tx0 * MSG_TILE_LEN, y0, x1 - tx0 * MSG_TILE_LEN, y1 - y0);
		ty = end;
	}
	trap_end(c->dpy, prev);
	if (c->closed) {
		snprintf(why, why_len, "the X display closed the connection");
		return ERR_CLOSED;
	}
	if (err == -1) {
		snprintf(why, why_len, "the X server sends %d bits per pixel; only 24 and 32 "
		    "are supported", c->bpp_seen);
		return ERR_UNSUPPORTED;
	}
	if (err != 0) {
		/* BadMatch: the screen shrank under us; the RandR event follows. */
		if (err == BadMatch)
			return 1;
		snprintf(why, why_len, "%s failed (X error %d)",
		    c->use_shm ? "XShmGetImage" : "XGetImage", err);
		return ERR_SYSTEM;
	}
	c->full = false;
	collect_moves(c);
	return 0;
}

static int
x11_grab(struct capture *base, struct image *img, uint8_t *hint, char *why,
    size_t why_len)
{
	struct x11 *c = (struct x11 *)base;
	int r, tries;

	if (c->closed) {
		snprintf(why, why_len, "the X display closed the connection");
		return ERR_CLOSED;
	}
	for (tries = 0; tries < 3; tries++) {
		if (c->geom_dirty && (r = read_geometry(c, why, why_len)) != 0)
			return r;
		if (img->px == NULL || img->w != c->w || img->h != c->h) {
			image_free(img);
			if ((r = image_init(img, (uint16_t)c->w, (uint16_t)c->h)) != 0) {
				snprintf(why, why_len, "no memory for a %dx%d picture", c->w, c->h);
				return r;
			}
			c->full = true;
		}
		c->dirty = false;
		if ((r = grab_once(c, img, hint, why, why_len)) <= 0)
			return r;
		c->geom_dirty = true;
		c->dirty = true;
		c->full = true;
	}
	snprintf(why, why_len, "the X screen keeps changing size; cannot grab %dx%d at %d,%d",
	    c->w, c->h, c->x, c->y);
	return ERR_SYSTEM;
}

/* Premultiplied (X) to straight alpha (what an SDL cursor expects). */
static uint32_t
unpremultiply(unsigned long p)
{
	uint32_t a = (uint32_t)(p >> 24) & 0xFF, r = (uint32_t)(p >> 16) & 0xFF;
	uint32_t g = (uint32_t)(p >> 8) & 0xFF, b = (uint32_t)p & 0xFF;

	if (a == 0)
		return 0;
	if (a < 255) {
		r = r * 255 / a > 255 ? 255 : r * 255 / a;
		g = g * 255 / a > 255 ? 255 : g * 255 / a;
		b = b * 255 / a > 255 ? 255 : b * 255 / a;
	}
	return a << 24 | r << 16 | g << 8 | b;
}

/* The cursor shape into cur, cropped to CAPTURE_CURSOR_DIM_MAX around
 * the hot spot. false when XFixes gave nothing or nothing new. */
static bool
read_shape(struct x11 *c, struct capture_cursor *cur)
{
	XFixesCursorImage *ci = XFixesGetCursorImage(c->dpy);
	int x0 = 0, y0 = 0, w, h;

	if (ci == NULL)
		return false;
	if (ci->width == 0 || ci->height == 0 ||
	    (c->shape_known && ci->cursor_serial == c->shape_serial)) {
		XFree(ci);
		return false;
	}
	w = ci->width;
	h = ci->height;
	if (w > CAPTURE_CURSOR_DIM_MAX) {
		x0 = ci->xhot - CAPTURE_CURSOR_DIM_MAX / 2;
		x0 = x0 < 0 ? 0 : x0 > w - CAPTURE_CURSOR_DIM_MAX ? w - CAPTURE_CURSOR_DIM_MAX : x0;
		w = CAPTURE_CURSOR_DIM_MAX;
	}
	if (h > CAPTURE_CURSOR_DIM_MAX) {
		y0 = ci->yhot - CAPTURE_CURSOR_DIM_MAX / 2;
		y0 = y0 < 0 ? 0 : y0 > h - CAPTURE_CURSOR_DIM_MAX ? h - CAPTURE_CURSOR_DIM_MAX : y0;
		h = CAPTURE_CURSOR_DIM_MAX;
	}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			cur->argb[y * w + x] = unpremultiply(ci->pixels[(size_t)(y + y0) *
			    ci->width + (size_t)(x + x0)]);
	cur->w = (uint16_t)w;
	cur->h = (uint16_t)h;
	/* The server keeps the hot spot inside; stay safe after cropping. */
	cur->hot_x = (uint16_t)(ci->xhot - x0 < w ? ci->xhot - x0 : w - 1);
	cur->hot_y = (uint16_t)(ci->yhot - y0 < h ? ci->yhot - y0 : h - 1);
	c->shape_serial = ci->cursor_serial;
	c->shape_known = true;
	XFree(ci);
	return true;
}

static int
x11_cursor(struct capture *base, int *x, int *y, bool *shape_changed,
    struct capture_cursor *cur)
{
	struct x11 *c = (struct x11 *)base;
	int px, py;

	*shape_changed = false;
	if (c->closed)
		return ERR_CLOSED;
	if (query_pointer(c, &px, &py)) {
		c->ptr_x = px;
		c->ptr_y = py;
	}
	c->ptr_moved = false;
	*x = c->ptr_x - c->x;
	*y = c->ptr_y - c->y;
	if (c->shape_dirty) {
		c->shape_dirty = false;
		*shape_changed = read_shape(c, cur);
	}
	return c->closed ? ERR_CLOSED : 0;
}

static void
x11_origin(const struct capture *base, int *x, int *y)
{
	const struct x11 *c = (const struct x11 *)base;
	*x = c->x;
	*y = c->y;
}

static const char *
x11_method(const struct capture *base)
{
	const struct x11 *c = (const struct x11 *)base;
	return c->method;
}

/* ---- the back-end's entry in capture.c's table ---- */

static struct capture *
op_open(const struct capture_opts *o, char *why, size_t why_len)
{
	struct x11 *c = x11_open(o->display, o->monitor, why, why_len);

	return c != NULL ? &c->base : NULL;
}

const struct capture_ops capture_x11_ops = {
	.name = "x11",
	.fps_default = 30,
	.open = op_open,
	.close = x11_close,
	.fd = x11_fd,
	.queued = x11_queued,
	.poll = x11_poll,
	.grab = x11_grab,
	.moves = x11_moves,
	.cursor = x11_cursor,
	.origin = x11_origin,
	.method = x11_method,
};
