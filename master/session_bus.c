/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session_bus.c - the session bus for the screen-cast back-ends
 * (session_bus.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "session_bus.h"

/* The service left the bus (it crashed or was stopped): no Closed comes. */
static int
on_owner_changed(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct session_bus *sb = arg;
	const char *name = NULL, *old_owner = NULL, *new_owner = NULL;

	(void)ret_error;
	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0)
		return 0;
	if (new_owner != NULL && new_owner[0] == '\0') {
		sb->gone = true;
		log_info("%s: %s left the session bus", sb->log_name, name != NULL ? name : "?");
	}
	return 0;
}

int
session_bus_open(struct session_bus *sb, const char *service, const char *log_name,
    char *why, size_t why_len)
{
	char match[256];
	int r;

	sb->log_name = log_name;
	r = sd_bus_open_user(&sb->bus);
	if (r < 0) {
		snprintf(why, why_len, _("no D-Bus session bus (%s): a Wayland desktop can only be "
		    "shared from inside the user's own session"), strerror(-r));
		return ERR_SYSTEM;
	}
	sd_bus_set_method_call_timeout(sb->bus, (uint64_t)CAPTURE_DBUS_TIMEOUT_MS * 1000);
	snprintf(match, sizeof(match), "type='signal',sender='org.freedesktop.DBus',"
	    "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
	    "member='NameOwnerChanged',arg0='%s'", service);
	if (sd_bus_add_match(sb->bus, &sb->owner_slot, match, on_owner_changed, sb) < 0) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return ERR_SYSTEM;
	}
	return 0;
}

void
session_bus_close(struct session_bus *sb, const char *service, const char *path,
    const char *iface, const char *close_member)
{
	sd_bus_message *call = NULL;

	if (sb->bus == NULL)
		return;
	if (close_member != NULL && !sb->gone &&
	    sd_bus_message_new_method_call(sb->bus, &call, service, path, iface,
	    close_member) >= 0) {
		sd_bus_message_set_expect_reply(call, 0);
		if (sd_bus_send(sb->bus, call, NULL) >= 0)
			sd_bus_flush(sb->bus);
		sd_bus_message_unref(call);
	}
	sb->owner_slot = sd_bus_slot_unref(sb->owner_slot);
	sb->bus = sd_bus_flush_close_unref(sb->bus);
}

int
session_bus_wait(struct session_bus *sb, const bool *done, const bool *closed,
    uint64_t deadline_ms, char *why, size_t why_len)
{
	int r;

	while (!*done && !*closed && !sb->gone) {
		uint64_t now = mono_ms();

		if ((r = sd_bus_process(sb->bus, NULL)) < 0) {
			snprintf(why, why_len, _("lost the D-Bus session bus: %s"), strerror(-r));
			return ERR_SYSTEM;
		}
		if (r > 0)
			continue;
		if (now >= deadline_ms)
			return ERR_TIMEOUT;
		sd_bus_wait(sb->bus, (deadline_ms - now) * 1000);
	}
	return *done ? 0 : ERR_CLOSED;
}

int
session_bus_process(struct session_bus *sb, char *why, size_t why_len)
{
	int r;

	while ((r = sd_bus_process(sb->bus, NULL)) > 0)
		;
	if (r < 0) {
		snprintf(why, why_len, _("lost the D-Bus session bus: %s"), strerror(-r));
		return ERR_CLOSED;
	}
	return 0;
}

static int
on_input_reply(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);
	const struct session_bus *sb = arg;
	static struct log_rl rl;

	(void)ret_error;
	if (e != NULL)
		log_rl(&rl, LOG_WARN, "%s: input refused: %s: %s", sb->log_name,
		    e->name != NULL ? e->name : "?", e->message != NULL ? e->message : "");
	return 0;
}

int
session_bus_send_input(struct session_bus *sb, sd_bus_message *call, const char *member)
{
	static struct log_rl rl;
	int r;

	/* Written now when the socket takes it, else queued for the next
	 * session_bus_process(). */
	r = sd_bus_call_async(sb->bus, NULL, call, on_input_reply, sb,
	    (uint64_t)CAPTURE_DBUS_TIMEOUT_MS * 1000);
	if (r < 0) {
		log_rl(&rl, LOG_WARN, "%s: %s: %s", sb->log_name, member, strerror(-r));
		return ERR_SYSTEM;
	}
	return 0;
}
