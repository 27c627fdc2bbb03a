/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files.c - file transfer on the master: each viewer allowed the files
 * right gets its own transfer engine (endpoint/files.h) on its pairwise
 * stream, so a file goes to that viewer alone; the FILE_* channel feeds
 * it, the frame loop pumps it, the host sends with `send SLOT PATH` or by
 * dropping files on its window, and cancels with `cancel SLOT in|out ID`
 * or the window's Cancel.
 */
#include <stdio.h>
#include <stdlib.h>

#include "channels.h"
#include "clock.h"
#include "event.h"
#include "log.h"
#include "session.h"

static int
io_send(void *ctx, const struct buf *msg)
{
	struct viewer *v = ctx;

	return master_send_pair(v->owner, v, msg);
}

/* What waits before this viewer's next record: its direct connection's
 * queue, or the relay link's, which all relayed viewers share. While the
 * relay says this viewer's queue there is full (FLOW), nothing more. */
static size_t
io_queued(void *ctx)
{
	struct viewer *v = ctx;

	if (v->lan != NULL)
		return lan_queued(v->lan);
	if (v->screen.xoff)
		return SIZE_MAX;
	return link_queued(&v->owner->link);
}

static size_t
body_max(const struct master *m, const struct viewer *v)
{
	return v->lan != NULL || m->o.relay == NULL ? WIRE_BODY_DEFAULT_BYTES : m->link.body_max;
}

/* The viewer's rights changed (allowed, or the host took some back): it
 * gets an engine with the files right and loses it, and what runs, without. */
void
xfer_rights(struct master *m, struct viewer *v)
{
	bool may = v->state == VIEWER_ACTIVE && (v->rights & MSG_RIGHT_FILES);

	if (may && v->files == NULL) {
		struct files_conf conf = {
			.inbox = m->o.inbox,
			.transfer_max_bytes = m->o.file_max_bytes,
			.total_max_bytes = m->o.files_total_max_bytes,
		};
		struct files_io io = {
			.ctx = v, .send = io_send, .queued = io_queued,
			.msg_max = body_max(m, v) - SEC_TAG_LEN,
		};
		char label[16];

		snprintf(label, sizeof(label), "slot=%u", v->slot);
		v->owner = m;
		if ((v->files = files_new(&conf, io, label)) == NULL)
			log_warn("viewer %u: no file transfer (out of memory)", v->slot);
	} else if (!may && v->files != NULL) {
		files_cancel_all(v->files, MSG_FILE_REFUSED, "the host took back the files right");
	}
}

void
xfer_free(struct viewer *v, const char *why)
{
	if (v->files != NULL)
		files_free(v->files, why);
	v->files = NULL;
}

int
xfer_take(void *master, void *viewer, const struct msg *msg)
{
	struct viewer *v = viewer;
	struct buf out;
	int r;

	(void)master;
	if (v->files != NULL)
		return files_take(v->files, msg, mono_ms());
	/* The right was taken back while this was on its way: say no. */
	if (msg->type != MSG_FILE_OFFER)
		return 0;
	buf_init(&out, 128);
	r = msg_file_encode(&out, MSG_FILE_CANCEL, &(struct msg_file){ .id = msg->u.file.id,
	    .whose = MSG_FILE_YOURS, .reason = MSG_FILE_REFUSED }, "no files right", 14);
	if (r == 0)
		r = master_send_pair(master, v, &out);
	buf_release(&out);
	return r;
}

/* Send what each viewer's flow class allows now. */
void
xfer_pump(struct master *m, uint64_t now_ms)
{
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->files != NULL && files_pump(v->files, now_ms) != 0)
			log_warn("viewer %u: file transfer stopped", v->slot);
	}
}

/* Some viewer's file data could go now: the loop should not sleep. */
bool
xfer_wants(const struct master *m)
{
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		const struct viewer *v = &m->v[i];

		if (v->files != NULL && files_want_pump(v->files) &&
		    io_queued((void *)v) < FILES_QUEUE_LOW_BYTES)
			return true;
	}
	return false;
}

static struct viewer *
files_viewer(struct master *m, unsigned long slot, const char *what)
{
	struct viewer *v;

	if (slot == 0 || slot > MASTER_SLOTS_MAX) {
		event("%s: no viewer in slot %lu", what, slot);
		return NULL;
	}
	v = &m->v[slot];
	if (v->state != VIEWER_ACTIVE || v->files == NULL || !(v->rights & MSG_RIGHT_FILES)) {
		event("%s: viewer %lu %s", what, slot, v->state != VIEWER_ACTIVE ?
		    "is not connected" : "has no files right");
		return NULL;
	}
	return v;
}

/* stdin "send SLOT PATH", or a drop on the host's window (main.c). */
void
xfer_send(struct master *m, unsigned long slot, const char *path)
{
	struct viewer *v = files_viewer(m, slot, "send");
	char why[256];

	if (v != NULL && files_send(v->files, path, why, sizeof(why)) != 0)
		event("send: cannot send \"%s\": %s", path, why);
}

/* stdin "cancel SLOT in|out ID", or the Cancel of the window's transfer list. */
void
xfer_cancel(struct master *m, unsigned long slot, uint32_t id, bool incoming)
{
	struct viewer *v = files_viewer(m, slot, "cancel");

	if (v != NULL)
		files_cancel(v->files, id, incoming);
}
