/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files.c - file transfer on the viewer: with the files right the viewer
 * has one transfer engine (endpoint/files.h) on its pairwise stream to the
 * host; the FILE_* channel feeds it, the main loop pumps it, and --send
 * paths (or files dropped on the window) go through xfer_send().
 */
#include <stdint.h>
#include <stdlib.h>

#include "channels.h"
#include "clock.h"
#include "event.h"
#include "log.h"
#include "session.h"

static int
io_send(void *ctx, const struct buf *msg)
{
	return vsession_send(ctx, msg);
}

static size_t
io_queued(void *ctx)
{
	struct vsession *s = ctx;

	return link_queued(&s->link);
}

/* ACCEPT came: the engine appears with the files right; without it what
 * runs ends. */
void
xfer_rights(struct vsession *s)
{
	bool may = s->state == VS_ACTIVE && (s->rights & MSG_RIGHT_FILES);

	if (may && s->files == NULL) {
		struct files_io io = {
			.ctx = s, .send = io_send, .queued = io_queued,
			.msg_max = s->link.body_max - SEC_TAG_LEN,
		};

		if ((s->files = files_new(&s->files_conf, io, "")) == NULL)
			log_warn("no file transfer (out of memory)");
	} else if (!may && s->files != NULL) {
		files_cancel_all(s->files, MSG_FILE_REFUSED, "the host took back the files right");
	}
}

void
xfer_free(struct vsession *s, const char *why)
{
	if (s->files != NULL)
		files_free(s->files, why);
	s->files = NULL;
}

int
xfer_take(void *side, void *peer, const struct msg *msg)
{
	struct vsession *s = side;
	struct buf out;
	int r;

	(void)peer;
	/* Without the files right no new transfer starts; what crosses the
	 * host's taking it back still reaches the engine, which ended it. */
	if (s->files != NULL && (msg->type != MSG_FILE_OFFER || (s->rights & MSG_RIGHT_FILES)))
		return files_take(s->files, msg, mono_ms());
	if (msg->type != MSG_FILE_OFFER)
		return s->files != NULL ? 0 : ERR_PROTOCOL;
	buf_init(&out, 128);
	r = msg_file_encode(&out, MSG_FILE_CANCEL, &(struct msg_file){ .id = msg->u.file.id,
	    .whose = MSG_FILE_YOURS, .reason = MSG_FILE_REFUSED }, "no files right", 14);
	if (r == 0)
		r = vsession_send(s, &out);
	buf_release(&out);
	return r;
}

void
xfer_pump(struct vsession *s, uint64_t now_ms)
{
	if (s->files != NULL && files_pump(s->files, now_ms) != 0)
		log_warn("file transfer stopped");
}

bool
xfer_wants(const struct vsession *s)
{
	return s->files != NULL && files_want_pump(s->files) &&
	    link_queued(&s->link) < FILES_QUEUE_LOW_BYTES;
}

/* --send PATH, or a drop on the window. */
int
xfer_send(struct vsession *s, const char *path)
{
	char why[256];

	if (s->files == NULL || !(s->rights & MSG_RIGHT_FILES)) {
		event("file-failed dir=out name=\"%s\" reason=\"%s\"", path,
		    s->state == VS_ACTIVE ? "the host gave this viewer no files right" :
		    "not connected");
		return ERR_PROTOCOL;
	}
	if (files_send(s->files, path, why, sizeof(why)) != 0) {
		event("file-failed dir=out name=\"%s\" reason=\"%s\"", path, why);
		return ERR_FORMAT;
	}
	return 0;
}
