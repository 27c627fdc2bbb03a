/* SPDX-License-Identifier: Apache-2.0 */
/* button.c - push buttons (button.h). */
#include <string.h>

#include "button.h"
#include "paint.h"

void
gui_buttons_clear(struct gui_buttons *bs)
{
	bs->n = 0;
}

static int
pad(int h)
{
	return h * 2 / 5;
}

int
gui_button_width(struct gui_text *t, const char *label, int h)
{
	return gui_text_width(t, GUI_FONT_TEXT, label) + 2 * pad(h);
}

int
gui_button(struct gui_buttons *bs, struct gui_text *t, SDL_Renderer *ren, int x, int y, int h,
    const char *label, enum gui_look look, int kind, unsigned arg, unsigned arg2)
{
	SDL_Rect r = { x, y, gui_button_width(t, label, h), h };
	bool on = look != GUI_LOOK_OFF;
	SDL_Color fg = !on ? GUI_BTN_OFF : look == GUI_LOOK_DANGER ? GUI_DANGER : GUI_TEXT;
	int th = gui_text_height(t, GUI_FONT_TEXT);

	gui_fill(ren, r, on ? GUI_BTN_BG : GUI_BG);
	gui_outline(ren, r, on ? GUI_BTN_LINE : GUI_BTN_OFF);
	gui_text_draw(t, GUI_FONT_TEXT, fg, x + pad(h), y + (h - th) / 2, r.w, 0, label);
	if (on && bs->n < GUI_BUTTONS_MAX)
		bs->b[bs->n++] = (struct gui_button){ r, kind, arg, arg2 };
	return r.w;
}

const struct gui_button *
gui_buttons_at(const struct gui_buttons *bs, int x, int y)
{
	SDL_Point p = { x, y };

	for (unsigned i = 0; i < bs->n; i++)
		if (SDL_PointInRect(&p, &bs->b[i].r))
			return &bs->b[i];
	return NULL;
}

static bool
same(const struct gui_button *a, const struct gui_button *b)
{
	return a->kind == b->kind && a->arg == b->arg && a->arg2 == b->arg2;
}

bool
gui_buttons_mouse(struct gui_buttons *bs, const SDL_Event *e, struct gui_button *clicked,
    bool *was_click)
{
	const struct gui_button *b;

	*was_click = false;
	if ((e->type != SDL_MOUSEBUTTONDOWN && e->type != SDL_MOUSEBUTTONUP) ||
	    e->button.button != SDL_BUTTON_LEFT)
		return false;
	b = gui_buttons_at(bs, e->button.x, e->button.y);
	if (e->type == SDL_MOUSEBUTTONDOWN) {
		bs->pressed = b != NULL;
		if (b != NULL)
			bs->press_at = *b;
		return b != NULL;
	}
	/* A click is press and release on the same button, even when the
	 * frame between them drew it anew. */
	if (b != NULL && bs->pressed && same(b, &bs->press_at)) {
		*clicked = *b;
		*was_click = true;
	}
	bs->pressed = false;
	return b != NULL;
}
