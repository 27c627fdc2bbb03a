/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mutter_session.h - a remote desktop session with GNOME Mutter over its
 * own D-Bus interfaces, as gnome-remote-desktop uses them: a
 * org.gnome.Mutter.RemoteDesktop session (input) with a linked
 * org.gnome.Mutter.ScreenCast session recording the primary monitor
 * (cursor as metadata), started together. No dialog asks the user: it
 * works only for a program inside the user's own session (the session
 * bus is the permission).
 *
 * Capture and input share the one session of the process: the first
 * mutter_session_acquire() makes it, each further one counts a user, and
 * mutter_session_release() stops it (Stop, then the bus is closed) when
 * the last user lets go. capture_mutter.c acquires it first; the input
 * back-end (inject_mutter.c) acquires the same one.
 *
 * Setting up waits for Mutter's replies (CAPTURE_DBUS_TIMEOUT_MS each).
 * Input afterwards is sent as calls that expect no reply: a busy
 * compositor never stalls the master's loop.
 */
#ifndef MASTER_MUTTER_SESSION_H
#define MASTER_MUTTER_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct mutter_session;

/* The process's session, made and started on first use; NULL with why[]
 * in words a host understands (no session bus, no Mutter, refused). */
struct mutter_session *mutter_session_acquire(char *why, size_t why_len);
void mutter_session_release(struct mutter_session *ms);        /* NULL is fine */
/*
 * Mutter closed the session while still running (it does so when the
 * monitors change: a new mode, a rotation): make a new one, the same
 * handle for every user, with a new node. ERR_CLOSED with why[] when
 * Mutter is gone or refuses.
 */
int mutter_session_restart(struct mutter_session *ms, char *why, size_t why_len) WUR;
/* The PipeWire node that carries the monitor's picture. */
uint32_t mutter_session_node(const struct mutter_session *ms);
/* The D-Bus connection's fd, to poll(2) for reading. */
int mutter_session_fd(const struct mutter_session *ms);
/*
 * Handle what arrived on the bus (and write what waits to be written).
 * ERR_CLOSED with why[] when Mutter closed the session (the user ended
 * sharing, Mutter went away).
 */
int mutter_session_process(struct mutter_session *ms, char *why, size_t why_len);

/* Input, in the recorded monitor's coordinates. 0, or ERR_SYSTEM when
 * the call could not even be queued. */
int mutter_session_keysym(struct mutter_session *ms, uint32_t keysym, bool pressed);
int mutter_session_motion(struct mutter_session *ms, double x, double y);
/* button: a Linux evdev code (BTN_LEFT 0x110, ...). */
int mutter_session_button(struct mutter_session *ms, int32_t button, bool pressed);
/* steps > 0 down (vertical) or right (horizontal), as Wayland counts them. */
int mutter_session_wheel(struct mutter_session *ms, bool horizontal, int32_t steps);

#endif
