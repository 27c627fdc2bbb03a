/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transfers.h - the list of file transfers both windows show: one row per
 * transfer (endpoint/files.h's files_row) with its name, direction and
 * peer; while it runs a progress bar, speed and time left and a Cancel
 * button; then "done" (and for a received one an "Open folder" button)
 * or "failed" with the reason.
 *
 * Cancel is the window's to report (GUI_TRANSFERS_CANCEL); Open folder is
 * handled here (folder.h), and what goes wrong with it is shown under
 * the list.
 */
#ifndef GUI_TRANSFERS_H
#define GUI_TRANSFERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "button.h"
#include "files.h"
#include "limits.h"
#include "text.h"

/* One transfer as a window lists it: the engine's row and whose it is. */
struct gui_transfer {
	struct files_row f;
	unsigned slot;                  /* the master's viewer slot; 0 on the viewer */
	char peer[MSG_NAME_MAX + 1];    /* who is at the other end, for people */
};

enum gui_transfers_took {
	GUI_TRANSFERS_NO = 0,   /* not the list's */
	GUI_TRANSFERS_TOOK,     /* handled (redraw) */
	GUI_TRANSFERS_CANCEL,   /* the person cancelled: gui_transfers_cancelled() */
};

/* What the list's buttons are (gui_button.kind); arg is the slot, arg2 the id. */
enum gui_transfers_button {
	GUI_TRANSFERS_BTN_CANCEL_IN = 1,
	GUI_TRANSFERS_BTN_CANCEL_OUT,
	GUI_TRANSFERS_BTN_OPEN,
};

struct gui_transfers;

struct gui_transfers *gui_transfers_new(void);
void gui_transfers_free(struct gui_transfers *x);
/* The rows to show, newest first (copied; at most GUI_TRANSFERS_MAX).
 * True when they differ from the rows shown. */
bool gui_transfers_set(struct gui_transfers *x, const struct gui_transfer *rows, size_t n);
size_t gui_transfers_count(const struct gui_transfers *x);
/* The height the list needs for all its rows at width w (0 when there
 * are none and nothing to say). */
int gui_transfers_height(const struct gui_transfers *x, struct gui_text *t, int w);
/* Draw as many rows as fit into area. */
void gui_transfers_draw(struct gui_transfers *x, struct gui_text *t, SDL_Renderer *ren,
    SDL_Rect area);
/* The buttons as last drawn (for tests). */
const struct gui_buttons *gui_transfers_buttons(const struct gui_transfers *x);
/* A mouse event from the window. */
enum gui_transfers_took gui_transfers_event(struct gui_transfers *x, const SDL_Event *e);
/* After GUI_TRANSFERS_CANCEL: which transfer. */
void gui_transfers_cancelled(const struct gui_transfers *x, unsigned *slot, uint32_t *id,
    bool *incoming);
/* Collect ended folder openers; true when there is news to show. */
bool gui_transfers_poll(struct gui_transfers *x);
/* Open the folder of a received transfer (the Open folder button, and tests). */
void gui_transfers_open(struct gui_transfers *x, const struct gui_transfer *row);

#endif
