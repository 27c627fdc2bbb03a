/* SPDX-License-Identifier: Apache-2.0 */
/*
 * startwin.c - the viewer's start window (startwin.h): SDL_Renderer
 * rectangles and text from gui/text.c, the same look as the host's
 * window. Text comes from SDL_TEXTINPUT events, so that the local layout
 * decides which key is which digit; anything that is not a digit is
 * dropped, which is what makes "123 456", "123-456" and "123456" the same
 * code. The window is redrawn only when something changed or the window
 * system asks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "i18n.h"
#include "log.h"
#include "startwin.h"
#include "text.h"          /* gui/ */

enum {
	WIN_W = 460, WIN_H = 340,
	MARGIN = 16, GAP = 8, PAD = 8,
	BTN_H = 32, BTN_PAD = 14,
	TEXT_PX = 15, BIG_PX = 28,
	FOCUS_LINE = 2,                 /* the focused field's outline, pixels */
	CARET_W = 2,
};

static const SDL_Color C_BG = { 246, 246, 244, 255 };
static const SDL_Color C_TEXT = { 28, 28, 28, 255 };
static const SDL_Color C_DIM = { 105, 105, 105, 255 };
static const SDL_Color C_LINE = { 200, 200, 196, 255 };
static const SDL_Color C_FIELD_BG = { 255, 255, 255, 255 };
static const SDL_Color C_FIELD_LINE = { 150, 150, 146, 255 };
static const SDL_Color C_FOCUS = { 40, 100, 200, 255 };
static const SDL_Color C_BTN_BG = { 226, 226, 222, 255 };
static const SDL_Color C_BTN_LINE = { 130, 130, 126, 255 };
static const SDL_Color C_DANGER = { 168, 28, 28, 255 };

enum field_id { FIELD_RELAY, FIELD_SESSION, FIELD_CODE, FIELDS };

struct field {
	const char *label;
	char text[STARTWIN_RELAY_MAX + 1];
	size_t max;                     /* characters it takes */
	bool digits;                    /* digits only, shown in groups */
	bool shown;
	SDL_Rect r;                     /* as last drawn: where a click lands */
};

struct startwin {
	SDL_Window *win;
	SDL_Renderer *ren;
	bool video_on;
	struct gui_text *text;
	bool dirty;

	struct field f[FIELDS];
	enum field_id focus;
	bool joining;                   /* a join is under way: fields locked */
	char relay_line[STARTWIN_RELAY_MAX + 300];      /* "Relay: X (from Y)" */
	char headline[160];
	bool headline_bad;              /* red: a failure or a missing entry */
	char detail[512];
	bool detail_ours;               /* our words, not a reason from elsewhere */
	bool below_told;                /* the warning that text ran below the window */
	SDL_Rect connect;               /* the button as last drawn */
	bool pressed;                   /* the left button went down on it */
	bool want_connect;              /* Enter or the button (Cancel while joining) */
	bool want_cancel;               /* Escape */
	bool quit;
};

/* ---- what the supporter typed ---- */

/* Digits grouped as the host shows them: "48 213", "071 934". While
 * typing the groups fill from the left, so nothing moves. */
static void
grouped(const struct field *fd, char *out, size_t len)
{
	size_t n = strlen(fd->text), o = 0;
	size_t first = fd->max % 3 == 0 ? 3 : fd->max % 3;     /* 5: "48 213", 6: "071 934" */
	for (size_t i = 0; i < n && o + 2 < len; i++) {
		if (i == first || (i > first && (i - first) % 3 == 0))
			out[o++] = ' ';
		out[o++] = fd->text[i];
	}
	out[o] = '\0';
}

static bool
takes(const struct field *fd, char ch)
{
	if (fd->digits)
		return ch >= '0' && ch <= '9';
	/* A relay address: printable ASCII without blanks. */
	return ch > ' ' && ch <= '~';
}

/* Typed or pasted text into the focused field; digits that do not fit
 * into the session number go on into the code, so a pasted "48213
 * 071934" fills both. */
static void
type(struct startwin *w, const char *s)
{
	enum field_id at = w->focus;

	if (w->joining)
		return;
	for (; *s != '\0'; s++) {
		struct field *fd = &w->f[at];
		size_t n = strlen(fd->text);

		if (!takes(fd, *s))
			continue;
		if (n == fd->max && at == FIELD_SESSION) {
			at = FIELD_CODE;
			fd = &w->f[at];
			n = strlen(fd->text);
		}
		if (n == fd->max)
			continue;
		fd->text[n] = *s;
		fd->text[n + 1] = '\0';
		w->dirty = true;
	}
	w->focus = at;
}

static void
move_focus(struct startwin *w, int step)
{
	enum field_id at = w->focus;

	do
		at = (enum field_id)(((int)at + step + FIELDS) % FIELDS);
	while (!w->f[at].shown);
	w->focus = at;
	w->dirty = true;
}

/* Say headline and detail; ours: the detail is the window's own words,
 * which must fit (a reason from the session or a settings file may be cut). */
static void
say(struct startwin *w, bool bad, const char *headline, const char *detail, bool ours)
{
	snprintf(w->headline, sizeof(w->headline), "%s", headline);
	snprintf(w->detail, sizeof(w->detail), "%s", detail != NULL ? detail : "");
	w->headline_bad = bad;
	w->detail_ours = ours;
	w->dirty = true;
}

/* A complete entry into e, or the window says what is missing. */
static bool
complete(struct startwin *w, struct startwin_entry *e)
{
	const struct field *relay = &w->f[FIELD_RELAY];
	const char *session = w->f[FIELD_SESSION].text, *code = w->f[FIELD_CODE].text;
	unsigned long n = strtoul(session, NULL, 10);

	if (relay->shown && relay->text[0] == '\0') {
		w->focus = FIELD_RELAY;
		say(w, true, _("Which relay?"), _("Type the relay's address (host or host:port): "
		    "the support desk's relay, the same one the host uses."), true);
		return false;
	}
	if (strlen(session) != SESSION_NUMBER_DIGITS || n < SESSION_NUMBER_MIN ||
	    n > SESSION_NUMBER_MAX) {
		w->focus = FIELD_SESSION;
		say(w, true, _("The session number has five digits"), _("The host's window shows "
		    "it beside the code."), true);
		return false;
	}
	if (strlen(code) != SESSION_CODE_DIGITS) {
		w->focus = FIELD_CODE;
		say(w, true, _("The code has six digits"), _("The host's window shows it beside "
		    "the session number."), true);
		return false;
	}
	memset(e, 0, sizeof(*e));
	snprintf(e->relay, sizeof(e->relay), "%s", relay->text);
	e->session = n;
	memcpy(e->code, code, SESSION_CODE_DIGITS + 1);
	return true;
}

/* ---- drawing ---- */

static void
fill(struct startwin *w, SDL_Rect r, SDL_Color c)
{
	SDL_SetRenderDrawColor(w->ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(w->ren, &r);
}

static void
outline(struct startwin *w, SDL_Rect r, SDL_Color c, int width)
{
	SDL_SetRenderDrawColor(w->ren, c.r, c.g, c.b, c.a);
	for (int i = 0; i < width; i++) {
		SDL_RenderDrawRect(w->ren, &r);
		r = (SDL_Rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 };
	}
}

/* A field at (x, y): its label above, its box below; returns the height. */
static int
draw_field(struct startwin *w, enum field_id id, int x, int y, int width)
{
	struct field *fd = &w->f[id];
	enum gui_font font = fd->digits ? GUI_FONT_BIG : GUI_FONT_TEXT;
	int line = gui_text_line(w->text, GUI_FONT_TEXT);
	int th = gui_text_height(w->text, font);
	bool focused = w->focus == id && !w->joining;
	char shown[2 * STARTWIN_RELAY_MAX];
	int tw;

	gui_text_draw(w->text, GUI_FONT_TEXT, C_DIM, x, y, width, 0, _(fd->label));
	y += line;
	fd->r = (SDL_Rect){ x, y, width, th + 2 * PAD };
	fill(w, fd->r, w->joining ? C_BG : C_FIELD_BG);
	outline(w, fd->r, focused ? C_FOCUS : C_FIELD_LINE, focused ? FOCUS_LINE : 1);
	if (fd->digits)
		grouped(fd, shown, sizeof(shown));
	else
		snprintf(shown, sizeof(shown), "%s", fd->text);
	tw = gui_text_width(w->text, font, shown);
	/* A long relay address shows its end, where the typing is. */
	if (tw > width - 2 * PAD - CARET_W) {
		const struct gui_label *u = gui_text_get(w->text, font, C_TEXT, 0, shown);
		int vis = width - 2 * PAD - CARET_W;

		if (u != NULL)
			SDL_RenderCopy(w->ren, u->tex, &(SDL_Rect){ u->w - vis, 0, vis, u->h },
			    &(SDL_Rect){ x + PAD, y + PAD, vis, u->h });
		tw = vis;
	} else {
		gui_text_draw_content(w->text, font, C_TEXT, x + PAD, y + PAD, width - 2 * PAD, 0,
		    shown);
	}
	if (focused)
		fill(w, (SDL_Rect){ x + PAD + tw + 1, y + PAD, CARET_W, th }, C_TEXT);
	return line + fd->r.h;
}

static void
draw(struct startwin *w)
{
	int width, height, y, line, half, bw;
	const char *label = w->joining ? _("Cancel") : _("Connect");

	if (SDL_GetRendererOutputSize(w->ren, &width, &height) != 0)
		return;
	fill(w, (SDL_Rect){ 0, 0, width, height }, C_BG);
	line = gui_text_line(w->text, GUI_FONT_TEXT);
	y = MARGIN;
	gui_text_draw(w->text, GUI_FONT_BOLD, C_TEXT, MARGIN, y, width - 2 * MARGIN, 0,
	    _("Join a Fernsicht session"));
	y += line + GAP;
	if (w->f[FIELD_RELAY].shown)
		y += draw_field(w, FIELD_RELAY, MARGIN, y, width - 2 * MARGIN) + GAP;
	else
		y += gui_text_draw_content(w->text, GUI_FONT_TEXT, C_DIM, MARGIN, y,
		    width - 2 * MARGIN, width - 2 * MARGIN, w->relay_line) + GAP;
	half = (width - 2 * MARGIN - 2 * GAP) / 2;
	draw_field(w, FIELD_SESSION, MARGIN, y, half);
	y += draw_field(w, FIELD_CODE, MARGIN + half + 2 * GAP, y, half) + GAP + GAP / 2;

	bw = gui_text_width(w->text, GUI_FONT_TEXT, label) + 2 * BTN_PAD;
	w->connect = (SDL_Rect){ width - MARGIN - bw, y, bw, BTN_H };
	fill(w, w->connect, C_BTN_BG);
	outline(w, w->connect, C_BTN_LINE, 1);
	gui_text_draw(w->text, GUI_FONT_TEXT, C_TEXT, w->connect.x + BTN_PAD,
	    y + (BTN_H - gui_text_height(w->text, GUI_FONT_TEXT)) / 2, bw, 0, label);
	gui_text_draw(w->text, GUI_FONT_TEXT, C_DIM, MARGIN, y + (BTN_H - line) / 2,
	    width - 2 * MARGIN - bw - GAP, 0, w->joining ? _("Escape: cancel") :
	    _("Tab: next field   Enter: connect"));
	y += BTN_H + GAP;
	fill(w, (SDL_Rect){ MARGIN, y, width - 2 * MARGIN, 1 }, C_LINE);
	y += GAP + 1;

	y += gui_text_draw(w->text, GUI_FONT_BOLD, w->headline_bad ? C_DANGER : C_TEXT, MARGIN, y,
	    width - 2 * MARGIN, width - 2 * MARGIN, w->headline) + GAP / 2;
	y += (w->detail_ours ? gui_text_draw : gui_text_draw_content)(w->text, GUI_FONT_TEXT,
	    C_TEXT, MARGIN, y, width - 2 * MARGIN, width - 2 * MARGIN, w->detail);
	/* Wrapped text runs down: the window's own words must end inside it
	 * in every language (the same warning as for a line cut short). */
	if (y > height - MARGIN / 2 && w->detail_ours && !w->below_told) {
		w->below_told = true;
		log_warn("gui: text cut, %d px below the window: \"%s\"", y - height, w->detail);
	}
	gui_text_sweep(w->text);
}

static void
redraw(struct startwin *w)
{
	draw(w);
	SDL_RenderPresent(w->ren);
	w->dirty = false;
}

/* ---- events ---- */

static void
paste(struct startwin *w)
{
	char *clip;

	if (!SDL_HasClipboardText() || (clip = SDL_GetClipboardText()) == NULL)
		return;
	type(w, clip);
	SDL_free(clip);
}

static void
on_key(struct startwin *w, const SDL_KeyboardEvent *k)
{
	struct field *fd = &w->f[w->focus];
	size_t n = strlen(fd->text);

	switch (k->keysym.sym) {
	case SDLK_TAB:
		move_focus(w, (k->keysym.mod & KMOD_SHIFT) ? -1 : 1);
		break;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		/* Not a cancel: Enter pressed twice must not end the join. */
		if (!w->joining)
			w->want_connect = true;
		break;
	case SDLK_ESCAPE:
		w->want_cancel = w->joining;
		break;
	case SDLK_BACKSPACE:
		if (w->joining || n == 0)
			break;
		/* Ctrl+Backspace empties the field. */
		fd->text[(k->keysym.mod & KMOD_CTRL) ? 0 : n - 1] = '\0';
		w->dirty = true;
		break;
	case SDLK_v:
		if (k->keysym.mod & KMOD_CTRL)
			paste(w);
		break;
	case SDLK_INSERT:
		if (k->keysym.mod & KMOD_SHIFT)
			paste(w);
		break;
	default:
		break;
	}
}

static void
on_click(struct startwin *w, int x, int y, bool down)
{
	SDL_Point p = { x, y };
	bool on_button = SDL_PointInRect(&p, &w->connect);

	if (down) {
		w->pressed = on_button;
		for (int i = 0; i < FIELDS; i++)
			if (w->f[i].shown && SDL_PointInRect(&p, &w->f[i].r)) {
				w->focus = (enum field_id)i;
				w->dirty = true;
			}
		return;
	}
	/* A click is press and release on the button. */
	if (on_button && w->pressed)
		w->want_connect = true;
	w->pressed = false;
}

static void
on_event(struct startwin *w, const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_QUIT:
		w->quit = true;
		break;
	case SDL_WINDOWEVENT:
		switch (ev->window.event) {
		case SDL_WINDOWEVENT_CLOSE:
			w->quit = true;
			break;
		case SDL_WINDOWEVENT_EXPOSED:
		case SDL_WINDOWEVENT_SHOWN:
		case SDL_WINDOWEVENT_RESTORED:
		case SDL_WINDOWEVENT_SIZE_CHANGED:
			w->dirty = true;
			break;
		}
		break;
	case SDL_TEXTINPUT:
		type(w, ev->text.text);
		break;
	case SDL_KEYDOWN:
		on_key(w, &ev->key);
		break;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (ev->button.button == SDL_BUTTON_LEFT)
			on_click(w, ev->button.x, ev->button.y, ev->type == SDL_MOUSEBUTTONDOWN);
		break;
	}
}

/* ---- the interface ---- */

struct startwin *
startwin_open(const struct startwin_opts *o, char *why, size_t why_len)
{
	struct startwin *w = calloc(1, sizeof(*w));
	const char *drv;

	if (w == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	w->f[FIELD_RELAY] = (struct field){ .label = N_("Relay (host or host:port)"),
	    .max = STARTWIN_RELAY_MAX, .shown = o->relay == NULL };
	w->f[FIELD_SESSION] = (struct field){ .label = N_("Session number"),
	    .max = SESSION_NUMBER_DIGITS, .digits = true, .shown = true };
	/* TRANSLATORS: the host's one-time code (six digits). */
	w->f[FIELD_CODE] = (struct field){ .label = N_("Code"), .max = SESSION_CODE_DIGITS,
	    .digits = true, .shown = true };
	if (o->relay != NULL) {
		snprintf(w->f[FIELD_RELAY].text, sizeof(w->f[FIELD_RELAY].text), "%s", o->relay);
		if (o->relay_from == NULL)
			snprintf(w->relay_line, sizeof(w->relay_line), _("Relay: %s"), o->relay);
		else if (o->relay_from_link && o->relay_configured != NULL &&
		    strcmp(o->relay_configured, o->relay) != 0)
			/* A link from a web page or a mail may name any relay:
			 * say so when it is not the one the settings name. */
			snprintf(w->relay_line, sizeof(w->relay_line),
			    _("Relay: %s (from a fernsicht:// link; your settings name %s)"),
			    o->relay, o->relay_configured);
		else if (o->relay_from_link)
			snprintf(w->relay_line, sizeof(w->relay_line),
			    _("Relay: %s (from a fernsicht:// link)"), o->relay);
		else if (o->relay_from_command_line)
			snprintf(w->relay_line, sizeof(w->relay_line),
			    _("Relay: %s (from the command line)"), o->relay);
		else
			/* TRANSLATORS: the second %s is the settings file it came from. */
			snprintf(w->relay_line, sizeof(w->relay_line), _("Relay: %s (from %s)"),
			    o->relay, o->relay_from);
	}
	w->focus = o->relay == NULL ? FIELD_RELAY : FIELD_SESSION;
	if (o->session != 0) {
		/* A link named the session: the code is what is left to type. */
		snprintf(w->f[FIELD_SESSION].text, sizeof(w->f[FIELD_SESSION].text), "%05lu",
		    o->session % (SESSION_NUMBER_MAX + 1));
		w->focus = FIELD_CODE;
	}
	if (o->code != NULL) {
		enum field_id keep = w->focus;

		w->focus = FIELD_CODE;
		type(w, o->code);
		w->focus = keep;
	}
	if (o->notice != NULL)
		say(w, true, _("Settings not used"), o->notice, false);
	else if (o->relay == NULL)
		say(w, true, _("No relay configured"), _("Type the relay's address above, or put "
		    "'relay = HOST' into ~/.config/fernsicht/viewer.conf."), true);
	else
		say(w, false, "", _("Ask the host for the session number and the code their "
		    "Fernsicht window shows."), true);

	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		snprintf(why, why_len, _("no display (%s)"), SDL_GetError());
		goto fail;
	}
	w->video_on = true;
	/* With no display SDL falls back to a window nobody sees: a start
	 * window there would wait for ever. Only when asked for, then. */
	drv = SDL_GetCurrentVideoDriver();
	if (drv != NULL && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0) &&
	    SDL_GetHint(SDL_HINT_VIDEODRIVER) == NULL) {
		snprintf(why, why_len, _("no display (SDL has only its %s driver)"), drv);
		goto fail;
	}
	w->win = SDL_CreateWindow(_("Fernsicht - join a session"), SDL_WINDOWPOS_UNDEFINED,
	    SDL_WINDOWPOS_UNDEFINED, WIN_W, WIN_H, SDL_WINDOW_RESIZABLE);
	if (w->win == NULL) {
		snprintf(why, why_len, _("no display: cannot open a window (%s)"),
		    SDL_GetError());
		goto fail;
	}
	SDL_SetWindowMinimumSize(w->win, WIN_W, WIN_H);
	/* A few rectangles and text: software is enough and needs no GPU driver. */
	w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
	if (w->ren == NULL) {
		snprintf(why, why_len, _("no display: cannot draw (%s)"), SDL_GetError());
		goto fail;
	}
	if ((w->text = gui_text_open(w->ren, &(struct gui_font_px){ .text = TEXT_PX,
	    .big = BIG_PX }, why, why_len)) == NULL)
		goto fail;
	SDL_StartTextInput();
	redraw(w);
	return w;
fail:
	startwin_close(w);
	return NULL;
}

void
startwin_close(struct startwin *w)
{
	if (w == NULL)
		return;
	if (w->video_on)
		SDL_StopTextInput();
	gui_text_close(w->text);
	if (w->ren != NULL)
		SDL_DestroyRenderer(w->ren);
	if (w->win != NULL)
		SDL_DestroyWindow(w->win);
	if (w->video_on)
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
	explicit_bzero(w, sizeof(*w));  /* the code */
	free(w);
}

enum startwin_answer
startwin_poll(struct startwin *w, int timeout_ms, struct startwin_entry *e)
{
	SDL_Event ev;

	if (timeout_ms > 0 && SDL_WaitEventTimeout(&ev, timeout_ms))
		on_event(w, &ev);
	while (SDL_PollEvent(&ev))
		on_event(w, &ev);
	if (w->quit)
		return STARTWIN_QUIT;
	if (w->joining && (w->want_connect || w->want_cancel)) {
		w->want_connect = w->want_cancel = false;
		return STARTWIN_CANCEL;
	}
	w->want_cancel = false;
	if (w->want_connect) {
		w->want_connect = false;
		if (e != NULL && complete(w, e)) {
			redraw(w);
			return STARTWIN_CONNECT;
		}
	}
	if (w->dirty)
		redraw(w);
	return STARTWIN_NONE;
}

void
startwin_joining(struct startwin *w, const char *status)
{
	w->joining = true;
	say(w, false, _("Joining..."), status, true);
	redraw(w);
}

void
startwin_failed(struct startwin *w, const char *headline, const char *detail, bool clear_code)
{
	w->joining = false;
	if (clear_code) {
		explicit_bzero(w->f[FIELD_CODE].text, sizeof(w->f[FIELD_CODE].text));
		w->focus = FIELD_CODE;
	}
	say(w, true, headline, detail, false);
	redraw(w);
}

void
startwin_cancelled(struct startwin *w)
{
	w->joining = false;
	say(w, false, _("Cancelled"), _("Correct what is needed and connect again."), true);
	redraw(w);
}
