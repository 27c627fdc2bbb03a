/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostui.c - the host's small window: session number and code in large
 * type, a consent prompt per waiting viewer, the viewers and the buttons
 * that answer, remove, take control back or end the session.
 *
 * Everything is drawn with SDL_Renderer rectangles and SDL2_ttf text. Text
 * textures are cached per string and freed once a frame no longer uses
 * them; the window is redrawn only when the state changed or the window
 * system asks (expose, resize). With HOSTUI_DEBUG=1 in the environment
 * every redraw prints the clickable buttons on stderr, one line each:
 * "button KIND SLOT X Y W H", so that tests can click them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "err.h"
#include "hostui.h"
#include "log.h"

#define FONT_DIR "/usr/share/fonts/truetype/dejavu/"

enum {
	WIN_W = 480, WIN_H = 360,
	MIN_W = 360, MIN_H = 260,
	MARGIN = 16, GAP = 8, PAD = 10,
	BTN_H = 30, BTN_PAD = 12,
	TEXT_PX = 15, BIG_PX = 40,
	/*
	 * Distinct strings per frame: a few headings, one prompt or row text
	 * per viewer and the button labels (shared by every row), well under
	 * this. A frame that still runs out skips the text it cannot cache.
	 */
	CACHE_MAX = 128,
	QUEUE_MAX = 32,
	BUTTONS_MAX = 3 * MASTER_SLOTS_MAX + 3,
	/*
	 * A prompt's Allow buttons and keys do nothing until the prompt has
	 * been on screen this long: a click or key meant for what was there
	 * a moment before must not let someone in.
	 */
	CONSENT_ARM_MS = 600,
};

enum font_id { F_TEXT, F_BOLD, F_BIG, F_COUNT };

static const SDL_Color C_BG = { 246, 246, 244, 255 };
static const SDL_Color C_TEXT = { 28, 28, 28, 255 };
static const SDL_Color C_DIM = { 105, 105, 105, 255 };
static const SDL_Color C_LINE = { 200, 200, 196, 255 };
static const SDL_Color C_PROMPT_BG = { 255, 244, 204, 255 };
static const SDL_Color C_PROMPT_LINE = { 214, 170, 40, 255 };
static const SDL_Color C_BTN_BG = { 226, 226, 222, 255 };
static const SDL_Color C_BTN_LINE = { 130, 130, 126, 255 };
static const SDL_Color C_BTN_OFF = { 170, 170, 166, 255 };
static const SDL_Color C_DANGER = { 168, 28, 28, 255 };

static const char *const kind_names[] = {
	[HOSTUI_NONE] = "NONE",
	[HOSTUI_ALLOW_CONTROL] = "ALLOW_CONTROL",
	[HOSTUI_ALLOW_VIEW] = "ALLOW_VIEW",
	[HOSTUI_DENY] = "DENY",
	[HOSTUI_KICK] = "KICK",
	[HOSTUI_TAKE_CONTROL] = "TAKE_CONTROL",
	[HOSTUI_END] = "END",
	[HOSTUI_NEW_CODE] = "NEW_CODE",
};

struct text {
	char *s;                /* NULL: the entry is free */
	enum font_id font;
	uint32_t color;
	int wrap;               /* 0: one line */
	SDL_Texture *tex;
	int w, h;
	bool used;              /* by the frame being drawn */
};

struct button {
	SDL_Rect r;
	struct hostui_action act;
};

struct hostui {
	SDL_Window *win;
	SDL_Renderer *ren;
	bool video_on, ttf_on;
	TTF_Font *font[F_COUNT];
	bool debug;

	struct hostui_state st;
	/* SDL_GetTicks() when each slot's current prompt first appeared. */
	uint32_t waiting_since[MASTER_SLOTS_MAX + 1];
	bool dirty;
	bool ended;             /* HOSTUI_END was queued: do not repeat it */

	struct text cache[CACHE_MAX];
	/* The buttons as last drawn: clicks mean what the host saw. */
	struct button btn[BUTTONS_MAX];
	unsigned nbtn;
	int pressed;            /* button under the left button's press, or -1 */

	struct hostui_action q[QUEUE_MAX];
	unsigned qhead, qlen;
};

static uint32_t
pack(SDL_Color c)
{
	return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

/* "48213" -> "48 213", "071934" -> "071 934": groups of three from the right. */
static void
group_digits(char *out, size_t len, const char *digits)
{
	size_t n = strlen(digits), o = 0;

	for (size_t i = 0; i < n && o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ' ';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void
push(struct hostui *ui, enum hostui_action_kind kind, unsigned slot)
{
	if (kind == HOSTUI_END) {
		if (ui->ended)
			return;
		ui->ended = true;
	}
	if (ui->qlen == QUEUE_MAX) {
		log_warn("hostui: too many clicks at once, dropped %s", kind_names[kind]);
		return;
	}
	ui->q[(ui->qhead + ui->qlen) % QUEUE_MAX] = (struct hostui_action){ kind, slot };
	ui->qlen++;
}

/* ---- text cache ---- */

static void
text_free(struct text *t)
{
	if (t->tex != NULL)
		SDL_DestroyTexture(t->tex);
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* The texture for s, made on first use; NULL when s is empty or on error. */
static struct text *
text_get(struct hostui *ui, enum font_id font, SDL_Color c, int wrap, const char *s)
{
	struct text *spare = NULL;
	SDL_Surface *surf;
	uint32_t key = pack(c);

	if (s[0] == '\0')
		return NULL;    /* SDL2_ttf refuses zero-width text */
	for (unsigned i = 0; i < CACHE_MAX; i++) {
		struct text *t = &ui->cache[i];

		if (t->s == NULL) {
			if (spare == NULL)
				spare = t;
			continue;
		}
		if (t->font == font && t->color == key && t->wrap == wrap &&
		    strcmp(t->s, s) == 0) {
			t->used = true;
			return t;
		}
	}
	if (spare == NULL) {
		log_debug("hostui: text cache full");
		return NULL;
	}
	if (wrap > 0)
		surf = TTF_RenderUTF8_Blended_Wrapped(ui->font[font], s, c, (Uint32)wrap);
	else
		surf = TTF_RenderUTF8_Blended(ui->font[font], s, c);
	if (surf == NULL) {
		log_debug("hostui: cannot render text: %s", TTF_GetError());
		return NULL;
	}
	spare->tex = SDL_CreateTextureFromSurface(ui->ren, surf);
	spare->w = surf->w;
	spare->h = surf->h;
	SDL_FreeSurface(surf);
	spare->s = strdup(s);
	if (spare->tex == NULL || spare->s == NULL) {
		log_debug("hostui: cannot keep text: %s", SDL_GetError());
		text_free(spare);
		return NULL;
	}
	spare->font = font;
	spare->color = key;
	spare->wrap = wrap;
	spare->used = true;
	return spare;
}

/* After a frame: strings it did not show are gone (changed or removed). */
static void
text_sweep(struct hostui *ui)
{
	for (unsigned i = 0; i < CACHE_MAX; i++) {
		struct text *t = &ui->cache[i];

		if (t->s != NULL && !t->used)
			text_free(t);
		t->used = false;
	}
}

static int
text_width(struct hostui *ui, enum font_id font, const char *s)
{
	struct text *t = text_get(ui, font, C_TEXT, 0, s);

	return t != NULL ? t->w : 0;
}

/* Draw s at (x, y), cut at maxw pixels; returns the height drawn. */
static int
draw_text(struct hostui *ui, enum font_id font, SDL_Color c, int x, int y, int maxw,
    int wrap, const char *s)
{
	struct text *t = text_get(ui, font, c, wrap, s);
	SDL_Rect src, dst;

	if (t == NULL || maxw <= 0)
		return 0;
	src = (SDL_Rect){ 0, 0, t->w < maxw ? t->w : maxw, t->h };
	dst = (SDL_Rect){ x, y, src.w, src.h };
	SDL_RenderCopy(ui->ren, t->tex, &src, &dst);
	return t->h;
}

/* ---- drawing ---- */

static void
fill(struct hostui *ui, SDL_Rect r, SDL_Color c)
{
	SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(ui->ren, &r);
}

static void
outline(struct hostui *ui, SDL_Rect r, SDL_Color c)
{
	SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
	SDL_RenderDrawRect(ui->ren, &r);
}

static int
button_width(struct hostui *ui, const char *label)
{
	return text_width(ui, F_TEXT, label) + 2 * BTN_PAD;
}

/* Draw a button at (x, y); an enabled one becomes clickable. Returns its width. */
static int
button(struct hostui *ui, int x, int y, const char *label, enum hostui_action_kind kind,
    unsigned slot, bool enabled)
{
	SDL_Rect r = { x, y, button_width(ui, label), BTN_H };
	bool danger = kind == HOSTUI_DENY || kind == HOSTUI_KICK || kind == HOSTUI_END;
	SDL_Color fg = !enabled ? C_BTN_OFF : danger ? C_DANGER : C_TEXT;
	int th = TTF_FontHeight(ui->font[F_TEXT]);

	fill(ui, r, enabled ? C_BTN_BG : C_BG);
	outline(ui, r, enabled ? C_BTN_LINE : C_BTN_OFF);
	draw_text(ui, F_TEXT, fg, x + BTN_PAD, y + (BTN_H - th) / 2, r.w, 0, label);
	if (enabled && ui->nbtn < BUTTONS_MAX)
		ui->btn[ui->nbtn++] = (struct button){ r, { kind, slot } };
	return r.w;
}

/* The question for a waiting viewer, wrapped to the window's width. */
static struct text *
prompt_text(struct hostui *ui, const struct hostui_viewer *v, int w)
{
	char check[16], grouped[24], q[2 * (MSG_NAME_MAX + WIRE_ADDR_TEXT_MAX) + 128];
	int inner = w - 2 * MARGIN - 2 * PAD;

	snprintf(check, sizeof(check), "%06u", v->check);
	group_digits(grouped, sizeof(grouped), check);
	snprintf(q, sizeof(q), "%s (%s) wants to see your screen. Check code %s - "
	    "does the supporter see the same?", v->name, v->addr, grouped);
	return text_get(ui, F_TEXT, C_TEXT, inner > 1 ? inner : 1, q);
}

static int
prompt_height(struct hostui *ui, const struct hostui_viewer *v, int w)
{
	struct text *t = prompt_text(ui, v, w);

	return PAD + (t != NULL ? t->h : 0) + GAP + BTN_H + PAD;
}

/* A waiting viewer: the question with the check code, and three answers. */
static int
draw_prompt(struct hostui *ui, const struct hostui_viewer *v, int y, int w)
{
	struct text *t = prompt_text(ui, v, w);
	SDL_Rect box = { MARGIN, y, w - 2 * MARGIN, prompt_height(ui, v, w) };
	int x = MARGIN + PAD;

	fill(ui, box, C_PROMPT_BG);
	outline(ui, box, C_PROMPT_LINE);
	if (t != NULL)
		SDL_RenderCopy(ui->ren, t->tex, NULL, &(SDL_Rect){ x, y + PAD, t->w, t->h });
	y += box.h - PAD - BTN_H;
	x += button(ui, x, y, "Allow control", HOSTUI_ALLOW_CONTROL, v->slot, true) + GAP;
	x += button(ui, x, y, "View only", HOSTUI_ALLOW_VIEW, v->slot, true) + GAP;
	button(ui, x, y, "Deny", HOSTUI_DENY, v->slot, true);
	return box.h;
}

/* A viewer that watches or controls: who, from where, what, [Remove]. */
static int
draw_row(struct hostui *ui, const struct hostui_viewer *v, int y, int w)
{
	char who[MSG_NAME_MAX + WIRE_ADDR_TEXT_MAX + 8];
	const char *what = v->state == HOSTUI_CONTROLLING ? "in control" : "viewing";
	int th = TTF_FontHeight(ui->font[F_TEXT]);
	int bx = w - MARGIN - button_width(ui, "Remove");
	int sx = bx - GAP - text_width(ui, F_BOLD, what);

	snprintf(who, sizeof(who), "%s  %s", v->name, v->addr);
	draw_text(ui, F_TEXT, C_TEXT, MARGIN, y + (BTN_H - th) / 2, sx - GAP - MARGIN, 0, who);
	draw_text(ui, F_BOLD, v->state == HOSTUI_CONTROLLING ? C_DANGER : C_TEXT, sx,
	    y + (BTN_H - th) / 2, w, 0, what);
	button(ui, bx, y, "Remove", HOSTUI_KICK, v->slot, true);
	return BTN_H;
}

static void
draw(struct hostui *ui)
{
	const struct hostui_state *st = &ui->st;
	int w, h, y, line, bottom;
	char digits[16], grouped[24];
	bool controlled = false;
	unsigned i, pass, hidden = 0;

	if (SDL_GetRendererOutputSize(ui->ren, &w, &h) != 0)
		return;
	ui->nbtn = 0;
	fill(ui, (SDL_Rect){ 0, 0, w, h }, C_BG);
	line = TTF_FontLineSkip(ui->font[F_TEXT]);

	y = MARGIN;
	draw_text(ui, F_TEXT, C_DIM, MARGIN, y, w / 2 - MARGIN, 0, "Session number");
	draw_text(ui, F_TEXT, C_DIM, w / 2, y, w / 2 - MARGIN, 0, "Code");
	y += line;
	if (st->session != 0) {
		snprintf(digits, sizeof(digits), "%05u", st->session);
		group_digits(grouped, sizeof(grouped), digits);
		draw_text(ui, F_BIG, C_TEXT, MARGIN, y, w / 2 - MARGIN, 0, grouped);
	}
	if (st->paused) {
		draw_text(ui, F_BIG, C_DANGER, w / 2, y, w / 2 - MARGIN, 0, "------");
	} else {
		group_digits(grouped, sizeof(grouped), st->code);
		draw_text(ui, F_BIG, C_TEXT, w / 2, y, w / 2 - MARGIN, 0, grouped);
	}
	y += TTF_FontLineSkip(ui->font[F_BIG]) + GAP / 2;
	{
		int bw = button_width(ui, "New code");

		draw_text(ui, F_TEXT, C_DIM, MARGIN, y + (BTN_H - line) / 2,
		    w - 2 * MARGIN - bw - GAP, 0, st->status);
		button(ui, w - MARGIN - bw, y, "New code", HOSTUI_NEW_CODE, 0, true);
		y += BTN_H + GAP;
	}
	if (st->failures > 0) {
		/* Wrong codes are what a guesser leaves behind: say so plainly. */
		char warn[200];

		if (st->paused)
			snprintf(warn, sizeof(warn), "%u wrong codes: someone may be trying to "
			    "guess. Nobody new can connect until you press New code.",
			    st->failures);
		else
			snprintf(warn, sizeof(warn), "%u wrong code%s entered. After %d, new "
			    "connections pause.", st->failures, st->failures == 1 ? "" : "s",
			    SESSION_GUESS_BUDGET);
		y += draw_text(ui, F_TEXT, C_DANGER, MARGIN, y, w - 2 * MARGIN,
		    w - 2 * MARGIN, warn) + GAP;
	}
	fill(ui, (SDL_Rect){ MARGIN, y, w - 2 * MARGIN, 1 }, C_LINE);
	y += GAP + 1;

	/* The viewers, as many as fit above the bottom buttons. */
	bottom = h - MARGIN - BTN_H - GAP;
	if (st->n == 0)
		draw_text(ui, F_TEXT, C_DIM, MARGIN, y, w - 2 * MARGIN, 0,
		    "No one is connected.");
	/* Prompts first: a question waiting for the host must not be the
	 * part that falls off the bottom. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < st->n; i++) {
			const struct hostui_viewer *v = &st->v[i];
			bool waiting = v->state == HOSTUI_WAITING;
			int need = waiting ? prompt_height(ui, v, w) : BTN_H;

			if (waiting != (pass == 0))
				continue;
			if (v->state == HOSTUI_CONTROLLING)
				controlled = true;
			if (hidden > 0 || y + need > bottom) {
				hidden++;
				continue;
			}
			if (waiting)
				y += draw_prompt(ui, v, y, w) + GAP;
			else
				y += draw_row(ui, v, y, w) + GAP / 2;
		}
	}
	if (hidden > 0) {
		char more[48];

		snprintf(more, sizeof(more), "%u more - make the window taller", hidden);
		draw_text(ui, F_TEXT, C_DIM, MARGIN, y, w - 2 * MARGIN, 0, more);
	}

	y = h - MARGIN - BTN_H;
	button(ui, MARGIN, y, "Take control back", HOSTUI_TAKE_CONTROL, 0, controlled);
	button(ui, w - MARGIN - button_width(ui, "End session"), y, "End session", HOSTUI_END,
	    0, true);
	text_sweep(ui);

	if (ui->debug) {
		fprintf(stderr, "redraw %d %d\n", w, h);
		for (i = 0; i < ui->nbtn; i++) {
			const struct button *b = &ui->btn[i];

			fprintf(stderr, "button %s %u %d %d %d %d\n", kind_names[b->act.kind],
			    b->act.slot, b->r.x, b->r.y, b->r.w, b->r.h);
		}
	}
}

static void
redraw(struct hostui *ui)
{
	draw(ui);
	SDL_RenderPresent(ui->ren);
	ui->dirty = false;
}

/* ---- other windows ---- */

/*
 * The program's other windows (the indicator, master/indicator.c) take
 * their events from SDL's queue as they arrive; this window, which drains
 * the queue, must not take their clicks and keys for its own.
 */
static bool
for_other_window(const struct hostui *ui, const SDL_Event *ev)
{
	Uint32 id = SDL_GetWindowID(ui->win);

	switch (ev->type) {
	case SDL_WINDOWEVENT:
		return ev->window.windowID != id;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		return ev->button.windowID != id;
	case SDL_MOUSEMOTION:
		return ev->motion.windowID != id;
	case SDL_MOUSEWHEEL:
		return ev->wheel.windowID != id;
	case SDL_KEYDOWN:
	case SDL_KEYUP:
		return ev->key.windowID != id;
	case SDL_TEXTINPUT:
		return ev->text.windowID != id;
	case SDL_TEXTEDITING:
		return ev->edit.windowID != id;
	default:
		return false;
	}
}

/* ---- input ---- */

static bool
armed(const struct hostui *ui, unsigned slot)
{
	return SDL_TICKS_PASSED(SDL_GetTicks(), ui->waiting_since[slot] + CONSENT_ARM_MS);
}

/* Consent is only given to a prompt the host had time to read. */
static void
push_answer(struct hostui *ui, enum hostui_action_kind kind, unsigned slot)
{
	if ((kind == HOSTUI_ALLOW_CONTROL || kind == HOSTUI_ALLOW_VIEW) && !armed(ui, slot)) {
		log_debug("hostui: prompt for slot %u too new, ignored", slot);
		return;
	}
	push(ui, kind, slot);
}

static int
hit(const struct hostui *ui, int x, int y)
{
	SDL_Point p = { x, y };

	for (unsigned i = 0; i < ui->nbtn; i++)
		if (SDL_PointInRect(&p, &ui->btn[i].r))
			return (int)i;
	return -1;
}

static void
on_key(struct hostui *ui, const SDL_KeyboardEvent *k)
{
	const struct hostui_viewer *v = NULL;
	enum hostui_action_kind kind;

	/* Shortcuts of other programs (Ctrl+A, ...) are not answers. */
	if (k->repeat || (k->keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)))
		return;
	switch (k->keysym.sym) {
	case SDLK_a: kind = HOSTUI_ALLOW_CONTROL; break;
	case SDLK_v: kind = HOSTUI_ALLOW_VIEW; break;
	case SDLK_d: case SDLK_ESCAPE: kind = HOSTUI_DENY; break;
	default: return;
	}
	for (unsigned i = 0; i < ui->st.n && v == NULL; i++)
		if (ui->st.v[i].state == HOSTUI_WAITING)
			v = &ui->st.v[i];
	if (v != NULL)
		push_answer(ui, kind, v->slot);
}

static void
on_event(struct hostui *ui, const SDL_Event *ev)
{
	int i;

	if (for_other_window(ui, ev))
		return;
	switch (ev->type) {
	case SDL_QUIT:
		push(ui, HOSTUI_END, 0);
		break;
	case SDL_WINDOWEVENT:
		switch (ev->window.event) {
		case SDL_WINDOWEVENT_CLOSE:
			push(ui, HOSTUI_END, 0);
			break;
		case SDL_WINDOWEVENT_EXPOSED:
		case SDL_WINDOWEVENT_SHOWN:
		case SDL_WINDOWEVENT_RESTORED:
		case SDL_WINDOWEVENT_SIZE_CHANGED:
			ui->dirty = true;
			break;
		}
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (ev->button.button == SDL_BUTTON_LEFT)
			ui->pressed = hit(ui, ev->button.x, ev->button.y);
		break;
	case SDL_MOUSEBUTTONUP:
		/* A click is press and release on the same button. */
		if (ev->button.button != SDL_BUTTON_LEFT)
			break;
		i = hit(ui, ev->button.x, ev->button.y);
		if (i >= 0 && i == ui->pressed)
			push_answer(ui, ui->btn[i].act.kind, ui->btn[i].act.slot);
		ui->pressed = -1;
		break;
	case SDL_KEYDOWN:
		on_key(ui, &ev->key);
		break;
	}
}

/* ---- attention ---- */

/* Did old already show v's prompt (same slot, same viewer, same check)? */
static bool
prompt_shown(const struct hostui_state *old, const struct hostui_viewer *v)
{
	for (unsigned j = 0; j < old->n; j++) {
		const struct hostui_viewer *o = &old->v[j];

		if (o->slot == v->slot && o->state == HOSTUI_WAITING &&
		    o->check == v->check && strcmp(o->name, v->name) == 0)
			return true;
	}
	return false;
}

/*
 * A new question brings the window to the front, from behind the host's
 * other windows or out of the task bar: restored, raised (SDL asks a
 * window manager with _NET_ACTIVE_WINDOW; without one it is XRaiseWindow)
 * and flashed until the host looks at it, for a window manager that
 * refuses the raise to keep the focus where the host works. Only a new
 * prompt does so: a window that jumped up with every redraw would keep
 * covering the host's work. The flash stops when nobody asks any more.
 */
static void
ask_attention(struct hostui *ui, const struct hostui_state *st)
{
	bool asks = false, asked = false;

	for (unsigned i = 0; i < ui->st.n; i++)
		if (ui->st.v[i].state == HOSTUI_WAITING)
			asked = true;
	for (unsigned i = 0; i < st->n; i++) {
		if (st->v[i].state != HOSTUI_WAITING)
			continue;
		if (!prompt_shown(&ui->st, &st->v[i])) {
			if (SDL_GetWindowFlags(ui->win) & SDL_WINDOW_MINIMIZED)
				SDL_RestoreWindow(ui->win);
			SDL_RaiseWindow(ui->win);
#if SDL_VERSION_ATLEAST(2, 0, 16)
			SDL_FlashWindow(ui->win, SDL_FLASH_UNTIL_FOCUSED);
#endif
			if (ui->debug)
				fprintf(stderr, "attention slot %u\n", st->v[i].slot);
			return;
		}
		asks = true;
	}
#if SDL_VERSION_ATLEAST(2, 0, 16)
	if (asked && !asks)
		SDL_FlashWindow(ui->win, SDL_FLASH_CANCEL);
#else
	(void)asked;
	(void)asks;
#endif
}

/* ---- the interface ---- */

static TTF_Font *
open_font(const char *path, int px)
{
	return path != NULL && path[0] != '\0' ? TTF_OpenFont(path, px) : NULL;
}

/*
 * FERNSICHT_FONT, when set, is used for all text (bold made by SDL2_ttf);
 * else DejaVu Sans and DejaVu Sans Bold.
 */
static int
open_fonts(struct hostui *ui, char *why, size_t why_len)
{
	const char *env = getenv("FERNSICHT_FONT");
	const char *regular = env != NULL && env[0] != '\0' ? env : FONT_DIR "DejaVuSans.ttf";
	const char *bold = env != NULL && env[0] != '\0' ? NULL : FONT_DIR "DejaVuSans-Bold.ttf";

	ui->font[F_TEXT] = open_font(regular, TEXT_PX);
	if (ui->font[F_TEXT] == NULL) {
		snprintf(why, why_len, "font not found: %s (%s; set FERNSICHT_FONT to a .ttf file)",
		    regular, TTF_GetError());
		return ERR_UNSUPPORTED;
	}
	ui->font[F_BOLD] = open_font(bold, TEXT_PX);
	ui->font[F_BIG] = open_font(bold, BIG_PX);
	if (ui->font[F_BOLD] == NULL)
		ui->font[F_BOLD] = open_font(regular, TEXT_PX);
	if (ui->font[F_BIG] == NULL)
		ui->font[F_BIG] = open_font(regular, BIG_PX);
	if (ui->font[F_BOLD] == NULL || ui->font[F_BIG] == NULL) {
		snprintf(why, why_len, "font not usable: %s (%s)", regular, TTF_GetError());
		return ERR_UNSUPPORTED;
	}
	if (bold == NULL) {
		TTF_SetFontStyle(ui->font[F_BOLD], TTF_STYLE_BOLD);
		TTF_SetFontStyle(ui->font[F_BIG], TTF_STYLE_BOLD);
	}
	return 0;
}

struct hostui *
hostui_open(char *why, size_t why_len)
{
	struct hostui *ui = calloc(1, sizeof(*ui));
	const char *dbg = getenv("HOSTUI_DEBUG");

	if (ui == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	ui->pressed = -1;
	ui->debug = dbg != NULL && strcmp(dbg, "1") == 0;
	/*
	 * The master handles its own signals; a status window must neither
	 * keep the host's screen awake nor turn off their compositor.
	 */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
	SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		snprintf(why, why_len, "no display (%s)", SDL_GetError());
		goto fail;
	}
	ui->video_on = true;
	if (TTF_Init() != 0) {
		snprintf(why, why_len, "cannot start SDL2_ttf (%s)", TTF_GetError());
		goto fail;
	}
	ui->ttf_on = true;
	if (open_fonts(ui, why, why_len) != 0)
		goto fail;
	ui->win = SDL_CreateWindow("Fernsicht", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
	    WIN_W, WIN_H, SDL_WINDOW_RESIZABLE);
	if (ui->win == NULL) {
		snprintf(why, why_len, "no display: cannot open a window (%s)", SDL_GetError());
		goto fail;
	}
	SDL_SetWindowMinimumSize(ui->win, MIN_W, MIN_H);
	/* A few rectangles and text: software is enough and needs no GPU driver. */
	ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
	if (ui->ren == NULL) {
		snprintf(why, why_len, "no display: cannot draw (%s)", SDL_GetError());
		goto fail;
	}
	ui->dirty = true;
	redraw(ui);
	return ui;
fail:
	hostui_close(ui);
	return NULL;
}

void
hostui_close(struct hostui *ui)
{
	if (ui == NULL)
		return;
	for (unsigned i = 0; i < CACHE_MAX; i++)
		text_free(&ui->cache[i]);
	for (unsigned i = 0; i < F_COUNT; i++)
		if (ui->font[i] != NULL)
			TTF_CloseFont(ui->font[i]);
	if (ui->ren != NULL)
		SDL_DestroyRenderer(ui->ren);
	if (ui->win != NULL)
		SDL_DestroyWindow(ui->win);
	if (ui->ttf_on)
		TTF_Quit();
	if (ui->video_on)
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
	free(ui);
}

void
hostui_show(struct hostui *ui, const struct hostui_state *st)
{
	uint32_t now = SDL_GetTicks();
	uint32_t since[MASTER_SLOTS_MAX + 1] = { 0 };
	char title[64];

	BUG_ON(st->n > MASTER_SLOTS_MAX);
	if (memcmp(&ui->st, st, sizeof(*st)) == 0)
		return;
	/* A prompt keeps its age while it asks the same; a new one starts now. */
	for (unsigned i = 0; i < st->n; i++) {
		const struct hostui_viewer *v = &st->v[i];

		BUG_ON(v->slot == 0 || v->slot > MASTER_SLOTS_MAX);
		if (v->state != HOSTUI_WAITING)
			continue;
		since[v->slot] = prompt_shown(&ui->st, v) ? ui->waiting_since[v->slot] : now;
	}
	memcpy(ui->waiting_since, since, sizeof(since));
	if (st->session != ui->st.session) {
		if (st->session != 0)
			snprintf(title, sizeof(title), "Fernsicht - session %05u", st->session);
		else
			snprintf(title, sizeof(title), "Fernsicht");
		SDL_SetWindowTitle(ui->win, title);
	}
	ask_attention(ui, st);
	ui->st = *st;
	/* Untrusted names may lack their terminator in a careless copy. */
	ui->st.code[sizeof(ui->st.code) - 1] = '\0';
	ui->st.status[sizeof(ui->st.status) - 1] = '\0';
	for (unsigned i = 0; i < ui->st.n; i++) {
		ui->st.v[i].name[sizeof(ui->st.v[i].name) - 1] = '\0';
		ui->st.v[i].addr[sizeof(ui->st.v[i].addr) - 1] = '\0';
	}
	ui->dirty = true;
}

struct hostui_action
hostui_poll(struct hostui *ui)
{
	struct hostui_action a = { HOSTUI_NONE, 0 };
	SDL_Event ev;

	while (SDL_PollEvent(&ev))
		on_event(ui, &ev);
	if (ui->dirty)
		redraw(ui);
	if (ui->qlen > 0) {
		a = ui->q[ui->qhead];
		ui->qhead = (ui->qhead + 1) % QUEUE_MAX;
		ui->qlen--;
	}
	return a;
}

int
hostui_screenshot(struct hostui *ui, const char *path)
{
	SDL_Surface *s;
	int w, h, r;

	if (SDL_GetRendererOutputSize(ui->ren, &w, &h) != 0)
		return ERR_SYSTEM;
	s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (s == NULL)
		return ERR_NOMEM;
	/* Read what was just drawn: after a present the back buffer is undefined. */
	draw(ui);
	r = SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
	SDL_RenderPresent(ui->ren);
	ui->dirty = false;
	if (r == 0)
		r = SDL_SaveBMP(s, path);
	if (r != 0)
		log_warn("hostui: screenshot %s: %s", path, SDL_GetError());
	SDL_FreeSurface(s);
	return r == 0 ? 0 : ERR_SYSTEM;
}
