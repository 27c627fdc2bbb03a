/* SPDX-License-Identifier: Apache-2.0 */
/* viewerlist.c - the viewers in the host's window (viewerlist.h). */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "paint.h"
#include "prompt.h"
#include "viewerlist.h"

#define NO_BREAK_SPACE "\xc2\xa0"

enum {
	MARGIN = HOSTUI_MARGIN, GAP = HOSTUI_GAP, BTN_H = HOSTUI_BTN_H,
	QUESTION_MAX = 2 * (MSG_NAME_MAX + WIRE_ADDR_TEXT_MAX) + 512,
	NAME_MIN_W = 120,       /* narrower: a viewer's buttons go under its name */
	ANSWERS = 3,
};

void
viewerlist_group_digits(char *out, size_t len, const char *digits, const char *sep)
{
	size_t n = strlen(digits), o = 0, sl = strlen(sep);

	for (size_t i = 0; i < n && o + sl + 1 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0) {
			memcpy(out + o, sep, sl);
			o += sl;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* ---- a waiting viewer: the question and its answers ---- */

static const char *
question(const struct hostui_viewer *v, char *q, size_t len)
{
	char check[16], grouped[24];

	snprintf(check, sizeof(check), "%06u", v->check);
	/* In a sentence the code is not broken between its groups. */
	viewerlist_group_digits(grouped, sizeof(grouped), check, NO_BREAK_SPACE);
	/* TRANSLATORS: the consent prompt; the first %s is the supporter's
	 * name (in quotation marks: the name is the supporter's choice, and
	 * a name like "Check code 123 456" must show where it ends), the
	 * second where they connect from (an address), the third the
	 * six-digit check code that both sides see. */
	snprintf(q, len, _("\"%s\" (%s) wants to see your screen. Check code %s - "
	    "does the supporter see the same?"), v->name, v->addr, grouped);
	return q;
}

static unsigned
answers(struct prompt_answer *a)
{
	a[0] = (struct prompt_answer){ _("Allow control"), HOSTUI_ALLOW_CONTROL, GUI_LOOK_PLAIN };
	a[1] = (struct prompt_answer){ _("View only"), HOSTUI_ALLOW_VIEW, GUI_LOOK_PLAIN };
	a[2] = (struct prompt_answer){ _("Deny"), HOSTUI_DENY, GUI_LOOK_DANGER };
	return ANSWERS;
}

static int
prompt_h(const struct viewerlist_pen *p, const struct hostui_viewer *v, int w)
{
	char q[QUESTION_MAX];
	struct prompt_answer a[ANSWERS];
	unsigned n = answers(a);

	question(v, q, sizeof(q));
	return prompt_height(p->t, q, a, n, w - 2 * MARGIN, BTN_H);
}

static int
draw_prompt(const struct viewerlist_pen *p, const struct hostui_viewer *v, int y, int w)
{
	char q[QUESTION_MAX];
	struct prompt_answer a[ANSWERS];
	unsigned n = answers(a);

	question(v, q, sizeof(q));
	return prompt_draw(p->btn, p->t, p->ren, (SDL_Rect){ MARGIN, y, w - 2 * MARGIN,
	    prompt_height(p->t, q, a, n, w - 2 * MARGIN, BTN_H) }, q, a, n, v->slot, BTN_H);
}

/* ---- a viewer that watches or controls ---- */

static const char *
row_what(const struct hostui_viewer *v)
{
	/* TRANSLATORS: beside a supporter's name in the host's window. */
	return v->state == HOSTUI_CONTROLLING ? _("in control") : v->state == HOSTUI_AWAY ?
	    /* TRANSLATORS: its connection was lost; it comes back by itself. */
	    _("reconnecting...") : _("viewing");
}

static const char *
row_files(const struct hostui_viewer *v)
{
	return v->files ? _("No files") : _("Allow files");
}

static int
button_width(const struct viewerlist_pen *p, const char *label)
{
	return gui_button_width(p->t, label, BTN_H);
}

/* What it does and its buttons, with the gaps before each. */
static int
row_tail_width(const struct viewerlist_pen *p, const struct hostui_viewer *v)
{
	if (v->state == HOSTUI_AWAY)
		return GAP + gui_text_width(p->t, GUI_FONT_BOLD, row_what(v)) + GAP +
		    button_width(p, _("Remove"));
	return GAP + gui_text_width(p->t, GUI_FONT_BOLD, row_what(v)) + GAP +
	    button_width(p, row_files(v)) + GAP + button_width(p, _("Remove"));
}

/* One line when the name keeps NAME_MIN_W beside the rest, else two: the
 * name and what it does, the buttons under them. */
static int
row_height(const struct viewerlist_pen *p, const struct hostui_viewer *v, int w)
{
	if (w - 2 * MARGIN - row_tail_width(p, v) >= NAME_MIN_W)
		return BTN_H;
	return gui_text_line(p->t, GUI_FONT_BOLD) + GAP / 2 + BTN_H;
}

/* Who, that it is coming back, [Remove]: the host may not want it back
 * (it would return with its rights, without a question). */
static int
draw_away(const struct viewerlist_pen *p, const struct hostui_viewer *v, int y, int w)
{
	const char *what = row_what(v);
	int h = row_height(p, v, w), th = gui_text_height(p->t, GUI_FONT_TEXT);
	int by = y + h - BTN_H, ty = h == BTN_H ? y + (BTN_H - th) / 2 : y;
	int bx = w - MARGIN - button_width(p, _("Remove"));
	int sx = (h == BTN_H ? bx - GAP : w - MARGIN) - gui_text_width(p->t, GUI_FONT_BOLD, what);

	gui_text_draw_content(p->t, GUI_FONT_TEXT, GUI_DIM, MARGIN, ty, sx - GAP - MARGIN, 0,
	    v->name);
	gui_text_draw(p->t, GUI_FONT_BOLD, GUI_DIM, sx, ty, w - sx, 0, what);
	gui_button(p->btn, p->t, p->ren, bx, by, BTN_H, _("Remove"), GUI_LOOK_DANGER,
	    HOSTUI_KICK_AWAY, v->away, 0);
	return h;
}

/* Who, from where, what, [Files] [Remove]. */
static int
draw_row(const struct viewerlist_pen *p, const struct hostui_viewer *v, int y, int w)
{
	char who[MSG_NAME_MAX + WIRE_ADDR_TEXT_MAX + 8];
	const char *what = row_what(v), *files = row_files(v);
	int h = row_height(p, v, w), th = gui_text_height(p->t, GUI_FONT_TEXT);
	int by = y + h - BTN_H, ty = h == BTN_H ? y + (BTN_H - th) / 2 : y;
	int bx = w - MARGIN - button_width(p, _("Remove"));
	int fx = bx - GAP - button_width(p, files);
	int sx = (h == BTN_H ? fx - GAP : w - MARGIN) - gui_text_width(p->t, GUI_FONT_BOLD, what);

	snprintf(who, sizeof(who), "%s  %s", v->name, v->addr);
	gui_text_draw_content(p->t, GUI_FONT_TEXT, GUI_TEXT, MARGIN, ty, sx - GAP - MARGIN, 0,
	    who);
	gui_text_draw(p->t, GUI_FONT_BOLD, v->state == HOSTUI_CONTROLLING ? GUI_DANGER : GUI_TEXT,
	    sx, ty, w - sx, 0, what);
	gui_button(p->btn, p->t, p->ren, fx, by, BTN_H, files, GUI_LOOK_PLAIN,
	    v->files ? HOSTUI_FILES_OFF : HOSTUI_FILES_ON, v->slot, 0);
	gui_button(p->btn, p->t, p->ren, bx, by, BTN_H, _("Remove"), GUI_LOOK_DANGER, HOSTUI_KICK,
	    v->slot, 0);
	return h;
}

/* ---- the list ---- */

int
viewerlist_height(const struct viewerlist_pen *p, const struct hostui_state *st, int w)
{
	int need = 0;

	for (unsigned i = 0; i < st->n; i++) {
		const struct hostui_viewer *v = &st->v[i];

		need += v->state == HOSTUI_WAITING ? prompt_h(p, v, w) + GAP :
		    row_height(p, v, w) + GAP / 2;
	}
	return need;
}

int
viewerlist_min_height(const struct viewerlist_pen *p, const struct hostui_state *st, int w)
{
	int line = gui_text_line(p->t, GUI_FONT_TEXT);

	for (unsigned i = 0; i < st->n; i++)
		if (st->v[i].state == HOSTUI_WAITING)
			return prompt_h(p, &st->v[i], w) + GAP + line;
	return st->n > 0 ? row_height(p, &st->v[0], w) + GAP / 2 + line : line;
}

bool
viewerlist_draw(const struct viewerlist_pen *p, const struct hostui_state *st, int y,
    int bottom, int w)
{
	bool controlled = false;
	unsigned i, pass, hidden = 0;

	if (st->n == 0)
		gui_text_draw(p->t, GUI_FONT_TEXT, GUI_DIM, MARGIN, y, w - 2 * MARGIN, 0,
		    _("No one is connected."));
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < st->n; i++) {
			const struct hostui_viewer *v = &st->v[i];
			bool waiting = v->state == HOSTUI_WAITING;
			int need = waiting ? prompt_h(p, v, w) : row_height(p, v, w);

			if (waiting != (pass == 0))
				continue;
			if (v->state == HOSTUI_CONTROLLING)
				controlled = true;
			if (hidden > 0 || y + need > bottom) {
				hidden++;
				continue;
			}
			if (waiting)
				y += draw_prompt(p, v, y, w) + GAP;
			else if (v->state == HOSTUI_AWAY)
				y += draw_away(p, v, y, w) + GAP / 2;
			else
				y += draw_row(p, v, y, w) + GAP / 2;
		}
	}
	if (hidden > 0) {
		char more[160];

		/* TRANSLATORS: supporters (prompts or rows) that did not fit. */
		snprintf(more, sizeof(more), NG_("%u more - make the window taller",
		    "%u more - make the window taller", hidden), hidden);
		gui_text_draw(p->t, GUI_FONT_TEXT, GUI_DIM, MARGIN, y, w - 2 * MARGIN, 0, more);
	}
	return controlled;
}
