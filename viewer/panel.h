/* SPDX-License-Identifier: Apache-2.0 */
/*
 * panel.h - the viewer window's side panel: the chat with the host and
 * the file transfers (gui/chat.h, gui/transfers.h), beside the remote
 * screen on the right, shown and hidden with F9 or the "Chat" button at
 * the right end of the status bar, which also carries the unread mark.
 *
 * display.c gives the panel its part of the window and its events first;
 * while the chat's entry has the focus the panel takes every key, so
 * nothing typed there reaches the host.
 */
#ifndef VIEWER_PANEL_H
#define VIEWER_PANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "text.h"
#include "transfers.h"

enum panel_took {
	PANEL_NO = 0,           /* not the panel's */
	PANEL_TOOK,             /* handled (redraw) */
	PANEL_CHAT_SEND,        /* panel_chat_line() */
	PANEL_CANCEL,           /* panel_cancelled() */
	PANEL_FETCH,            /* file drop: the Fetch button, panel_drop_link() */
	PANEL_DROP_MODE,        /* file drop: switch where dragged files go */
};

struct panel;

struct panel *panel_new(void);
void panel_free(struct panel *p);
bool panel_shown(const struct panel *p);
/* Show (with the focus in the chat's entry) or hide. */
void panel_show(struct panel *p, bool show, bool focus);
bool panel_focused(const struct panel *p);
/* Give the chat's entry the focus, or take it away (the panel stays). */
void panel_focus(struct panel *p, bool focus);
/* The panel's width in a window w wide; 0 while hidden. */
int panel_width(const struct panel *p, int w);
/* Draw the panel into area (when shown). */
void panel_draw(struct panel *p, struct gui_text *t, SDL_Renderer *ren, SDL_Rect area);
/* Draw the Chat button (and the unread mark) at the right end of the
 * status bar; returns the x where it begins. */
int panel_draw_toggle(struct panel *p, struct gui_text *t, SDL_Renderer *ren, SDL_Rect bar);
/* An event from the window: mouse events on the panel or the Chat
 * button, wheel over the history, and everything typed while the entry
 * has the focus. */
enum panel_took panel_event(struct panel *p, const SDL_Event *e);
const char *panel_chat_line(const struct panel *p, size_t *len);
void panel_cancelled(const struct panel *p, uint32_t *id, bool *incoming);
/* file drop: a link the host sent for us (its Fetch button shows), and
 * whether a fetch runs (the button is off meanwhile). */
void panel_drop_offer(struct panel *p, const char *link);
void panel_drop_busy(struct panel *p, bool busy);
const char *panel_drop_link(const struct panel *p);
/* Whether files dragged onto the window may be left on the relay (can:
 * the host passed on a grant and the files right), and whether they are
 * (to_relay): the button that switches it. True when that changed. */
bool panel_drop_mode(struct panel *p, bool can, bool to_relay);
/* Lines and rows from the session. */
void panel_chat_add(struct panel *p, const char *who, const char *text, size_t len, bool mine);
void panel_chat_note(struct panel *p, const char *text);
/* True when the rows changed (redraw); a transfer not listed before
 * shows the panel. */
bool panel_set_transfers(struct panel *p, const struct gui_transfer *rows, size_t n);
/* Whether the person can see the panel (shown, window focused); true
 * when the unread count changed. */
bool panel_seen(struct panel *p, bool window_focused);
/* Ended folder openers; true when there is news to show. */
bool panel_poll(struct panel *p);
/* Print the panel's clickable places and state on stderr when they
 * changed since the last call ("button KIND ARG X Y W H" lines, then
 * "chat lines=N unread=N focus=0|1 panel=0|1"): for tests. */
void panel_debug(struct panel *p);

#endif
