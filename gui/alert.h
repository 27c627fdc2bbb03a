/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alert.h - a message box before any window: a program started from the
 * desktop (its menu, a fernsicht:// link in a browser) has nobody reading
 * its stderr, so a reason to stop is shown there too.
 */
#ifndef GUI_ALERT_H
#define GUI_ALERT_H

/* Show text and wait until it is closed; nothing without a display. */
void gui_alert(const char *text);

#endif
