/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clip.h - the host's X11 clipboard (the CLIPBOARD selection), as UTF-8
 * text: read when its owner changes (XFixes selection notify), and owned
 * by us with a viewer's text. Text only; at most MSG_CLIPBOARD_MAX bytes
 * (longer text is not sent, and the log says so).
 */
#ifndef MASTER_CLIP_H
#define MASTER_CLIP_H

#include <stdbool.h>
#include <stddef.h>

struct clip;

struct clip *clip_x11_open(const char *display, char *why, size_t why_len);
void clip_close(struct clip *c);
int clip_fd(const struct clip *c);
/*
 * Handle pending X events (answer requests for our selection, fetch a new
 * owner's text). When the host copied new text, *text / *len point to it
 * (valid until the next call) and the function returns 1; else 0.
 */
int clip_poll(struct clip *c, const char **text, size_t *len) WUR;
/* Take the CLIPBOARD selection with this UTF-8 text (from a viewer). */
int clip_set(struct clip *c, const char *text, size_t len) WUR;

#endif
