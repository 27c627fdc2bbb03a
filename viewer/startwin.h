/* SPDX-License-Identifier: Apache-2.0 */
/*
 * startwin.h - the viewer's start window (SDL2 + SDL2_ttf), shown when
 * fernsicht-viewer starts without a session number: it asks for the
 * session number (five digits) and the host's code (six digits, shown
 * "123 456" as the host's window shows it), and for the relay when none
 * is configured. Digits only, typed or pasted (Ctrl+V) with or without
 * blanks; Tab and Shift+Tab move between the fields, Enter or the Connect
 * button connects, and while a join is under way the same button (then
 * Cancel) or Escape gives it up.
 *
 * The window only collects what the supporter typed and shows what main()
 * tells it: while a join is under way its status (the check code), and
 * after a failed one the reason in words; main() connects, and on success
 * closes this window and opens the session window (display.h).
 */
#ifndef VIEWER_STARTWIN_H
#define VIEWER_STARTWIN_H

#include <stdbool.h>
#include <stddef.h>

#include "limits.h"

enum {
	STARTWIN_RELAY_MAX = 263,       /* "[" host (255) "]:" port: what link_open takes */
};

enum startwin_answer {
	STARTWIN_NONE = 0,
	STARTWIN_CONNECT,               /* a complete entry: connect with it */
	STARTWIN_QUIT,                  /* the window was closed */
	STARTWIN_CANCEL,                /* while joining: Cancel or Escape */
};

struct startwin_opts {
	const char *relay;              /* NULL: none configured, the window asks for it */
	const char *relay_from;         /* the settings file relay came from, shown beside it */
	bool relay_from_command_line;   /* or it came from --relay (relay_from is then "") */
	bool relay_from_link;           /* or from a fernsicht:// link (relay_from "") */
	const char *relay_configured;   /* the settings files' relay, or NULL */
	const char *notice;             /* shown in red at first (a refused settings file) */
	const char *code;               /* --code, to start with, or NULL */
	unsigned long session;          /* from a fernsicht:// link, to start with, or 0 */
};

/* What the supporter typed, when they asked to connect. */
struct startwin_entry {
	char relay[STARTWIN_RELAY_MAX + 1];
	unsigned long session;          /* SESSION_NUMBER_MIN..SESSION_NUMBER_MAX */
	char code[SESSION_CODE_DIGITS + 1];
};

struct startwin;

/* NULL with why[] when there is no display or no font. */
struct startwin *startwin_open(const struct startwin_opts *o, char *why, size_t why_len);
/* Close the window and wipe the code it held; NULL is fine. */
void startwin_close(struct startwin *w);
/*
 * Handle the window's events, waiting up to timeout_ms for the first
 * (0: do not wait), and redraw when needed. STARTWIN_CONNECT fills *e
 * (the caller wipes e->code when done); it never comes while a join is
 * under way. An incomplete entry does not connect: the window says what
 * is missing.
 */
enum startwin_answer startwin_poll(struct startwin *w, int timeout_ms,
    struct startwin_entry *e);
/* A join is under way: the fields are locked and status is shown; drawn
 * at once (the caller may block next, in link_open). */
void startwin_joining(struct startwin *w, const char *status);
/* The join failed: headline (in red) and detail; the fields unlock, and
 * the code field is emptied and focused when clear_code. */
void startwin_failed(struct startwin *w, const char *headline, const char *detail,
    bool clear_code);
/* The supporter cancelled the join: the fields unlock, all kept. */
void startwin_cancelled(struct startwin *w);

#endif
