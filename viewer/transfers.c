/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transfers.c - file transfer as the viewer's window sees it: a dropped
 * path to send, the supporter's Cancel, the rows of its transfer list
 * (the engine itself is s->files, files.c).
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "i18n.h"
#include "log.h"
#include "session.h"
#include "transfers.h"   /* gui/: struct gui_transfer */

int
viewer_send_path(struct vsession *s, const char *path)
{
	char note[512], why[256];
	const char *name = strrchr(path, '/');

	name = name != NULL && name[1] != '\0' ? name + 1 : path;
	if (s->files == NULL || !(s->rights & MSG_RIGHT_FILES)) {
		bool active = s->state == VS_ACTIVE;

		log_warn("%s not sent: %s", path, active ? "the host gave this viewer no files "
		    "right" : "not connected yet");
		/* TRANSLATORS: %s is the name of a file dropped on the window. */
		snprintf(note, sizeof(note), active ? _("Cannot send %s: the host has not allowed "
		    "you to send files.") : _("Cannot send %s: not connected yet."), name);
	} else if (files_send(s->files, path, why, sizeof(why)) == 0) {
		return 0;
	} else {
		log_warn("%s not sent: %s", path, why);
		/* TRANSLATORS: a file dropped on the window, and the reason in English
		 * from the transfer engine. */
		snprintf(note, sizeof(note), _("Cannot send %s: %s."), name, why);
	}
	if (s->disp != NULL)
		display_chat_note(s->disp, note);
	return ERR_UNSUPPORTED;
}

void
viewer_cancel_transfer(struct vsession *s, uint32_t id, bool incoming)
{
	if (s->files != NULL)
		files_cancel(s->files, id, incoming);
}

size_t
viewer_transfer_rows(struct vsession *s, struct gui_transfer *rows, size_t max)
{
	static struct files_row f[GUI_TRANSFERS_MAX];
	size_t n;

	if (s->files == NULL)
		return 0;
	n = files_list(s->files, f, max < GUI_TRANSFERS_MAX ? max : GUI_TRANSFERS_MAX);
	for (size_t i = 0; i < n; i++) {
		rows[i].f = f[i];
		rows[i].slot = 0;
		snprintf(rows[i].peer, sizeof(rows[i].peer), "%s", s->hs.res.peer_name);
	}
	return n;
}
