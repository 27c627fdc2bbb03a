/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transfers.c - file transfer as the host's window sees it: the rows of
 * its transfer list, every viewer's together, and the host's Cancel (the
 * engines are each viewer's v->files, files.c).
 */
#include <stdio.h>

#include "log.h"
#include "session.h"
#include "transfers.h"   /* gui/: struct gui_transfer */

size_t
master_transfer_rows(struct master *m, struct gui_transfer *rows, size_t max)
{
	static struct files_row f[GUI_TRANSFERS_MAX];
	size_t n = 0;

	for (unsigned i = 1; i <= MASTER_SLOTS_MAX && n < max; i++) {
		struct viewer *v = &m->v[i];
		size_t k, got;

		if (v->files == NULL)
			continue;
		k = max - n < GUI_TRANSFERS_MAX ? max - n : GUI_TRANSFERS_MAX;
		got = files_list(v->files, f, k);
		for (size_t j = 0; j < got; j++, n++) {
			rows[n].f = f[j];
			rows[n].slot = v->slot;
			snprintf(rows[n].peer, sizeof(rows[n].peer), "%s", v->hs.res.peer_name);
		}
	}
	return n;
}

void
master_transfer_cancel(struct master *m, unsigned slot, uint32_t id, bool incoming)
{
	xfer_cancel(m, slot, id, incoming);
}
