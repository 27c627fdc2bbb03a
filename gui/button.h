/* SPDX-License-Identifier: Apache-2.0 */
/*
 * button.h - push buttons: drawn with a label, remembered where they were
 * drawn, and clicked by a press and a release on the same one. What a
 * button means is the caller's: a kind and an argument it chose.
 */
#ifndef GUI_BUTTON_H
#define GUI_BUTTON_H

#include <stdbool.h>

#include <SDL.h>

#include "limits.h"
#include "text.h"

enum gui_look {
	GUI_LOOK_PLAIN,
	GUI_LOOK_DANGER,        /* red label: deny, remove, end, cancel */
	GUI_LOOK_OFF,           /* greyed out, not clickable */
};

struct gui_button {
	SDL_Rect r;
	int kind;               /* the caller's meaning */
	unsigned arg, arg2;
};

/* The buttons of one area as last drawn: clicks mean what the person saw. */
struct gui_buttons {
	struct gui_button b[GUI_BUTTONS_MAX];
	unsigned n;
	bool pressed;           /* the left button went down on press_at */
	struct gui_button press_at;
};

/* Before drawing a frame: forget the buttons of the last one (a press
 * in progress is kept). */
void gui_buttons_clear(struct gui_buttons *bs);
int gui_button_width(struct gui_text *t, const char *label, int h);
/* Draw a button of height h at (x, y); returns its width. Unless it is
 * GUI_LOOK_OFF it becomes clickable. */
int gui_button(struct gui_buttons *bs, struct gui_text *t, SDL_Renderer *ren, int x, int y, int h,
    const char *label, enum gui_look look, int kind, unsigned arg, unsigned arg2);
/* The button at (x, y), or NULL. */
const struct gui_button *gui_buttons_at(const struct gui_buttons *bs, int x, int y);
/*
 * A mouse event: true when it was a press or release of the left button
 * on one of the buttons (the caller takes it). *clicked is set when the
 * release completes a click: pressed and released on the same button.
 */
bool gui_buttons_mouse(struct gui_buttons *bs, const SDL_Event *e, struct gui_button *clicked,
    bool *was_click);

#endif
