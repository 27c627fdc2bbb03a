/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transfers.c - file transfer as the viewer's window sees it: a dropped
 * path to send, the supporter's Cancel, the rows of its transfer list.
 *
 * The transfer engine (endpoint/files.h) is not part of this build: a
 * dropped path is refused with a line in the window, and there are no
 * rows. Once the session has a struct files for the host (say s->files,
 * made when the host grants MSG_RIGHT_FILES), these three become:
 *   send:   files_send(s->files, path, why, sizeof(why)), and on failure
 *           the same note with why;
 *   cancel: files_cancel(s->files, id, incoming);
 *   rows:   files_list(s->files, ...) into rows[i].f, with slot 0 and the
 *           host's name as peer.
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "session.h"

int
viewer_send_path(struct vsession *s, const char *path)
{
	char note[512];
	const char *name = strrchr(path, '/');

	name = name != NULL && name[1] != '\0' ? name + 1 : path;
	log_warn("file transfer not available: %s not sent", path);
	if (s->disp != NULL) {
		snprintf(note, sizeof(note), "Cannot send %s: file transfer is not available in "
		    "this version.", name);
		display_chat_note(s->disp, note);
	}
	return ERR_UNSUPPORTED;
}

void
viewer_cancel_transfer(struct vsession *s, uint32_t id, bool incoming)
{
	(void)s;
	log_warn("file transfer not available: cannot cancel %s transfer %u",
	    incoming ? "incoming" : "outgoing", (unsigned)id);
}

size_t
viewer_transfer_rows(struct vsession *s, struct gui_transfer *rows, size_t max)
{
	(void)s;
	(void)rows;
	(void)max;
	return 0;
}
