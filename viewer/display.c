/* SPDX-License-Identifier: Apache-2.0 */
/*
 * display.c - the viewer's window with SDL2 (see display.h).
 *
 * The remote screen lives in one streaming texture; display_frame uploads
 * only the rectangle that changed. Everything is drawn again on each
 * present (picture, cursor, status bar): the GPU does that in no time and
 * it keeps the window correct after resizes and exposes.
 *
 * Input. What the host gets of the keys and the mouse, and how keys and
 * text become keysyms, is display_input.c's; this file decides which
 * events are the host's and where the pointer is in the remote picture:
 *   - F8 (1:1 / fit), F9 (the chat panel) and F11 (fullscreen) are the
 *     window's own keys.
 *   - While the chat's entry has the focus (F9 opens the panel with it,
 *     a click on the entry gives it; Esc or a click on the screen takes
 *     it away) every other key and all text go to the entry, none to the
 *     host; what the host held is released when the entry takes over.
 *   - Focus loss releases everything, so the host never keeps a stuck key.
 *
 * The side panel (panel.c) takes its width from the right of the window;
 * the picture fits into the rest. With VIEWER_WINDOW_DEBUG=1 in the
 * environment the panel's clickable places and chat state are printed on
 * stderr whenever they change (panel_debug), for tests.
 */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "display.h"
#include "display_input.h"
#include "i18n.h"
#include "panel.h"
#include "status.h"
#include "text.h"
#include "transfers.h"

/* The panel's text and the status line's. */
#define TEXT_PX 14
#define MONO_PX 13
/* The status bar's height; tests/integration/t_viewer_window.sh uses it. */
#define STATUS_H 20
#define STATUS_MAX 256
/* The smallest window: the brief status line and the side panel fit in German. */
#define DISPLAY_MIN_W 800
#define DISPLAY_MIN_H 500

struct display {
	SDL_Window *win;
	SDL_Renderer *ren;
	bool dirty;                     /* draw and present again */
	bool one_to_one;                /* F8: 1:1 instead of fit */
	bool fullscreen;                /* F11 */

	SDL_Texture *tex;               /* the remote screen */
	int tex_w, tex_h;

	SDL_Texture *cur;               /* the host's cursor shape */
	int cur_w, cur_h, hot_x, hot_y;
	int cur_x, cur_y;               /* its position in remote pixels */
	bool os_cursor_hidden;

	struct gui_text *t;             /* NULL: no font, the window has no text */
	char status[STATUS_MAX], brief[STATUS_MAX];     /* brief: for a narrow window */
	struct panel *panel;            /* chat and transfers */
	bool debug;                     /* VIEWER_WINDOW_DEBUG=1 */

	struct display_input in;        /* keys and mouse for the host, queued */

	char *clip;                     /* the last DISPLAY_CLIPBOARD text (SDL_free) */
	char *clip_set;                 /* the host's text we put there (free) */
	char *drop;                     /* the last DISPLAY_DROP_FILE path (SDL_free) */
};

/* The picture's place in the renderer's output: area is the part above
 * the status bar, pic may reach past it (1:1, centred and cropped).
 * False when there is nothing to show. */
static bool
layout(struct display *d, SDL_Rect *area, SDL_Rect *pic)
{
	int ow, oh;

	if (SDL_GetRendererOutputSize(d->ren, &ow, &oh) != 0)
		return false;
	*area = (SDL_Rect){ 0, 0, ow - panel_width(d->panel, ow),
	    oh > STATUS_H ? oh - STATUS_H : 0 };
	if (d->tex == NULL || area->w <= 0 || area->h <= 0)
		return false;
	if (d->one_to_one) {
		pic->w = d->tex_w;
		pic->h = d->tex_h;
	} else if ((int64_t)area->w * d->tex_h <= (int64_t)area->h * d->tex_w) {
		/* The width limits: keep the aspect by the smaller scale. */
		pic->w = area->w;
		pic->h = (int)((int64_t)area->w * d->tex_h / d->tex_w);
	} else {
		pic->h = area->h;
		pic->w = (int)((int64_t)area->h * d->tex_w / d->tex_h);
	}
	if (pic->w < 1)
		pic->w = 1;
	if (pic->h < 1)
		pic->h = 1;
	pic->x = (area->w - pic->w) / 2;
	pic->y = (area->h - pic->h) / 2;
	return true;
}

/* Window coordinates (as SDL reports the mouse) to remote pixels; false
 * outside the picture. */
static bool
to_remote(struct display *d, int wx, int wy, uint16_t *rx, uint16_t *ry)
{
	SDL_Rect area, pic;
	int ww, wh, ow, oh;
	int64_t x = wx, y = wy;

	if (!layout(d, &area, &pic))
		return false;
	/* With high-DPI output the renderer has more pixels than the window
	 * has units. */
	SDL_GetWindowSize(d->win, &ww, &wh);
	if (SDL_GetRendererOutputSize(d->ren, &ow, &oh) == 0 && ww > 0 && wh > 0) {
		x = x * ow / ww;
		y = y * oh / wh;
	}
	if (x < area.x || y < area.y || x >= area.x + area.w || y >= area.y + area.h ||
	    x < pic.x || y < pic.y || x >= pic.x + pic.w || y >= pic.y + pic.h)
		return false;
	*rx = (uint16_t)((x - pic.x) * d->tex_w / pic.w);
	*ry = (uint16_t)((y - pic.y) * d->tex_h / pic.h);
	return true;
}

/* Draw everything into the back buffer (not presented). */
static void
render(struct display *d)
{
	SDL_Rect area, pic;
	int ow = 0, oh = 0;

	d->dirty = false;
	SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
	SDL_RenderClear(d->ren);
	if (layout(d, &area, &pic)) {
		/* Smoothing blurs text at integer scales (1:1 included);
		 * only a fractional scale needs it. */
		bool integer = pic.w % d->tex_w == 0 && pic.h % d->tex_h == 0;

		SDL_SetTextureScaleMode(d->tex, integer ? SDL_ScaleModeNearest :
		    SDL_ScaleModeLinear);
		SDL_RenderSetClipRect(d->ren, &area);
		SDL_RenderCopy(d->ren, d->tex, NULL, &pic);
		if (d->cur != NULL) {
			/* The shape keeps its size; its hot spot goes where
			 * the remote position lands in the scaled picture. */
			SDL_Rect c = {
				pic.x + (int)((int64_t)d->cur_x * pic.w / d->tex_w) - d->hot_x,
				pic.y + (int)((int64_t)d->cur_y * pic.h / d->tex_h) - d->hot_y,
				d->cur_w, d->cur_h,
			};
			SDL_RenderCopy(d->ren, d->cur, NULL, &c);
		}
		SDL_RenderSetClipRect(d->ren, NULL);
	}
	if (SDL_GetRendererOutputSize(d->ren, &ow, &oh) == 0 && oh >= STATUS_H) {
		int pw = panel_width(d->panel, ow);

		if (pw > 0)
			panel_draw(d->panel, d->t, d->ren,
			    (SDL_Rect){ ow - pw, 0, pw, oh - STATUS_H });
		vstatus_draw(d->t, d->ren, d->panel, (SDL_Rect){ 0, oh - STATUS_H, ow, STATUS_H },
		    d->status, d->brief);
	}
	gui_text_sweep(d->t);
	if (d->debug)
		panel_debug(d->panel);
}

static void
redraw(struct display *d)
{
	render(d);
	SDL_RenderPresent(d->ren);
}

/* The window's size for a new remote size: 1:1 when it fits the screen,
 * else as large as fits (the user may resize it afterwards). */
static void
fit_window(struct display *d)
{
	SDL_Rect b;
	int idx = SDL_GetWindowDisplayIndex(d->win);
	int64_t w = d->tex_w, h = d->tex_h, maxw, maxh;

	if (d->fullscreen || idx < 0 || SDL_GetDisplayUsableBounds(idx, &b) != 0)
		return;
	/* Leave room for a window manager's frame. */
	maxw = b.w - 32;
	maxh = b.h - 64 - STATUS_H;
	if (maxw < 64 || maxh < 64)
		return;
	if (w > maxw || h > maxh) {
		if (maxw * d->tex_h <= maxh * d->tex_w) {
			w = maxw;
			h = maxw * d->tex_h / d->tex_w;
		} else {
			h = maxh;
			w = maxh * d->tex_w / d->tex_h;
		}
	}
	/* A shown panel takes about a third of the window: the picture the rest. */
	SDL_SetWindowSize(d->win, (int)w + panel_width(d->panel, (int)(w * 3 / 2)),
	    (int)h + STATUS_H);
}

/* Over the picture the host's cursor is drawn (where the host has it);
 * the local arrow on top would be a second, different one. */
static void
os_cursor(struct display *d, bool hide)
{
	if (hide == d->os_cursor_hidden)
		return;
	d->os_cursor_hidden = hide;
	SDL_ShowCursor(hide ? SDL_DISABLE : SDL_ENABLE);
}

/* The window's own keys: display_input_key says when one went down. */
static void
key(struct display *d, const SDL_KeyboardEvent *k)
{
	if (!display_input_key(&d->in, k))
		return;
	switch (k->keysym.sym) {
	case SDLK_F8:
		if (!k->repeat)
			d->one_to_one = !d->one_to_one;
		break;
	case SDLK_F11:
		if (!k->repeat) {
			d->fullscreen = !d->fullscreen;
			SDL_SetWindowFullscreen(d->win, d->fullscreen ?
			    SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
		}
		break;
	case SDLK_F9:
		if (!k->repeat)
			panel_show(d->panel, !panel_shown(d->panel), !panel_shown(d->panel));
		break;
	default:
		break;
	}
	d->dirty = true;
}

static void
motion(struct display *d, const SDL_MouseMotionEvent *e)
{
	uint16_t x, y;
	bool over = to_remote(d, e->x, e->y, &x, &y);

	os_cursor(d, over && d->in.control && d->cur != NULL);
	/* The host's cursor follows our own moves at once: the host does not
	 * echo a position this viewer set (only moves made on its side). */
	if (over && display_input_pointer(&d->in, x, y))
		display_cursor_pos(d, x, y);
}

static void
button(struct display *d, const SDL_MouseButtonEvent *e)
{
	uint16_t x = 0, y = 0;
	bool over = to_remote(d, e->x, e->y, &x, &y);

	if (display_input_button(&d->in, e, over, x, y))
		display_cursor_pos(d, x, y);
}

static void
wheel(struct display *d, const SDL_MouseWheelEvent *e)
{
	int mx, my;
	uint16_t x, y;

	SDL_GetMouseState(&mx, &my);
	display_input_wheel(&d->in, e, to_remote(d, mx, my, &x, &y));
}

static void
window_event(struct display *d, const SDL_WindowEvent *w, struct display_event *ev)
{
	switch (w->event) {
	case SDL_WINDOWEVENT_FOCUS_LOST:
		display_input_release_all(&d->in);
		break;
	case SDL_WINDOWEVENT_LEAVE:
		os_cursor(d, false);
		break;
	case SDL_WINDOWEVENT_CLOSE:
		ev->kind = DISPLAY_QUIT;
		break;
	case SDL_WINDOWEVENT_SHOWN:
	case SDL_WINDOWEVENT_EXPOSED:
	case SDL_WINDOWEVENT_SIZE_CHANGED:
	case SDL_WINDOWEVENT_MAXIMIZED:
	case SDL_WINDOWEVENT_RESTORED:
		d->dirty = true;
		break;
	default:
		break;
	}
}

static void
clipboard(struct display *d, struct display_event *ev)
{
	char *t;

	if (!SDL_HasClipboardText() || (t = SDL_GetClipboardText()) == NULL)
		return;
	/* Our own display_set_clipboard comes back as an update: not news. */
	if (t[0] == '\0' || (d->clip_set != NULL && strcmp(t, d->clip_set) == 0)) {
		SDL_free(t);
		return;
	}
	d->clip = t;
	ev->kind = DISPLAY_CLIPBOARD;
	ev->text = t;
	ev->text_len = strlen(t);
}

/* The panel before the remote screen: true when the event was its. */
static bool
panel_first(struct display *d, const SDL_Event *e, struct display_event *ev)
{
	bool focused = panel_focused(d->panel);

	/* A button the host saw go down is released to the host, wherever. */
	if (e->type == SDL_MOUSEBUTTONUP && display_input_button_held(&d->in, e->button.button))
		return false;
	/* The window's own keys stay the window's, in the chat too. */
	if (e->type == SDL_KEYDOWN && display_input_window_key(e->key.keysym.sym))
		return false;
	switch (panel_event(d->panel, e)) {
	case PANEL_NO:
		break;
	case PANEL_CHAT_SEND:
		ev->kind = DISPLAY_CHAT_SEND;
		ev->text = panel_chat_line(d->panel, &ev->text_len);
		d->dirty = true;
		return true;
	case PANEL_FETCH:
		ev->kind = DISPLAY_FETCH_DROP;
		ev->text = panel_drop_link(d->panel);
		ev->text_len = strlen(ev->text);
		d->dirty = true;
		return true;
	case PANEL_DROP_MODE:
		ev->kind = DISPLAY_DROP_MODE;
		d->dirty = true;
		return true;
	case PANEL_CANCEL:
		ev->kind = DISPLAY_CANCEL_TRANSFER;
		panel_cancelled(d->panel, &ev->id, &ev->incoming);
		d->dirty = true;
		return true;
	case PANEL_TOOK:
		d->dirty = true;
		return true;
	}
	/* A click on the screen while typing only leaves the entry: it is
	 * not a click meant for the host. */
	if (e->type == SDL_MOUSEBUTTONDOWN && focused) {
		panel_focus(d->panel, false);
		d->dirty = true;
		return true;
	}
	return false;
}

/* A file (or folder) dropped on the window: its path, for the caller. */
static void
drop(struct display *d, const SDL_DropEvent *e, struct display_event *ev)
{
	if (e->type != SDL_DROPFILE) {
		SDL_free(e->file);      /* BEGIN and COMPLETE have none; text is not a file */
		return;
	}
	if (e->file == NULL)
		return;
	SDL_free(d->drop);
	d->drop = e->file;
	ev->kind = DISPLAY_DROP_FILE;
	ev->text = d->drop;
	ev->text_len = strlen(d->drop);
}

static void
handle(struct display *d, const SDL_Event *e, struct display_event *ev)
{
	bool focused = panel_focused(d->panel);

	if (panel_first(d, e, ev)) {
		/* The entry took the keys: the host must not keep any held. */
		if (!focused && panel_focused(d->panel))
			display_input_release_all(&d->in);
		return;
	}
	switch (e->type) {
	case SDL_QUIT:
		ev->kind = DISPLAY_QUIT;
		break;
	case SDL_WINDOWEVENT:
		window_event(d, &e->window, ev);
		break;
	case SDL_KEYDOWN:
	case SDL_KEYUP:
		key(d, &e->key);
		break;
	case SDL_TEXTINPUT:
		display_input_text(&d->in, e->text.text);
		break;
	case SDL_MOUSEMOTION:
		motion(d, &e->motion);
		break;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		button(d, &e->button);
		break;
	case SDL_MOUSEWHEEL:
		wheel(d, &e->wheel);
		break;
	case SDL_CLIPBOARDUPDATE:
		clipboard(d, ev);
		break;
	case SDL_DROPFILE:
	case SDL_DROPTEXT:
	case SDL_DROPBEGIN:
	case SDL_DROPCOMPLETE:
		drop(d, &e->drop, ev);
		break;
	case SDL_RENDER_TARGETS_RESET:
		d->dirty = true;
		break;
	default:
		break;
	}
	/* F9 opened the panel with the entry focused. */
	if (!focused && panel_focused(d->panel))
		display_input_release_all(&d->in);
}

struct display *
display_open(const char *title, char *why, size_t why_len)
{
	struct display *d;

	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		snprintf(why, why_len, "SDL: %s", SDL_GetError());
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL || (d->panel = panel_new()) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		free(d);
		SDL_Quit();
		return NULL;
	}
	d->debug = getenv("VIEWER_WINDOW_DEBUG") != NULL &&
	    strcmp(getenv("VIEWER_WINDOW_DEBUG"), "1") == 0;
	d->win = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
	    960, 600 + STATUS_H, SDL_WINDOW_RESIZABLE);
	if (d->win == NULL) {
		snprintf(why, why_len, "SDL window: %s", SDL_GetError());
		display_close(d);
		return NULL;
	}
	SDL_SetWindowMinimumSize(d->win, DISPLAY_MIN_W, DISPLAY_MIN_H);
	/* Without a GPU driver the software renderer still works. */
	if ((d->ren = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_ACCELERATED)) == NULL &&
	    (d->ren = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_SOFTWARE)) == NULL) {
		snprintf(why, why_len, "SDL renderer: %s", SDL_GetError());
		display_close(d);
		return NULL;
	}
	/* A missing font costs the status text and the chat, not the session. */
	d->t = gui_text_open(d->ren, &(struct gui_font_px){ .text = TEXT_PX, .mono = MONO_PX },
	    why, why_len);
	if (d->t == NULL)
		SDL_Log("a window without text: %s", why);
	/* Composed text (SDL_TEXTINPUT) comes only while text input is on. */
	SDL_StartTextInput();
	d->dirty = true;
	return d;
}

void
display_close(struct display *d)
{
	if (d == NULL)
		return;
	if (d->os_cursor_hidden)
		SDL_ShowCursor(SDL_ENABLE);
	if (d->tex != NULL)
		SDL_DestroyTexture(d->tex);
	if (d->cur != NULL)
		SDL_DestroyTexture(d->cur);
	panel_free(d->panel);
	gui_text_close(d->t);
	if (d->ren != NULL)
		SDL_DestroyRenderer(d->ren);
	if (d->win != NULL)
		SDL_DestroyWindow(d->win);
	SDL_free(d->clip);
	SDL_free(d->drop);
	free(d->clip_set);
	free(d);
	SDL_Quit();
}

int
display_frame(struct display *d, const struct image *img, unsigned x, unsigned y,
    unsigned w, unsigned h)
{
	if (img->w == 0 || img->h == 0 || img->px == NULL)
		return ERR_FORMAT;
	if (d->tex == NULL || d->tex_w != img->w || d->tex_h != img->h) {
		if (d->tex != NULL)
			SDL_DestroyTexture(d->tex);
		d->tex = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_RGB888,
		    SDL_TEXTUREACCESS_STREAMING, img->w, img->h);
		if (d->tex == NULL)
			return ERR_NOMEM;
		d->tex_w = img->w;
		d->tex_h = img->h;
		/* A new texture holds nothing yet, whatever the caller says. */
		x = y = 0;
		w = img->w;
		h = img->h;
		fit_window(d);
	}
	if (x >= img->w || y >= img->h)
		w = h = 0;
	if (w > img->w - x)
		w = img->w - x;
	if (h > img->h - y)
		h = img->h - y;
	if (w > 0 && h > 0) {
		SDL_Rect r = { (int)x, (int)y, (int)w, (int)h };

		if (SDL_UpdateTexture(d->tex, &r, img->px + (size_t)y * img->w + x,
		    img->w * 4) != 0)
			return ERR_INTERNAL;
	}
	redraw(d);
	return 0;
}

int
display_cursor_shape(struct display *d, unsigned w, unsigned h, unsigned hot_x,
    unsigned hot_y, const uint32_t *argb)
{
	if (w > MSG_CURSOR_DIM_MAX || h > MSG_CURSOR_DIM_MAX)
		return ERR_TOO_LARGE;
	if (d->cur != NULL && (d->cur_w != (int)w || d->cur_h != (int)h)) {
		SDL_DestroyTexture(d->cur);
		d->cur = NULL;
	}
	d->dirty = true;
	if (w == 0 || h == 0) {         /* no shape: nothing drawn */
		os_cursor(d, false);
		return 0;
	}
	if (d->cur == NULL) {
		d->cur = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_ARGB8888,
		    SDL_TEXTUREACCESS_STATIC, (int)w, (int)h);
		if (d->cur == NULL)
			return ERR_NOMEM;
		SDL_SetTextureBlendMode(d->cur, SDL_BLENDMODE_BLEND);
		d->cur_w = (int)w;
		d->cur_h = (int)h;
	}
	d->hot_x = (int)(hot_x < w ? hot_x : w - 1);
	d->hot_y = (int)(hot_y < h ? hot_y : h - 1);
	if (SDL_UpdateTexture(d->cur, NULL, argb, (int)w * 4) != 0)
		return ERR_INTERNAL;
	return 0;
}

void
display_cursor_pos(struct display *d, int x, int y)
{
	if (x == d->cur_x && y == d->cur_y)
		return;
	d->cur_x = x;
	d->cur_y = y;
	d->dirty = true;
}

void
display_status(struct display *d, const char *text, const char *brief)
{
	if (strncmp(text, d->status, sizeof(d->status) - 1) == 0)
		return;
	snprintf(d->status, sizeof(d->status), "%s", text);
	snprintf(d->brief, sizeof(d->brief), "%s", brief != NULL ? brief : text);
	d->dirty = true;
}

void
display_set_control(struct display *d, bool control)
{
	int mx, my;
	uint16_t x, y;

	if (!display_input_set_control(&d->in, control))
		return;
	SDL_GetMouseState(&mx, &my);
	os_cursor(d, control && d->cur != NULL && SDL_GetMouseFocus() == d->win &&
	    to_remote(d, mx, my, &x, &y));
}

void
display_set_clipboard(struct display *d, const char *text, size_t len)
{
	char *t = malloc(len + 1);

	if (t == NULL)
		return;
	memcpy(t, text, len);
	t[len] = '\0';
	SDL_SetClipboardText(t);
	free(d->clip_set);
	d->clip_set = t;
}

struct display_event
display_poll(struct display *d, int timeout_ms)
{
	struct display_event ev = { .kind = DISPLAY_NONE };
	Uint64 deadline = SDL_GetTicks64() + (Uint64)(timeout_ms > 0 ? timeout_ms : 0);
	SDL_Event e;

	SDL_free(d->clip);
	d->clip = NULL;
	SDL_free(d->drop);
	d->drop = NULL;
	if (panel_seen(d->panel, (SDL_GetWindowFlags(d->win) & SDL_WINDOW_INPUT_FOCUS) != 0) ||
	    panel_poll(d->panel))
		d->dirty = true;
	/* Cursor moves and status changes since the last present. */
	if (d->dirty)
		redraw(d);
	for (;;) {
		Uint64 now = SDL_GetTicks64();
		int got;

		if (display_input_next(&d->in, &ev.input)) {
			ev.kind = DISPLAY_INPUT;
			return ev;
		}
		if (now < deadline)
			got = SDL_WaitEventTimeout(&e, (int)(deadline - now));
		else
			got = SDL_PollEvent(&e);
		if (!got)
			return ev;
		handle(d, &e, &ev);
		if (d->dirty)
			redraw(d);
		if (ev.kind != DISPLAY_NONE)
			return ev;
	}
}

int
display_screenshot(struct display *d, const char *path)
{
	SDL_Surface *s;
	int w, h, r = 0;

	/* Read the back buffer after drawing and before presenting, as
	 * SDL_RenderReadPixels asks. */
	render(d);
	if (SDL_GetRendererOutputSize(d->ren, &w, &h) != 0 ||
	    (s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888)) == NULL)
		return ERR_NOMEM;
	if (SDL_RenderReadPixels(d->ren, NULL, SDL_PIXELFORMAT_RGB888, s->pixels, s->pitch) != 0)
		r = ERR_INTERNAL;
	else if (SDL_SaveBMP(s, path) != 0)
		r = ERR_SYSTEM;
	SDL_FreeSurface(s);
	SDL_RenderPresent(d->ren);
	return r;
}

void
display_chat_add(struct display *d, const char *who, const char *text, size_t len, bool mine)
{
	panel_chat_add(d->panel, who, text, len, mine);
	d->dirty = true;
}

void
display_chat_note(struct display *d, const char *text)
{
	panel_chat_note(d->panel, text);
	d->dirty = true;
}

void
display_drop_offer(struct display *d, const char *link)
{
	panel_drop_offer(d->panel, link);
	d->dirty = true;
}

void
display_drop_busy(struct display *d, bool busy)
{
	panel_drop_busy(d->panel, busy);
	d->dirty = true;
}

void
display_drop_mode(struct display *d, bool can, bool to_relay)
{
	if (panel_drop_mode(d->panel, can, to_relay))
		d->dirty = true;
}

void
display_set_transfers(struct display *d, const struct gui_transfer *rows, size_t n)
{
	if (panel_set_transfers(d->panel, rows, n))
		d->dirty = true;
}
