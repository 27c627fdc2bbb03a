/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inject.h - the viewers' input, replayed on the host's X display with
 * XTest.
 *
 * Keys arrive as X keysyms (and a scancode hint); they are mapped to the
 * host's own keyboard layout: the keycode and shift level that produce the
 * keysym in the current XKB group, pressing Shift or AltGr
 * (ISO_Level3_Shift) around it as needed and restoring the modifiers the
 * user holds. A keysym the layout lacks is bound for the moment to a spare
 * keycode (reused least recently used, restored on close). Dead keys are
 * keysyms like any other (dead_circumflex) and compose on the host.
 *
 * Every event is validated (kind, ranges, coordinates inside the shared
 * area); keys and buttons are tracked per viewer so that everything a
 * viewer holds is released when it leaves or loses control.
 */
#ifndef MASTER_INJECT_H
#define MASTER_INJECT_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

struct inject;

struct inject *inject_x11_open(const char *display, char *why, size_t why_len);
void inject_close(struct inject *in);
/*
 * Replay one event from the viewer in slot (1..MASTER_SLOTS_MAX). The
 * shared area is w x h at (ox, oy) on the X screen; pointer coordinates
 * are relative to it. ERR_FORMAT for an event out of range (the caller
 * drops the event, logs it rate-limited, and keeps the viewer).
 */
int inject_event(struct inject *in, unsigned slot, const struct msg_input *ev,
    int ox, int oy, unsigned w, unsigned h) WUR;
/* Release every key and button the viewer in slot holds. */
void inject_release(struct inject *in, unsigned slot);

#endif
