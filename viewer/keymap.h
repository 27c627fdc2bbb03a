/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keymap.h - local keys (SDL) as X keysyms and X keycodes for the host.
 *
 * Pure tables: only SDL's types and constants, no SDL calls, so that the
 * unit test needs no SDL library.
 */
#ifndef VIEWER_KEYMAP_H
#define VIEWER_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL_keycode.h>

/*
 * The keysym of the key SDL calls sym, 0 when there is none. Letters are
 * the lowercase keysym whatever the modifiers (the key, not the text);
 * keypad digits follow Num Lock in mod (KP_1 or KP_End).
 */
uint32_t keymap_keysym(SDL_Keycode sym, SDL_Keymod mod);
/* Whether the key normally types text (SDL then sends SDL_TEXTINPUT). */
bool keymap_is_text(SDL_Keycode sym);
/* The keysym of one Unicode code point of composed text; 0 for controls. */
uint32_t keymap_unicode_keysym(uint32_t cp);
/*
 * The next code point of NUL-terminated UTF-8 at s into *cp; returns the
 * rest of s, or NULL at the end. A malformed byte gives U+FFFD.
 */
const char *keymap_utf8_next(const char *s, uint32_t *cp);
/* The X keycode (evdev code + 8) of a physical key; 0 when unknown. */
uint16_t keymap_x11_keycode(SDL_Scancode sc);

#endif
