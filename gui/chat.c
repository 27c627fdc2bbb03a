/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chat.c - the chat panel (chat.h).
 *
 * The history is a ring of GUI_CHAT_LINES_MAX lines. Each line is broken
 * into rows for the width it is drawn at (at spaces where it can, inside
 * a word where it must), and the rows are remembered until the width
 * changes; only rows in view are rasterised, so a long history costs
 * memory, not drawing time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "button.h"
#include "chat.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "paint.h"
#include "utf8.h"

enum {
	PAD = 6,                /* inside the history's box */
	GAP = 6,                /* between lines, and history to entry */
	ENTRY_PAD = 5,
	WHEEL_ROWS = 3,         /* rows one wheel step scrolls */
	BTN_SEND = 1,
};

struct line {
	char *who;              /* NULL: a note of the window's */
	char *text;             /* cleaned: one line, no control characters */
	bool mine;
	bool keeps_view;        /* arrived while scrolled up: scroll with it */
	char when[8];           /* "14:03", local time */
	int wrap_w;             /* rows are for this width; 0: not made yet */
	size_t nrows;
	size_t *row;            /* where each row begins in text */
};

struct gui_chat {
	struct line line[GUI_CHAT_LINES_MAX];   /* a ring, oldest at first */
	size_t first, n;
	unsigned unread;
	bool seen;
	int scroll;             /* pixels the history is scrolled up from the newest */
	int row_px, page_px;    /* a row's and the history's height, as last drawn */

	bool focus;
	char entry[MSG_TEXT_MAX + 1];
	size_t len;
	bool full;              /* the last insert was cut at MSG_TEXT_MAX */
	char preedit[SDL_TEXTEDITINGEVENT_TEXT_SIZE];
	/* The entry shows its tail from tail_at: kept while text and width stay. */
	size_t tail_at, tail_len;
	int tail_w;

	char sent[MSG_TEXT_MAX + 1];
	size_t sent_len;

	SDL_Rect area, hist, entry_r, send_r;   /* as last drawn */
	struct gui_buttons btn;
	char row_buf[3 * MSG_TEXT_MAX + 1];
};

static bool
continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

static struct line *
nth(struct gui_chat *c, size_t i)
{
	return &c->line[(c->first + i) % GUI_CHAT_LINES_MAX];
}

static void
line_free(struct line *l)
{
	free(l->who);
	free(l->text);
	free(l->row);
	memset(l, 0, sizeof(*l));
}

struct gui_chat *
gui_chat_new(void)
{
	return calloc(1, sizeof(struct gui_chat));
}

void
gui_chat_free(struct gui_chat *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		line_free(nth(c, i));
	free(c);
}

/* A copy of s[0..n), cleaned; NULL when out of memory. */
static char *
cleaned(const char *s, size_t n)
{
	size_t cap = 3 * n + 1;         /* each bad byte may become U+FFFD */
	char *out = malloc(cap);

	if (out != NULL)
		gui_utf8_clean(out, cap, s, n);
	return out;
}

/* The next line of the ring: the oldest goes when it is full. */
static struct line *
push_line(struct gui_chat *c)
{
	struct line *l;

	if (c->n == GUI_CHAT_LINES_MAX) {
		line_free(nth(c, 0));
		c->first = (c->first + 1) % GUI_CHAT_LINES_MAX;
		c->n--;
	}
	l = nth(c, c->n);
	memset(l, 0, sizeof(*l));
	c->n++;
	return l;
}

static void
add(struct gui_chat *c, const char *who, const char *text, size_t len, bool mine)
{
	time_t now = time(NULL);
	struct tm tm;
	struct line *l;
	char *w = NULL, *t;

	len = gui_utf8_cut(text, len, MSG_TEXT_MAX);
	if ((t = cleaned(text, len)) == NULL ||
	    (who != NULL && (w = cleaned(who, strnlen(who, MSG_NAME_MAX))) == NULL)) {
		log_warn("chat: out of memory, a line is not shown");
		free(t);
		return;
	}
	l = push_line(c);
	l->who = w;
	l->text = t;
	l->mine = mine;
	l->keeps_view = c->scroll > 0;
	if (localtime_r(&now, &tm) != NULL)
		strftime(l->when, sizeof(l->when), "%H:%M", &tm);
}

void
gui_chat_add(struct gui_chat *c, const char *who, const char *text, size_t len, bool mine)
{
	add(c, who != NULL ? who : "?", text, len, mine);
	if (!mine && !c->seen)
		c->unread++;
}

void
gui_chat_note(struct gui_chat *c, const char *text)
{
	add(c, NULL, text, strlen(text), false);
}

void
gui_chat_seen(struct gui_chat *c, bool seen)
{
	c->seen = seen;
	if (seen)
		c->unread = 0;
}

unsigned
gui_chat_unread(const struct gui_chat *c)
{
	return c->unread;
}

size_t
gui_chat_count(const struct gui_chat *c)
{
	return c->n;
}

void
gui_chat_focus(struct gui_chat *c, bool focus)
{
	c->focus = focus;
	c->preedit[0] = '\0';
	/* Text comes only while text input is on; the window decides when
	 * to turn it off (the viewer's remote typing needs it too). */
	if (focus)
		SDL_StartTextInput();
}

bool
gui_chat_focused(const struct gui_chat *c)
{
	return c->focus;
}

SDL_Rect
gui_chat_entry_rect(const struct gui_chat *c)
{
	return c->entry_r;
}

SDL_Rect
gui_chat_send_rect(const struct gui_chat *c)
{
	return c->send_r;
}

const char *
gui_chat_line(const struct gui_chat *c, size_t *len)
{
	*len = c->sent_len;
	return c->sent;
}

/* ---- drawing ---- */

/* Break l into rows no wider than w. */
static void
make_rows(struct gui_text *t, struct line *l, int w)
{
	size_t n = strlen(l->text), at = 0, cap = 0;

	if (l->wrap_w == w)
		return;
	free(l->row);
	l->row = NULL;
	l->nrows = 0;
	do {
		size_t fit = gui_text_fit(t, GUI_FONT_TEXT, l->text + at, w), end = n, sp;

		if (at + fit < n) {
			end = at + fit;
			/* After the last space that fits; inside a word only when
			 * the word alone is wider than a row. */
			for (sp = end; sp > at && l->text[sp] != ' '; sp--)
				;
			if (sp > at || l->text[at] == ' ')
				end = sp + 1;
			else if (fit == 0)
				for (end = at + 1; end < n && continuation(l->text[end]); end++)
					;
		}
		if (l->nrows == cap) {
			size_t *r = realloc(l->row, (cap = cap * 2 + 4) * sizeof(*r));

			if (r == NULL)
				break;  /* the rows so far are shown */
			l->row = r;
		}
		l->row[l->nrows++] = at;
		at = end;
	} while (at < n);
	l->wrap_w = w;
}

static int
line_height(const struct gui_text *t, const struct line *l)
{
	return (l->who != NULL ? gui_text_line(t, GUI_FONT_BOLD) : 0) +
	    (int)l->nrows * gui_text_line(t, GUI_FONT_TEXT);
}

/* One line from top: the name and the time, then its rows that are in view. */
static void
draw_line(struct gui_chat *c, struct gui_text *t, const struct line *l, int x, int top, int w)
{
	int row = gui_text_line(t, GUI_FONT_TEXT), y = top;
	size_t n = strlen(l->text);

	if (l->who != NULL) {
		SDL_Color color = l->mine ? GUI_MINE : GUI_TEXT;
		const struct gui_label *name = gui_text_get(t, GUI_FONT_BOLD, color, 0, l->who);
		int nw = name != NULL ? name->w : 0;

		gui_text_draw_content(t, GUI_FONT_BOLD, color, x, y, w, 0, l->who);
		if (nw + 8 < w)
			gui_text_draw_content(t, GUI_FONT_TEXT, GUI_DIM, x + nw + 8, y, w - nw - 8,
			    0, l->when);
		y += gui_text_line(t, GUI_FONT_BOLD);
	}
	for (size_t i = 0; i < l->nrows; i++, y += row) {
		size_t end = i + 1 < l->nrows ? l->row[i + 1] : n;

		if (y + row < c->hist.y || y > c->hist.y + c->hist.h)
			continue;
		memcpy(c->row_buf, l->text + l->row[i], end - l->row[i]);
		c->row_buf[end - l->row[i]] = '\0';
		gui_text_draw_content(t, GUI_FONT_TEXT, l->who != NULL ? GUI_TEXT : GUI_DIM, x, y,
		    w, 0, c->row_buf);
	}
}

static void
draw_history(struct gui_chat *c, struct gui_text *t, SDL_Renderer *ren)
{
	SDL_Rect in = { c->hist.x + PAD, c->hist.y + PAD, c->hist.w - 2 * PAD, c->hist.h - 2 * PAD };
	int total = 0, bottom;

	gui_fill(ren, c->hist, GUI_FIELD_BG);
	gui_outline(ren, c->hist, GUI_LINE);
	if (in.w <= 0 || in.h <= 0)
		return;
	c->row_px = gui_text_line(t, GUI_FONT_TEXT);
	c->page_px = in.h;
	for (size_t i = 0; i < c->n; i++) {
		struct line *l = nth(c, i);
		int h;

		make_rows(t, l, in.w);
		h = line_height(t, l) + GAP;
		if (l->keeps_view && c->scroll > 0)
			c->scroll += h;
		l->keeps_view = false;
		total += h;
	}
	if (c->scroll > total - GAP - in.h)
		c->scroll = total - GAP - in.h;
	if (c->scroll < 0)
		c->scroll = 0;
	if (c->n == 0) {
		gui_text_draw(t, GUI_FONT_TEXT, GUI_DIM, in.x, in.y, in.w, in.w,
		    _("No messages yet. Lines you and the other side write appear here."));
		return;
	}
	SDL_RenderSetClipRect(ren, &in);
	bottom = in.y + in.h + c->scroll;
	for (size_t i = c->n; i-- > 0 && bottom > in.y;) {
		const struct line *l = nth(c, i);
		int top = bottom - line_height(t, l);

		if (top < in.y + in.h)
			draw_line(c, t, l, in.x, top, in.w);
		bottom = top - GAP;
	}
	SDL_RenderSetClipRect(ren, NULL);
	if (c->scroll > 0) {
		/* Scrolled up: say there is more below. */
		/* TRANSLATORS: the chat is scrolled up: newer lines are below. */
		const char *more = _("newer below");
		int mw = gui_text_width(t, GUI_FONT_TEXT, more);

		gui_fill(ren, (SDL_Rect){ in.x + in.w - mw - 6, in.y + in.h - c->row_px, mw + 6,
		    c->row_px }, GUI_BTN_BG);
		gui_text_draw(t, GUI_FONT_TEXT, GUI_DIM, in.x + in.w - mw - 3,
		    in.y + in.h - c->row_px, mw, 0, more);
	}
}

/* The first byte of the longest tail of s[0..len) within limit pixels. */
static size_t
tail_start(struct gui_text *t, const char *s, size_t len, int limit)
{
	size_t lo = 0, hi = len, mid;

	if (gui_text_measure(t, GUI_FONT_TEXT, s) <= limit)
		return 0;
	/* lo does not fit, hi does (the empty tail at len always does). */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		while (mid > lo && continuation(s[mid]))
			mid--;
		if (mid == lo) {
			for (mid = lo + (hi - lo) / 2; mid < hi && continuation(s[mid]); mid++)
				;
			if (mid == hi)
				break;
		}
		if (gui_text_measure(t, GUI_FONT_TEXT, s + mid) <= limit)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

static void
draw_entry(struct gui_chat *c, struct gui_text *t, SDL_Renderer *ren)
{
	SDL_Rect r = c->entry_r;
	int th = gui_text_height(t, GUI_FONT_TEXT), x = r.x + ENTRY_PAD, y = r.y + (r.h - th) / 2;
	int avail = r.w - 2 * ENTRY_PAD, pw, ex;

	gui_fill(ren, r, GUI_FIELD_BG);
	gui_outline(ren, r, c->focus ? GUI_FOCUS_LINE : GUI_BTN_LINE);
	if (c->focus)
		gui_outline(ren, (SDL_Rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 }, GUI_FOCUS_LINE);
	if (c->len >= MSG_TEXT_MAX * 9 / 10) {
		char count[32];
		int cw;

		snprintf(count, sizeof(count), "%zu/%d", c->len, MSG_TEXT_MAX);
		cw = gui_text_width(t, GUI_FONT_TEXT, count);
		gui_text_draw(t, GUI_FONT_TEXT, c->full ? GUI_DANGER : GUI_DIM,
		    r.x + r.w - ENTRY_PAD - cw, y, cw, 0, count);
		avail -= cw + ENTRY_PAD;
	}
	if (avail <= 0)
		return;
	if (c->len == 0 && c->preedit[0] == '\0' && !c->focus) {
		/* TRANSLATORS: the empty chat entry; the second is for a narrow one. */
		const char *hint = _("Type here, Enter sends");

		if (gui_text_measure(t, GUI_FONT_TEXT, hint) > avail)
			hint = _("Enter sends");
		gui_text_draw(t, GUI_FONT_TEXT, GUI_DIM, x, y, avail, 0, hint);
		return;
	}
	pw = gui_text_measure(t, GUI_FONT_TEXT, c->preedit);
	if (c->tail_len != c->len || c->tail_w != avail - pw) {
		c->tail_at = tail_start(t, c->entry, c->len, avail - pw - 2);
		c->tail_len = c->len;
		c->tail_w = avail - pw;
	}
	ex = x;
	if (c->len > 0) {
		/* Long text: the texture is made from the visible tail only. */
		gui_text_draw_content(t, GUI_FONT_TEXT, GUI_TEXT, x, y, avail, 0,
		    c->entry + c->tail_at);
		ex += gui_text_measure(t, GUI_FONT_TEXT, c->entry + c->tail_at);
	}
	if (c->preedit[0] != '\0') {
		/* Still being composed: underlined, not yet part of the line. */
		gui_text_draw_content(t, GUI_FONT_TEXT, GUI_MINE, ex, y, x + avail - ex, 0,
		    c->preedit);
		gui_fill(ren, (SDL_Rect){ ex, y + th, pw < x + avail - ex ? pw : x + avail - ex, 1 },
		    GUI_MINE);
		ex += pw;
	}
	if (c->focus && ex <= x + avail) {
		SDL_Rect ime = r;

		gui_fill(ren, (SDL_Rect){ ex, y, 1, th }, GUI_TEXT);
		/* An input method puts its candidates near the entry. */
		SDL_SetTextInputRect(&ime);
	}
}

void
gui_chat_draw(struct gui_chat *c, struct gui_text *t, SDL_Renderer *ren, SDL_Rect area)
{
	int eh = gui_text_height(t, GUI_FONT_TEXT) + 2 * ENTRY_PAD, bw;

	c->area = area;
	gui_buttons_clear(&c->btn);
	if (t == NULL || area.w <= 0 || area.h <= eh) {
		c->hist = c->entry_r = c->send_r = (SDL_Rect){ 0, 0, 0, 0 };
		return;
	}
	bw = gui_button_width(t, _("Send"), eh);
	c->entry_r = (SDL_Rect){ area.x, area.y + area.h - eh, area.w - bw - GAP, eh };
	c->send_r = (SDL_Rect){ area.x + area.w - bw, c->entry_r.y, bw, eh };
	c->hist = (SDL_Rect){ area.x, area.y, area.w, area.h - eh - GAP };
	draw_history(c, t, ren);
	draw_entry(c, t, ren);
	gui_button(&c->btn, t, ren, c->send_r.x, c->send_r.y, eh, _("Send"),
	    c->len > 0 ? GUI_LOOK_PLAIN : GUI_LOOK_OFF, BTN_SEND, 0, 0);
}

/* The badge's text: the count, "99+" beyond. */
static const struct gui_label *
badge_label(struct gui_text *t, unsigned n)
{
	char s[8];

	if (n > 99)
		snprintf(s, sizeof(s), "99+");
	else
		snprintf(s, sizeof(s), "%u", n);
	return gui_text_get(t, GUI_FONT_BOLD, GUI_BADGE_TEXT, 0, s);
}

int
gui_chat_badge_width(struct gui_text *t, int h, unsigned n)
{
	const struct gui_label *l;

	if (n == 0)
		return 0;
	l = badge_label(t, n);
	return l != NULL && l->w + h / 2 > h ? l->w + h / 2 : h;
}

int
gui_chat_badge(struct gui_text *t, SDL_Renderer *ren, int x, int y, int h, unsigned n)
{
	const struct gui_label *l;
	int w = gui_chat_badge_width(t, h, n);

	if (n == 0)
		return 0;
	gui_fill(ren, (SDL_Rect){ x, y, w, h }, GUI_BADGE);
	if ((l = badge_label(t, n)) != NULL)
		SDL_RenderCopy(ren, l->tex, NULL, &(SDL_Rect){ x + (w - l->w) / 2, y + (h - l->h) / 2,
		    l->w, l->h });
	return w;
}

/* ---- input ---- */

/* Append s[0..n), cleaned, as far as MSG_TEXT_MAX allows. */
static void
insert(struct gui_chat *c, const char *s, size_t n)
{
	/* Room for one more character than fits: if it is there, the text
	 * was longer than the room and is cut. */
	char tmp[MSG_TEXT_MAX + 5];
	size_t room = MSG_TEXT_MAX - c->len, w = gui_utf8_clean(tmp, room + 5, s, n);

	c->full = w > room;
	if (w > room)
		w = gui_utf8_cut(tmp, w, room);
	memcpy(c->entry + c->len, tmp, w);
	c->len += w;
	c->entry[c->len] = '\0';
}

static void
paste(struct gui_chat *c)
{
	char *s;

	if (!SDL_HasClipboardText() || (s = SDL_GetClipboardText()) == NULL)
		return;
	insert(c, s, strlen(s));
	SDL_free(s);
}

static enum gui_chat_took
send_line(struct gui_chat *c)
{
	size_t i;

	for (i = 0; i < c->len && c->entry[i] == ' '; i++)
		;
	if (i == c->len)
		return GUI_CHAT_TOOK;   /* nothing but spaces: nothing to say */
	memcpy(c->sent, c->entry, c->len + 1);
	c->sent_len = c->len;
	c->len = 0;
	c->entry[0] = '\0';
	c->full = false;
	c->scroll = 0;          /* one's own line is where one looks */
	return GUI_CHAT_SEND;
}

static enum gui_chat_took
key(struct gui_chat *c, const SDL_KeyboardEvent *k)
{
	bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0;

	switch (k->keysym.sym) {
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		return send_line(c);
	case SDLK_BACKSPACE:
		if (c->len > 0) {
			c->len = gui_utf8_prev(c->entry, c->len);
			c->entry[c->len] = '\0';
			c->full = false;
		}
		break;
	case SDLK_ESCAPE:
		gui_chat_focus(c, false);
		break;
	case SDLK_PAGEUP:
		c->scroll += c->page_px > 2 * c->row_px ? c->page_px - c->row_px : c->row_px;
		break;
	case SDLK_PAGEDOWN:
		c->scroll -= c->page_px > 2 * c->row_px ? c->page_px - c->row_px : c->row_px;
		if (c->scroll < 0)
			c->scroll = 0;
		break;
	case SDLK_v:
		if (ctrl)
			paste(c);
		break;
	case SDLK_INSERT:
		if (k->keysym.mod & KMOD_SHIFT)
			paste(c);
		break;
	case SDLK_u:
		if (ctrl) {
			c->len = 0;
			c->entry[0] = '\0';
			c->full = false;
		}
		break;
	default:
		break;          /* typed text comes as SDL_TEXTINPUT */
	}
	return GUI_CHAT_TOOK;
}

static bool
inside(SDL_Rect r, int x, int y)
{
	SDL_Point p = { x, y };

	return SDL_PointInRect(&p, &r);
}

enum gui_chat_took
gui_chat_event(struct gui_chat *c, const SDL_Event *e)
{
	struct gui_button b;
	bool click;
	int dy;

	switch (e->type) {
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (gui_buttons_mouse(&c->btn, e, &b, &click))
			return click && b.kind == BTN_SEND ? send_line(c) : GUI_CHAT_TOOK;
		if (!inside(c->area, e->button.x, e->button.y))
			return GUI_CHAT_NO;
		if (e->type == SDL_MOUSEBUTTONDOWN && inside(c->entry_r, e->button.x, e->button.y))
			gui_chat_focus(c, true);
		return GUI_CHAT_TOOK;
	case SDL_MOUSEWHEEL:
		if (!inside(c->hist, e->wheel.mouseX, e->wheel.mouseY))
			return GUI_CHAT_NO;
		dy = e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -e->wheel.y : e->wheel.y;
		c->scroll += dy * WHEEL_ROWS * (c->row_px > 0 ? c->row_px : 16);
		if (c->scroll < 0)
			c->scroll = 0;
		return GUI_CHAT_TOOK;
	case SDL_KEYDOWN:
		return c->focus ? key(c, &e->key) : GUI_CHAT_NO;
	case SDL_KEYUP:
		return c->focus ? GUI_CHAT_TOOK : GUI_CHAT_NO;
	case SDL_TEXTINPUT:
		if (!c->focus)
			return GUI_CHAT_NO;
		insert(c, e->text.text, strnlen(e->text.text, sizeof(e->text.text)));
		c->preedit[0] = '\0';
		return GUI_CHAT_TOOK;
	case SDL_TEXTEDITING:
		if (!c->focus)
			return GUI_CHAT_NO;
		gui_utf8_clean(c->preedit, sizeof(c->preedit), e->edit.text,
		    strnlen(e->edit.text, sizeof(e->edit.text)));
		return GUI_CHAT_TOOK;
	default:
		return GUI_CHAT_NO;
	}
}
