/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screencast_session.h - a Wayland desktop's screen cast with remote
 * input, as the desktop hands it out over D-Bus: a PipeWire node to read
 * the picture from, and calls that move the pointer and press keys.
 * Two back-ends make one:
 *   mutter_session.c   GNOME Mutter's own RemoteDesktop and ScreenCast
 *                      interfaces (no dialog: the session bus is the
 *                      permission);
 *   portal_session.c   the desktop portal's RemoteDesktop and ScreenCast
 *                      (xdg-desktop-portal: the desktop asks the user in
 *                      its own dialog; any desktop with a portal back-end).
 * capture_screencast.c reads the picture and inject_screencast.c sends
 * input through whichever the host chose; neither knows which.
 *
 * Each back-end has one session per process: the capture acquires it
 * first (that starts it), the input back-end acquires the same one, and
 * it stops when the last user releases it.
 */
#ifndef MASTER_SCREENCAST_SESSION_H
#define MASTER_SCREENCAST_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#include "err.h"

struct screencast_ops;

/* Every back-end's session starts with this. */
struct screencast_session {
	const struct screencast_ops *ops;
};

struct screencast_ops {
	const char *what;               /* "Mutter ScreenCast", for the log */
	void (*release)(struct screencast_session *ss);
	/* Whether a session the desktop closed while still running (Mutter
	 * does when the monitors change) is made anew by restart(): same
	 * handle, new node; ERR_CLOSED with why[] when that fails. */
	bool restarts;
	int (*restart)(struct screencast_session *ss, char *why, size_t why_len);
	/* The PipeWire node with the picture, and in *fd a new connection to
	 * PipeWire for it (-1: the user's own daemon, no special access);
	 * ERR_SYSTEM with why[] when the desktop gives none. */
	uint32_t (*node)(const struct screencast_session *ss);
	int (*pipewire_fd)(struct screencast_session *ss, int *fd, char *why, size_t why_len);
	/* The D-Bus connection's fd, to poll(2) for reading; and what arrived
	 * on it handled: ERR_CLOSED with why[] when the session ended. */
	int (*fd)(const struct screencast_session *ss);
	int (*process)(struct screencast_session *ss, char *why, size_t why_len);
	/* Whether the desktop lets this session send input (a portal without
	 * RemoteDesktop, or a user who granted no devices, does not). */
	bool (*takes_input)(const struct screencast_session *ss);
	/* Input, in the stream's own coordinates. 0, or ERR_SYSTEM when the
	 * call could not even be queued (it never waits for the answer). */
	int (*keysym)(struct screencast_session *ss, uint32_t keysym, bool pressed);
	int (*motion)(struct screencast_session *ss, double x, double y);
	/* button: a Linux evdev code (BTN_LEFT 0x110, ...). */
	int (*button)(struct screencast_session *ss, int32_t button, bool pressed);
	/* steps > 0 down (vertical) or right (horizontal), as Wayland counts. */
	int (*wheel)(struct screencast_session *ss, bool horizontal, int32_t steps);
	/* Where the stream's picture sits in the desktop's layout. */
	void (*origin)(const struct screencast_session *ss, int *x, int *y);
	/* A line for the host's window about how the desktop shares (the
	 * portal cannot remember the host's choice, ...), or NULL. */
	const char *(*note)(const struct screencast_session *ss);
};

/* What the host chose to share (--monitor, --window). */
struct screencast_want {
	int monitor;                    /* mutter: Mutter's monitor N, -1 the primary */
	bool window;                    /* portal: one window instead of a monitor */
};

/* The process's session of each back-end, made and started on first use
 * with what want says (NULL: the defaults; the capture acquires first,
 * the input back-end then gets the same session whatever it passes);
 * NULL with why[] in words a host understands. */
struct screencast_session *mutter_session_acquire(const struct screencast_want *want,
    char *why, size_t why_len);
struct screencast_session *portal_session_acquire(const struct screencast_want *want,
    char *why, size_t why_len);
/* The Mutter session's bus and its RemoteDesktop session's object path
 * ("" while none runs; a restart makes a new one), for the clipboard
 * that lives on the same session (clip_mutter.c). ss is Mutter's. */
sd_bus *mutter_session_bus(const struct screencast_session *ss);
const char *mutter_session_path(const struct screencast_session *ss);
/* Whether the portal's running session shares a window (no session:
 * false). */
bool portal_session_window(void);

#endif
