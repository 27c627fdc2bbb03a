/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mutter_monitors.c - GNOME Mutter's monitors from
 * org.gnome.Mutter.DisplayConfig (mutter_monitors.h).
 *
 * GetCurrentState is what GNOME's Settings and gnome-monitor-config read:
 * it names each monitor by its connector, the name ScreenCast's
 * RecordMonitor takes, and its logical monitors say which are switched
 * on. (The ScreenCast interface itself lists no monitors, and Wayland's
 * wl_output names need a Wayland connection the master does not
 * otherwise open for Mutter.)
 *
 * The reply is read with typed getters; a wrong signature or an empty or
 * oversized connector name is an error (the answer is refused whole), more
 * monitors than MUTTER_MONITORS_MAX are not counted.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "mutter_monitors.h"

#define DC_NAME "org.gnome.Mutter.DisplayConfig"
#define DC_PATH "/org/gnome/Mutter/DisplayConfig"

struct monitors {
	char connector[MUTTER_MONITORS_MAX][MUTTER_CONNECTOR_LEN];
	bool on[MUTTER_MONITORS_MAX];
	unsigned n;
};

/* The monitors: a((ssss)a(siiddada{sv})a{sv}), their connectors. */
static int
read_monitors(sd_bus_message *m, struct monitors *ms)
{
	const char *connector;
	int r;

	if ((r = sd_bus_message_enter_container(m, 'a', "((ssss)a(siiddada{sv})a{sv})")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'r',
	    "(ssss)a(siiddada{sv})a{sv}")) > 0) {
		if ((r = sd_bus_message_read(m, "(ssss)", &connector, NULL, NULL, NULL)) < 0 ||
		    (r = sd_bus_message_skip(m, "a(siiddada{sv})a{sv}")) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			return r;
		/* A name that does not fit is no connector: refused whole
		 * (skipping it would shift the numbers of the others). */
		if (connector[0] == '\0' || strlen(connector) >= MUTTER_CONNECTOR_LEN)
			return -EBADMSG;
		if (ms->n < MUTTER_MONITORS_MAX)
			snprintf(ms->connector[ms->n++], MUTTER_CONNECTOR_LEN, "%s", connector);
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

/* The logical monitors: a(iiduba(ssss)a{sv}); each one's monitors are on. */
static int
read_logical(sd_bus_message *m, struct monitors *ms)
{
	const char *connector;
	int r;

	if ((r = sd_bus_message_enter_container(m, 'a', "(iiduba(ssss)a{sv})")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'r', "iiduba(ssss)a{sv}")) > 0) {
		if ((r = sd_bus_message_skip(m, "iidub")) < 0 ||
		    (r = sd_bus_message_enter_container(m, 'a', "(ssss)")) < 0)
			return r;
		while ((r = sd_bus_message_read(m, "(ssss)", &connector, NULL, NULL, NULL)) > 0)
			for (unsigned i = 0; i < ms->n; i++)
				if (strcmp(ms->connector[i], connector) == 0)
					ms->on[i] = true;
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 ||
		    (r = sd_bus_message_skip(m, "a{sv}")) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

int
mutter_monitor_connector(sd_bus *bus, unsigned index, char *connector, size_t len,
    char *why, size_t why_len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	struct monitors ms;
	unsigned on = 0;
	int r;

	memset(&ms, 0, sizeof(ms));
	r = sd_bus_call_method(bus, DC_NAME, DC_PATH, DC_NAME, "GetCurrentState", &e, &reply, "");
	if (r < 0 && (sd_bus_error_has_name(&e, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
	    sd_bus_error_has_name(&e, SD_BUS_ERROR_NAME_HAS_NO_OWNER))) {
		/* The same words as mutter_session.c's for a bus without Mutter. */
		snprintf(why, why_len, "%s", _("GNOME Mutter does not answer on this session bus: "
		    "this is not a GNOME Wayland session (other desktops are not supported "
		    "yet)"));
		sd_bus_error_free(&e);
		return ERR_SYSTEM;
	}
	if (r < 0) {
		snprintf(why, why_len, _("GNOME Mutter does not describe its monitors "
		    "(DisplayConfig: %s)"), e.message != NULL ? e.message : strerror(-r));
		sd_bus_error_free(&e);
		return ERR_SYSTEM;
	}
	if ((r = sd_bus_message_skip(reply, "u")) < 0 || (r = read_monitors(reply, &ms)) < 0 ||
	    (r = read_logical(reply, &ms)) < 0) {
		sd_bus_message_unref(reply);
		snprintf(why, why_len, _("GNOME Mutter gave an unexpected answer to %s"),
		    "DisplayConfig.GetCurrentState");
		return ERR_SYSTEM;
	}
	sd_bus_message_unref(reply);
	for (unsigned i = 0; i < ms.n; i++) {
		if (!ms.on[i])
			continue;
		if (on++ == index) {
			snprintf(connector, len, "%s", ms.connector[i]);
			return 0;
		}
	}
	snprintf(why, why_len, _("there is no monitor %u: GNOME Mutter has %u switched on "
	    "(numbered from 0)"), index, on);
	return ERR_NOT_FOUND;
}
