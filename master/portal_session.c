/* SPDX-License-Identifier: Apache-2.0 */
/*
 * portal_session.c - a screen cast with remote input through the desktop
 * portal (org.freedesktop.portal.ScreenCast and .RemoteDesktop, served by
 * xdg-desktop-portal and the desktop's own back-end: -gnome, -kde,
 * -wlr), a screencast_session.h back-end.
 *
 * The portal is the attended way in: Start shows the desktop's own
 * dialog, in which the host picks the monitor and allows (or refuses)
 * the sharing, on top of Fernsicht's own prompt for each viewer. Where
 * the portal has RemoteDesktop, one RemoteDesktop session asks for
 * keyboard and pointer and carries the screen cast; where it has only
 * ScreenCast (xdg-desktop-portal-wlr), the session is view-only and the
 * input back-end goes to the compositor directly (inject_screencast.c).
 *
 * Every call that needs the user answers through a Request object
 * (portal_request.c).
 *
 * Where the portal can remember the host's choice (persist_mode: the
 * ScreenCast interface from version 4 for a screen cast alone, the
 * RemoteDesktop interface from version 2 for a remote desktop session),
 * the restore token it hands back is kept (portal_token.c) and offered
 * next time, so the desktop need not ask again until the host revokes
 * it. Where it cannot, the host's window says so.
 *
 * Everything the portal answers is read with typed getters into bounded
 * buffers: a wrong type or an oversized path is an error, not a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "err.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "portal_request.h"
#include "portal_token.h"
#include "screencast_session.h"
#include "session_bus.h"

enum {
	/* The portal's bit masks. */
	PORTAL_SOURCE_MONITOR = 1,
	PORTAL_SOURCE_WINDOW = 2,
	PORTAL_CURSOR_HIDDEN = 1,
	PORTAL_CURSOR_EMBEDDED = 2,
	PORTAL_CURSOR_METADATA = 4,
	PORTAL_DEVICE_KEYBOARD = 1,
	PORTAL_DEVICE_POINTER = 2,
	PORTAL_PERSIST_UNTIL_REVOKED = 2,
	PORTAL_PRIME_KEYSYM = 0xffe1,   /* Shift_L */
	/* The versions that take persist_mode. */
	PORTAL_SC_PERSIST_VERSION = 4,
	PORTAL_RD_PERSIST_VERSION = 2,
};

struct portal_session {
	struct screencast_session base;         /* first: the callers see only this */
	unsigned users;
	struct session_bus sb;
	sd_bus_slot *closed_slot;
	char session[PORTAL_PATH_LEN];          /* the portal's session handle */
	uint32_t sc_version, rd_version;
	bool window;                            /* one window, not a monitor (--window) */
	bool remote_desktop;                    /* a RemoteDesktop session (input) */
	uint32_t devices;                       /* what the host granted */
	uint32_t node;
	int32_t x, y;                           /* the stream's place in the layout */
	bool persist;                           /* the portal can remember the choice */
	uint32_t cursor;                        /* the cursor mode asked for */
	bool closed;                            /* the portal said Closed */
	bool prime_release;                     /* one more Shift release is due */
	struct portal_request rq;               /* the one being waited for */
	char note[320];
};

static const struct screencast_ops portal_ops;
static int portal_keysym(struct screencast_session *ss, uint32_t keysym, bool pressed);

/* The one session of the process (screencast_session.h says why). */
static struct portal_session *the_session;

static bool
copy_path(char *dst, const char *src)
{
	size_t n = src != NULL ? strlen(src) : PORTAL_PATH_LEN;

	if (n == 0 || n >= PORTAL_PATH_LEN)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* ---- reading results ---- */

/* CreateSession's results: session_handle (a string; some portals send an
 * object path). */
static int
session_result(void *arg, sd_bus_message *m, const char *key)
{
	struct portal_session *ps = arg;
	const char *path = NULL, *contents = NULL;
	char type;
	int r;

	if (strcmp(key, "session_handle") != 0)
		return sd_bus_message_skip(m, "v");
	if ((r = sd_bus_message_peek_type(m, &type, &contents)) < 0)
		return r;
	if (contents == NULL || (strcmp(contents, "s") != 0 && strcmp(contents, "o") != 0))
		return -EBADMSG;
	if ((r = sd_bus_message_read(m, "v", contents, &path)) < 0)
		return r;
	return copy_path(ps->session, path) ? 0 : -EBADMSG;
}

/* One stream's properties: position (ii); the rest is not needed. */
static int
stream_prop(void *arg, sd_bus_message *m, const char *key)
{
	struct portal_session *ps = arg;

	if (strcmp(key, "position") == 0) {
		int r = sd_bus_message_enter_container(m, 'v', "(ii)");

		if (r < 0 || (r = sd_bus_message_read(m, "(ii)", &ps->x, &ps->y)) < 0)
			return r;
		return sd_bus_message_exit_container(m);
	}
	return sd_bus_message_skip(m, "v");
}

/* Start's results: streams a(ua{sv}) (the first one is shared: the
 * dialog asked for one monitor), devices u, restore_token s. */
static int
start_result(void *arg, sd_bus_message *m, const char *key)
{
	struct portal_session *ps = arg;
	const char *token = NULL;
	bool have = false;
	int r;

	if (strcmp(key, "devices") == 0)
		return sd_bus_message_read(m, "v", "u", &ps->devices);
	if (strcmp(key, "restore_token") == 0) {
		if ((r = sd_bus_message_read(m, "v", "s", &token)) < 0)
			return r;
		if (ps->persist && token != NULL && strlen(token) < PORTAL_TOKEN_LEN)
			portal_token_save(ps->window, token);
		return 0;
	}
	if (strcmp(key, "streams") != 0)
		return sd_bus_message_skip(m, "v");
	if ((r = sd_bus_message_enter_container(m, 'v', "a(ua{sv})")) < 0 ||
	    (r = sd_bus_message_enter_container(m, 'a', "(ua{sv})")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'r', "ua{sv}")) > 0) {
		uint32_t node;

		if ((r = sd_bus_message_read(m, "u", &node)) < 0)
			return r;
		if (!have) {
			ps->node = node;
			have = true;
			r = portal_results_each(m, stream_prop, ps);
		} else {
			r = sd_bus_message_skip(m, "a{sv}");
		}
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 ||
	    (r = sd_bus_message_exit_container(m)) < 0)
		return r;
	return have ? 0 : -ENOENT;
}

/* ---- the session ---- */

static int
on_closed(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct portal_session *ps = arg;

	(void)m;
	(void)ret_error;
	ps->closed = true;
	log_info("portal: the desktop closed the screen sharing session");
	return 0;
}

/* An interface's version and one of its u properties; 0 when absent. */
static uint32_t
property_u(struct portal_session *ps, const char *iface, const char *prop, sd_bus_error *e)
{
	uint32_t v = 0;

	if (sd_bus_get_property_trivial(ps->sb.bus, PORTAL_NAME, PORTAL_PATH, iface, prop, e, 'u',
	    &v) < 0)
		return 0;
	return v;
}

/* What the portal offers: ScreenCast must be there; RemoteDesktop with
 * keyboard or pointer makes a session with input. */
static int
probe(struct portal_session *ps, uint32_t *cursor_modes, char *why, size_t why_len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	uint32_t sources, devices;

	ps->sc_version = property_u(ps, PORTAL_SC, "version", &e);
	if (ps->sc_version == 0) {
		/* A portal without the interface answers InvalidArgs ("No such
		 * interface") to the property: only a missing portal or
		 * silence say something else. */
		if (e.name != NULL && strcmp(e.name, SD_BUS_ERROR_INVALID_ARGS) == 0) {
			sd_bus_error_free(&e);
			sd_bus_error_set_const(&e, SD_BUS_ERROR_UNKNOWN_INTERFACE, NULL);
		}
		portal_explain(&e, -ENOENT, "ScreenCast", why, why_len);
		sd_bus_error_free(&e);
		return ERR_SYSTEM;
	}
	sources = property_u(ps, PORTAL_SC, "AvailableSourceTypes", NULL);
	if (!ps->window && !(sources & PORTAL_SOURCE_MONITOR)) {
		snprintf(why, why_len, "%s", _("the desktop portal cannot share a monitor here "
		    "(its ScreenCast offers no monitor)"));
		return ERR_SYSTEM;
	}
	if (ps->window && !(sources & PORTAL_SOURCE_WINDOW)) {
		snprintf(why, why_len, "%s", _("the desktop portal cannot share a window here "
		    "(its ScreenCast offers monitors only): leave out --window"));
		return ERR_SYSTEM;
	}
	*cursor_modes = ps->sc_version >= 2 ?
	    property_u(ps, PORTAL_SC, "AvailableCursorModes", NULL) : 0;
	ps->rd_version = property_u(ps, PORTAL_RD, "version", NULL);
	devices = ps->rd_version > 0 ? property_u(ps, PORTAL_RD, "AvailableDeviceTypes", NULL) :
	    0;
	/* A window too goes in a remote desktop session: GNOME's dialog then
	 * asks for a window and whether to allow input, and Mutter takes
	 * pointer positions in the window's own coordinates
	 * (docs/decisions.md). */
	ps->remote_desktop = (devices & (PORTAL_DEVICE_KEYBOARD | PORTAL_DEVICE_POINTER)) != 0;
	ps->persist = ps->remote_desktop ? ps->rd_version >= PORTAL_RD_PERSIST_VERSION :
	    ps->sc_version >= PORTAL_SC_PERSIST_VERSION;
	log_info("portal: ScreenCast version %u, RemoteDesktop version %u%s%s", ps->sc_version,
	    ps->rd_version, ps->remote_desktop ? ", with input" : ", view only",
	    ps->persist ? ", remembers the choice" : "");
	return 0;
}

/*
 * Call member of iface on the portal as a request and wait for its answer
 * (portal_request_run). The options: handle_token, key's string value
 * when key is not NULL (CreateSession's session_handle_token), and what
 * SelectDevices and SelectSources ask for; restore (not NULL: this call
 * is where the choice is remembered) adds persist_mode, and the kept
 * token when there is one.
 */
static int
ask(struct portal_session *ps, const char *iface, const char *member, const char *restore,
    uint64_t timeout_ms, char *why, size_t why_len, const char *key, const char *value)
{
	char token[PORTAL_HANDLE_TOKEN_LEN];
	sd_bus_message *call = NULL;
	bool devices = strcmp(member, "SelectDevices") == 0;
	bool sources = strcmp(member, "SelectSources") == 0;
	int r;

	portal_request_token(&ps->rq, token, sizeof(token));
	r = portal_request_call(&ps->sb, &call, iface, member);
	if (r >= 0 && strcmp(member, "CreateSession") != 0)
		r = sd_bus_message_append(call, "o", ps->session);
	if (r >= 0 && strcmp(member, "Start") == 0)
		r = sd_bus_message_append(call, "s", "");       /* no parent window */
	if (r >= 0)
		r = portal_request_options(call, token);
	if (r >= 0 && key != NULL)
		r = sd_bus_message_append(call, "{sv}", key, "s", value);
	if (r >= 0 && devices)
		r = sd_bus_message_append(call, "{sv}", "types", "u",
		    (uint32_t)(PORTAL_DEVICE_KEYBOARD | PORTAL_DEVICE_POINTER));
	if (r >= 0 && sources)
		r = sd_bus_message_append(call, "{sv}{sv}{sv}", "types", "u",
		    (uint32_t)(ps->window ? PORTAL_SOURCE_WINDOW : PORTAL_SOURCE_MONITOR),
		    "multiple", "b", 0, "cursor_mode", "u",
		    ps->cursor);
	if (r >= 0 && restore != NULL && ps->persist)
		r = sd_bus_message_append(call, "{sv}", "persist_mode", "u",
		    (uint32_t)PORTAL_PERSIST_UNTIL_REVOKED);
	if (r >= 0 && restore != NULL && ps->persist && restore[0] != '\0')
		r = sd_bus_message_append(call, "{sv}", "restore_token", "s", restore);
	if (r >= 0)
		r = sd_bus_message_close_container(call);
	if (r < 0) {
		sd_bus_message_unref(call);
		snprintf(why, why_len, "%s", _("out of memory"));
		return ERR_SYSTEM;
	}
	r = portal_request_run(&ps->sb, &ps->rq, &ps->closed, call, token, member, timeout_ms,
	    why, why_len);
	sd_bus_message_unref(call);
	return r;
}

/* CreateSession, SelectDevices (with input), SelectSources, Start. */
static int
start_session(struct portal_session *ps, char *why, size_t why_len)
{
	const char *iface;
	char session_token[PORTAL_HANDLE_TOKEN_LEN], restore[PORTAL_TOKEN_LEN];
	uint32_t cursor_modes = 0;
	int r;

	if ((r = probe(ps, &cursor_modes, why, why_len)) != 0)
		return r;
	/* A remote desktop session where the portal has one (it carries the
	 * screen cast too), else a screen cast alone. */
	iface = ps->remote_desktop ? PORTAL_RD : PORTAL_SC;
	ps->cursor = cursor_modes & PORTAL_CURSOR_METADATA ? PORTAL_CURSOR_METADATA :
	    cursor_modes & PORTAL_CURSOR_EMBEDDED ? PORTAL_CURSOR_EMBEDDED : PORTAL_CURSOR_HIDDEN;
	restore[0] = '\0';
	if (ps->persist)
		portal_token_load(ps->window, restore, sizeof(restore));

	/* The session. */
	if ((r = ask(ps, iface, "CreateSession", NULL, CAPTURE_DBUS_TIMEOUT_MS, why, why_len,
	    "session_handle_token", portal_request_token(&ps->rq, session_token,
	    sizeof(session_token)))) != 0)
		return r;
	if (portal_results_each(ps->rq.results, session_result, ps) < 0 || ps->session[0] == '\0') {
		snprintf(why, why_len, "%s", _("the desktop portal made a session without a "
		    "handle"));
		return ERR_SYSTEM;
	}
	if (sd_bus_match_signal(ps->sb.bus, &ps->closed_slot, PORTAL_NAME, ps->session,
	    PORTAL_SESSION, "Closed", on_closed, ps) < 0) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return ERR_SYSTEM;
	}
	/* Keyboard and pointer, remembered with the token where the
	 * RemoteDesktop interface can; one monitor, the cursor as metadata
	 * where the portal can, remembered here for a screen cast alone. */
	if (ps->remote_desktop && (r = ask(ps, PORTAL_RD, "SelectDevices", restore,
	    CAPTURE_DBUS_TIMEOUT_MS, why, why_len, NULL, NULL)) != 0)
		return r;
	if ((r = ask(ps, PORTAL_SC, "SelectSources", ps->remote_desktop ? NULL : restore,
	    CAPTURE_DBUS_TIMEOUT_MS, why, why_len, NULL, NULL)) != 0)
		return r;

	/* Start: the desktop's dialog, answered by the host. */
	log_info("portal: asking the desktop to share %s%s", ps->window ? "a window" :
	    "the screen", restore[0] != '\0' ?
	    " (with the choice the host let it remember)" : " (the desktop shows its dialog)");
	if ((r = ask(ps, iface, "Start", NULL, CAPTURE_PORTAL_DIALOG_MS, why, why_len, NULL,
	    NULL)) != 0) {
		/* A refusal or a broken token: the next start asks anew. */
		if (restore[0] != '\0')
			portal_token_save(ps->window, "");
		return r;
	}
	if ((r = portal_results_each(ps->rq.results, start_result, ps)) < 0) {
		snprintf(why, why_len, r == -ENOENT ? _("the desktop portal started no stream") :
		    _("the desktop portal gave an unexpected answer to Start"));
		return ERR_SYSTEM;
	}
	if (ps->remote_desktop && !(ps->devices & (PORTAL_DEVICE_KEYBOARD |
	    PORTAL_DEVICE_POINTER)))
		log_warn("portal: the host allowed no keyboard or pointer: viewers can only watch");
	/* On GNOME the portal's keyboard is Mutter's, which loses the
	 * first key event of a session (mutter_session.c says more): a
	 * Shift tap now, before anyone types. Through the portal the
	 * release can be lost instead (seen with xdg-desktop-portal-gnome
	 * 43: Shift stayed down), so the first real key is preceded by
	 * one more release. */
	if (ps->remote_desktop && (ps->devices & PORTAL_DEVICE_KEYBOARD)) {
		(void)portal_keysym(&ps->base, PORTAL_PRIME_KEYSYM, true);
		(void)portal_keysym(&ps->base, PORTAL_PRIME_KEYSYM, false);
		ps->prime_release = true;
	}
	if (!ps->persist)
		snprintf(ps->note, sizeof(ps->note), "%s", _("The desktop asks each time "
		    "Fernsicht shares the screen: its portal cannot remember the choice."));
	log_info("portal: session %s, PipeWire node %u at %d,%d, devices %u", ps->session,
	    ps->node, ps->x, ps->y, ps->devices);
	return 0;
}

static void
destroy(struct portal_session *ps)
{
	/* Closing the session ends the screen cast and the input. */
	portal_request_free(&ps->rq);
	sd_bus_slot_unref(ps->closed_slot);
	session_bus_close(&ps->sb, PORTAL_NAME, ps->session, PORTAL_SESSION,
	    ps->session[0] != '\0' && !ps->closed ? "Close" : NULL);
	free(ps);
}

struct screencast_session *
portal_session_acquire(const struct screencast_want *want, char *why, size_t why_len)
{
	struct portal_session *ps;

	if (the_session != NULL) {
		the_session->users++;
		return &the_session->base;
	}
	if ((ps = calloc(1, sizeof(*ps))) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	ps->window = want != NULL && want->window;
	if (session_bus_open(&ps->sb, PORTAL_NAME, "portal", why, why_len) != 0 ||
	    start_session(ps, why, why_len) != 0) {
		destroy(ps);
		return NULL;
	}
	ps->base.ops = &portal_ops;
	ps->users = 1;
	the_session = ps;
	return &ps->base;
}

bool
portal_session_window(void)
{
	return the_session != NULL && the_session->window;
}

static void
portal_release(struct screencast_session *ss)
{
	struct portal_session *ps = (struct portal_session *)ss;

	BUG_ON(ps != the_session || ps->users == 0);
	if (--ps->users > 0)
		return;
	the_session = NULL;
	destroy(ps);
}

static uint32_t
portal_node(const struct screencast_session *ss)
{
	return ((const struct portal_session *)ss)->node;
}

/* The portal's own connection to PipeWire: the only one through which
 * this session's node is visible. */
static int
portal_pipewire_fd(struct screencast_session *ss, int *fd, char *why, size_t why_len)
{
	struct portal_session *ps = (struct portal_session *)ss;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int got = -1, r;

	r = sd_bus_call_method(ps->sb.bus, PORTAL_NAME, PORTAL_PATH, PORTAL_SC,
	    "OpenPipeWireRemote", &e, &reply, "oa{sv}", ps->session, 0);
	if (r < 0) {
		portal_explain(&e, r, "OpenPipeWireRemote", why, why_len);
		sd_bus_error_free(&e);
		return ERR_SYSTEM;
	}
	/* The fd belongs to the reply: a copy of our own outlives it. */
	if (sd_bus_message_read(reply, "h", &got) < 0 ||
	    (*fd = fcntl(got, F_DUPFD_CLOEXEC, 3)) < 0) {
		snprintf(why, why_len, _("the desktop portal gave an unexpected answer to %s"),
		    "OpenPipeWireRemote");
		sd_bus_message_unref(reply);
		return ERR_SYSTEM;
	}
	sd_bus_message_unref(reply);
	return 0;
}

static int
portal_fd(const struct screencast_session *ss)
{
	return sd_bus_get_fd(((const struct portal_session *)ss)->sb.bus);
}

static int
portal_process(struct screencast_session *ss, char *why, size_t why_len)
{
	struct portal_session *ps = (struct portal_session *)ss;

	if (session_bus_process(&ps->sb, why, why_len) != 0)
		return ERR_CLOSED;
	if (ps->closed || ps->sb.gone) {
		snprintf(why, why_len, "%s", _("the desktop ended the screen sharing"));
		return ERR_CLOSED;
	}
	return 0;
}

static bool
portal_takes_input(const struct screencast_session *ss)
{
	const struct portal_session *ps = (const struct portal_session *)ss;

	return ps->remote_desktop &&
	    (ps->devices & (PORTAL_DEVICE_KEYBOARD | PORTAL_DEVICE_POINTER)) != 0;
}

/* One input call on the session (its options empty); the answer is
 * never waited for. */
static int
send_input(struct portal_session *ps, const char *member, const char *types, ...)
{
	sd_bus_message *call = NULL;
	va_list ap;
	int r;

	if (ps->closed || ps->sb.gone)
		return ERR_CLOSED;
	r = portal_request_call(&ps->sb, &call, PORTAL_RD, member);
	if (r >= 0)
		r = sd_bus_message_append(call, "oa{sv}", ps->session, 0);
	if (r >= 0) {
		va_start(ap, types);
		r = sd_bus_message_appendv(call, types, ap);
		va_end(ap);
	}
	r = r < 0 ? ERR_SYSTEM : session_bus_send_input(&ps->sb, call, member);
	sd_bus_message_unref(call);
	return r;
}

static int
portal_keysym(struct screencast_session *ss, uint32_t keysym, bool pressed)
{
	struct portal_session *ps = (struct portal_session *)ss;

	if (ps->prime_release && keysym != PORTAL_PRIME_KEYSYM) {
		ps->prime_release = false;
		(void)send_input(ps, "NotifyKeyboardKeysym", "iu", (int32_t)PORTAL_PRIME_KEYSYM,
		    (uint32_t)false);
	}
	return send_input(ps, "NotifyKeyboardKeysym", "iu", (int32_t)keysym, (uint32_t)pressed);
}

static int
portal_motion(struct screencast_session *ss, double x, double y)
{
	struct portal_session *ps = (struct portal_session *)ss;

	return send_input(ps, "NotifyPointerMotionAbsolute", "udd", ps->node, x, y);
}

static int
portal_button(struct screencast_session *ss, int32_t button, bool pressed)
{
	return send_input((struct portal_session *)ss, "NotifyPointerButton", "iu", button,
	    (uint32_t)pressed);
}

static int
portal_wheel(struct screencast_session *ss, bool horizontal, int32_t steps)
{
	return send_input((struct portal_session *)ss, "NotifyPointerAxisDiscrete", "ui",
	    (uint32_t)horizontal, steps);
}

static void
portal_origin(const struct screencast_session *ss, int *x, int *y)
{
	const struct portal_session *ps = (const struct portal_session *)ss;

	*x = ps->x;
	*y = ps->y;
}

static const char *
portal_note(const struct screencast_session *ss)
{
	const struct portal_session *ps = (const struct portal_session *)ss;

	return ps->note[0] != '\0' ? ps->note : NULL;
}

static const struct screencast_ops portal_ops = {
	.what = "ScreenCast portal",
	.release = portal_release,
	/*
	 * Not started again by itself: a portal session ends when the host
	 * stopped the sharing in the desktop (or the monitors changed, which
	 * the portal does not tell apart), and a restore token would bring
	 * the screen back against that wish. The master ends the session;
	 * starting it again is the host's choice.
	 */
	.restarts = false,
	.restart = NULL,
	.node = portal_node,
	.pipewire_fd = portal_pipewire_fd,
	.fd = portal_fd,
	.process = portal_process,
	.takes_input = portal_takes_input,
	.keysym = portal_keysym,
	.motion = portal_motion,
	.button = portal_button,
	.wheel = portal_wheel,
	.origin = portal_origin,
	.note = portal_note,
};
