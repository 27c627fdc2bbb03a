/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mutter_monitors.h - GNOME Mutter's monitors, as its
 * org.gnome.Mutter.DisplayConfig describes them (mutter_monitors.c):
 * which connector --monitor N means, for the ScreenCast's RecordMonitor.
 */
#ifndef MASTER_MUTTER_MONITORS_H
#define MASTER_MUTTER_MONITORS_H

#include <stddef.h>

#include <systemd/sd-bus.h>

#include "err.h"

enum {
	/* A connector's name ("Meta-0", "DP-1", "eDP-1"); longer: refused. */
	MUTTER_CONNECTOR_LEN = 64,
	/* Monitors counted: --monitor takes 0..15. */
	MUTTER_MONITORS_MAX = 16,
};

/*
 * The connector of Mutter's monitor `index`: monitors in the order
 * DisplayConfig.GetCurrentState lists them (the order GNOME's own tools
 * show), switched-off ones not counted. ERR_NOT_FOUND with why[] naming
 * how many there are, ERR_SYSTEM with why[] when Mutter does not answer
 * as expected.
 */
int mutter_monitor_connector(sd_bus *bus, unsigned index, char *connector, size_t len,
    char *why, size_t why_len) WUR;

#endif
