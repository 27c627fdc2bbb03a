/* SPDX-License-Identifier: Apache-2.0 */
/* window.h - the supporter's actions in the session's window (window.c). */
#ifndef VIEWER_WINDOW_H
#define VIEWER_WINDOW_H

#include "session.h"

/* Take the window's events: input to the host (when allowed), the local
 * clipboard, chat, files, closing. Non-zero: the supporter closed the
 * window. */
int window_events(struct vsession *s);

#endif
