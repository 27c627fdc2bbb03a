/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transfers.c - file transfer as the host's window sees it: the rows of
 * its transfer list and the host's Cancel.
 *
 * The transfer engine (endpoint/files.h) is not part of this build: no
 * viewer has a struct files yet, so there is nothing to list, and a
 * Cancel can only come from a row that does not exist. Once each viewer
 * allowed MSG_RIGHT_FILES has one (say v->files), these two become:
 *   rows:   for each such viewer, files_list(v->files, ...) into
 *           rows[n].f, with rows[n].slot = v->slot and rows[n].peer its
 *           name, until max;
 *   cancel: files_cancel(m->v[slot].files, id, incoming) for a slot that
 *           still has one.
 */
#include "log.h"
#include "session.h"

size_t
master_transfer_rows(struct master *m, struct gui_transfer *rows, size_t max)
{
	(void)m;
	(void)rows;
	(void)max;
	return 0;
}

void
master_transfer_cancel(struct master *m, unsigned slot, uint32_t id, bool incoming)
{
	(void)m;
	log_warn("file transfer not available: cannot cancel %s transfer %u of viewer %u",
	    incoming ? "incoming" : "outgoing", (unsigned)id, slot);
}
