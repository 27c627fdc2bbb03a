/* SPDX-License-Identifier: Apache-2.0 */
/*
 * indicator.c - the "someone is watching" window: one row with a dot (red
 * while someone controls, amber while they only watch), who it is, and the
 * buttons. The window is made when the first viewer starts watching,
 * hidden when the last one leaves, and placed in the top-right corner of
 * the primary display's usable area (below a top panel). Dragging it by
 * its text moves it (where a window manager does moves).
 *
 * The master shares its own X screen, so the supporters see the indicator
 * too: it tells them as plainly as the host that the session runs.
 *
 * With HOSTUI_DEBUG=1 every redraw prints on stderr "indicator X Y W H"
 * (the window on the screen) and "indicator-button KIND X Y W H" per
 * button (inside the window), so that tests can click them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_syswm.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include "err.h"
#include "i18n.h"
#include "indicator.h"
#include "log.h"
#include "paint.h"
#include "text.h"

#define ELLIPSIS "\xe2\x80\xa6"

enum {
	ROW_H = 44, PAD = 10, GAP = 8, DOT_D = 10,
	BTN_H = 28, BTN_PAD = 10,
	TEXT_PX = 14,
	TEXT_MAX_W = 320,       /* longer text is cut and ends in an ellipsis */
	CORNER = 12,            /* from the corner of the usable area */
	/*
	 * The indicator appears top right, where the host may be about to
	 * click a window's close button: a click in its first moments, or
	 * just after its buttons moved, was meant for something else.
	 */
	ARM_MS = 600,
	BUTTONS_MAX = 2,
	/* "N supporters: " and every name with ", " after it. */
	TEXT_BYTES = MASTER_SLOTS_MAX * (MSG_NAME_MAX + 2) + 32,
};

static const SDL_Color C_BG = { 36, 36, 38, 255 };
static const SDL_Color C_EDGE = { 110, 110, 114, 255 };
static const SDL_Color C_TEXT = { 246, 246, 244, 255 };
static const SDL_Color C_BTN = { 72, 72, 76, 255 };
static const SDL_Color C_BTN_EDGE = { 140, 140, 144, 255 };
static const SDL_Color C_END = { 168, 28, 28, 255 };
static const SDL_Color C_WATCH = { 240, 176, 32, 255 };
static const SDL_Color C_CONTROL = { 232, 52, 40, 255 };

struct button {
	SDL_Rect r;
	enum hostui_action_kind kind;
	const char *label;
};

struct indicator {
	bool video_on, watching;
	SDL_Window *win;        /* NULL until someone watches */
	SDL_Renderer *ren;
	struct gui_text *t;     /* the fonts (gui/text.c), with the window */
	bool broken;            /* the window could not be made: do not retry */
	bool debug;

	bool shown, dirty;
	bool control;           /* someone controls: red dot, Take control back */
	char text[TEXT_BYTES];  /* what it says, whole (the title) */
	char line[TEXT_BYTES];  /* what fits in the row */
	int w;                  /* the window's width for line and buttons */
	struct button btn[BUTTONS_MAX];
	unsigned nbtn;
	int pressed;            /* the button under the left button's press, or -1 */
	uint32_t armed_at;      /* SDL_GetTicks() from which clicks count */

	bool want_take, want_end, ended;
};

/* ---- what it says ---- */

static void
name_of(const struct hostui_viewer *v, char *out, size_t len)
{
	size_t n = strnlen(v->name, sizeof(v->name) - 1);

	if (n == 0)
		/* TRANSLATORS: a supporter who gave no name; %u is its number. */
		snprintf(out, len, _("Supporter %u"), v->slot);
	else
		snprintf(out, len, "%.*s", (int)n, v->name);
}

/* Who watches, in words; returns how many watch or control. */
static unsigned
describe(const struct hostui_state *st, char *out, size_t len, bool *control)
{
	const struct hostui_viewer *one = NULL;
	char name[MSG_NAME_MAX + 16], names[TEXT_BYTES];
	unsigned i, n = 0;
	size_t o = 0;
	int k;

	*control = false;
	out[0] = '\0';
	for (i = 0; i < st->n && i < MASTER_SLOTS_MAX; i++) {
		const struct hostui_viewer *v = &st->v[i];

		if (v->state != HOSTUI_VIEWING && v->state != HOSTUI_CONTROLLING)
			continue;
		if (v->state == HOSTUI_CONTROLLING)
			*control = true;
		one = v;
		n++;
	}
	if (n == 1) {
		name_of(one, name, sizeof(name));
		snprintf(out, len, one->state == HOSTUI_CONTROLLING ?
		    /* TRANSLATORS: %s is the supporter's name. */
		    _("%s controls this computer") : _("%s is watching"), name);
	} else if (n > 1) {
		names[0] = '\0';
		for (i = 0; i < st->n && i < MASTER_SLOTS_MAX && o < sizeof(names); i++) {
			const struct hostui_viewer *v = &st->v[i];

			if (v->state != HOSTUI_VIEWING && v->state != HOSTUI_CONTROLLING)
				continue;
			name_of(v, name, sizeof(name));
			k = snprintf(names + o, sizeof(names) - o, "%s%s", o == 0 ? "" : ", ",
			    name);
			o += k > 0 ? (size_t)k : 0;
		}
		/* TRANSLATORS: %s is their names, "anna, ben". */
		snprintf(out, len, NG_("%u supporter: %s", "%u supporters: %s", n), n, names);
	}
	return n;
}

/*
 * s as it fits in maxw pixels: cut at a character's start and ended with
 * an ellipsis when it is too wide. Names come from the network: the
 * window must not grow with them.
 */
static void
fit(struct gui_text *t, const char *s, int maxw, char *out, size_t len)
{
	size_t n;

	snprintf(out, len, "%s", s);
	if (gui_text_measure(t, GUI_FONT_BOLD, out) <= maxw)
		return;
	n = gui_text_fit(t, GUI_FONT_BOLD, out, maxw - gui_text_measure(t, GUI_FONT_BOLD,
	    ELLIPSIS));
	if (n > len - sizeof(ELLIPSIS))
		n = len - sizeof(ELLIPSIS);
	memcpy(out + n, ELLIPSIS, sizeof(ELLIPSIS));
}

/* The row for line: the buttons after the text, right-aligned. */
static void
layout(struct indicator *ind)
{
	int x = PAD + DOT_D + GAP + gui_text_measure(ind->t, GUI_FONT_BOLD, ind->line) + 2 * GAP;

	ind->nbtn = 0;
	if (ind->control)
		ind->btn[ind->nbtn++] = (struct button){ .kind = HOSTUI_TAKE_CONTROL,
			.label = _("Take control back") };
	ind->btn[ind->nbtn++] = (struct button){ .kind = HOSTUI_END, .label = _("End session") };
	for (unsigned i = 0; i < ind->nbtn; i++) {
		struct button *b = &ind->btn[i];

		b->r = (SDL_Rect){ x, (ROW_H - BTN_H) / 2,
			gui_text_measure(ind->t, GUI_FONT_TEXT, b->label) + 2 * BTN_PAD, BTN_H };
		x += b->r.w + GAP;
	}
	ind->w = x - GAP + PAD;
}

/* ---- drawing ---- */

/* s with its left edge at x, centred on the line y. */
static void
text(struct indicator *ind, enum gui_font f, int x, int y, const char *s)
{
	const struct gui_label *l = gui_text_get(ind->t, f, C_TEXT, 0, s);

	if (l != NULL)
		SDL_RenderCopy(ind->ren, l->tex, NULL, &(SDL_Rect){ x, y - l->h / 2, l->w, l->h });
}

static void
dot(SDL_Renderer *ren, int cx, int cy, int r, SDL_Color c)
{
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
	for (int dy = -r; dy <= r; dy++) {
		int dx = 0;

		while ((dx + 1) * (dx + 1) + dy * dy <= r * r)
			dx++;
		SDL_RenderDrawLine(ren, cx - dx, cy + dy, cx + dx, cy + dy);
	}
}

static void
draw(struct indicator *ind)
{
	SDL_Renderer *ren = ind->ren;

	gui_fill(ren, (SDL_Rect){ 0, 0, ind->w, ROW_H }, C_BG);
	gui_outline(ren, (SDL_Rect){ 0, 0, ind->w, ROW_H }, C_EDGE);
	dot(ren, PAD + DOT_D / 2, ROW_H / 2, DOT_D / 2, ind->control ? C_CONTROL : C_WATCH);
	text(ind, GUI_FONT_BOLD, PAD + DOT_D + GAP, ROW_H / 2, ind->line);
	for (unsigned i = 0; i < ind->nbtn; i++) {
		const struct button *b = &ind->btn[i];
		bool end = b->kind == HOSTUI_END;

		gui_fill(ren, b->r, end ? C_END : C_BTN);
		gui_outline(ren, b->r, end ? C_END : C_BTN_EDGE);
		text(ind, GUI_FONT_TEXT, b->r.x + BTN_PAD, b->r.y + b->r.h / 2, b->label);
	}
	SDL_RenderPresent(ren);
	gui_text_sweep(ind->t);
	ind->dirty = false;
	if (ind->debug) {
		int x, y;

		SDL_GetWindowPosition(ind->win, &x, &y);
		fprintf(stderr, "indicator %d %d %d %d\n", x, y, ind->w, ROW_H);
		for (unsigned i = 0; i < ind->nbtn; i++)
			fprintf(stderr, "indicator-button %s %d %d %d %d\n",
			    ind->btn[i].kind == HOSTUI_END ? "END" : "TAKE_CONTROL",
			    ind->btn[i].r.x, ind->btn[i].r.y, ind->btn[i].r.w, ind->btn[i].r.h);
	}
}

/* ---- input ---- */

static int
button_at(const struct indicator *ind, int x, int y)
{
	SDL_Point p = { x, y };

	for (unsigned i = 0; i < ind->nbtn; i++)
		if (SDL_PointInRect(&p, &ind->btn[i].r))
			return (int)i;
	return -1;
}

/* The buttons click; the rest of the row moves the window. */
static SDL_HitTestResult SDLCALL
hit_test(SDL_Window *win, const SDL_Point *p, void *data)
{
	(void)win;
	return button_at(data, p->x, p->y) >= 0 ? SDL_HITTEST_NORMAL : SDL_HITTEST_DRAGGABLE;
}

static void
click(struct indicator *ind, int i)
{
	bool armed = SDL_TICKS_PASSED(SDL_GetTicks(), ind->armed_at);

	if (ind->debug)
		fprintf(stderr, "indicator-click %s%s\n",
		    ind->btn[i].kind == HOSTUI_END ? "END" : "TAKE_CONTROL",
		    armed ? "" : " too soon, ignored");
	if (!armed)
		return;
	if (ind->btn[i].kind == HOSTUI_TAKE_CONTROL)
		ind->want_take = true;
	else
		ind->want_end = true;
}

/*
 * An event watch: it sees every event as SDL queues it, and takes those
 * of the indicator's window; the host's window drains the queue and
 * leaves them alone. Window events come from SDL_PumpEvents, in the
 * thread that polls.
 */
static int SDLCALL
on_event(void *data, SDL_Event *ev)
{
	struct indicator *ind = data;
	Uint32 id;
	int i;

	if (ind->win == NULL)
		return 0;
	id = SDL_GetWindowID(ind->win);
	switch (ev->type) {
	case SDL_WINDOWEVENT:
		if (ev->window.windowID == id && (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
		    ev->window.event == SDL_WINDOWEVENT_SHOWN ||
		    ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED))
			ind->dirty = true;
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (ev->button.windowID == id && ev->button.button == SDL_BUTTON_LEFT)
			ind->pressed = button_at(ind, ev->button.x, ev->button.y);
		break;
	case SDL_MOUSEBUTTONUP:
		/* A click is press and release on the same button. */
		if (ev->button.windowID != id || ev->button.button != SDL_BUTTON_LEFT)
			break;
		i = button_at(ind, ev->button.x, ev->button.y);
		if (i >= 0 && i == ind->pressed)
			click(ind, i);
		ind->pressed = -1;
		break;
	}
	return 0;
}

/* ---- the window ---- */

static bool
x11_window(SDL_Window *win, Display **d, Window *w)
{
	SDL_SysWMinfo info;

	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(win, &info) || info.subsystem != SDL_SYSWM_X11)
		return false;
	*d = info.info.x11.display;
	*w = info.info.x11.window;
	return true;
}

/*
 * Under X11, before the window is first mapped: a window manager is to
 * give it no keyboard focus when it appears (_NET_WM_USER_TIME 0) and to
 * show it on every virtual desktop (_NET_WM_DESKTOP 0xFFFFFFFF).
 */
static void
x11_hints(SDL_Window *win)
{
	long no_focus = 0, every_desktop = 0xFFFFFFFFL;
	Display *d;
	Window w;

	if (!x11_window(win, &d, &w))
		return;
	XChangeProperty(d, w, XInternAtom(d, "_NET_WM_USER_TIME", False), XA_CARDINAL, 32,
	    PropModeReplace, (unsigned char *)&no_focus, 1);
	XChangeProperty(d, w, XInternAtom(d, "_NET_WM_DESKTOP", False), XA_CARDINAL, 32,
	    PropModeReplace, (unsigned char *)&every_desktop, 1);
	XFlush(d);
}

static int
ignore_x_error(Display *d, XErrorEvent *e)
{
	(void)d;
	(void)e;
	return 0;
}

/*
 * Show the window without taking the keyboard from the host. Without a
 * window manager SDL gives every window it shows the input focus (with
 * RevertToNone, so hiding the indicator again would leave no window with
 * the focus): the focus goes back where it was. A window manager decides
 * later and alone, and then the focus is not the indicator's yet.
 */
static void
show_keeping_focus(struct indicator *ind)
{
	Window before = None, after = None, w;
	int revert = RevertToNone, revert_after;
	XErrorHandler old;
	Display *d;

	if (!x11_window(ind->win, &d, &w)) {
		SDL_ShowWindow(ind->win);
		return;
	}
	XGetInputFocus(d, &before, &revert);
	SDL_ShowWindow(ind->win);
	XGetInputFocus(d, &after, &revert_after);
	if (after != w || before == w)
		return;
	/* The window that had the focus may have gone meanwhile. */
	old = XSetErrorHandler(ignore_x_error);
	XSetInputFocus(d, before, revert, CurrentTime);
	XSync(d, False);
	XSetErrorHandler(old);
}

static int
make_window(struct indicator *ind, int x, int y)
{
	ind->win = SDL_CreateWindow("Fernsicht", x, y, ind->w, ROW_H,
	    SDL_WINDOW_HIDDEN | SDL_WINDOW_BORDERLESS | SDL_WINDOW_ALWAYS_ON_TOP |
	    SDL_WINDOW_SKIP_TASKBAR);
	if (ind->win == NULL)
		return ERR_SYSTEM;
	/* A few rectangles and text: software is enough and needs no GPU driver. */
	ind->ren = SDL_CreateRenderer(ind->win, -1, SDL_RENDERER_SOFTWARE);
	if (ind->ren == NULL) {
		SDL_DestroyWindow(ind->win);
		ind->win = NULL;
		return ERR_SYSTEM;
	}
	gui_text_renderer(ind->t, ind->ren);
	if (SDL_SetWindowHitTest(ind->win, hit_test, ind) != 0)
		log_debug("indicator: cannot be dragged (%s)", SDL_GetError());
	x11_hints(ind->win);
	return 0;
}

/* Top right of the primary display's usable area (display 0 is the primary). */
static void
corner(int w, int *x, int *y)
{
	SDL_Rect b;

	if (SDL_GetDisplayUsableBounds(0, &b) != 0 && SDL_GetDisplayBounds(0, &b) != 0)
		b = (SDL_Rect){ 0, 0, w + 2 * CORNER, ROW_H + 2 * CORNER };
	*x = b.x + b.w - w - CORNER;
	*y = b.y + CORNER;
}

static void
hide(struct indicator *ind)
{
	if (!ind->shown)
		return;
	SDL_HideWindow(ind->win);
	ind->shown = false;
	ind->pressed = -1;
	ind->text[0] = '\0';
}

/* ---- the interface ---- */

struct indicator *
indicator_open(char *why, size_t why_len)
{
	struct indicator *ind = calloc(1, sizeof(*ind));
	const char *dbg = getenv("HOSTUI_DEBUG");

	if (ind == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	ind->pressed = -1;
	ind->debug = dbg != NULL && strcmp(dbg, "1") == 0;
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		snprintf(why, why_len, "no display (%s)", SDL_GetError());
		goto fail;
	}
	ind->video_on = true;
	/* The fonts now (the window comes with the first viewer, sized to
	 * its text): measuring needs no renderer. */
	if ((ind->t = gui_text_open(NULL, &(struct gui_font_px){ .text = TEXT_PX }, why,
	    why_len)) == NULL)
		goto fail;
	SDL_AddEventWatch(on_event, ind);
	ind->watching = true;
	return ind;
fail:
	indicator_close(ind);
	return NULL;
}

void
indicator_close(struct indicator *ind)
{
	if (ind == NULL)
		return;
	if (ind->watching)
		SDL_DelEventWatch(on_event, ind);
	gui_text_close(ind->t);         /* before its renderer */
	if (ind->ren != NULL)
		SDL_DestroyRenderer(ind->ren);
	if (ind->win != NULL)
		SDL_DestroyWindow(ind->win);
	if (ind->video_on)
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
	free(ind);
}

void
indicator_show(struct indicator *ind, const struct hostui_state *st)
{
	char now[TEXT_BYTES], title[TEXT_BYTES + 16];
	bool control, was_shown = ind->shown;
	int x, y, old_w;

	if (describe(st, now, sizeof(now), &control) == 0) {
		hide(ind);
		return;
	}
	if (ind->shown && control == ind->control && strcmp(now, ind->text) == 0)
		return;
	old_w = ind->w;
	memcpy(ind->text, now, sizeof(now));
	ind->control = control;
	fit(ind->t, ind->text, TEXT_MAX_W, ind->line, sizeof(ind->line));
	layout(ind);
	if (!was_shown) {
		corner(ind->w, &x, &y);
	} else {
		SDL_GetWindowPosition(ind->win, &x, &y);
		x += old_w - ind->w;    /* the right edge stays where it is */
	}
	if (ind->win == NULL && !ind->broken && make_window(ind, x, y) != 0) {
		log_warn("cannot show who is watching: %s", SDL_GetError());
		ind->broken = true;
	}
	if (ind->win == NULL)
		return;
	snprintf(title, sizeof(title), "Fernsicht: %s", ind->text);
	SDL_SetWindowTitle(ind->win, title);
	SDL_SetWindowSize(ind->win, ind->w, ROW_H);
	SDL_SetWindowPosition(ind->win, x, y);
	if (!was_shown) {
		show_keeping_focus(ind);
		ind->shown = true;
	}
	ind->armed_at = SDL_GetTicks() + ARM_MS;
	ind->pressed = -1;
	ind->dirty = true;
}

struct hostui_action
indicator_poll(struct indicator *ind)
{
	struct hostui_action a = { .kind = HOSTUI_NONE };

	if (ind->shown && ind->dirty)
		draw(ind);
	if (ind->want_take) {
		ind->want_take = false;
		a.kind = HOSTUI_TAKE_CONTROL;
	} else if (ind->want_end) {
		ind->want_end = false;
		if (!ind->ended) {
			ind->ended = true;
			a.kind = HOSTUI_END;
		}
	}
	return a;
}
