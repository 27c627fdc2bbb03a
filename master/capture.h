/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture.h - where the master's screen comes from: an X11 display
 * (capture_x11.c) or the deterministic test pattern (pattern.c, used by
 * tests and `make demo` without a display).
 *
 * The X11 back-end grabs with XShmGetImage into a shared segment (XGetImage
 * where MIT-SHM is missing), uses XDamage only as a hint of whether and
 * where to look (no damage: no grab), follows the cursor with XFixes (shape
 * and position, sent separately, never painted into the image), and
 * follows the screen size and monitor layout with XRandR.
 */
#ifndef MASTER_CAPTURE_H
#define MASTER_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "limits.h"

#define CAPTURE_CURSOR_DIM_MAX MSG_CURSOR_DIM_MAX /* larger cursor images are cropped */

struct capture;

struct capture_cursor {
	uint16_t w, h, hot_x, hot_y;
	uint32_t argb[CAPTURE_CURSOR_DIM_MAX * CAPTURE_CURSOR_DIM_MAX]; /* 0xAARRGGBB, w*h */
};

/*
 * Open the display (NULL: $DISPLAY). monitor: -1 the whole screen, else
 * the XRandR monitor index (0 = the first). On failure returns NULL and
 * says why in why[] in words a host understands ("cannot open display :0:
 * no X server or no permission", "the display is Wayland-only", ...).
 */
struct capture *capture_x11_open(const char *display, int monitor, char *why, size_t why_len);
void capture_close(struct capture *c);
/* The X connection's fd, to poll(2) together with the relay link. */
int capture_fd(const struct capture *c);
/* Events already read from the fd and waiting (poll(2) would not see them). */
bool capture_queued(const struct capture *c);
/*
 * Handle pending X events. Sets *screen_dirty when something may have
 * changed on screen since the last grab (damage, resize; always true
 * without XDamage) or a safety sweep of one tile row is due,
 * *cursor_dirty when the cursor's shape or position changed. Returns 0,
 * or ERR_CLOSED when the display went away.
 */
int capture_poll(struct capture *c, bool *screen_dirty, bool *cursor_dirty) WUR;
/*
 * Bring img (0x00RRGGBB) up to date with the captured area: only the rows
 * XDamage says changed are read, so img must be the same picture every
 * time (it is re-initialised, and read whole, when the size changed).
 * hint[ty * tiles_x + tx] is set to 1 for each tile that may differ from
 * what img held before, 0 for the others (MSG_TILES_MAX entries).
 * ERR_SYSTEM with why[] filled on failure.
 */
int capture_grab(struct capture *c, struct image *img, uint8_t *hint, char *why,
    size_t why_len) WUR;
/* The top-level windows that moved between the last two grabs, as hints
 * for COPY tiles (at most CODEC_MOVES_MAX): returns how many. */
unsigned capture_moves(const struct capture *c, struct codec_move *moves);
/* The cursor: position relative to the captured area (may be outside it)
 * and, when *shape_changed, the new shape in *cur. */
int capture_cursor(struct capture *c, int *x, int *y, bool *shape_changed,
    struct capture_cursor *cur) WUR;
/* The captured area's origin on the X screen (for input injection). */
void capture_origin(const struct capture *c, int *x, int *y);
/* What the back-end uses, for the log: "XShm+XDamage", "XGetImage", ... */
const char *capture_method(const struct capture *c);

#endif
