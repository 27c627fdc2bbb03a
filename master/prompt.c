/* SPDX-License-Identifier: Apache-2.0 */
/* prompt.c - a question with its answers in the host's window (prompt.h). */
#include <stdbool.h>

#include "paint.h"
#include "prompt.h"

enum { PAD = 10, GAP = 8 };

static const struct gui_label *
question_label(struct gui_text *t, const char *question, int w)
{
	int inner = w - 2 * PAD;

	return gui_text_get(t, GUI_FONT_TEXT, GUI_TEXT, inner > 1 ? inner : 1, question);
}

/*
 * Lay the answers out from (x, y) in rows inner pixels wide, drawn when
 * bs is not NULL; returns the rows' height. A button wider than a row
 * gets a row of its own.
 */
static int
answers(struct gui_buttons *bs, struct gui_text *t, SDL_Renderer *ren, int x, int y,
    int inner, const struct prompt_answer *a, unsigned n, unsigned arg, int btn_h)
{
	int cx = 0, rows = n > 0 ? 1 : 0;

	for (unsigned i = 0; i < n; i++) {
		int bw = gui_button_width(t, a[i].label, btn_h);

		if (cx > 0 && cx + bw > inner) {
			cx = 0;
			rows++;
		}
		if (bs != NULL)
			gui_button(bs, t, ren, x + cx, y + (rows - 1) * (btn_h + GAP), btn_h,
			    a[i].label, a[i].look, a[i].kind, arg, 0);
		cx += bw + GAP;
	}
	return rows > 0 ? rows * btn_h + (rows - 1) * GAP : 0;
}

int
prompt_height(struct gui_text *t, const char *question, const struct prompt_answer *a,
    unsigned n, int w, int btn_h)
{
	const struct gui_label *l = question_label(t, question, w);

	return PAD + (l != NULL ? l->h : 0) + GAP +
	    answers(NULL, t, NULL, 0, 0, w - 2 * PAD, a, n, 0, btn_h) + PAD;
}

int
prompt_draw(struct gui_buttons *bs, struct gui_text *t, SDL_Renderer *ren, SDL_Rect box,
    const char *question, const struct prompt_answer *a, unsigned n, unsigned arg, int btn_h)
{
	const struct gui_label *l = question_label(t, question, box.w);
	int y = box.y + PAD;

	gui_fill(ren, box, GUI_PROMPT_BG);
	gui_outline(ren, box, GUI_PROMPT_LINE);
	if (l != NULL) {
		SDL_RenderCopy(ren, l->tex, NULL, &(SDL_Rect){ box.x + PAD, y, l->w, l->h });
		y += l->h;
	}
	answers(bs, t, ren, box.x + PAD, y + GAP, box.w - 2 * PAD, a, n, arg, btn_h);
	return box.h;
}
