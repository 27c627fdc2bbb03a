/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session_bus.h - the user's D-Bus session bus as the screen-cast
 * back-ends use it (mutter_session.c, portal_session.c): one sd-bus
 * connection, a watch on the service leaving the bus, waiting for a
 * condition with a deadline while setting up, and input calls whose
 * answers are never waited for.
 *
 * sd-bus (libsystemd) rather than GDBus or libdbus: plain C, one fd for
 * the master's own poll loop, no GLib main loop.
 */
#ifndef MASTER_SESSION_BUS_H
#define MASTER_SESSION_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#include "err.h"

struct session_bus {
	sd_bus *bus;
	sd_bus_slot *owner_slot;
	const char *log_name;           /* "mutter", "portal": the log's prefix */
	bool gone;                      /* the watched service left the bus */
};

/* Connect, with method calls timing out after CAPTURE_DBUS_TIMEOUT_MS,
 * and watch service (a well-known name) leave the bus. ERR_SYSTEM with
 * why[] in a host's words. */
int session_bus_open(struct session_bus *sb, const char *service, const char *log_name,
    char *why, size_t why_len) WUR;
/* Send a call that takes no answer (path's close_member on iface:
 * ending the service's session), unless close_member is NULL; then
 * close. Fine on a bus never opened. */
void session_bus_close(struct session_bus *sb, const char *service, const char *path,
    const char *iface, const char *close_member);
/*
 * Handle what arrived until *done or *closed, or deadline_ms (mono_ms())
 * passes: 0 when *done, ERR_TIMEOUT at the deadline, ERR_CLOSED when
 * *closed or the service left, ERR_SYSTEM with why[] when the bus is lost.
 */
int session_bus_wait(struct session_bus *sb, const bool *done, const bool *closed,
    uint64_t deadline_ms, char *why, size_t why_len) WUR;
/* Handle everything that arrived: ERR_CLOSED with why[] when the bus is
 * lost. */
int session_bus_process(struct session_bus *sb, char *why, size_t why_len) WUR;
/* Send call and never wait for its answer; a refusal is logged
 * (rate-limited: a moving pointer makes many). ERR_SYSTEM when it could
 * not even be queued. */
int session_bus_send_input(struct session_bus *sb, sd_bus_message *call, const char *member);

#endif
