/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attention.h - a new consent prompt brings the host's window to the
 * front (attention.c); hostui.c calls it with the state shown before and
 * the one about to be shown.
 */
#ifndef MASTER_ATTENTION_H
#define MASTER_ATTENTION_H

#include <stdbool.h>

#include <SDL.h>

#include "hostui.h"

/* Did old already show v's prompt (same slot, same viewer, same check)? */
bool attention_prompt_shown(const struct hostui_state *old, const struct hostui_viewer *v);
/* Raise and flash win for a prompt st has and old did not; stop the flash
 * when nobody asks any more. debug: say so on stderr ("attention slot N"). */
void attention_ask(SDL_Window *win, const struct hostui_state *old, const struct hostui_state *st,
    bool debug);

#endif
