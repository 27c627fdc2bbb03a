/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outgoing.h"

struct outgoing *
outgoing_new(struct walk *w, uint32_t id)
{
	struct outgoing *o = transfer_alloc(sizeof(*o));

	if (o == NULL)
		return NULL;
	o->w = *w;
	memset(w, 0, sizeof(*w));
	o->fd = -1;
	o->step = OUT_QUEUED;
	o->t.row.id = id;
	o->t.row.incoming = false;
	o->t.row.state = FILES_RUNNING;
	snprintf(o->t.row.name, sizeof(o->t.row.name), "%s", o->w.e[0].path);
	o->t.row.files = o->w.n;
	o->t.row.bytes = o->w.bytes;
	return o;
}

void
outgoing_free(struct outgoing *o)
{
	if (o == NULL)
		return;
	if (o->fd != -1)
		close(o->fd);
	walk_free(&o->w);
	sodium_memzero(&o->hash, sizeof(o->hash));
	free(o);
}

static bool
queue_short(const struct files *f)
{
	return f->io.queued(f->io.ctx) < FILES_QUEUE_LOW_BYTES;
}

/* The peer's window (pace.h) has room: it is shared by every transfer. */
static bool
window_open(const struct files *f)
{
	return pace_room(&f->pace) > 0;
}

static const struct walk_entry *
current(const struct outgoing *o)
{
	return &o->w.e[o->index];
}

/* The current entry is complete: on to the next, or wait for the end. */
static void
next_entry(struct outgoing *o)
{
	if (o->fd != -1) {
		close(o->fd);
		o->fd = -1;
	}
	o->index++;
	o->step = o->index == o->w.n ? OUT_WAIT_DONE : OUT_ENTRY;
}

static int
send_offer(struct files *f, struct outgoing *o)
{
	struct msg_file m = { .id = o->t.row.id, .count = o->w.n, .bytes = o->w.bytes };
	const char *name = o->w.e[0].path;

	f->offered_out_id = o->t.row.id;
	o->step = OUT_ENTRY;
	return transfer_send(f, MSG_FILE_OFFER, &m, name, strlen(name));
}

static int
send_entry(struct files *f, struct outgoing *o)
{
	const struct walk_entry *e = current(o);
	struct msg_file m = { .id = o->t.row.id, .index = o->index, .kind = e->kind,
		.bytes = e->size };
	struct stat st;
	int r;

	o->pos = 0;
	o->have = 0;
	if (e->kind == MSG_FILE_REGULAR) {
		if ((o->fd = walk_open(&o->w, o->index)) == -1)
			return transfer_cancel(f, &o->t, MSG_FILE_IO, "cannot read %s: %s", e->path,
			    strerror(errno));
		if (fstat(o->fd, &st) == -1 || !S_ISREG(st.st_mode))
			return transfer_cancel(f, &o->t, MSG_FILE_CHANGED,
			    "%s is no longer a plain file", e->path);
		crypto_generichash_init(&o->hash, NULL, 0, MSG_FILE_HASH_LEN);
	}
	if ((r = transfer_send(f, MSG_FILE_ENTRY, &m, e->path, strlen(e->path))) != 0)
		return r;
	if (e->kind == MSG_FILE_FOLDER)
		next_entry(o);
	else if (e->size >= FILES_RESUME_MIN_BYTES)
		o->step = OUT_WAIT_RESUME;
	else
		o->step = OUT_DATA;
	return 0;
}

/* Read up to n bytes of the current file at pos into f->chunk; 0 bytes
 * means the file got shorter than announced, and the transfer ends. */
static int
read_chunk(struct files *f, struct outgoing *o, size_t n, size_t *got)
{
	ssize_t r;

	*got = 0;
	do
		r = pread(o->fd, f->chunk, n, (off_t)o->pos);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		return transfer_cancel(f, &o->t, MSG_FILE_IO, "reading %s failed: %s",
		    current(o)->path, strerror(errno));
	if (r == 0)
		return transfer_cancel(f, &o->t, MSG_FILE_CHANGED,
		    "%s got shorter while it was sent", current(o)->path);
	*got = (size_t)r;
	return 0;
}

/* Hash our first `have` bytes, a chunk at a time, and start where the
 * receiver's copy stops if it is the same as ours, else from 0. */
static int
hash_prefix(struct files *f, struct outgoing *o)
{
	uint64_t left = o->have - o->pos;
	size_t n = sizeof(f->chunk), got;
	crypto_generichash_state copy;
	uint8_t ours[MSG_FILE_HASH_LEN];
	int r;

	if (n > left)
		n = (size_t)left;
	if (n > o->hash_budget)
		n = o->hash_budget;
	if ((r = read_chunk(f, o, n, &got)) != 0 || got == 0)
		return r;
	crypto_generichash_update(&o->hash, f->chunk, got);
	o->pos += got;
	o->hash_budget -= got;
	if (o->pos < o->have)
		return 0;
	copy = o->hash;         /* the state goes on over the rest of the file */
	crypto_generichash_final(&copy, ours, sizeof(ours));
	if (sodium_memcmp(ours, o->their, sizeof(ours)) == 0) {
		o->skipped += o->have;
	} else {
		crypto_generichash_init(&o->hash, NULL, 0, MSG_FILE_HASH_LEN);
		o->pos = 0;
		o->have = 0;
	}
	o->step = OUT_DATA;
	return 0;
}

static int
send_data(struct files *f, struct outgoing *o)
{
	const struct walk_entry *e = current(o);
	struct msg_file m = { .id = o->t.row.id, .index = o->index, .bytes = o->pos };
	uint64_t left = e->size - o->pos;
	size_t n = f->chunk_max, got;
	int r;

	if (left == 0) {
		o->step = OUT_END;
		return 0;
	}
	if (n > left)
		n = (size_t)left;
	/* Never more than the window unacknowledged, not even by a chunk. */
	if (n > pace_room(&f->pace))
		n = (size_t)pace_room(&f->pace);
	if ((r = read_chunk(f, o, n, &got)) != 0 || got == 0)
		return r;
	crypto_generichash_update(&o->hash, f->chunk, got);
	if ((r = transfer_send(f, MSG_FILE_DATA, &m, f->chunk, got)) != 0)
		return r;
	o->pos += got;
	o->t.sent += got;
	pace_sent(&f->pace, got, f->now_ms);
	return 0;
}

static int
send_end(struct files *f, struct outgoing *o)
{
	const struct walk_entry *e = current(o);
	struct msg_file m = { .id = o->t.row.id, .index = o->index };
	int r;

	crypto_generichash_final(&o->hash, m.hash, sizeof(m.hash));
	if ((r = transfer_send(f, MSG_FILE_END, &m, NULL, 0)) != 0)
		return r;
	transfer_item(f, &o->t, e->path, e->size, o->have, m.hash);
	o->placed += e->size;
	next_entry(o);
	return 0;
}

/* OFFERs go out in the order of their ids (the receiver holds us to it),
 * whichever place a transfer got. */
static bool
offer_next(const struct files *f, const struct outgoing *o)
{
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++)
		if (f->out[i] != NULL && f->out[i]->step == OUT_OFFER && !f->out[i]->t.ended &&
		    f->out[i]->t.row.id < o->t.row.id)
			return false;
	return true;
}

bool
outgoing_wants(const struct files *f, const struct outgoing *o)
{
	switch (o->step) {
	case OUT_OFFER:
		return queue_short(f) && offer_next(f, o);
	case OUT_ENTRY:
	case OUT_END:
		return queue_short(f);
	case OUT_PREFIX:
		return true;
	case OUT_DATA:
		return window_open(f) && queue_short(f);
	default:
		return false;
	}
}

int
outgoing_step(struct files *f, struct outgoing *o, bool *progressed)
{
	if (o->t.ended || !outgoing_wants(f, o) ||
	    (o->step == OUT_PREFIX && o->hash_budget == 0))
		return 0;
	*progressed = true;
	switch (o->step) {
	case OUT_OFFER:
		return send_offer(f, o);
	case OUT_ENTRY:
		return send_entry(f, o);
	case OUT_PREFIX:
		return hash_prefix(f, o);
	case OUT_DATA:
		return send_data(f, o);
	case OUT_END:
		return send_end(f, o);
	default:
		*progressed = false;
		return 0;
	}
}

int
outgoing_resume(struct files *f, struct outgoing *o, const struct msg_file *m)
{
	if (o->step != OUT_WAIT_RESUME || m->index != o->index)
		return transfer_cancel(f, &o->t, MSG_FILE_BAD_SIZE,
		    "a RESUME for entry %u came where none was asked for", m->index);
	if (m->bytes > current(o)->size)
		return transfer_cancel(f, &o->t, MSG_FILE_BAD_SIZE,
		    "a RESUME past the end of %s", current(o)->path);
	o->have = m->bytes;
	memcpy(o->their, m->hash, sizeof(o->their));
	o->pos = 0;
	o->step = o->have > 0 ? OUT_PREFIX : OUT_DATA;
	return 0;
}

int
outgoing_ack(struct files *f, struct outgoing *o, const struct msg_file *m)
{
	if (m->bytes < o->acked || m->bytes > o->t.sent)
		return transfer_cancel(f, &o->t, MSG_FILE_BAD_SIZE,
		    "an ACK of %llu bytes after %llu were sent", (unsigned long long)m->bytes,
		    (unsigned long long)o->t.sent);
	pace_acked(&f->pace, m->bytes - o->acked, f->now_ms);
	o->acked = m->bytes;
	o->t.row.done_bytes = o->skipped + o->acked;
	if (!m->done) {
		transfer_progress(f, &o->t, false);
		return 0;
	}
	if (o->step != OUT_WAIT_DONE)
		return transfer_cancel(f, &o->t, MSG_FILE_BAD_SIZE,
		    "the receiver said done before entry %u of %u was sent", o->index, o->w.n);
	transfer_done(f, &o->t);
	return 0;
}
