/* SPDX-License-Identifier: Apache-2.0 */
/*
 * indicator.h - a small borderless window that stays on top in a corner of
 * the host's primary display while anyone watches or controls: "alice is
 * watching", "alice controls this computer", "2 supporters: alice, bob",
 * with End session (and Take control back while someone controls). It
 * shows the viewers of the same state the host's window shows and reports
 * the host's clicks as the same actions; it decides nothing.
 *
 * The indicator takes its events from SDL's queue as they arrive (an event
 * watch), so some other part of the program must drain that queue: the
 * host's window (hostui_poll) does, and ignores the indicator's events.
 */
#ifndef MASTER_INDICATOR_H
#define MASTER_INDICATOR_H

#include <stddef.h>

#include "hostui.h"

struct indicator;

/* NULL with why[] when there is no display or no font. No window yet:
 * it appears with the first viewer that watches. */
struct indicator *indicator_open(char *why, size_t why_len);
void indicator_close(struct indicator *ind);
/* Show who watches or controls in st (hidden when nobody does). */
void indicator_show(struct indicator *ind, const struct hostui_state *st);
/* The host's next click (HOSTUI_END or HOSTUI_TAKE_CONTROL) or HOSTUI_NONE;
 * also redraws. Call after hostui_poll, which pumps the events. */
struct hostui_action indicator_poll(struct indicator *ind);

#endif
