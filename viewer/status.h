/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status.h - the session window's status line in words: what a supporter
 * asks about (the check code while the host is asked, then frame rate,
 * bandwidth, cipher, control, the relay's round trip). Made twice: in
 * full, and brief for a window too narrow for it (display_status()).
 */
#ifndef VIEWER_STATUS_H
#define VIEWER_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "panel.h"
#include "text.h"

enum vstatus_state {
	VSTATUS_JOINING,                /* the window is open, nothing is known yet */
	VSTATUS_PROVING,                /* the code is being proven */
	VSTATUS_WAITING,                /* the host is asked: check is shown there too */
	VSTATUS_ACTIVE,
	VSTATUS_RECONNECTING,           /* allowed, cut off, coming back (resume.h) */
};

struct vstatus {
	enum vstatus_state state;
	unsigned check;                 /* WAITING: the six digits both windows show */
	bool lossy;                     /* ACTIVE: the host sends lossy colours */
	bool jpeg;                      /* ACTIVE: part of the picture is JPEG now */
	bool aes;                       /* AES-256-GCM, else XChaCha20-Poly1305 */
	bool control;                   /* the host granted control */
	unsigned fps, rtt_ms;
	unsigned away_s, grace_s;       /* RECONNECTING: for how long, and at most */
	double kbit_s;
};

/* The line into full[0..len) and the brief one into brief[0..len). */
void vstatus_text(const struct vstatus *st, char *full, char *brief, size_t len);
/* Draw the status bar: full, or brief when full does not fit, and the
 * panel's Chat button at its right end. */
void vstatus_draw(struct gui_text *t, SDL_Renderer *ren, struct panel *p, SDL_Rect bar,
    const char *full, const char *brief);

#endif
