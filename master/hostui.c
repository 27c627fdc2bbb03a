/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostui.c - the host's small window: session number and code in large
 * type, a consent prompt per waiting viewer, the viewers and the buttons
 * that answer, remove, take control back or end the session; under them
 * the chat and the file transfers (gui/).
 *
 * Everything is drawn with SDL_Renderer rectangles and text from
 * gui/text.h; the window is redrawn only when the state changed or the
 * window system asks (expose, resize). With HOSTUI_DEBUG=1 in the
 * environment every redraw prints the clickable places on stderr, one line
 * each: "button KIND SLOT X Y W H" (the chat's entry is CHAT_ENTRY, a
 * transfer's buttons CANCEL_TRANSFER and OPEN_FOLDER with the transfer's
 * id for SLOT), and "chat lines=N unread=N focus=0|1", so that tests can
 * click them and see the state.
 *
 * Keys: A, V, D and Escape answer the oldest prompt, except while the
 * chat's entry has the focus (a click on it): then every key types there,
 * Escape or a click elsewhere leaves it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "button.h"
#include "chat.h"
#include "err.h"
#include "attention.h"
#include "hostui.h"
#include "i18n.h"
#include "log.h"
#include "paint.h"
#include "text.h"
#include "transfers.h"
#include "viewerlist.h"

enum {
	WIN_W = 480, WIN_H = 360,
	MIN_W = 360, MIN_H = 260,
	MARGIN = HOSTUI_MARGIN, GAP = HOSTUI_GAP, BTN_H = HOSTUI_BTN_H,
	TEXT_PX = 15, BIG_PX = 40,
	CHAT_MIN_H = 150,       /* history and entry; below this the chat is not drawn */
	QUEUE_MAX = 32,
	/*
	 * A prompt's Allow buttons and keys do nothing until the prompt has
	 * been on screen this long: a click or key meant for what was there
	 * a moment before must not let someone in.
	 */
	CONSENT_ARM_MS = 600,
};


static const char *const kind_names[] = {
	[HOSTUI_NONE] = "NONE",
	[HOSTUI_ALLOW_CONTROL] = "ALLOW_CONTROL",
	[HOSTUI_ALLOW_VIEW] = "ALLOW_VIEW",
	[HOSTUI_DENY] = "DENY",
	[HOSTUI_KICK] = "KICK",
	[HOSTUI_KICK_AWAY] = "KICK_AWAY",
	[HOSTUI_TAKE_CONTROL] = "TAKE_CONTROL",
	[HOSTUI_END] = "END",
	[HOSTUI_NEW_CODE] = "NEW_CODE",
	[HOSTUI_CHAT_SEND] = "CHAT_SEND",
	[HOSTUI_DROP_FILE] = "DROP_FILE",
	[HOSTUI_FILES_ON] = "FILES_ON",
	[HOSTUI_FILES_OFF] = "FILES_OFF",
	[HOSTUI_CANCEL_TRANSFER] = "CANCEL_TRANSFER",
	[HOSTUI_FETCH_DROP] = "FETCH_DROP",
	[HOSTUI_DROP_MODE] = "DROP_MODE",
};

struct hostui {
	SDL_Window *win;
	SDL_Renderer *ren;
	bool video_on;
	struct gui_text *t;
	bool debug;

	struct hostui_state st;
	/* SDL_GetTicks() when each slot's current prompt first appeared. */
	uint32_t waiting_since[MASTER_SLOTS_MAX + 1];
	bool dirty;
	bool ended;             /* HOSTUI_END was queued: do not repeat it */

	/* The buttons as last drawn: clicks mean what the host saw. */
	struct gui_buttons btn;

	struct gui_chat *chat;
	bool chat_drawn;        /* the last frame had room for it */
	unsigned unread;        /* as last drawn */
	struct gui_transfers *transfers;
	int want_h;             /* the height the last frame wanted */
	int grown_to;           /* the height the window was last made to grow to */
	int want_min_h;         /* the height that shows the first viewer */
	int floor_asked, floor_from;    /* the last such height asked for, and from */

	/* Actions not yet taken; a CHAT_SEND's text is owned by its entry
	 * until it is taken, then by last_text until the next poll. */
	struct hostui_action q[QUEUE_MAX];
	char *qtext[QUEUE_MAX];
	unsigned qhead, qlen;
	char *last_text;
};

/* Queue a; text (malloc'd or NULL) goes with it. */
static void
push_action(struct hostui *ui, const struct hostui_action *a, char *text)
{
	unsigned at = (ui->qhead + ui->qlen) % QUEUE_MAX;

	if (a->kind == HOSTUI_END) {
		if (ui->ended)
			return;
		ui->ended = true;
	}
	if (ui->qlen == QUEUE_MAX) {
		log_warn("hostui: too many clicks at once, dropped %s", kind_names[a->kind]);
		free(text);
		return;
	}
	ui->q[at] = *a;
	ui->qtext[at] = text;
	ui->qlen++;
}

static void
push(struct hostui *ui, enum hostui_action_kind kind, unsigned slot)
{
	push_action(ui, &(struct hostui_action){ .kind = kind, .slot = slot }, NULL);
}

/* ---- drawing ---- */

static int
button_width(struct hostui *ui, const char *label)
{
	return gui_button_width(ui->t, label, BTN_H);
}

/* Draw a button at (x, y); an enabled one becomes clickable. Returns its width. */
static int
button(struct hostui *ui, int x, int y, const char *label, enum hostui_action_kind kind,
    unsigned slot, bool enabled)
{
	bool danger = kind == HOSTUI_DENY || kind == HOSTUI_KICK || kind == HOSTUI_KICK_AWAY ||
	    kind == HOSTUI_END;

	return gui_button(&ui->btn, ui->t, ui->ren, x, y, BTN_H, label, !enabled ? GUI_LOOK_OFF :
	    danger ? GUI_LOOK_DANGER : GUI_LOOK_PLAIN, kind, slot, 0);
}

/* Session number, code, status, warnings and the line under them;
 * returns the y below. */
static int
draw_header(struct hostui *ui, int w)
{
	const struct hostui_state *st = &ui->st;
	int y = MARGIN, line = gui_text_line(ui->t, GUI_FONT_TEXT), bw;
	char digits[16], grouped[24];

	gui_text_draw(ui->t, GUI_FONT_TEXT, GUI_DIM, MARGIN, y, w / 2 - MARGIN, 0,
	    _("Session number"));
	/* TRANSLATORS: the one-time code under this heading, in large digits. */
	gui_text_draw(ui->t, GUI_FONT_TEXT, GUI_DIM, w / 2, y, w / 2 - MARGIN, 0, _("Code"));
	y += line;
	if (st->session != 0) {
		snprintf(digits, sizeof(digits), "%05u", st->session);
		viewerlist_group_digits(grouped, sizeof(grouped), digits, " ");
		gui_text_draw(ui->t, GUI_FONT_BIG, GUI_TEXT, MARGIN, y, w / 2 - MARGIN, 0, grouped);
	}
	if (st->paused) {
		gui_text_draw(ui->t, GUI_FONT_BIG, GUI_DANGER, w / 2, y, w / 2 - MARGIN, 0, "------");
	} else {
		viewerlist_group_digits(grouped, sizeof(grouped), st->code, " ");
		gui_text_draw(ui->t, GUI_FONT_BIG, GUI_TEXT, w / 2, y, w / 2 - MARGIN, 0, grouped);
	}
	y += gui_text_line(ui->t, GUI_FONT_BIG) + GAP / 2;
	bw = button_width(ui, _("New code"));
	gui_text_draw(ui->t, GUI_FONT_TEXT, GUI_DIM, MARGIN, y + (BTN_H - line) / 2,
	    w - 2 * MARGIN - bw - GAP, 0, st->status);
	button(ui, w - MARGIN - bw, y, _("New code"), HOSTUI_NEW_CODE, 0, true);
	y += BTN_H + GAP;
	if (st->failures > 0) {
		/* Wrong codes are what a guesser leaves behind: say so plainly. */
		char warn[400];

		if (st->paused)
			/* TRANSLATORS: "New code" is the button beside the code. */
			snprintf(warn, sizeof(warn), NG_("%u wrong code: someone may be trying to "
			    "guess. Nobody new can connect until you press New code.",
			    "%u wrong codes: someone may be trying to guess. Nobody new can "
			    "connect until you press New code.", st->failures), st->failures);
		else
			snprintf(warn, sizeof(warn), NG_("%u wrong code entered. After %d, new "
			    "connections pause.", "%u wrong codes entered. After %d, new "
			    "connections pause.", st->failures), st->failures,
			    SESSION_GUESS_BUDGET);
		y += gui_text_draw(ui->t, GUI_FONT_TEXT, GUI_DANGER, MARGIN, y, w - 2 * MARGIN,
		    w - 2 * MARGIN, warn) + GAP;
	}
	gui_fill(ui->ren, (SDL_Rect){ MARGIN, y, w - 2 * MARGIN, 1 }, GUI_LINE);
	return y + GAP + 1;
}

/* The chat is there once someone watches, or something was said. */
static bool
chat_wanted(const struct hostui *ui)
{
	for (unsigned i = 0; i < ui->st.n; i++)
		if (ui->st.v[i].state != HOSTUI_WAITING)
			return true;
	return gui_chat_count(ui->chat) > 0;
}

/* What the chat and the transfers want: the chat's heading and its
 * smallest, and the whole transfer list. */
static int
panels_height(struct hostui *ui, int w)
{
	int tr = gui_transfers_height(ui->transfers, ui->t, w - 2 * MARGIN);

	return (chat_wanted(ui) ? GAP + gui_text_line(ui->t, GUI_FONT_BOLD) + CHAT_MIN_H : 0) +
	    (tr > 0 ? GAP + tr : 0);
}

/* The chat and the transfers between top and bottom: the chat gets at
 * least its smallest when there is room for it, the transfers what is
 * left ("N more" when that is not all), the chat anything beyond. */
static void
draw_panels(struct hostui *ui, int top, int bottom, int w)
{
	int bold = gui_text_line(ui->t, GUI_FONT_BOLD), y = top;
	int chat_need = chat_wanted(ui) ? GAP + bold + CHAT_MIN_H : 0;
	int tr = gui_transfers_height(ui->transfers, ui->t, w - 2 * MARGIN), chat_h;

	ui->chat_drawn = false;
	if (chat_need > bottom - top)
		chat_need = 0;          /* no room: the transfers alone */
	if (tr > bottom - top - chat_need - GAP)
		tr = bottom - top - chat_need - GAP;
	chat_h = bottom - top - (tr > 0 ? tr + GAP : 0) - GAP - bold;
	if (chat_need > 0) {
		gui_fill(ui->ren, (SDL_Rect){ MARGIN, y, w - 2 * MARGIN, 1 }, GUI_LINE);
		y += GAP;
		gui_text_draw(ui->t, GUI_FONT_BOLD, GUI_TEXT, MARGIN, y, w - 2 * MARGIN, 0,
		    _("Chat with the viewers"));
		gui_chat_badge(ui->t, ui->ren, MARGIN + gui_text_width(ui->t, GUI_FONT_BOLD,
		    _("Chat with the viewers")) + GAP, y, bold, gui_chat_unread(ui->chat));
		y += bold;
		gui_chat_draw(ui->chat, ui->t, ui->ren, (SDL_Rect){ MARGIN, y, w - 2 * MARGIN,
		    chat_h });
		ui->chat_drawn = true;
	}
	if (tr > 0)
		gui_transfers_draw(ui->transfers, ui->t, ui->ren, (SDL_Rect){ MARGIN, bottom - tr,
		    w - 2 * MARGIN, tr });
}

/* The window grows once to show what it holds; if the host makes it
 * smaller again, it stays so until there is more to show. The first
 * viewer (a waiting one's question) stays in sight however small the
 * host makes it: asked once per height the host chose, so that a window
 * manager that refuses is not asked again and again. (A larger minimum
 * size would do it too, but SDL raises the window with every new one.)
 * Called between frames: a frame is drawn and read at one size. */
static void
grow(struct hostui *ui)
{
	SDL_Rect usable;
	int idx = SDL_GetWindowDisplayIndex(ui->win), w, h, x, y, need = 0;

	SDL_GetWindowSize(ui->win, &w, &h);
	if (ui->want_h > h && ui->want_h > ui->grown_to)
		need = ui->grown_to = ui->want_h;
	if (ui->want_min_h > h && ui->want_min_h > need &&
	    (ui->want_min_h != ui->floor_asked || h != ui->floor_from)) {
		need = ui->floor_asked = ui->want_min_h;
		ui->floor_from = h;
	}
	if (need == 0)
		return;
	if (idx < 0 || SDL_GetDisplayUsableBounds(idx, &usable) != 0) {
		SDL_SetWindowSize(ui->win, w, need);
		return;
	}
	if (need > usable.h - 64)
		need = usable.h - 64;
	if (need <= h)
		return;
	SDL_SetWindowSize(ui->win, w, need);
	/* Its bottom (End session) stays on the screen. */
	SDL_GetWindowPosition(ui->win, &x, &y);
	if (y + need > usable.y + usable.h - 32)
		SDL_SetWindowPosition(ui->win, x, usable.y + usable.h - 32 - need > usable.y ?
		    usable.y + usable.h - 32 - need : usable.y);
}

static void
debug_print(struct hostui *ui, int w, int h)
{
	const struct gui_buttons *tb = gui_transfers_buttons(ui->transfers);
	SDL_Rect e = gui_chat_entry_rect(ui->chat), s = gui_chat_send_rect(ui->chat);
	unsigned i;

	fprintf(stderr, "redraw %d %d\n", w, h);
	for (i = 0; i < ui->btn.n; i++) {
		const struct gui_button *b = &ui->btn.b[i];

		fprintf(stderr, "button %s %u %d %d %d %d\n", kind_names[b->kind], b->arg, b->r.x,
		    b->r.y, b->r.w, b->r.h);
	}
	if (ui->chat_drawn) {
		fprintf(stderr, "button CHAT_ENTRY 0 %d %d %d %d\n", e.x, e.y, e.w, e.h);
		fprintf(stderr, "button CHAT_SEND 0 %d %d %d %d\n", s.x, s.y, s.w, s.h);
	}
	for (i = 0; i < tb->n; i++) {
		const struct gui_button *b = &tb->b[i];

		fprintf(stderr, "button %s %u %d %d %d %d\n", b->kind == GUI_TRANSFERS_BTN_OPEN ?
		    "OPEN_FOLDER" : "CANCEL_TRANSFER", b->arg2, b->r.x, b->r.y, b->r.w, b->r.h);
	}
	fprintf(stderr, "chat lines=%zu unread=%u focus=%d\n", gui_chat_count(ui->chat),
	    gui_chat_unread(ui->chat), gui_chat_focused(ui->chat));
}

static void
draw(struct hostui *ui)
{
	const struct viewerlist_pen pen = { ui->t, ui->ren, &ui->btn };
	int w, h, y, bottom, panels = 0, rows;
	bool controlled;

	if (SDL_GetRendererOutputSize(ui->ren, &w, &h) != 0)
		return;
	gui_buttons_clear(&ui->btn);
	gui_fill(ui->ren, (SDL_Rect){ 0, 0, w, h }, GUI_BG);
	y = draw_header(ui, w);
	bottom = h - MARGIN - BTN_H - GAP - (ui->st.drop_offered ? BTN_H + GAP : 0) -
	    (ui->st.drop_can ? BTN_H + GAP : 0);
	ui->want_min_h = y + viewerlist_min_height(&pen, &ui->st, w) + h - bottom;

	/*
	 * Under the viewers, the chat and the transfers: they take what the
	 * viewers leave (the window grows to make room for them).
	 */
	rows = viewerlist_height(&pen, &ui->st, w);
	if (rows == 0)
		rows = gui_text_line(ui->t, GUI_FONT_TEXT) + GAP;
	if (panels_height(ui, w) > 0) {
		panels = bottom - y - rows;
		if (panels < 0)
			panels = 0;
		ui->want_h = h + (y + rows + panels_height(ui, w)) - bottom;
	}
	controlled = viewerlist_draw(&pen, &ui->st, y, bottom - panels, w);
	ui->chat_drawn = false;
	if (panels > 0)
		draw_panels(ui, bottom - panels, bottom, w);
	if (!ui->chat_drawn && gui_chat_focused(ui->chat)) {
		/* No room for the entry: it cannot take keys it does not show. */
		gui_chat_focus(ui->chat, false);
		SDL_StopTextInput();
	}

	y = h - MARGIN - BTN_H;
	button(ui, MARGIN, y, _("Take control back"), HOSTUI_TAKE_CONTROL, 0, controlled);
	/* A viewer's drop for the host: its Fetch button on a row of its own
	 * above (the bottom row is as wide as the window may get narrow), and
	 * above that where dragged files go. */
	if (ui->st.drop_offered) {
		y -= BTN_H + GAP;
		button(ui, MARGIN, y, ui->st.drop_fetching ? _("Fetching...") :
		    _("Fetch the dropped file"), HOSTUI_FETCH_DROP, 0, !ui->st.drop_fetching);
	}
	if (ui->st.drop_can) {
		y -= BTN_H + GAP;
		gui_button(&ui->btn, ui->t, ui->ren, MARGIN, y, BTN_H, ui->st.drop_to_relay ?
		    _("Dragged files: leave on the relay") : _("Dragged files: send now"),
		    GUI_LOOK_PLAIN, HOSTUI_DROP_MODE, ui->st.drop_to_relay, 0);
	}
	y = h - MARGIN - BTN_H;
	button(ui, w - MARGIN - button_width(ui, _("End session")), y, _("End session"),
	    HOSTUI_END, 0, true);
	gui_text_sweep(ui->t);
	if (ui->debug)
		debug_print(ui, w, h);
}

static void
redraw(struct hostui *ui)
{
	draw(ui);
	SDL_RenderPresent(ui->ren);
	ui->dirty = false;
	grow(ui);
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

/* The chat's entry and the transfer list first: true when one of them
 * took the event. */
static bool
panels_event(struct hostui *ui, const SDL_Event *ev)
{
	bool focused = gui_chat_focused(ui->chat);
	enum gui_chat_took c = ui->chat_drawn || focused ? gui_chat_event(ui->chat, ev) :
	    GUI_CHAT_NO;
	struct hostui_action a = { .kind = HOSTUI_CANCEL_TRANSFER };
	size_t len;
	char *line;

	if (focused && !gui_chat_focused(ui->chat))
		SDL_StopTextInput();    /* Escape: the keys are the window's again */
	if (c == GUI_CHAT_SEND) {
		const char *s = gui_chat_line(ui->chat, &len);

		if ((line = malloc(len + 1)) == NULL) {
			hostui_chat_note(ui, _("Out of memory: the line was not sent."));
		} else {
			memcpy(line, s, len + 1);
			push_action(ui, &(struct hostui_action){ .kind = HOSTUI_CHAT_SEND,
			    .text = line, .text_len = len }, line);
		}
	}
	if (c != GUI_CHAT_NO) {
		ui->dirty = true;
		return true;
	}
	switch (gui_transfers_event(ui->transfers, ev)) {
	case GUI_TRANSFERS_CANCEL:
		gui_transfers_cancelled(ui->transfers, &a.slot, &a.id, &a.incoming);
		push_action(ui, &a, NULL);
		/* fall through */
	case GUI_TRANSFERS_TOOK:
		ui->dirty = true;
		return true;
	case GUI_TRANSFERS_NO:
		break;
	}
	/* A click anywhere else leaves the entry. */
	if (ev->type == SDL_MOUSEBUTTONDOWN && focused) {
		gui_chat_focus(ui->chat, false);
		SDL_StopTextInput();
		ui->dirty = true;
	}
	return false;
}

static void
on_event(struct hostui *ui, const SDL_Event *ev)
{
	struct gui_button b;
	bool click;

	if (for_other_window(ui, ev))
		return;
	switch (ev->type) {
	case SDL_QUIT:
		push(ui, HOSTUI_END, 0);
		return;
	case SDL_DROPFILE:
		/* A file or folder to send to the supporter (main.c decides). */
		if (ev->drop.file != NULL) {
			char *path = strdup(ev->drop.file);

			if (path != NULL)
				push_action(ui, &(struct hostui_action){ .kind = HOSTUI_DROP_FILE,
				    .text = path, .text_len = strlen(path) }, path);
		}
		SDL_free(ev->drop.file);
		return;
	case SDL_DROPTEXT:
	case SDL_DROPBEGIN:
	case SDL_DROPCOMPLETE:
		SDL_free(ev->drop.file);
		return;
	case SDL_WINDOWEVENT:
		switch (ev->window.event) {
		case SDL_WINDOWEVENT_CLOSE:
			push(ui, HOSTUI_END, 0);
			break;
		case SDL_WINDOWEVENT_EXPOSED:
		case SDL_WINDOWEVENT_SHOWN:
		case SDL_WINDOWEVENT_RESTORED:
		case SDL_WINDOWEVENT_SIZE_CHANGED:
		case SDL_WINDOWEVENT_FOCUS_GAINED:
		case SDL_WINDOWEVENT_FOCUS_LOST:
			ui->dirty = true;
			break;
		}
		return;
	default:
		break;
	}
	if (panels_event(ui, ev))
		return;
	switch (ev->type) {
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (gui_buttons_mouse(&ui->btn, ev, &b, &click) && click)
			push_answer(ui, (enum hostui_action_kind)b.kind, b.arg);
		break;
	case SDL_KEYDOWN:
		on_key(ui, &ev->key);
		break;
	}
}

/* What the host can see of the chat: lines are unread until then. */
static void
chat_seen(struct hostui *ui)
{
	bool focus = (SDL_GetWindowFlags(ui->win) & SDL_WINDOW_INPUT_FOCUS) != 0;

	gui_chat_seen(ui->chat, ui->chat_drawn && focus);
	if (gui_chat_unread(ui->chat) != ui->unread) {
		ui->unread = gui_chat_unread(ui->chat);
		ui->dirty = true;
	}
}

/* ---- the interface ---- */

/* MIN_W, or wider where the bottom row's words (another language's) or
 * the code in large digits, in the right half, need it. */
static int
min_width(struct hostui *ui)
{
	int need = 2 * MARGIN + button_width(ui, _("Take control back")) + GAP +
	    button_width(ui, _("End session"));
	int code = 2 * (MARGIN + gui_text_width(ui->t, GUI_FONT_BIG, "000 000"));

	need = need > code ? need : code;
	return need > MIN_W ? need : MIN_W;
}

struct hostui *
hostui_open(char *why, size_t why_len)
{
	struct hostui *ui = calloc(1, sizeof(*ui));
	const char *dbg = getenv("HOSTUI_DEBUG");

	if (ui == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	ui->debug = dbg != NULL && strcmp(dbg, "1") == 0;
	/*
	 * The master handles its own signals; a status window must neither
	 * keep the host's screen awake nor turn off their compositor.
	 */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
	SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		snprintf(why, why_len, _("no display (%s)"), SDL_GetError());
		goto fail;
	}
	ui->video_on = true;
	/* Text input (and an input method) only while the chat's entry has
	 * the focus: A, V and D are the prompt's keys otherwise. */
	SDL_StopTextInput();
	ui->win = SDL_CreateWindow("Fernsicht", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
	    WIN_W, WIN_H, SDL_WINDOW_RESIZABLE);
	if (ui->win == NULL) {
		snprintf(why, why_len, _("no display: cannot open a window (%s)"),
		    SDL_GetError());
		goto fail;
	}
	/* A few rectangles and text: software is enough and needs no GPU driver. */
	ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
	if (ui->ren == NULL) {
		snprintf(why, why_len, _("no display: cannot draw (%s)"), SDL_GetError());
		goto fail;
	}
	ui->t = gui_text_open(ui->ren, &(struct gui_font_px){ .text = TEXT_PX, .big = BIG_PX },
	    why, why_len);
	if (ui->t == NULL)
		goto fail;
	SDL_SetWindowMinimumSize(ui->win, min_width(ui), MIN_H);
	if ((ui->chat = gui_chat_new()) == NULL || (ui->transfers = gui_transfers_new()) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
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
	for (unsigned i = 0; i < ui->qlen; i++)
		free(ui->qtext[(ui->qhead + i) % QUEUE_MAX]);
	free(ui->last_text);
	gui_transfers_free(ui->transfers);
	gui_chat_free(ui->chat);
	gui_text_close(ui->t);
	if (ui->ren != NULL)
		SDL_DestroyRenderer(ui->ren);
	if (ui->win != NULL)
		SDL_DestroyWindow(ui->win);
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
		since[v->slot] = attention_prompt_shown(&ui->st, v) ? ui->waiting_since[v->slot] : now;
	}
	memcpy(ui->waiting_since, since, sizeof(since));
	if (st->session != ui->st.session) {
		if (st->session != 0)
			/* TRANSLATORS: the window's title. Latin-1 only (a plain "-"):
			 * the older title property cannot carry other characters. */
			snprintf(title, sizeof(title), _("Fernsicht - session %05u"), st->session);
		else
			snprintf(title, sizeof(title), "Fernsicht");
		SDL_SetWindowTitle(ui->win, title);
	}
	attention_ask(ui->win, &ui->st, st, ui->debug);
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
	struct hostui_action a = { .kind = HOSTUI_NONE };
	SDL_Event ev;

	free(ui->last_text);
	ui->last_text = NULL;
	while (SDL_PollEvent(&ev))
		on_event(ui, &ev);
	chat_seen(ui);
	if (gui_transfers_poll(ui->transfers))
		ui->dirty = true;
	if (ui->dirty)
		redraw(ui);
	if (ui->qlen > 0) {
		a = ui->q[ui->qhead];
		ui->last_text = ui->qtext[ui->qhead];
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

	/* Read what was just drawn: after a present the back buffer is undefined. */
	draw(ui);
	if (SDL_GetRendererOutputSize(ui->ren, &w, &h) != 0)
		return ERR_SYSTEM;
	s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (s == NULL)
		return ERR_NOMEM;
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

void
hostui_set_size(struct hostui *ui, int w, int h)
{
	SDL_SetWindowSize(ui->win, w, h);
	ui->dirty = true;
}

void
hostui_chat_add(struct hostui *ui, const char *who, const char *text, size_t len, bool mine)
{
	gui_chat_add(ui->chat, who, text, len, mine);
	ui->dirty = true;
}

void
hostui_chat_note(struct hostui *ui, const char *text)
{
	gui_chat_note(ui->chat, text);
	ui->dirty = true;
}

void
hostui_set_transfers(struct hostui *ui, const struct gui_transfer *rows, size_t n)
{
	if (gui_transfers_set(ui->transfers, rows, n))
		ui->dirty = true;
}
