/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture.h - where the master's screen comes from. Back-ends sit behind
 * one ops table, picked by name (--source): "x11" (capture_x11.c) and
 * "test-pattern" (capture_pattern.c: the deterministic moving picture
 * tests and `make demo` without a display use), "mutter" and "portal"
 * (capture_screencast.c: a Wayland desktop's screen cast over D-Bus and
 * PipeWire, from GNOME Mutter's own interfaces or the desktop portal)
 * and "wlr" (capture_wlr.c: wlroots compositors' screen copy). A new
 * back-end is one
 * file with a `const struct capture_ops` and one line in capture.c's table.
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

struct capture_ops;

struct capture_cursor {
	uint16_t w, h, hot_x, hot_y;
	uint32_t argb[CAPTURE_CURSOR_DIM_MAX * CAPTURE_CURSOR_DIM_MAX]; /* 0xAARRGGBB, w*h */
};

/* What a back-end may need to open. */
struct capture_opts {
	const char *display;            /* x11: NULL = $DISPLAY; wlr: NULL = $WAYLAND_DISPLAY */
	int monitor;                    /* x11: -1 the whole screen, else the XRandR monitor;
	                                 * wlr: the output (-1: the first);
	                                 * mutter: Mutter's monitor (-1: the primary) */
	bool window;                    /* portal: one window, not a monitor (--window) */
	uint16_t width, height;         /* test-pattern: the picture's size */
};

/* Every back-end's handle starts with this. */
struct capture {
	const struct capture_ops *ops;
};

struct capture_ops {
	const char *name;
	/* Frames per second unless --fps says otherwise: an X screen costs
	 * nothing while it is still (frames follow damage); the test pattern
	 * changes every frame, so it gets a gentler rate. */
	unsigned fps_default;
	/* The picture changes with every grab (the test pattern): the frame
	 * clock runs without waiting for an event to say so. */
	bool changes_every_frame;
	/* NULL with why[] in words a host understands ("cannot open display
	 * :0: no X server or no permission", ...). */
	struct capture *(*open)(const struct capture_opts *o, char *why, size_t why_len);
	void (*close)(struct capture *c);
	int (*fd)(const struct capture *c);             /* -1: nothing to poll(2) */
	bool (*queued)(const struct capture *c);
	int (*poll)(struct capture *c, bool *screen_dirty, bool *cursor_dirty);
	int (*grab)(struct capture *c, struct image *img, uint8_t *hint, char *why,
	    size_t why_len);
	unsigned (*moves)(const struct capture *c, struct codec_move *moves);
	/* NULL: the back-end has no pointer to follow. */
	int (*cursor)(struct capture *c, int *x, int *y, bool *shape_changed,
	    struct capture_cursor *cur);
	void (*origin)(const struct capture *c, int *x, int *y);
	const char *(*method)(const struct capture *c);
	/* NULL, or a line for the host's window about how the desktop
	 * shares (the portal cannot remember the host's choice, ...). */
	const char *(*note)(const struct capture *c);
};

/*
 * The source for a host that gave no --source, from its desktop session:
 * XDG_SESSION_TYPE (else WAYLAND_DISPLAY) says X11 or Wayland; on Wayland
 * XDG_CURRENT_DESKTOP (else SWAYSOCK) says GNOME ("mutter"), a wlroots
 * compositor ("wlr") or another desktop ("portal": KDE Plasma and the
 * rest share through the desktop portal; X11 capture would show only
 * their X11 windows).
 */
const char *capture_default(void);
/* The back-end called name ("x11", "test-pattern"), or NULL. */
const struct capture_ops *capture_find(const char *name);
/* "x11|test-pattern|mutter|wlr|portal", for --help and errors. */
const char *capture_names(void);
/* Open the back-end called name; NULL with why[] (also for an unknown name). */
struct capture *capture_open(const char *name, const struct capture_opts *o, char *why,
    size_t why_len);
void capture_close(struct capture *c);     /* NULL is fine */
/* The fd to poll(2) together with the relay link; -1: none. */
int capture_fd(const struct capture *c);
/* Events already read from the fd and waiting (poll(2) would not see them). */
bool capture_queued(const struct capture *c);
/*
 * Handle pending events. Sets *screen_dirty when something may have
 * changed on screen since the last grab (damage, resize; always true
 * without XDamage, and always for the test pattern, which changes every
 * frame) or a safety sweep of one tile row is due, *cursor_dirty when the
 * cursor's shape or position changed. Returns 0, or ERR_CLOSED when the
 * display went away.
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
/* Whether every grab brings a new picture (no event says so first). */
bool capture_changes_every_frame(const struct capture *c);
/* Whether there is a pointer to follow (capture_cursor works). */
bool capture_has_pointer(const struct capture *c);
/* The cursor: position relative to the captured area (may be outside it)
 * and, when *shape_changed, the new shape in *cur. ERR_UNSUPPORTED when
 * the back-end has no pointer. */
int capture_cursor(struct capture *c, int *x, int *y, bool *shape_changed,
    struct capture_cursor *cur) WUR;
/* The captured area's origin on the screen (for input injection). */
void capture_origin(const struct capture *c, int *x, int *y);
/* What the back-end uses, for the log: "XShm+XDamage", "XGetImage", ... */
const char *capture_method(const struct capture *c);
/* What the host should read in its window about the sharing, or NULL. */
const char *capture_note(const struct capture *c);

/* The back-ends (capture_x11.c, capture_pattern.c, capture_screencast.c, capture_wlr.c). */
extern const struct capture_ops capture_x11_ops;
extern const struct capture_ops capture_pattern_ops;
extern const struct capture_ops capture_mutter_ops;     /* capture_screencast.c */
extern const struct capture_ops capture_portal_ops;     /* capture_screencast.c */
extern const struct capture_ops capture_wlr_ops;        /* capture_wlr.c */

#endif
