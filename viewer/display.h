/* SPDX-License-Identifier: Apache-2.0 */
/*
 * display.h - the viewer's window (SDL2): the remote screen in a streaming
 * texture updated by dirty rectangles, scale-to-fit or 1:1 (F8 toggles),
 * fullscreen (F11), the host's cursor drawn locally from the shape the
 * master sent, a status line (fps, bandwidth, latency, cipher), and a side
 * panel with the chat and the file transfers (F9 or the status line's
 * Chat button; panel.h). Files dropped on the window are reported.
 *
 * Local input becomes protocol input: mouse in remote-screen coordinates
 * (absolute), buttons and wheel, keys as X keysyms plus the scancode, so
 * that the host's layout decides what a key types; text the local layout
 * composes (AltGr, dead keys) is sent as the resulting keysyms.
 */
#ifndef VIEWER_DISPLAY_H
#define VIEWER_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "msg.h"

enum display_event_kind {
	DISPLAY_NONE = 0,
	DISPLAY_INPUT,          /* ev.input is ready to send */
	DISPLAY_CLIPBOARD,      /* the local clipboard has new text: ev.text */
	DISPLAY_QUIT,           /* the window was closed */
	DISPLAY_CHAT_SEND,      /* the supporter's chat line: ev.text (UTF-8, no control
	                         * characters, at most MSG_TEXT_MAX bytes) */
	DISPLAY_DROP_FILE,      /* a file or folder dropped on the window: ev.text, its path */
	DISPLAY_CANCEL_TRANSFER, /* the supporter cancelled transfer ev.id (ev.incoming) */
	DISPLAY_FETCH_DROP,     /* file drop: the supporter asked to fetch the link ev.text */
	DISPLAY_DROP_MODE,      /* file drop: switch where dragged files go (display_drop_mode) */
};

struct display_event {
	enum display_event_kind kind;
	struct msg_input input;
	const char *text;       /* CLIPBOARD, CHAT_SEND, DROP_FILE: valid until the next poll */
	size_t text_len;
	uint32_t id;            /* CANCEL_TRANSFER */
	bool incoming;
};

struct display;
struct gui_transfer;            /* gui/transfers.h */

struct display *display_open(const char *title, char *why, size_t why_len);
void display_close(struct display *d);
/*
 * Show img; only the rectangle (x, y, w, h) changed since the last call
 * (the whole image after a size change). Presents at once.
 */
int display_frame(struct display *d, const struct image *img, unsigned x, unsigned y,
    unsigned w, unsigned h) WUR;
/* The host's cursor shape (w*h 0xAARRGGBB) and position. */
int display_cursor_shape(struct display *d, unsigned w, unsigned h, unsigned hot_x,
    unsigned hot_y, const uint32_t *argb) WUR;
void display_cursor_pos(struct display *d, int x, int y);
/* The status line's text, and a brief one for when it does not fit
 * (NULL: the same). */
void display_status(struct display *d, const char *text, const char *brief);
/* Whether input may be sent (the host granted control): else mouse and
 * keys only move the local view. */
void display_set_control(struct display *d, bool control);
/* Put the host's clipboard text into the local clipboard. */
void display_set_clipboard(struct display *d, const char *text, size_t len);
/* The next event; waits at most timeout_ms (0: do not wait). */
struct display_event display_poll(struct display *d, int timeout_ms);
/* Save the window's current picture as BMP (for tests and docs). */
int display_screenshot(struct display *d, const char *path) WUR;
/* A chat line for the panel: the host's (who: its name), or the
 * supporter's own (mine) once it was sent. */
void display_chat_add(struct display *d, const char *who, const char *text, size_t len,
    bool mine);
/* A line of the window's own in the chat (why a line or a file was not
 * sent); shows the panel. */
void display_chat_note(struct display *d, const char *text);
/* file drop: a link offered to us (a Fetch button), and whether a fetch runs. */
void display_drop_offer(struct display *d, const char *link);
void display_drop_busy(struct display *d, bool busy);
/* Whether dragged files may be left on the relay, and whether they are:
 * the panel's button that switches it (DISPLAY_DROP_MODE) shows then. */
void display_drop_mode(struct display *d, bool can, bool to_relay);
/* The transfers to list (copied); a new one shows the panel. */
void display_set_transfers(struct display *d, const struct gui_transfer *rows, size_t n);

#endif
