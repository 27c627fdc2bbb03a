/* SPDX-License-Identifier: Apache-2.0 */
/* panel.c - the viewer window's side panel: chat and transfers (panel.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "button.h"
#include "chat.h"
#include "i18n.h"
#include "paint.h"
#include "panel.h"

enum {
	PAD = 10,
	GAP = 8,
	PANEL_MIN_W = 220,
	PANEL_MAX_W = 380,
	PICTURE_MIN_W = 120,    /* the remote screen keeps at least this much */
	TOGGLE = 1,
	FETCH = 2,
	DROP_MODE = 3,
};

static const char hint[] = N_("Drop files on this window to send them to the host. "
    "F9 hides this panel; Esc gives the keys back to the host.");
static const char hint_relay[] = N_("Files dropped on this window are left on the relay "
    "for the host. F9 hides this panel; Esc gives the keys back to the host.");

struct panel {
	bool shown;
	struct gui_chat *chat;
	struct gui_transfers *transfers;
	struct gui_buttons toggle;      /* the status bar's Chat button */
	SDL_Rect area;                  /* as last drawn */
	unsigned unread;
	/* The transfers listed so far: a new one shows the panel. */
	struct { uint32_t id; bool incoming; } known[GUI_TRANSFERS_MAX];
	size_t n_known;
	char debug_last[2048];
	/* file drop: the latest link offered to us, its Fetch button; where
	 * files dragged onto the window go, once the host passed on a grant */
	char drop_link[DROP_LINK_MAX_BYTES + 1];
	bool drop_busy;
	bool drop_can, drop_to_relay;
	struct gui_buttons drop;
};

struct panel *
panel_new(void)
{
	struct panel *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	if ((p->chat = gui_chat_new()) == NULL || (p->transfers = gui_transfers_new()) == NULL) {
		panel_free(p);
		return NULL;
	}
	return p;
}

void
panel_free(struct panel *p)
{
	if (p == NULL)
		return;
	gui_chat_free(p->chat);
	gui_transfers_free(p->transfers);
	free(p);
}

bool
panel_shown(const struct panel *p)
{
	return p->shown;
}

void
panel_show(struct panel *p, bool show, bool focus)
{
	p->shown = show;
	if (!show)
		p->area = (SDL_Rect){ 0, 0, 0, 0 };
	if (!show || focus)
		gui_chat_focus(p->chat, show && focus);
}

bool
panel_focused(const struct panel *p)
{
	return p->shown && gui_chat_focused(p->chat);
}

void
panel_focus(struct panel *p, bool focus)
{
	gui_chat_focus(p->chat, p->shown && focus);
}

int
panel_width(const struct panel *p, int w)
{
	int pw = w / 3;

	if (!p->shown)
		return 0;
	if (pw < PANEL_MIN_W)
		pw = PANEL_MIN_W;
	if (pw > PANEL_MAX_W)
		pw = PANEL_MAX_W;
	if (pw > w - PICTURE_MIN_W)
		pw = w - PICTURE_MIN_W;
	return pw > 0 ? pw : 0;
}

void
panel_draw(struct panel *p, struct gui_text *t, SDL_Renderer *ren, SDL_Rect area)
{
	SDL_Rect in = { area.x + PAD, area.y + PAD, area.w - 2 * PAD, area.h - 2 * PAD };
	const struct gui_label *h;
	int y = in.y, tr, hint_h, chat_h;

	p->area = area;
	if (!p->shown || area.w <= 0 || area.h <= 0)
		return;
	gui_fill(ren, area, GUI_BG);
	gui_fill(ren, (SDL_Rect){ area.x, area.y, 1, area.h }, GUI_BTN_LINE);
	if (t == NULL || in.w <= 0 || in.h <= 0)
		return;
	y += gui_text_draw(t, GUI_FONT_BOLD, GUI_TEXT, in.x, y, in.w, 0, _("Chat with the host")) +
	    4;
	gui_buttons_clear(&p->drop);
	if (p->drop_link[0] != '\0') {
		int bh = 26;

		/* TRANSLATORS: a button: download the file the host dropped for us. */
		gui_button(&p->drop, t, ren, in.x, y, bh, p->drop_busy ? _("Fetching...") :
		    _("Fetch the dropped file"), p->drop_busy ? GUI_LOOK_OFF : GUI_LOOK_PLAIN,
		    FETCH, 0, 0);
		y += bh + GAP;
	}
	if (p->drop_can) {
		int bh = 26;

		/* TRANSLATORS: a button that switches where files dragged onto
		 * the window go; it shows the current choice. */
		gui_button(&p->drop, t, ren, in.x, y, bh, p->drop_to_relay ?
		    _("Dragged files: leave on the relay") : _("Dragged files: send now"),
		    GUI_LOOK_PLAIN, DROP_MODE, 0, 0);
		y += bh + GAP;
	}
	h = gui_text_get(t, GUI_FONT_TEXT, GUI_DIM, in.w, p->drop_can && p->drop_to_relay ?
	    _(hint_relay) : _(hint));
	hint_h = h != NULL ? h->h : 0;
	tr = gui_transfers_height(p->transfers, t, in.w);
	if (tr > in.h / 2)
		tr = in.h / 2;
	chat_h = in.y + in.h - y - hint_h - GAP - (tr > 0 ? tr + GAP : 0);
	gui_chat_draw(p->chat, t, ren, (SDL_Rect){ in.x, y, in.w, chat_h });
	y += chat_h + GAP;
	if (tr > 0) {
		gui_transfers_draw(p->transfers, t, ren, (SDL_Rect){ in.x, y, in.w, tr });
		y += tr + GAP;
	}
	if (h != NULL)
		SDL_RenderCopy(ren, h->tex, NULL, &(SDL_Rect){ in.x, in.y + in.h - h->h, h->w, h->h });
}

int
panel_draw_toggle(struct panel *p, struct gui_text *t, SDL_Renderer *ren, SDL_Rect bar)
{
	const char *label = p->shown ? _("Hide chat (F9)") : _("Chat (F9)");
	unsigned unread = gui_chat_unread(p->chat);
	int bh = bar.h - 2, bw = gui_button_width(t, label, bh);
	int badge = gui_chat_badge_width(t, bh - 2, unread);
	int x = bar.x + bar.w - 3 - bw - (badge > 0 ? badge + 3 : 0);

	gui_buttons_clear(&p->toggle);
	if (t == NULL)
		return bar.x + bar.w;
	gui_button(&p->toggle, t, ren, x, bar.y + 1, bh, label, GUI_LOOK_PLAIN, TOGGLE, 0, 0);
	gui_chat_badge(t, ren, x + bw + 3, bar.y + 2, bh - 2, unread);
	return x;
}

static bool
inside(SDL_Rect r, int x, int y)
{
	SDL_Point pt = { x, y };

	return SDL_PointInRect(&pt, &r);
}

/* What the chat made of an event, as the panel's answer. */
static enum panel_took
from_chat(enum gui_chat_took c)
{
	return c == GUI_CHAT_SEND ? PANEL_CHAT_SEND : c == GUI_CHAT_TOOK ? PANEL_TOOK : PANEL_NO;
}

enum panel_took
panel_event(struct panel *p, const SDL_Event *e)
{
	struct gui_button b;
	enum panel_took took;
	bool click;

	switch (e->type) {
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (gui_buttons_mouse(&p->toggle, e, &b, &click)) {
			if (click)
				panel_show(p, !p->shown, !p->shown);
			return PANEL_TOOK;
		}
		if (!p->shown)
			return PANEL_NO;
		if (gui_buttons_mouse(&p->drop, e, &b, &click)) {
			if (click && b.kind == DROP_MODE)
				return PANEL_DROP_MODE;
			return click && b.kind == FETCH && !p->drop_busy ? PANEL_FETCH :
			    PANEL_TOOK;
		}
		if ((took = from_chat(gui_chat_event(p->chat, e))) != PANEL_NO)
			return took;
		switch (gui_transfers_event(p->transfers, e)) {
		case GUI_TRANSFERS_CANCEL: return PANEL_CANCEL;
		case GUI_TRANSFERS_TOOK: return PANEL_TOOK;
		case GUI_TRANSFERS_NO: break;
		}
		return inside(p->area, e->button.x, e->button.y) ? PANEL_TOOK : PANEL_NO;
	case SDL_MOUSEWHEEL:
		return p->shown ? from_chat(gui_chat_event(p->chat, e)) : PANEL_NO;
	case SDL_KEYDOWN:
	case SDL_KEYUP:
	case SDL_TEXTINPUT:
	case SDL_TEXTEDITING:
		return panel_focused(p) ? from_chat(gui_chat_event(p->chat, e)) : PANEL_NO;
	default:
		return PANEL_NO;
	}
}

const char *
panel_chat_line(const struct panel *p, size_t *len)
{
	return gui_chat_line(p->chat, len);
}

void
panel_cancelled(const struct panel *p, uint32_t *id, bool *incoming)
{
	unsigned slot;

	gui_transfers_cancelled(p->transfers, &slot, id, incoming);
}

void
panel_drop_offer(struct panel *p, const char *link)
{
	snprintf(p->drop_link, sizeof(p->drop_link), "%s", link);
	if (!p->shown)
		panel_show(p, true, false);
}

void
panel_drop_busy(struct panel *p, bool busy)
{
	p->drop_busy = busy;
}

bool
panel_drop_mode(struct panel *p, bool can, bool to_relay)
{
	bool changed = p->drop_can != can || p->drop_to_relay != to_relay;

	p->drop_can = can;
	p->drop_to_relay = to_relay;
	return changed;
}

const char *
panel_drop_link(const struct panel *p)
{
	return p->drop_link;
}

void
panel_chat_add(struct panel *p, const char *who, const char *text, size_t len, bool mine)
{
	gui_chat_add(p->chat, who, text, len, mine);
}

void
panel_chat_note(struct panel *p, const char *text)
{
	gui_chat_note(p->chat, text);
	/* The window has something to say: where it can be read. */
	if (!p->shown)
		panel_show(p, true, false);
}

bool
panel_set_transfers(struct panel *p, const struct gui_transfer *rows, size_t n)
{
	bool fresh = false;

	if (n > GUI_TRANSFERS_MAX)
		n = GUI_TRANSFERS_MAX;
	for (size_t i = 0; i < n && !fresh; i++) {
		size_t k;

		for (k = 0; k < p->n_known; k++)
			if (p->known[k].id == rows[i].f.id && p->known[k].incoming == rows[i].f.incoming)
				break;
		fresh = k == p->n_known;
	}
	for (size_t i = 0; i < n; i++) {
		p->known[i].id = rows[i].f.id;
		p->known[i].incoming = rows[i].f.incoming;
	}
	p->n_known = n;
	if (fresh && !p->shown)
		panel_show(p, true, false);
	return gui_transfers_set(p->transfers, rows, n) || fresh;
}

bool
panel_seen(struct panel *p, bool window_focused)
{
	gui_chat_seen(p->chat, p->shown && window_focused);
	if (gui_chat_unread(p->chat) == p->unread)
		return false;
	p->unread = gui_chat_unread(p->chat);
	return true;
}

bool
panel_poll(struct panel *p)
{
	return gui_transfers_poll(p->transfers);
}

static size_t
button_line(char *out, size_t len, const char *kind, unsigned arg, SDL_Rect r)
{
	int n = snprintf(out, len, "button %s %u %d %d %d %d\n", kind, arg, r.x, r.y, r.w, r.h);

	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

void
panel_debug(struct panel *p)
{
	const struct gui_buttons *tb = gui_transfers_buttons(p->transfers);
	char now[sizeof(p->debug_last)];
	size_t o = 0;
	int n;

	for (unsigned i = 0; i < p->toggle.n; i++)
		o += button_line(now + o, sizeof(now) - o, "CHAT_TOGGLE", 0, p->toggle.b[i].r);
	if (p->shown) {
		o += button_line(now + o, sizeof(now) - o, "CHAT_ENTRY", 0,
		    gui_chat_entry_rect(p->chat));
		o += button_line(now + o, sizeof(now) - o, "CHAT_SEND", 0,
		    gui_chat_send_rect(p->chat));
		/* DROP_MODE's argument: 1 while dragged files go to the relay */
		for (unsigned i = 0; i < p->drop.n; i++) {
			bool mode = p->drop.b[i].kind == DROP_MODE;

			o += button_line(now + o, sizeof(now) - o, mode ? "DROP_MODE" : "DROP_FETCH",
			    mode && p->drop_to_relay, p->drop.b[i].r);
		}
		for (unsigned i = 0; i < tb->n; i++)
			o += button_line(now + o, sizeof(now) - o, tb->b[i].kind ==
			    GUI_TRANSFERS_BTN_OPEN ? "OPEN_FOLDER" : "CANCEL_TRANSFER", tb->b[i].arg2,
			    tb->b[i].r);
	}
	n = snprintf(now + o, sizeof(now) - o, "chat lines=%zu unread=%u focus=%d panel=%d\n",
	    gui_chat_count(p->chat), gui_chat_unread(p->chat), panel_focused(p), p->shown);
	(void)n;
	if (strcmp(now, p->debug_last) == 0)
		return;
	memcpy(p->debug_last, now, sizeof(now));
	fputs(now, stderr);
}
