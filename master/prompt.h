/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prompt.h - a question in the host's window (prompt.c): a framed box with
 * the question wrapped to its width and the answers as buttons under it,
 * as many to a row as fit, so that longer words (another language's) take
 * another row instead of running out of the box.
 */
#ifndef MASTER_PROMPT_H
#define MASTER_PROMPT_H

#include <SDL.h>

#include "button.h"
#include "text.h"

struct prompt_answer {
	const char *label;
	int kind;               /* the button's kind (button.h) */
	enum gui_look look;
};

/* The height of a box w wide for the question and n answers, with
 * buttons btn_h high. */
int prompt_height(struct gui_text *t, const char *question, const struct prompt_answer *a,
    unsigned n, int w, int btn_h);
/* Draw it in box (box.h from prompt_height()); the answers become
 * clickable in bs, with arg. Returns box.h. */
int prompt_draw(struct gui_buttons *bs, struct gui_text *t, SDL_Renderer *ren, SDL_Rect box,
    const char *question, const struct prompt_answer *a, unsigned n, unsigned arg, int btn_h);

#endif
