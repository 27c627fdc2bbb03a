/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mutter_session.c - a remote desktop session with GNOME Mutter over its
 * own D-Bus interfaces (a screencast_session.h back-end), as
 * gnome-remote-desktop uses them: a org.gnome.Mutter.RemoteDesktop
 * session (input) with a linked org.gnome.Mutter.ScreenCast session
 * recording one monitor (cursor as metadata), started together: the
 * primary, or the one --monitor names (mutter_monitors.c finds its
 * connector).
 * No dialog asks the user: it works only for a program inside the user's
 * own session (the session bus is the permission).
 *
 * Over sd-bus: plain C, one fd for the master's own poll loop, no GLib
 * main loop. Setting up waits for Mutter's replies
 * (CAPTURE_DBUS_TIMEOUT_MS each); input afterwards goes as calls whose
 * answers are never waited for: a busy compositor never stalls the loop.
 *
 * Everything Mutter answers is read with typed getters (a reply of the
 * wrong signature is an error, not a crash); object paths and the session
 * id are copied into bounded buffers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "clock.h"
#include "err.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "mutter_monitors.h"
#include "screencast_session.h"
#include "session_bus.h"

#define RD_NAME "org.gnome.Mutter.RemoteDesktop"
#define RD_PATH "/org/gnome/Mutter/RemoteDesktop"
#define RD_SESSION RD_NAME ".Session"
#define SC_NAME "org.gnome.Mutter.ScreenCast"
#define SC_PATH "/org/gnome/Mutter/ScreenCast"
#define SC_SESSION SC_NAME ".Session"
#define SC_STREAM SC_NAME ".Stream"

enum {
	MUTTER_PATH_LEN = 256,          /* object paths Mutter hands out (longer: refused) */
	MUTTER_CURSOR_METADATA = 2,     /* RecordMonitor's cursor-mode: not painted in */
	MUTTER_PRIME_KEYSYM = 0xffe1,   /* Shift_L */
};

struct mutter_session {
	struct screencast_session base;         /* first: the callers see only this */
	unsigned users;
	struct session_bus sb;
	sd_bus_slot *added_slot, *closed_slot;
	char rd_path[MUTTER_PATH_LEN];          /* the RemoteDesktop session */
	char sc_path[MUTTER_PATH_LEN];          /* its ScreenCast session */
	char stream_path[MUTTER_PATH_LEN];      /* the monitor's stream */
	int monitor;                            /* --monitor N, -1: the primary */
	char connector[MUTTER_CONNECTOR_LEN];   /* its connector ("": the primary) */
	uint32_t node;
	bool have_node;
	bool started;
	bool closed;                            /* Mutter said Closed */
};

/* The one session of the process (screencast_session.h says why). */
static struct mutter_session *the_session;

static const struct screencast_ops mutter_ops;
static int mutter_keysym(struct screencast_session *ss, uint32_t keysym, bool pressed);

/* why[] from a failed call, in a host's words for the usual causes. */
static void
explain(const sd_bus_error *e, int r, const char *what, char *why, size_t why_len)
{
	const char *name = e != NULL && e->name != NULL ? e->name : "";
	const char *msg = e != NULL && e->message != NULL ? e->message : strerror(-r);

	if (strcmp(name, SD_BUS_ERROR_SERVICE_UNKNOWN) == 0 ||
	    strcmp(name, SD_BUS_ERROR_NAME_HAS_NO_OWNER) == 0)
		snprintf(why, why_len, "%s", _("GNOME Mutter does not answer on this session bus: "
		    "this is not a GNOME Wayland session (other desktops are not supported "
		    "yet)"));
	else if (strcmp(name, SD_BUS_ERROR_NO_REPLY) == 0 || r == -ETIMEDOUT)
		snprintf(why, why_len, _("GNOME Mutter did not answer (%s)"), what);
	else
		snprintf(why, why_len, _("GNOME Mutter refused to share the screen (%s: %s)"),
		    what, msg);
}

/* Copy an object path into dst; false when it does not fit. */
static bool
copy_path(char *dst, const char *src)
{
	size_t n = src != NULL ? strlen(src) : MUTTER_PATH_LEN;

	if (n == 0 || n >= MUTTER_PATH_LEN)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

static int
on_stream_added(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct mutter_session *ms = arg;
	uint32_t node;

	(void)ret_error;
	if (sd_bus_message_read(m, "u", &node) < 0) {
		log_warn("mutter: PipeWireStreamAdded without a node id");
		return 0;
	}
	ms->node = node;
	ms->have_node = true;
	log_debug("mutter: PipeWire node %u", node);
	return 0;
}

static int
on_closed(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct mutter_session *ms = arg;

	(void)m;
	(void)ret_error;
	ms->closed = true;
	log_info("mutter: the remote desktop session was closed");
	return 0;
}

/* A method call that returns one object path into dst. */
static int
call_for_path(struct mutter_session *ms, sd_bus_message *call, const char *what, char *dst,
    char *why, size_t why_len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *path = NULL;
	int r;

	r = sd_bus_call(ms->sb.bus, call, (uint64_t)CAPTURE_DBUS_TIMEOUT_MS * 1000, &e, &reply);
	if (r < 0) {
		explain(&e, r, what, why, why_len);
		sd_bus_error_free(&e);
		return ERR_SYSTEM;
	}
	r = sd_bus_message_read(reply, "o", &path);
	if (r < 0 || !copy_path(dst, path)) {
		snprintf(why, why_len, _("GNOME Mutter gave an unexpected answer to %s"), what);
		sd_bus_message_unref(reply);
		return ERR_SYSTEM;
	}
	sd_bus_message_unref(reply);
	return 0;
}

/* A RemoteDesktop session with its ScreenCast, started, with its node. */
static int
start_session(struct mutter_session *ms, char *why, size_t why_len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *call = NULL;
	char *session_id = NULL;
	int r;

	/* The monitor's connector first (a monitor that is not there makes
	 * no session), asked anew each start: the monitors may have changed
	 * since. */
	ms->connector[0] = '\0';
	if (ms->monitor >= 0 && mutter_monitor_connector(ms->sb.bus, (unsigned)ms->monitor,
	    ms->connector, sizeof(ms->connector), why, why_len) != 0)
		return ERR_SYSTEM;

	/* The RemoteDesktop session, and its id for the ScreenCast. */
	if ((r = sd_bus_message_new_method_call(ms->sb.bus, &call, RD_NAME, RD_PATH, RD_NAME,
	    "CreateSession")) < 0)
		goto oom;
	r = call_for_path(ms, call, "RemoteDesktop.CreateSession", ms->rd_path, why, why_len);
	call = sd_bus_message_unref(call);
	if (r != 0)
		return r;
	r = sd_bus_get_property_string(ms->sb.bus, RD_NAME, ms->rd_path, RD_SESSION, "SessionId",
	    &e, &session_id);
	if (r < 0 || session_id == NULL || strlen(session_id) >= MUTTER_PATH_LEN) {
		explain(&e, r, "RemoteDesktop SessionId", why, why_len);
		sd_bus_error_free(&e);
		free(session_id);
		return ERR_SYSTEM;
	}

	/* The linked ScreenCast session, recording that monitor ("": the
	 * primary). */
	r = sd_bus_message_new_method_call(ms->sb.bus, &call, SC_NAME, SC_PATH, SC_NAME,
	    "CreateSession");
	if (r >= 0)
		r = sd_bus_message_append(call, "a{sv}", 1, "remote-desktop-session-id", "s",
		    session_id);
	free(session_id);
	if (r < 0)
		goto oom;
	r = call_for_path(ms, call, "ScreenCast.CreateSession", ms->sc_path, why, why_len);
	call = sd_bus_message_unref(call);
	if (r != 0)
		return r;
	r = sd_bus_message_new_method_call(ms->sb.bus, &call, SC_NAME, ms->sc_path, SC_SESSION,
	    "RecordMonitor");
	if (r >= 0)
		r = sd_bus_message_append(call, "sa{sv}", ms->connector, 1, "cursor-mode", "u",
		    (uint32_t)MUTTER_CURSOR_METADATA);
	if (r < 0)
		goto oom;
	r = call_for_path(ms, call, "ScreenCast.RecordMonitor", ms->stream_path, why, why_len);
	call = sd_bus_message_unref(call);
	if (r != 0)
		return r;

	/* The node id comes as a signal once the session runs. */
	if (sd_bus_match_signal(ms->sb.bus, &ms->added_slot, SC_NAME, ms->stream_path, SC_STREAM,
	    "PipeWireStreamAdded", on_stream_added, ms) < 0 ||
	    sd_bus_match_signal(ms->sb.bus, &ms->closed_slot, RD_NAME, ms->rd_path, RD_SESSION,
	    "Closed", on_closed, ms) < 0)
		goto oom;
	r = sd_bus_call_method(ms->sb.bus, RD_NAME, ms->rd_path, RD_SESSION, "Start", &e, NULL, "");
	if (r < 0) {
		explain(&e, r, "RemoteDesktop.Start", why, why_len);
		sd_bus_error_free(&e);
		return ERR_SYSTEM;
	}
	ms->started = true;
	r = session_bus_wait(&ms->sb, &ms->have_node, &ms->closed,
	    mono_ms() + CAPTURE_DBUS_TIMEOUT_MS, why, why_len);
	if (r == ERR_SYSTEM)
		return r;
	if (r == ERR_TIMEOUT) {
		snprintf(why, why_len, "%s", _("GNOME Mutter started the screen cast but named no "
		    "PipeWire stream"));
		return ERR_SYSTEM;
	}
	if (r != 0) {
		snprintf(why, why_len, "%s", _("GNOME Mutter closed the remote desktop session "
		    "at once"));
		return ERR_SYSTEM;
	}
	log_info("mutter: remote desktop session %s, stream %s of monitor %s on PipeWire node %u",
	    ms->rd_path, ms->stream_path, ms->connector[0] != '\0' ? ms->connector : "(primary)",
	    ms->node);
	/* Mutter makes a session's virtual keyboard with its first key
	 * event, and that event does not reach the focused client (seen
	 * with mutter 43: the first letter a viewer typed was lost). A Shift
	 * tap now makes the keyboard before anyone types. */
	(void)mutter_keysym(&ms->base, MUTTER_PRIME_KEYSYM, true);
	(void)mutter_keysym(&ms->base, MUTTER_PRIME_KEYSYM, false);
	return 0;
oom:
	sd_bus_message_unref(call);
	snprintf(why, why_len, "%s", _("out of memory"));
	return ERR_SYSTEM;
}

static void
destroy(struct mutter_session *ms)
{
	/* Stop ends the screen cast too; no need to wait for the reply. */
	sd_bus_slot_unref(ms->added_slot);
	sd_bus_slot_unref(ms->closed_slot);
	session_bus_close(&ms->sb, RD_NAME, ms->rd_path, RD_SESSION,
	    ms->started && !ms->closed ? "Stop" : NULL);
	free(ms);
}

struct screencast_session *
mutter_session_acquire(const struct screencast_want *want, char *why, size_t why_len)
{
	struct mutter_session *ms;

	if (the_session != NULL) {
		the_session->users++;
		return &the_session->base;
	}
	if ((ms = calloc(1, sizeof(*ms))) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	ms->monitor = want != NULL ? want->monitor : -1;
	if (session_bus_open(&ms->sb, RD_NAME, "mutter", why, why_len) != 0 ||
	    start_session(ms, why, why_len) != 0) {
		destroy(ms);
		return NULL;
	}
	ms->base.ops = &mutter_ops;
	ms->users = 1;
	the_session = ms;
	return &ms->base;
}

static void
mutter_release(struct screencast_session *ss)
{
	struct mutter_session *ms = (struct mutter_session *)ss;

	BUG_ON(ms != the_session || ms->users == 0);
	if (--ms->users > 0)
		return;
	the_session = NULL;
	destroy(ms);
}

static int
mutter_restart(struct screencast_session *ss, char *why, size_t why_len)
{
	struct mutter_session *ms = (struct mutter_session *)ss;

	if (ms->sb.gone) {
		snprintf(why, why_len, "%s", _("GNOME Mutter left the session bus"));
		return ERR_CLOSED;
	}
	ms->added_slot = sd_bus_slot_unref(ms->added_slot);
	ms->closed_slot = sd_bus_slot_unref(ms->closed_slot);
	ms->started = ms->closed = ms->have_node = false;
	ms->rd_path[0] = ms->sc_path[0] = ms->stream_path[0] = '\0';
	if (start_session(ms, why, why_len) != 0) {
		ms->closed = true;
		return ERR_CLOSED;
	}
	return 0;
}

static uint32_t
mutter_node(const struct screencast_session *ss)
{
	return ((const struct mutter_session *)ss)->node;
}

/* The user's own PipeWire daemon serves Mutter's nodes. */
static int
mutter_pipewire_fd(struct screencast_session *ss, int *fd, char *why, size_t why_len)
{
	(void)ss;
	(void)why;
	(void)why_len;
	*fd = -1;
	return 0;
}

sd_bus *
mutter_session_bus(const struct screencast_session *ss)
{
	return ((const struct mutter_session *)ss)->sb.bus;
}

const char *
mutter_session_path(const struct screencast_session *ss)
{
	const struct mutter_session *ms = (const struct mutter_session *)ss;

	return ms->started && !ms->closed ? ms->rd_path : "";
}

static int
mutter_fd(const struct screencast_session *ss)
{
	return sd_bus_get_fd(((const struct mutter_session *)ss)->sb.bus);
}

static int
mutter_process(struct screencast_session *ss, char *why, size_t why_len)
{
	struct mutter_session *ms = (struct mutter_session *)ss;

	if (session_bus_process(&ms->sb, why, why_len) != 0)
		return ERR_CLOSED;
	if (ms->closed || ms->sb.gone) {
		snprintf(why, why_len, "%s", _("GNOME Mutter closed the remote desktop session"));
		return ERR_CLOSED;
	}
	return 0;
}

/* Send one input call on the RemoteDesktop session; the answer is never
 * waited for. */
static int
send_input(struct mutter_session *ms, const char *member, const char *types, ...)
{
	sd_bus_message *call = NULL;
	va_list ap;
	int r;

	if (ms->closed || ms->sb.gone)
		return ERR_CLOSED;
	r = sd_bus_message_new_method_call(ms->sb.bus, &call, RD_NAME, ms->rd_path, RD_SESSION,
	    member);
	if (r >= 0) {
		va_start(ap, types);
		r = sd_bus_message_appendv(call, types, ap);
		va_end(ap);
	}
	r = r < 0 ? ERR_SYSTEM : session_bus_send_input(&ms->sb, call, member);
	sd_bus_message_unref(call);
	return r;
}

static bool
mutter_takes_input(const struct screencast_session *ss)
{
	(void)ss;
	return true;
}

static int
mutter_keysym(struct screencast_session *ss, uint32_t keysym, bool pressed)
{
	return send_input((struct mutter_session *)ss, "NotifyKeyboardKeysym", "ub", keysym,
	    (int)pressed);
}

static int
mutter_motion(struct screencast_session *ss, double x, double y)
{
	struct mutter_session *ms = (struct mutter_session *)ss;

	return send_input(ms, "NotifyPointerMotionAbsolute", "sdd", ms->stream_path, x, y);
}

static int
mutter_button(struct screencast_session *ss, int32_t button, bool pressed)
{
	return send_input((struct mutter_session *)ss, "NotifyPointerButton", "ib", button,
	    (int)pressed);
}

static int
mutter_wheel(struct screencast_session *ss, bool horizontal, int32_t steps)
{
	return send_input((struct mutter_session *)ss, "NotifyPointerAxisDiscrete", "ui",
	    (uint32_t)horizontal, steps);
}

/* Input names the stream, and its coordinates are the stream's own
 * (whichever monitor it records): the origin of the layout. */
static void
mutter_origin(const struct screencast_session *ss, int *x, int *y)
{
	(void)ss;
	*x = *y = 0;
}

static const char *
mutter_note(const struct screencast_session *ss)
{
	(void)ss;
	return NULL;
}

static const struct screencast_ops mutter_ops = {
	.what = "Mutter ScreenCast",
	.release = mutter_release,
	.restarts = true,
	.restart = mutter_restart,
	.node = mutter_node,
	.pipewire_fd = mutter_pipewire_fd,
	.fd = mutter_fd,
	.process = mutter_process,
	.takes_input = mutter_takes_input,
	.keysym = mutter_keysym,
	.motion = mutter_motion,
	.button = mutter_button,
	.wheel = mutter_wheel,
	.origin = mutter_origin,
	.note = mutter_note,
};
