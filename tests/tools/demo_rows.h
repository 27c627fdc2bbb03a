/* SPDX-License-Identifier: Apache-2.0 */
/*
 * demo_rows.h - the fake transfer rows and chat lines of the window demos
 * (hostui_demo, display_demo), one stdin command each:
 *
 *   transfer SLOT ID in|out running|done|failed BYTES DONE BYTES_PER_S PEER NAME [TEXT]
 *       add or replace the row SLOT/ID/direction; TEXT is where a received
 *       transfer landed (done) or why it failed (failed); "done:N" is a
 *       folder of N files
 *   untransfer ID                 remove the rows with that id
 *
 * A header of static functions: each demo includes it once.
 */
#ifndef TESTS_TOOLS_DEMO_ROWS_H
#define TESTS_TOOLS_DEMO_ROWS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "transfers.h"

struct demo_rows {
	struct gui_transfer row[GUI_TRANSFERS_MAX];
	size_t n;
};

static void
demo_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* A "transfer" or "untransfer" line into r: 1 when it was one, 0 when it
 * is some other command, -1 when it is malformed. */
static int
demo_rows_command(struct demo_rows *r, const char *line)
{
	char dir[8], state[16], peer[MSG_NAME_MAX + 1], name[FILES_COMPONENT_MAX + 1];
	unsigned slot, id;
	uint64_t bytes, done, speed;
	int off = 0;
	struct gui_transfer *t = NULL;
	bool incoming;
	unsigned files = 1;

	if (sscanf(line, "untransfer %u", &id) == 1) {
		size_t o = 0;

		for (size_t i = 0; i < r->n; i++)
			if (r->row[i].f.id != id)
				r->row[o++] = r->row[i];
		r->n = o;
		return 1;
	}
	if (strncmp(line, "transfer ", 9) != 0)
		return 0;
	if (sscanf(line, "transfer %u %u %7s %15s %" SCNu64 " %" SCNu64 " %" SCNu64 " %64s %255s %n",
	    &slot, &id, dir, state, &bytes, &done, &speed, peer, name, &off) < 9)
		return -1;
	incoming = strcmp(dir, "in") == 0;
	if (sscanf(state, "done:%u", &files) == 1)
		state[4] = '\0';
	for (size_t i = 0; i < r->n; i++)
		if (r->row[i].slot == slot && r->row[i].f.id == id && r->row[i].f.incoming == incoming)
			t = &r->row[i];
	if (t == NULL) {
		if (r->n == GUI_TRANSFERS_MAX)
			return -1;
		/* Newest first, as files_list() gives them. */
		memmove(&r->row[1], &r->row[0], r->n * sizeof(r->row[0]));
		t = &r->row[0];
		r->n++;
	}
	memset(t, 0, sizeof(*t));
	t->slot = slot;
	t->f.id = id;
	t->f.incoming = incoming;
	t->f.state = strcmp(state, "done") == 0 ? FILES_DONE : strcmp(state, "failed") == 0 ?
	    FILES_FAILED : FILES_RUNNING;
	t->f.bytes = bytes;
	t->f.done_bytes = done;
	t->f.bytes_per_s = (double)speed;
	t->f.files = files;
	demo_copy(t->peer, sizeof(t->peer), peer);
	demo_copy(t->f.name, sizeof(t->f.name), name);
	if (off > 0 && t->f.state == FILES_DONE)
		demo_copy(t->f.where, sizeof(t->f.where), line + off);
	if (off > 0 && t->f.state == FILES_FAILED)
		demo_copy(t->f.why, sizeof(t->f.why), line + off);
	return 1;
}

#endif
