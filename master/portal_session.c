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
 * Every portal call that needs the user answers through a Request object:
 * the call returns its path at once, the answer comes later as its
 * Response signal (0 allowed, 1 the user said no, 2 something else went
 * wrong). The match for that signal is added before the call, on the
 * path the portal will use (made from our unique bus name and a token of
 * ours), so an answer cannot come before we listen.
 *
 * Where the portal can remember the host's choice (persist_mode: the
 * ScreenCast interface from version 4 for a screen cast alone, the
 * RemoteDesktop interface from version 2 for a remote desktop session),
 * the restore token it hands back is kept in the user's settings folder
 * (portal-restore-token, 0600) and offered next time, so the desktop
 * need not ask again until the host revokes it. Where it cannot, the
 * host's window says so.
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
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "clock.h"
#include "env.h"
#include "err.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "screencast_session.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_SC "org.freedesktop.portal.ScreenCast"
#define PORTAL_RD "org.freedesktop.portal.RemoteDesktop"
#define PORTAL_REQUEST "org.freedesktop.portal.Request"
#define PORTAL_SESSION "org.freedesktop.portal.Session"
#define PORTAL_TOKEN_FILE "portal-restore-token"

enum {
	PORTAL_PATH_LEN = 256,          /* object paths the portal hands out */
	PORTAL_TOKEN_LEN = 128,         /* restore tokens (UUIDs in practice) */
	/* The portal's bit masks. */
	PORTAL_SOURCE_MONITOR = 1,
	PORTAL_CURSOR_HIDDEN = 1,
	PORTAL_CURSOR_EMBEDDED = 2,
	PORTAL_CURSOR_METADATA = 4,
	PORTAL_DEVICE_KEYBOARD = 1,
	PORTAL_DEVICE_POINTER = 2,
	PORTAL_PERSIST_UNTIL_REVOKED = 2,
	/* Response codes. */
	PORTAL_RESPONSE_OK = 0,
	PORTAL_RESPONSE_CANCELLED = 1,
	/* The versions that take persist_mode. */
	PORTAL_SC_PERSIST_VERSION = 4,
	PORTAL_RD_PERSIST_VERSION = 2,
};

struct portal_session {
	struct screencast_session base;         /* first: the callers see only this */
	unsigned users;
	sd_bus *bus;
	sd_bus_slot *closed_slot, *owner_slot;
	char session[PORTAL_PATH_LEN];          /* the portal's session handle */
	uint32_t sc_version, rd_version;
	bool remote_desktop;                    /* a RemoteDesktop session (input) */
	uint32_t devices;                       /* what the host granted */
	uint32_t node;
	int32_t x, y;                           /* the stream's place in the layout */
	bool persist;                           /* the portal can remember the choice */
	bool started;
	bool closed;                            /* the portal said Closed, or left */
	unsigned requests;                      /* handle tokens made so far */
	char note[320];
	/* The Request being waited for. */
	bool answered;
	uint32_t response;
	sd_bus_message *results;
};

static const struct screencast_ops portal_ops;

/* The one session of the process (screencast_session.h says why). */
static struct portal_session *the_session;

/* why[] from a failed call, in a host's words for the usual causes. */
static void
explain(const sd_bus_error *e, int r, const char *what, char *why, size_t why_len)
{
	const char *name = e != NULL && e->name != NULL ? e->name : "";
	const char *msg = e != NULL && e->message != NULL ? e->message : strerror(-r);

	if (strcmp(name, SD_BUS_ERROR_SERVICE_UNKNOWN) == 0 ||
	    strcmp(name, SD_BUS_ERROR_NAME_HAS_NO_OWNER) == 0)
		snprintf(why, why_len, "%s", _("no desktop portal answers on this session bus "
		    "(install xdg-desktop-portal and the portal of this desktop: "
		    "xdg-desktop-portal-gnome, -kde or -wlr)"));
	else if (strcmp(name, SD_BUS_ERROR_UNKNOWN_INTERFACE) == 0 ||
	    strcmp(name, SD_BUS_ERROR_UNKNOWN_PROPERTY) == 0 ||
	    strcmp(name, SD_BUS_ERROR_UNKNOWN_METHOD) == 0)
		snprintf(why, why_len, _("the desktop portal cannot share the screen here (%s): "
		    "install the portal of this desktop (xdg-desktop-portal-gnome, -kde or "
		    "-wlr)"), what);
	else if (strcmp(name, SD_BUS_ERROR_NO_REPLY) == 0 || r == -ETIMEDOUT)
		snprintf(why, why_len, _("the desktop portal did not answer (%s)"), what);
	else
		snprintf(why, why_len, _("the desktop portal refused to share the screen (%s: %s)"),
		    what, msg);
}

static bool
copy_path(char *dst, const char *src)
{
	size_t n = src != NULL ? strlen(src) : PORTAL_PATH_LEN;

	if (n == 0 || n >= PORTAL_PATH_LEN)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* ---- the restore token ---- */

/* The kept token, or "" when there is none (or it looks wrong). */
static void
token_load(char *token, size_t len)
{
	char path[1024], buf[PORTAL_TOKEN_LEN + 2];
	ssize_t n;
	int fd;

	token[0] = '\0';
	if (!env_config_path(PORTAL_TOKEN_FILE, path, sizeof(path)) ||
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	for (const char *p = buf; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~')
			return;         /* not a token the portal made: ignored */
	if (strlen(buf) >= len || strlen(buf) >= PORTAL_TOKEN_LEN)
		return;
	memcpy(token, buf, strlen(buf) + 1);
}

/* Keep token for next time (written aside, then renamed: a crash leaves
 * the old one or the new one, never half). "" removes the file. */
static void
token_save(const char *token)
{
	char path[1024], tmp[1100];
	int fd, r;

	if (!env_config_path(PORTAL_TOKEN_FILE, path, sizeof(path)))
		return;
	if (token[0] == '\0') {
		(void)unlink(path);
		return;
	}
	if ((r = env_make_parents(path)) != 0) {
		log_warn("portal: cannot keep the restore token: %s", strerror(-r));
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1 || dprintf(fd, "%s\n", token) < 0 || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		log_warn("portal: cannot keep the restore token in %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			(void)unlink(tmp);
		return;
	}
	log_debug("portal: restore token kept in %s", path);
}

/* ---- requests ---- */

static int
on_response(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct portal_session *ps = arg;
	uint32_t response;

	(void)ret_error;
	if (ps->answered)
		return 0;
	if (sd_bus_message_read(m, "u", &response) < 0) {
		log_warn("portal: a Response without a code");
		response = UINT32_MAX;
	}
	ps->response = response;
	ps->results = sd_bus_message_ref(m);
	ps->answered = true;
	return 0;
}

/*
 * Send call (its options carry handle_token token), and wait for its
 * Response at most timeout_ms: PORTAL_RESPONSE_OK with ps->results
 * positioned at the results' a{sv}, else ERR_* with why[].
 */
static int
request(struct portal_session *ps, sd_bus_message *call, const char *token, const char *what,
    uint64_t timeout_ms, char *why, size_t why_len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	sd_bus_slot *slot = NULL, *slot2 = NULL;
	const char *unique = NULL, *handle = NULL;
	char path[PORTAL_PATH_LEN], sender[PORTAL_PATH_LEN];
	uint64_t deadline;
	size_t i;
	int r;

	ps->answered = false;
	ps->results = sd_bus_message_unref(ps->results);
	/* The Request's path: our unique name without ':' and with '_' for
	 * '.', then the token (the portal's documented rule). */
	if (sd_bus_get_unique_name(ps->bus, &unique) < 0 || unique == NULL ||
	    strlen(unique) >= sizeof(sender)) {
		snprintf(why, why_len, "%s", _("no name on the D-Bus session bus"));
		return ERR_SYSTEM;
	}
	for (i = 0; unique[i + 1] != '\0'; i++)
		sender[i] = unique[i + 1] == '.' ? '_' : unique[i + 1];
	sender[i] = '\0';
	if (snprintf(path, sizeof(path), PORTAL_PATH "/request/%s/%s", sender, token) >=
	    (int)sizeof(path) ||
	    sd_bus_match_signal(ps->bus, &slot, PORTAL_NAME, path, PORTAL_REQUEST, "Response",
	    on_response, ps) < 0) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return ERR_SYSTEM;
	}
	r = sd_bus_call(ps->bus, call, (uint64_t)CAPTURE_DBUS_TIMEOUT_MS * 1000, &e, &reply);
	if (r < 0) {
		explain(&e, r, what, why, why_len);
		sd_bus_error_free(&e);
		sd_bus_slot_unref(slot);
		return ERR_SYSTEM;
	}
	/* A portal that names another path (older ones did): listen there
	 * too; an answer that came before is a risk only such portals have. */
	if (sd_bus_message_read(reply, "o", &handle) < 0 || handle == NULL) {
		snprintf(why, why_len, _("the desktop portal gave an unexpected answer to %s"),
		    what);
		sd_bus_message_unref(reply);
		sd_bus_slot_unref(slot);
		return ERR_SYSTEM;
	}
	if (strcmp(handle, path) != 0 &&
	    sd_bus_match_signal(ps->bus, &slot2, PORTAL_NAME, handle, PORTAL_REQUEST,
	    "Response", on_response, ps) < 0)
		log_warn("portal: cannot listen on the request %s", handle);
	sd_bus_message_unref(reply);
	deadline = mono_ms() + timeout_ms;
	while (!ps->answered && !ps->closed) {
		uint64_t now = mono_ms();

		if ((r = sd_bus_process(ps->bus, NULL)) < 0) {
			snprintf(why, why_len, _("lost the D-Bus session bus: %s"), strerror(-r));
			break;
		}
		if (r > 0)
			continue;
		if (now >= deadline)
			break;
		sd_bus_wait(ps->bus, (deadline - now) * 1000);
	}
	sd_bus_slot_unref(slot);
	sd_bus_slot_unref(slot2);
	if (!ps->answered) {
		if (r < 0)
			;       /* why[] says so already */
		else if (ps->closed)
			snprintf(why, why_len, _("the desktop portal went away (%s)"), what);
		else
			snprintf(why, why_len, _("the desktop portal did not answer %s within %u s"),
			    what, (unsigned)(timeout_ms / 1000));
		return ERR_TIMEOUT;
	}
	if (ps->response == PORTAL_RESPONSE_CANCELLED) {
		snprintf(why, why_len, "%s", _("the host declined the sharing in the desktop's "
		    "dialog"));
		return ERR_AUTH;
	}
	if (ps->response != PORTAL_RESPONSE_OK) {
		snprintf(why, why_len, _("the desktop portal ended %s without sharing (response "
		    "%u; its log may say why)"), what, ps->response);
		return ERR_SYSTEM;
	}
	return 0;
}

/* A new handle token for the next request or session. */
static const char *
next_token(struct portal_session *ps, char *buf, size_t len)
{
	snprintf(buf, len, "fernsicht_%u_%u", (unsigned)getpid(), ++ps->requests);
	return buf;
}

/* A method call on the portal's object. */
static int
new_call(struct portal_session *ps, sd_bus_message **call, const char *iface,
    const char *member)
{
	return sd_bus_message_new_method_call(ps->bus, call, PORTAL_NAME, PORTAL_PATH, iface,
	    member);
}

/* ---- reading results ---- */

/* In a results a{sv}: call fn for each key, positioned at its variant;
 * fn must read or skip it. */
static int
each_result(sd_bus_message *m, int (*fn)(struct portal_session *ps, sd_bus_message *m,
    const char *key), struct portal_session *ps)
{
	const char *key;
	int r;

	if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		if ((r = sd_bus_message_read(m, "s", &key)) < 0 || (r = fn(ps, m, key)) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

/* CreateSession's results: session_handle (a string; some portals send an
 * object path). */
static int
session_result(struct portal_session *ps, sd_bus_message *m, const char *key)
{
	const char *path = NULL;
	char type;
	const char *contents;
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
stream_prop(struct portal_session *ps, sd_bus_message *m, const char *key)
{
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
start_result(struct portal_session *ps, sd_bus_message *m, const char *key)
{
	const char *token = NULL;
	bool have = false;
	int r;

	if (strcmp(key, "devices") == 0)
		return sd_bus_message_read(m, "v", "u", &ps->devices);
	if (strcmp(key, "restore_token") == 0) {
		if ((r = sd_bus_message_read(m, "v", "s", &token)) < 0)
			return r;
		if (ps->persist && token != NULL && strlen(token) < PORTAL_TOKEN_LEN)
			token_save(token);
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
			r = each_result(m, stream_prop, ps);
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

static int
on_owner_changed(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct portal_session *ps = arg;
	const char *name = NULL, *old_owner = NULL, *new_owner = NULL;

	(void)ret_error;
	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0)
		return 0;
	if (new_owner != NULL && new_owner[0] == '\0') {
		ps->closed = true;
		log_info("portal: %s left the session bus", name != NULL ? name : "?");
	}
	return 0;
}

/* An interface's version and one of its u properties; 0 when absent. */
static uint32_t
property_u(struct portal_session *ps, const char *iface, const char *prop, sd_bus_error *e)
{
	uint32_t v = 0;

	if (sd_bus_get_property_trivial(ps->bus, PORTAL_NAME, PORTAL_PATH, iface, prop, e, 'u',
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
		explain(&e, -ENOENT, "ScreenCast", why, why_len);
		sd_bus_error_free(&e);
		return ERR_SYSTEM;
	}
	sources = property_u(ps, PORTAL_SC, "AvailableSourceTypes", NULL);
	if (!(sources & PORTAL_SOURCE_MONITOR)) {
		snprintf(why, why_len, "%s", _("the desktop portal cannot share a monitor here "
		    "(its ScreenCast offers no monitor)"));
		return ERR_SYSTEM;
	}
	*cursor_modes = ps->sc_version >= 2 ?
	    property_u(ps, PORTAL_SC, "AvailableCursorModes", NULL) : 0;
	ps->rd_version = property_u(ps, PORTAL_RD, "version", NULL);
	devices = ps->rd_version > 0 ? property_u(ps, PORTAL_RD, "AvailableDeviceTypes", NULL) :
	    0;
	ps->remote_desktop = (devices & (PORTAL_DEVICE_KEYBOARD | PORTAL_DEVICE_POINTER)) != 0;
	ps->persist = ps->remote_desktop ? ps->rd_version >= PORTAL_RD_PERSIST_VERSION :
	    ps->sc_version >= PORTAL_SC_PERSIST_VERSION;
	log_info("portal: ScreenCast version %u, RemoteDesktop version %u%s%s", ps->sc_version,
	    ps->rd_version, ps->remote_desktop ? ", with input" : ", view only",
	    ps->persist ? ", remembers the choice" : "");
	return 0;
}

/* The options of a request: handle_token, and the pairs given (key,
 * type, value) after it; closed. */
static int
append_options(sd_bus_message *call, const char *token, unsigned pairs, ...)
{
	va_list ap;
	int r;

	if ((r = sd_bus_message_open_container(call, 'a', "{sv}")) < 0 ||
	    (r = sd_bus_message_append(call, "{sv}", "handle_token", "s", token)) < 0)
		return r;
	va_start(ap, pairs);
	for (unsigned i = 0; i < pairs && r >= 0; i++) {
		const char *key = va_arg(ap, const char *), *type = va_arg(ap, const char *);

		if ((r = sd_bus_message_open_container(call, 'e', "sv")) < 0 ||
		    (r = sd_bus_message_append(call, "s", key)) < 0 ||
		    (r = sd_bus_message_open_container(call, 'v', type)) < 0)
			break;
		if (type[0] == 's')
			r = sd_bus_message_append(call, type, va_arg(ap, const char *));
		else if (type[0] == 'b')
			r = sd_bus_message_append(call, type, va_arg(ap, int));
		else
			r = sd_bus_message_append(call, type, va_arg(ap, uint32_t));
		if (r >= 0 && (r = sd_bus_message_close_container(call)) >= 0)
			r = sd_bus_message_close_container(call);
	}
	va_end(ap);
	return r < 0 ? r : sd_bus_message_close_container(call);
}

/* CreateSession, SelectDevices (with input), SelectSources, Start. */
static int
start_session(struct portal_session *ps, char *why, size_t why_len)
{
	const char *iface = ps->remote_desktop ? PORTAL_RD : PORTAL_SC;
	char token[64], session_token[64], restore[PORTAL_TOKEN_LEN];
	uint32_t cursor_modes = 0, cursor;
	sd_bus_message *call = NULL;
	int r;

	if ((r = probe(ps, &cursor_modes, why, why_len)) != 0)
		return r;
	cursor = cursor_modes & PORTAL_CURSOR_METADATA ? PORTAL_CURSOR_METADATA :
	    cursor_modes & PORTAL_CURSOR_EMBEDDED ? PORTAL_CURSOR_EMBEDDED : PORTAL_CURSOR_HIDDEN;
	restore[0] = '\0';
	if (ps->persist)
		token_load(restore, sizeof(restore));

	/* The session. */
	next_token(ps, token, sizeof(token));
	next_token(ps, session_token, sizeof(session_token));
	if ((r = new_call(ps, &call, iface, "CreateSession")) < 0 ||
	    (r = append_options(call, token, 1, "session_handle_token", "s", session_token)) < 0)
		goto oom;
	r = request(ps, call, token, "CreateSession", CAPTURE_DBUS_TIMEOUT_MS, why, why_len);
	call = sd_bus_message_unref(call);
	if (r != 0)
		return r;
	if (each_result(ps->results, session_result, ps) < 0 || ps->session[0] == '\0') {
		snprintf(why, why_len, "%s", _("the desktop portal made a session without a "
		    "handle"));
		return ERR_SYSTEM;
	}
	if (sd_bus_match_signal(ps->bus, &ps->closed_slot, PORTAL_NAME, ps->session,
	    PORTAL_SESSION, "Closed", on_closed, ps) < 0)
		goto oom;

	/* Keyboard and pointer, remembered with the token where the
	 * RemoteDesktop interface can. */
	if (ps->remote_desktop) {
		next_token(ps, token, sizeof(token));
		if ((r = new_call(ps, &call, PORTAL_RD, "SelectDevices")) < 0 ||
		    (r = sd_bus_message_append(call, "o", ps->session)) < 0)
			goto oom;
		r = !ps->persist ? append_options(call, token, 1, "types", "u",
		    (uint32_t)(PORTAL_DEVICE_KEYBOARD | PORTAL_DEVICE_POINTER)) :
		    restore[0] == '\0' ? append_options(call, token, 2, "types", "u",
		    (uint32_t)(PORTAL_DEVICE_KEYBOARD | PORTAL_DEVICE_POINTER), "persist_mode", "u",
		    (uint32_t)PORTAL_PERSIST_UNTIL_REVOKED) :
		    append_options(call, token, 3, "types", "u",
		    (uint32_t)(PORTAL_DEVICE_KEYBOARD | PORTAL_DEVICE_POINTER), "persist_mode", "u",
		    (uint32_t)PORTAL_PERSIST_UNTIL_REVOKED, "restore_token", "s", restore);
		if (r < 0)
			goto oom;
		r = request(ps, call, token, "SelectDevices", CAPTURE_DBUS_TIMEOUT_MS, why,
		    why_len);
		call = sd_bus_message_unref(call);
		if (r != 0)
			return r;
	}

	/* One monitor, the cursor as metadata where the portal can. A
	 * screen cast alone is remembered here; a remote desktop session's
	 * persistence went with its devices. */
	next_token(ps, token, sizeof(token));
	if ((r = new_call(ps, &call, PORTAL_SC, "SelectSources")) < 0 ||
	    (r = sd_bus_message_append(call, "o", ps->session)) < 0)
		goto oom;
	r = ps->remote_desktop || !ps->persist ?
	    append_options(call, token, 3, "types", "u", (uint32_t)PORTAL_SOURCE_MONITOR,
	    "multiple", "b", 0, "cursor_mode", "u", cursor) :
	    restore[0] == '\0' ?
	    append_options(call, token, 4, "types", "u", (uint32_t)PORTAL_SOURCE_MONITOR,
	    "multiple", "b", 0, "cursor_mode", "u", cursor, "persist_mode", "u",
	    (uint32_t)PORTAL_PERSIST_UNTIL_REVOKED) :
	    append_options(call, token, 5, "types", "u", (uint32_t)PORTAL_SOURCE_MONITOR,
	    "multiple", "b", 0, "cursor_mode", "u", cursor, "persist_mode", "u",
	    (uint32_t)PORTAL_PERSIST_UNTIL_REVOKED, "restore_token", "s", restore);
	if (r < 0)
		goto oom;
	r = request(ps, call, token, "SelectSources", CAPTURE_DBUS_TIMEOUT_MS, why, why_len);
	call = sd_bus_message_unref(call);
	if (r != 0)
		return r;

	/* Start: the desktop's dialog, answered by the host. */
	log_info("portal: asking the desktop to share the screen%s", restore[0] != '\0' ?
	    " (with the choice the host let it remember)" : " (the desktop shows its dialog)");
	next_token(ps, token, sizeof(token));
	if ((r = new_call(ps, &call, iface, "Start")) < 0 ||
	    (r = sd_bus_message_append(call, "os", ps->session, "")) < 0 ||
	    (r = append_options(call, token, 0)) < 0)
		goto oom;
	r = request(ps, call, token, "Start", CAPTURE_PORTAL_DIALOG_MS, why, why_len);
	call = sd_bus_message_unref(call);
	if (r != 0) {
		/* A refusal or a broken token: the next start asks anew. */
		if (restore[0] != '\0')
			token_save("");
		return r;
	}
	ps->started = true;
	if ((r = each_result(ps->results, start_result, ps)) < 0) {
		snprintf(why, why_len, r == -ENOENT ? _("the desktop portal started no stream") :
		    _("the desktop portal gave an unexpected answer to Start"));
		return ERR_SYSTEM;
	}
	if (ps->remote_desktop && !(ps->devices & (PORTAL_DEVICE_KEYBOARD |
	    PORTAL_DEVICE_POINTER)))
		log_warn("portal: the host allowed no keyboard or pointer: viewers can only watch");
	if (!ps->persist)
		snprintf(ps->note, sizeof(ps->note), "%s", _("The desktop asks each time "
		    "Fernsicht shares the screen: its portal cannot remember the choice."));
	log_info("portal: session %s, PipeWire node %u at %d,%d, devices %u", ps->session,
	    ps->node, ps->x, ps->y, ps->devices);
	return 0;
oom:
	sd_bus_message_unref(call);
	snprintf(why, why_len, "%s", _("out of memory"));
	return ERR_SYSTEM;
}

static int
open_bus(struct portal_session *ps, char *why, size_t why_len)
{
	int r = sd_bus_open_user(&ps->bus);

	if (r < 0) {
		snprintf(why, why_len, _("no D-Bus session bus (%s): a Wayland desktop can only be "
		    "shared from inside the user's own session"), strerror(-r));
		return ERR_SYSTEM;
	}
	sd_bus_set_method_call_timeout(ps->bus, (uint64_t)CAPTURE_DBUS_TIMEOUT_MS * 1000);
	if (sd_bus_add_match(ps->bus, &ps->owner_slot,
	    "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
	    "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" PORTAL_NAME "'",
	    on_owner_changed, ps) < 0) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return ERR_SYSTEM;
	}
	return 0;
}

static void
destroy(struct portal_session *ps)
{
	if (ps->bus != NULL) {
		/* Closing the session ends the screen cast and the input. */
		if (ps->session[0] != '\0' && !ps->closed) {
			sd_bus_message *call = NULL;

			if (sd_bus_message_new_method_call(ps->bus, &call, PORTAL_NAME, ps->session,
			    PORTAL_SESSION, "Close") >= 0) {
				sd_bus_message_set_expect_reply(call, 0);
				if (sd_bus_send(ps->bus, call, NULL) >= 0)
					sd_bus_flush(ps->bus);
				sd_bus_message_unref(call);
			}
		}
		sd_bus_message_unref(ps->results);
		sd_bus_slot_unref(ps->closed_slot);
		sd_bus_slot_unref(ps->owner_slot);
		sd_bus_flush_close_unref(ps->bus);
	}
	free(ps);
}

struct screencast_session *
portal_session_acquire(char *why, size_t why_len)
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
	if (open_bus(ps, why, why_len) != 0 || start_session(ps, why, why_len) != 0) {
		destroy(ps);
		return NULL;
	}
	ps->base.ops = &portal_ops;
	ps->users = 1;
	the_session = ps;
	return &ps->base;
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

/*
 * Not started again by itself: a portal session ends when the host
 * stopped the sharing in the desktop (or the monitors changed, which the
 * portal does not tell apart), and a restore token would bring the
 * screen back against that wish. The master ends the session; starting
 * it again is the host's choice.
 */
static int
portal_restart(struct screencast_session *ss, char *why, size_t why_len)
{
	(void)ss;
	snprintf(why, why_len, "%s", _("the desktop ended the screen sharing"));
	return ERR_CLOSED;
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

	r = sd_bus_call_method(ps->bus, PORTAL_NAME, PORTAL_PATH, PORTAL_SC,
	    "OpenPipeWireRemote", &e, &reply, "oa{sv}", ps->session, 0);
	if (r < 0) {
		explain(&e, r, "OpenPipeWireRemote", why, why_len);
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
	return sd_bus_get_fd(((const struct portal_session *)ss)->bus);
}

static int
portal_process(struct screencast_session *ss, char *why, size_t why_len)
{
	struct portal_session *ps = (struct portal_session *)ss;
	int r;

	while ((r = sd_bus_process(ps->bus, NULL)) > 0)
		;
	if (r < 0) {
		snprintf(why, why_len, _("lost the D-Bus session bus: %s"), strerror(-r));
		return ERR_CLOSED;
	}
	if (ps->closed) {
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

static int
on_input_reply(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);
	static struct log_rl rl;

	(void)arg;
	(void)ret_error;
	if (e != NULL)
		log_rl(&rl, LOG_WARN, "portal: input refused: %s: %s",
		    e->name != NULL ? e->name : "?", e->message != NULL ? e->message : "");
	return 0;
}

/* One input call on the session (its options empty); the answer is
 * never waited for. */
static int
send_input(struct portal_session *ps, const char *member, const char *types, ...)
{
	sd_bus_message *call = NULL;
	va_list ap;
	int r;

	if (ps->closed)
		return ERR_CLOSED;
	r = new_call(ps, &call, PORTAL_RD, member);
	if (r >= 0)
		r = sd_bus_message_append(call, "oa{sv}", ps->session, 0);
	if (r >= 0) {
		va_start(ap, types);
		r = sd_bus_message_appendv(call, types, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = sd_bus_call_async(ps->bus, NULL, call, on_input_reply, ps,
		    (uint64_t)CAPTURE_DBUS_TIMEOUT_MS * 1000);
	sd_bus_message_unref(call);
	if (r < 0) {
		static struct log_rl rl;
		log_rl(&rl, LOG_WARN, "portal: %s: %s", member, strerror(-r));
		return ERR_SYSTEM;
	}
	return 0;
}

static int
portal_keysym(struct screencast_session *ss, uint32_t keysym, bool pressed)
{
	return send_input((struct portal_session *)ss, "NotifyKeyboardKeysym", "iu",
	    (int32_t)keysym, (uint32_t)pressed);
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
	.restart = portal_restart,
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
