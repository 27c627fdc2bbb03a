/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files.c - the file engine's table: the transfers with one peer in both
 * directions, what comes from the peer dispatched to them, the pump that
 * lets them send, and the list people see. The transfers themselves are
 * outgoing.c and incoming.c; this file frees those that ended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "incoming.h"
#include "log.h"
#include "outgoing.h"

/* The longest FILE_ENTRY: the stream must carry it. */
enum { FILES_ENTRY_MSG_MAX = 1 + 4 + 4 + 1 + 8 + 2 + FILES_PATH_MAX };

struct files *
files_new(const struct files_conf *conf, struct files_io io, const char *label)
{
	struct files *f;

	if (io.send == NULL || io.queued == NULL || io.msg_max < FILES_ENTRY_MSG_MAX)
		return NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->io = io;
	f->inbox_fd = -1;
	if (conf != NULL && conf->inbox != NULL && conf->inbox[0] != '\0' &&
	    (f->inbox = strdup(conf->inbox)) == NULL) {
		free(f);
		return NULL;
	}
	if (conf != NULL) {
		f->transfer_max_bytes = conf->transfer_max_bytes;
		f->total_max_bytes = conf->total_max_bytes;
	}
	if (label != NULL && label[0] != '\0')
		snprintf(f->label, sizeof(f->label), "%s ", label);
	pace_init(&f->pace);
	f->chunk_max = io.msg_max - MSG_FILE_DATA_HEAD_LEN;
	if (f->chunk_max > FILES_CHUNK_BYTES)
		f->chunk_max = FILES_CHUNK_BYTES;
	buf_init(&f->msg, io.msg_max);
	f->next_out_id = 1;
	transfer_engine_add(f);
	return f;
}

/* Free what ended, and give free places to queued transfers. */
static void
tidy(struct files *f)
{
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++) {
		if (f->out[i] != NULL && f->out[i]->t.ended) {
			/* What it had in flight no longer holds the others back. */
			pace_forget(&f->pace, f->out[i]->t.sent - f->out[i]->acked);
			outgoing_free(f->out[i]);
			f->out[i] = NULL;
		}
		if (f->in[i] != NULL && f->in[i]->t.ended) {
			incoming_free(f->in[i]);
			f->in[i] = NULL;
		}
	}
	for (int i = 0; i < FILES_TRANSFERS_MAX && f->queue != NULL; i++) {
		struct outgoing *o = f->queue;

		if (f->out[i] != NULL)
			continue;
		f->queue = o->next;
		if (f->queue == NULL)
			f->queue_tail = NULL;
		f->queued_n--;
		o->next = NULL;
		o->step = OUT_OFFER;
		o->t.row.started_ms = o->t.row.updated_ms = f->now_ms;
		o->t.progress_ms = o->t.speed_ms = f->now_ms;
		f->out[i] = o;
	}
}

void
files_free(struct files *f, const char *why)
{
	char text[512];

	if (f == NULL)
		return;
	if (why == NULL || why[0] == '\0')
		why = "connection lost";
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++) {
		if (f->out[i] != NULL)
			transfer_end(f, &f->out[i]->t, FILES_FAILED, why);
		if (f->in[i] == NULL)
			continue;
		if (incoming_kept(f->in[i])[0] != '\0')
			snprintf(text, sizeof(text), "%s; %s kept for resume", why,
			    incoming_kept(f->in[i]));
		else
			snprintf(text, sizeof(text), "%s", why);
		transfer_end(f, &f->in[i]->t, FILES_FAILED, text);
	}
	for (struct outgoing *o = f->queue; o != NULL; o = o->next)
		transfer_end(f, &o->t, FILES_FAILED, why);
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++) {
		outgoing_free(f->out[i]);
		incoming_free(f->in[i]);
	}
	while (f->queue != NULL) {
		struct outgoing *o = f->queue;

		f->queue = o->next;
		outgoing_free(o);
	}
	if (f->inbox_fd >= 0)
		close(f->inbox_fd);
	transfer_engine_remove(f);
	buf_release(&f->msg);
	free(f->inbox);
	free(f);
}

int
files_send(struct files *f, const char *path, char *why, size_t why_len)
{
	char q[4 * FILES_PATH_MAX + 1], n[4 * FILES_COMPONENT_MAX + 1];
	struct outgoing *o;
	struct walk w;
	int r;

	if (f->queued_n >= FILES_QUEUE_MAX) {
		snprintf(why, why_len, "%d transfers are waiting already", FILES_QUEUE_MAX);
		return ERR_LIMIT;
	}
	if (f->next_out_id == 0) {      /* 2^32 - 1 transfers on one connection */
		snprintf(why, why_len, "no transfer ids left on this connection");
		return ERR_LIMIT;
	}
	if ((r = walk_path(path, &w, why, why_len)) != 0)
		return r;
	if ((o = outgoing_new(&w, f->next_out_id)) == NULL) {
		walk_free(&w);
		snprintf(why, why_len, "out of memory");
		return ERR_NOMEM;
	}
	f->next_out_id++;
	o->t.row.started_ms = o->t.row.updated_ms = f->now_ms;
	event("file-offer %sid=%u dir=out name=\"%s\" files=%u bytes=%llu", f->label,
	    o->t.row.id, transfer_quote(n, sizeof(n), o->t.row.name, strlen(o->t.row.name)),
	    o->w.n, (unsigned long long)o->w.bytes);
	for (uint32_t i = 0; i < o->w.n_skip; i++) {
		const char *p = o->w.skip[i].path;
		size_t pl = strlen(p);

		/* A name skipped for not being UTF-8 is shown byte by byte. */
		event("file-skipped %sid=%u path=\"%s\" reason=\"%s\"", f->label, o->t.row.id,
		    buf_utf8_valid((const uint8_t *)p, pl) ? transfer_quote(q, sizeof(q), p, pl) :
		    log_escape(q, sizeof(q), p, pl), o->w.skip[i].why);
	}
	if (f->queue_tail != NULL)
		f->queue_tail->next = o;
	else
		f->queue = o;
	f->queue_tail = o;
	f->queued_n++;
	tidy(f);
	return 0;
}

static struct incoming *
find_in(const struct files *f, uint32_t id)
{
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++)
		if (f->in[i] != NULL && f->in[i]->t.row.id == id && !f->in[i]->t.ended)
			return f->in[i];
	return NULL;
}

static struct outgoing *
find_out(const struct files *f, uint32_t id)
{
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++)
		if (f->out[i] != NULL && f->out[i]->t.row.id == id && !f->out[i]->t.ended)
			return f->out[i];
	return NULL;
}

/* A message for an incoming id that is not running. One that crossed our
 * CANCEL is ignored; an id never offered, anything but a CANCEL after the
 * transfer was complete (an honest sender has nothing more to say: this is
 * "more entries than announced"), or DATA for a transfer that ended long
 * ago is a protocol error. */
static int
not_running_in(const struct files *f, uint32_t id, uint8_t type)
{
	unsigned n = f->ended_in_n < FILES_ENDED_KEPT ? f->ended_in_n : FILES_ENDED_KEPT;

	if (id > f->in_max_id)
		return ERR_PROTOCOL;
	for (unsigned i = 0; i < n; i++)
		if (f->ended_in[i].id == id)
			return f->ended_in[i].done && type != MSG_FILE_CANCEL ? ERR_PROTOCOL : 0;
	return type == MSG_FILE_DATA ? ERR_PROTOCOL : 0;
}

/* The same for our own ids: a queued one was never offered. */
static int
not_running_out(const struct files *f, uint32_t id)
{
	return id > f->offered_out_id ? ERR_PROTOCOL : 0;
}

static void
peer_cancelled(struct files *f, struct transfer *t, const struct msg_file *m)
{
	char text[MSG_TEXT_MAX + 1];
	size_t n = buf_len(&m->text);

	memcpy(text, buf_ptr(&m->text), n);
	text[n] = '\0';
	transfer_end(f, t, FILES_FAILED, text[0] != '\0' ? text : msg_file_fail_str(m->reason));
}

static int
take(struct files *f, const struct msg *msg)
{
	const struct msg_file *m = &msg->u.file;
	struct incoming *in = NULL;
	struct outgoing *o = NULL;
	bool mine = msg->type == MSG_FILE_CANCEL && m->whose == MSG_FILE_MINE;

	switch (msg->type) {
	case MSG_FILE_OFFER:
		if (m->id <= f->in_max_id)
			return ERR_PROTOCOL;    /* ids only count up */
		f->in_max_id = m->id;
		return incoming_offer(f, m);
	case MSG_FILE_ENTRY:
	case MSG_FILE_DATA:
	case MSG_FILE_END:
		if ((in = find_in(f, m->id)) == NULL)
			return not_running_in(f, m->id, msg->type);
		if (msg->type == MSG_FILE_ENTRY)
			return incoming_entry(f, in, m);
		if (msg->type == MSG_FILE_DATA)
			return incoming_data(f, in, m);
		return incoming_end(f, in, m);
	case MSG_FILE_RESUME:
	case MSG_FILE_ACK:
		if (m->id > f->offered_out_id || (o = find_out(f, m->id)) == NULL)
			return not_running_out(f, m->id);
		if (msg->type == MSG_FILE_RESUME)
			return outgoing_resume(f, o, m);
		return outgoing_ack(f, o, m);
	case MSG_FILE_CANCEL:
		if (mine && (in = find_in(f, m->id)) == NULL)
			return not_running_in(f, m->id, msg->type);
		if (!mine && (m->id > f->offered_out_id || (o = find_out(f, m->id)) == NULL))
			return not_running_out(f, m->id);
		peer_cancelled(f, mine ? &in->t : &o->t, m);
		return 0;
	}
	return ERR_UNSUPPORTED;
}

int
files_take(struct files *f, const struct msg *m, uint64_t now_ms)
{
	int r;

	f->now_ms = now_ms;
	r = take(f, m);
	tidy(f);
	return r;
}

int
files_pump(struct files *f, uint64_t now_ms)
{
	bool progressed;
	int r = 0;

	f->now_ms = now_ms;
	tidy(f);
	for (int i = 0; i < FILES_TRANSFERS_MAX && r == 0; i++) {
		size_t budget = FILES_HASH_STEP_BYTES;

		/* Sent before the first take or pump told the time: it starts now. */
		if (f->out[i] != NULL && f->out[i]->t.row.started_ms == 0) {
			f->out[i]->t.row.started_ms = f->out[i]->t.row.updated_ms = now_ms;
			f->out[i]->t.progress_ms = f->out[i]->t.speed_ms = now_ms;
		}

		while (r == 0 && budget > 0 && f->in[i] != NULL && incoming_wants(f->in[i]))
			r = incoming_step(f, f->in[i], &budget);
		if (f->out[i] != NULL)
			f->out[i]->hash_budget = FILES_HASH_STEP_BYTES;
	}
	/* One step per transfer in turn, so that they share the flow class. */
	do {
		progressed = false;
		for (int i = 0; i < FILES_TRANSFERS_MAX && r == 0; i++)
			if (f->out[i] != NULL)
				r = outgoing_step(f, f->out[i], &progressed);
	} while (progressed && r == 0);
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++) {
		if (f->out[i] != NULL)
			transfer_progress(f, &f->out[i]->t, false);
		if (f->in[i] != NULL)
			transfer_progress(f, &f->in[i]->t, false);
	}
	tidy(f);
	return r;
}

bool
files_want_pump(const struct files *f)
{
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++) {
		if (f->out[i] != NULL && !f->out[i]->t.ended && outgoing_wants(f, f->out[i]))
			return true;
		if (f->in[i] != NULL && incoming_wants(f->in[i]))
			return true;
	}
	return false;
}

static void
cancel_queued(struct files *f, struct outgoing *o, const char *why)
{
	struct outgoing **pp = &f->queue, *prev = NULL;

	while (*pp != o) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	*pp = o->next;
	if (f->queue_tail == o)
		f->queue_tail = prev;
	f->queued_n--;
	transfer_end(f, &o->t, FILES_FAILED, why);     /* the peer never heard of it */
	outgoing_free(o);
}

/* End t with a CANCEL to the peer, unless the peer never heard of it (an
 * outgoing transfer whose OFFER has not gone out). It ends even when the
 * CANCEL cannot go out: the stream is failing then, and its owner finds out. */
static void
cancel(struct files *f, struct transfer *t, uint8_t reason, const char *why)
{
	if (!t->row.incoming && t->row.id > f->offered_out_id)
		transfer_end(f, t, FILES_FAILED, why);
	else if (transfer_cancel(f, t, reason, "%s", why) != 0)
		log_warn("files: the cancel of transfer %u could not be sent", t->row.id);
}

void
files_cancel(struct files *f, uint32_t id, bool incoming)
{
	struct transfer *t = NULL;

	if (incoming && find_in(f, id) != NULL)
		t = &find_in(f, id)->t;
	if (!incoming && find_out(f, id) != NULL)
		t = &find_out(f, id)->t;
	if (t != NULL) {
		cancel(f, t, MSG_FILE_CANCELLED, incoming ? "cancelled by the receiver" :
		    "cancelled by the sender");
	} else if (!incoming) {
		for (struct outgoing *o = f->queue; o != NULL; o = o->next) {
			if (o->t.row.id == id) {
				cancel_queued(f, o, "cancelled by the sender");
				break;
			}
		}
	}
	tidy(f);
}

void
files_cancel_all(struct files *f, uint8_t reason, const char *why)
{
	if (why == NULL || why[0] == '\0')
		why = msg_file_fail_str(reason);
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++) {
		if (f->out[i] != NULL && !f->out[i]->t.ended)
			cancel(f, &f->out[i]->t, reason, why);
		if (f->in[i] != NULL && !f->in[i]->t.ended)
			cancel(f, &f->in[i]->t, reason, why);
	}
	while (f->queue != NULL)
		cancel_queued(f, f->queue, why);
	tidy(f);
}

unsigned
files_running(const struct files *f)
{
	unsigned n = f->queued_n;

	for (int i = 0; i < FILES_TRANSFERS_MAX; i++)
		n += (f->out[i] != NULL && !f->out[i]->t.ended) +
		    (f->in[i] != NULL && !f->in[i]->t.ended);
	return n;
}

void
files_sent_outcome(const struct files *f, unsigned *done, unsigned *failed)
{
	*done = f->out_done;
	*failed = f->out_failed;
}

size_t
files_list(const struct files *f, struct files_row *rows, size_t max)
{
	unsigned kept = f->history_n < FILES_ENDED_ROWS ? f->history_n : FILES_ENDED_ROWS;
	size_t n = 0;

	for (int i = 0; i < FILES_TRANSFERS_MAX && n < max; i++)
		if (f->out[i] != NULL && !f->out[i]->t.ended)
			rows[n++] = f->out[i]->t.row;
	for (const struct outgoing *o = f->queue; o != NULL && n < max; o = o->next)
		rows[n++] = o->t.row;
	for (int i = 0; i < FILES_TRANSFERS_MAX && n < max; i++)
		if (f->in[i] != NULL && !f->in[i]->t.ended)
			rows[n++] = f->in[i]->t.row;
	for (unsigned k = 1; k <= kept && n < max; k++)
		rows[n++] = f->history[(f->history_n - k) % FILES_ENDED_ROWS];
	return n;
}
