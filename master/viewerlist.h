/* SPDX-License-Identifier: Apache-2.0 */
/*
 * viewerlist.h - the viewers in the host's window (viewerlist.c): a
 * consent prompt for each waiting viewer, with the question, the check
 * code both sides see and the answers, and a row for each that watches or
 * controls, with its buttons. A row whose buttons leave its name too
 * little room puts them under the name.
 */
#ifndef MASTER_VIEWERLIST_H
#define MASTER_VIEWERLIST_H

#include <stdbool.h>

#include <SDL.h>

#include "button.h"
#include "hostui.h"
#include "text.h"

/* The host window's spacing, which hostui.c uses too. */
enum { HOSTUI_MARGIN = 16, HOSTUI_GAP = 8, HOSTUI_BTN_H = 30 };

/* What the list draws with: the window's fonts, renderer and buttons. */
struct viewerlist_pen {
	struct gui_text *t;
	SDL_Renderer *ren;
	struct gui_buttons *btn;
};

/* The height st's viewers want in a window w wide. */
int viewerlist_height(const struct viewerlist_pen *p, const struct hostui_state *st, int w);
/* The least height that shows the first of them (a waiting one's prompt
 * if any) and the line that counts the others. */
int viewerlist_min_height(const struct viewerlist_pen *p, const struct hostui_state *st,
    int w);
/* Draw them between y and bottom: prompts first, since a question waiting
 * for the host must not be what falls off the bottom; what does not fit
 * is counted in a line. Returns whether one of them is in control. */
bool viewerlist_draw(const struct viewerlist_pen *p, const struct hostui_state *st, int y,
    int bottom, int w);
/* "48213" -> "48 213", "071934" -> "071 934": groups of three from the
 * right with sep between them, as people read numbers out (also the
 * session number and code). */
void viewerlist_group_digits(char *out, size_t len, const char *digits, const char *sep);

#endif
