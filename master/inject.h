/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inject.h - the viewers' input, replayed on the host's X display with
 * XTest (inject_x11.c), or on a wlroots compositor through its virtual
 * keyboard and pointer (inject_wlr.c, which types every keysym through a
 * keymap of its own instead of the host's layout).
 *
 * On X11, keys arrive as X keysyms (and a scancode hint); they are mapped to the
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

struct inject_ops;

/* Every back-end's handle starts with this. */
struct inject {
	const struct inject_ops *ops;
};

struct inject_ops {
	const char *name;               /* the capture source it goes with ("x11") */
	struct inject *(*open)(const char *display, char *why, size_t why_len);
	void (*close)(struct inject *in);
	int (*event)(struct inject *in, unsigned slot, const struct msg_input *ev, int ox, int oy,
	    unsigned w, unsigned h);
	void (*release)(struct inject *in, unsigned slot);
};

/* The input back-end for a capture source, or NULL (the test pattern takes
 * no input: it is only printed with --print-input). */
const struct inject_ops *inject_find(const char *source);
/* Open the back-end for source; NULL with why[]. */
struct inject *inject_open(const char *source, const char *display, char *why, size_t why_len);
void inject_close(struct inject *in);   /* NULL is fine */
/* One event from the viewer in slot, in the coordinates of a w x h picture
 * whose origin is (ox, oy) on the host's screen. Non-zero: out of range. */
int inject_event(struct inject *in, unsigned slot, const struct msg_input *ev,
    int ox, int oy, unsigned w, unsigned h) WUR;
/* Let go of every key and button the viewer in slot holds. */
void inject_release(struct inject *in, unsigned slot);

extern const struct inject_ops inject_x11_ops;          /* inject_x11.c */
extern const struct inject_ops inject_wlr_ops;          /* inject_wlr.c: wlroots (sway) */
extern const struct inject_ops inject_mutter_ops;       /* inject_screencast.c */
extern const struct inject_ops inject_portal_ops;       /* inject_screencast.c */

#endif
