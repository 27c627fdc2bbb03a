/* SPDX-License-Identifier: Apache-2.0 */
/* attention.c - the host's window asks for attention when someone asks (attention.h). */
#include <stdio.h>
#include <string.h>

#include "attention.h"

/* Did old already show v's prompt (same slot, same viewer, same check)? */
bool
attention_prompt_shown(const struct hostui_state *old, const struct hostui_viewer *v)
{
	for (unsigned j = 0; j < old->n; j++) {
		const struct hostui_viewer *o = &old->v[j];

		if (o->slot == v->slot && o->state == HOSTUI_WAITING &&
		    o->check == v->check && strcmp(o->name, v->name) == 0)
			return true;
	}
	return false;
}

/*
 * A new question brings the window to the front, from behind the host's
 * other windows or out of the task bar: restored, raised (SDL asks a
 * window manager with _NET_ACTIVE_WINDOW; without one it is XRaiseWindow)
 * and flashed until the host looks at it, for a window manager that
 * refuses the raise to keep the focus where the host works. Only a new
 * prompt does so: a window that jumped up with every redraw would keep
 * covering the host's work. The flash stops when nobody asks any more.
 */
void
attention_ask(SDL_Window *win, const struct hostui_state *old, const struct hostui_state *st,
    bool debug)
{
	bool asks = false, asked = false;

	for (unsigned i = 0; i < old->n; i++)
		if (old->v[i].state == HOSTUI_WAITING)
			asked = true;
	for (unsigned i = 0; i < st->n; i++) {
		if (st->v[i].state != HOSTUI_WAITING)
			continue;
		if (!attention_prompt_shown(old, &st->v[i])) {
			if (SDL_GetWindowFlags(win) & SDL_WINDOW_MINIMIZED)
				SDL_RestoreWindow(win);
			SDL_RaiseWindow(win);
#if SDL_VERSION_ATLEAST(2, 0, 16)
			SDL_FlashWindow(win, SDL_FLASH_UNTIL_FOCUSED);
#endif
			if (debug)
				fprintf(stderr, "attention slot %u\n", st->v[i].slot);
			return;
		}
		asks = true;
	}
#if SDL_VERSION_ATLEAST(2, 0, 16)
	if (asked && !asks)
		SDL_FlashWindow(win, SDL_FLASH_CANCEL);
#else
	(void)asked;
	(void)asks;
#endif
}
