/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clip.h - the host's clipboard, as UTF-8 text, one back-end per capture
 * source: X11's CLIPBOARD selection (clip_x11.c: read when its owner
 * changes, XFixes selection notify), wlroots' clipboard access
 * (clip_wlr.c) and GNOME Mutter's remote desktop session (clip_mutter.c);
 * read when the host copies, and owned by us with a viewer's text. Text
 * only; at most MSG_CLIPBOARD_MAX bytes (longer text is not sent, and the
 * log says so).
 */
#ifndef MASTER_CLIP_H
#define MASTER_CLIP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct clip_ops;

/* Every back-end's handle starts with this. */
struct clip {
	const struct clip_ops *ops;
};

struct clip_ops {
	const char *name;               /* the capture source it goes with ("x11") */
	struct clip *(*open)(const char *display, char *why, size_t why_len);
	void (*close)(struct clip *c);
	int (*fd)(const struct clip *c);
	int (*poll)(struct clip *c, const char **text, size_t *len);
	int (*set)(struct clip *c, const char *text, size_t len);
};

/* The clipboard back-end for a capture source, or NULL (none). */
const struct clip_ops *clip_find(const char *source);
/* Open the back-end for source; NULL with why[]. */
struct clip *clip_open(const char *source, const char *display, char *why, size_t why_len);
void clip_close(struct clip *c);        /* NULL is fine */
/* The fd to poll(2) for the clipboard's events. */
int clip_fd(const struct clip *c);
/* 1 with *text (valid until the next call) when the host copied new text,
 * 0 when nothing changed. */
int clip_poll(struct clip *c, const char **text, size_t *len) WUR;
/* Own the clipboard with a viewer's text. */
int clip_set(struct clip *c, const char *text, size_t len) WUR;

extern const struct clip_ops clip_x11_ops;              /* clip_x11.c */
extern const struct clip_ops clip_wlr_ops;              /* clip_wlr.c: wlroots */
extern const struct clip_ops clip_portal_ops;           /* clip_wlr.c: the same, by portal */
extern const struct clip_ops clip_mutter_ops;           /* clip_mutter.c: GNOME */

#endif
