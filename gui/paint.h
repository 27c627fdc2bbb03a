/* SPDX-License-Identifier: Apache-2.0 */
/*
 * paint.h - the windows' colours and their plain shapes: filled and
 * outlined rectangles. Both windows use the same light palette, so that
 * the viewer's side panel looks like the host's window.
 */
#ifndef GUI_PAINT_H
#define GUI_PAINT_H

#include <SDL.h>

#define GUI_BG          ((SDL_Color){ 246, 246, 244, 255 })
#define GUI_TEXT        ((SDL_Color){ 28, 28, 28, 255 })
#define GUI_DIM         ((SDL_Color){ 105, 105, 105, 255 })
#define GUI_LINE        ((SDL_Color){ 200, 200, 196, 255 })
#define GUI_PROMPT_BG   ((SDL_Color){ 255, 244, 204, 255 })
#define GUI_PROMPT_LINE ((SDL_Color){ 214, 170, 40, 255 })
#define GUI_BTN_BG      ((SDL_Color){ 226, 226, 222, 255 })
#define GUI_BTN_LINE    ((SDL_Color){ 130, 130, 126, 255 })
#define GUI_BTN_OFF     ((SDL_Color){ 170, 170, 166, 255 })
#define GUI_DANGER      ((SDL_Color){ 168, 28, 28, 255 })
#define GUI_GOOD        ((SDL_Color){ 30, 120, 50, 255 })
#define GUI_MINE        ((SDL_Color){ 30, 80, 150, 255 })      /* "You" in the chat */
#define GUI_FIELD_BG    ((SDL_Color){ 255, 255, 255, 255 })    /* text entry */
#define GUI_FOCUS_LINE  ((SDL_Color){ 50, 110, 200, 255 })     /* the entry that takes keys */
#define GUI_BAR_BG      ((SDL_Color){ 222, 222, 218, 255 })    /* progress, empty part */
#define GUI_BAR_FILL    ((SDL_Color){ 60, 130, 210, 255 })     /* progress, done part */
#define GUI_BADGE       ((SDL_Color){ 214, 40, 40, 255 })      /* unread chat lines */
#define GUI_BADGE_TEXT  ((SDL_Color){ 255, 255, 255, 255 })

void gui_fill(SDL_Renderer *ren, SDL_Rect r, SDL_Color c);
void gui_outline(SDL_Renderer *ren, SDL_Rect r, SDL_Color c);

#endif
