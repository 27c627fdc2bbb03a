/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chat.h - the chat panel both windows show: the history (who said what,
 * newest at the bottom, scrolled with the wheel or Page Up/Down) above a
 * one-line entry with a Send button.
 *
 * The entry takes SDL's text input (SDL_TEXTINPUT, and SDL_TEXTEDITING
 * for what an input method or a dead key is still composing), so every
 * layout types what it types. It holds at most MSG_TEXT_MAX bytes, cut
 * on a character boundary; control characters never enter it and never
 * reach the history (gui_utf8_clean). Enter or Send hands the line to
 * the window (GUI_CHAT_SEND); the window sends it and adds it as "mine".
 *
 * Lines that arrive while the person cannot see the panel (hidden, or
 * the window not focused: gui_chat_seen) are unread until they can;
 * gui_chat_badge() draws the count where the window puts it.
 */
#ifndef GUI_CHAT_H
#define GUI_CHAT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "text.h"

enum gui_chat_took {
	GUI_CHAT_NO = 0,        /* not the chat's: the window handles it */
	GUI_CHAT_TOOK,          /* handled (redraw) */
	GUI_CHAT_SEND,          /* the person sent a line: gui_chat_line() */
};

struct gui_chat;

struct gui_chat *gui_chat_new(void);
void gui_chat_free(struct gui_chat *c);
/* A line said by who ("You" for mine). The text may be anything a peer
 * sent: it is cleaned for showing. */
void gui_chat_add(struct gui_chat *c, const char *who, const char *text, size_t len, bool mine);
/* A line from the window itself (a line not sent, a transfer that cannot
 * start): shown dim, never unread. */
void gui_chat_note(struct gui_chat *c, const char *text);
/* Whether the person can see the panel now; while they can, nothing is
 * unread. */
void gui_chat_seen(struct gui_chat *c, bool seen);
unsigned gui_chat_unread(const struct gui_chat *c);
size_t gui_chat_count(const struct gui_chat *c);
/* The entry takes keys (and SDL's text input is started) or not. */
void gui_chat_focus(struct gui_chat *c, bool focus);
bool gui_chat_focused(const struct gui_chat *c);
/* Draw history and entry into area. */
void gui_chat_draw(struct gui_chat *c, struct gui_text *t, SDL_Renderer *ren, SDL_Rect area);
/* Where the entry and the Send button were last drawn (for tests). */
SDL_Rect gui_chat_entry_rect(const struct gui_chat *c);
SDL_Rect gui_chat_send_rect(const struct gui_chat *c);
/*
 * An event from the window: mouse events count inside the area last
 * drawn; keys and text only while the entry has the focus (then all of
 * them, so that none reaches what is behind the panel).
 */
enum gui_chat_took gui_chat_event(struct gui_chat *c, const SDL_Event *e);
/* After GUI_CHAT_SEND: the line, valid until the next gui_chat_event. */
const char *gui_chat_line(const struct gui_chat *c, size_t *len);
/* Draw the unread mark for n lines with its top left at (x, y), h high;
 * returns its width (0 for n == 0: nothing drawn). */
int gui_chat_badge(struct gui_text *t, SDL_Renderer *ren, int x, int y, int h, unsigned n);
/* Its width, without drawing it. */
int gui_chat_badge_width(struct gui_text *t, int h, unsigned n);

#endif
