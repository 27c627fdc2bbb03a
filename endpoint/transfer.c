/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "log.h"
#include "transfer.h"

/* An escaped path can be four times as long as the path. */
enum { QUOTED_PATH_LEN = 4 * FILES_PATH_MAX + 1, QUOTED_TEXT_LEN = 4 * MSG_TEXT_MAX + 1 };

struct files *files_engines;

void
transfer_engine_add(struct files *f)
{
	f->next_engine = files_engines;
	files_engines = f;
}

void
transfer_engine_remove(struct files *f)
{
	for (struct files **p = &files_engines; *p != NULL; p = &(*p)->next_engine)
		if (*p == f) {
			*p = f->next_engine;
			return;
		}
}

void *
transfer_alloc(size_t size)
{
	void *p = NULL;

	if (posix_memalign(&p, 64, size) != 0)
		return NULL;
	memset(p, 0, size);
	return p;
}

int
transfer_send(struct files *f, uint8_t type, const struct msg_file *m, const void *p, size_t n)
{
	int r;

	buf_reset(&f->msg);
	if ((r = msg_file_encode(&f->msg, type, m, p, n)) != 0)
		return r;
	return f->io.send(f->io.ctx, &f->msg);
}

const char *
transfer_quote(char *out, size_t out_len, const void *p, size_t n)
{
	return log_escape_text(out, out_len, p, n);
}

static const char *
dir_word(const struct transfer *t)
{
	return t->row.incoming ? "in" : "out";
}

int
transfer_cancel(struct files *f, struct transfer *t, uint8_t reason, const char *fmt, ...)
{
	struct msg_file m = { .id = t->row.id, .reason = reason };
	char text[FILES_PATH_MAX + 512];
	size_t n, room;
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* The peer refuses a CANCEL that is not UTF-8 or does not fit: a
	 * character cut in the middle is taken back. */
	n = strlen(text);
	room = f->io.msg_max - (1 + 4 + 1 + 1 + 2);
	if (n > room)
		n = room;
	while (n > 0 && !buf_utf8_valid((const uint8_t *)text, n))
		n--;
	text[n] = '\0';
	if (n == 0)
		n = (size_t)snprintf(text, sizeof(text), "%s", msg_file_fail_str(reason));
	m.whose = t->row.incoming ? MSG_FILE_YOURS : MSG_FILE_MINE;
	r = transfer_send(f, MSG_FILE_CANCEL, &m, text, n);
	transfer_end(f, t, FILES_FAILED, text);
	return r;
}

static void
keep_row(struct files *f, const struct files_row *row)
{
	f->history[f->history_n % FILES_ENDED_ROWS] = *row;
	f->history_n++;
}

void
transfer_end(struct files *f, struct transfer *t, enum files_state state, const char *why)
{
	char q[QUOTED_TEXT_LEN];

	if (t->ended)
		return;
	t->ended = true;
	t->row.state = state;
	t->row.updated_ms = f->now_ms;
	if (state == FILES_FAILED) {
		size_t n = strlen(why) < sizeof(t->row.why) ? strlen(why) : sizeof(t->row.why) - 1;

		/* The row keeps whole characters only: a window shows it. */
		while (n > 0 && !buf_utf8_valid((const uint8_t *)why, n))
			n--;
		memcpy(t->row.why, why, n);
		t->row.why[n] = '\0';
		event("file-failed %sid=%u dir=%s reason=\"%s\"", f->label, t->row.id, dir_word(t),
		    transfer_quote(q, sizeof(q), why, strlen(why)));
	}
	if (t->row.incoming) {
		f->ended_in[f->ended_in_n % FILES_ENDED_KEPT].id = t->row.id;
		f->ended_in[f->ended_in_n % FILES_ENDED_KEPT].done = state == FILES_DONE;
		f->ended_in_n++;
	} else if (state == FILES_DONE) {
		f->out_done++;
	} else {
		f->out_failed++;
	}
	keep_row(f, &t->row);
}

void
transfer_progress(struct files *f, struct transfer *t, bool now)
{
	uint64_t dt;

	if (t->ended || (!now && f->now_ms - t->progress_ms < FILES_PROGRESS_MS))
		return;
	t->progress_ms = f->now_ms;
	t->row.updated_ms = f->now_ms;
	/* The speed over the last FILES_PROGRESS_MS or more, smoothed. */
	dt = f->now_ms - t->speed_ms;
	if (dt >= FILES_PROGRESS_MS && t->row.done_bytes >= t->speed_bytes) {
		double rate = (double)(t->row.done_bytes - t->speed_bytes) * 1000.0 / (double)dt;

		t->row.bytes_per_s = t->row.bytes_per_s > 0 ? (t->row.bytes_per_s + rate) / 2 :
		    rate;
		t->speed_ms = f->now_ms;
		t->speed_bytes = t->row.done_bytes;
	}
	event("file-progress %sid=%u dir=%s bytes=%llu of=%llu", f->label, t->row.id, dir_word(t),
	    (unsigned long long)t->row.done_bytes, (unsigned long long)t->row.bytes);
}

void
transfer_item(struct files *f, struct transfer *t, const char *path, uint64_t bytes,
    uint64_t from, const uint8_t hash[MSG_FILE_HASH_LEN])
{
	char q[QUOTED_PATH_LEN];

	sodium_bin2hex(t->hex, sizeof(t->hex), hash, MSG_FILE_HASH_LEN);
	event("file-item %sid=%u dir=%s path=\"%s\" bytes=%llu from=%llu blake2b=%s", f->label,
	    t->row.id, dir_word(t), transfer_quote(q, sizeof(q), path, strlen(path)),
	    (unsigned long long)bytes, (unsigned long long)from, t->hex);
}

void
transfer_done(struct files *f, struct transfer *t)
{
	char name[4 * FILES_COMPONENT_MAX + 1], where[4 * sizeof(t->row.where)];
	char hash[sizeof(t->hex) + 16] = "";

	t->row.done_bytes = t->row.bytes;
	transfer_progress(f, t, true);
	if (t->row.files == 1 && t->hex[0] != '\0')
		snprintf(hash, sizeof(hash), " blake2b=%s", t->hex);
	transfer_quote(name, sizeof(name), t->row.name, strlen(t->row.name));
	if (t->row.incoming) {
		transfer_quote(where, sizeof(where), t->row.where, strlen(t->row.where));
		event("file-done %sid=%u dir=in name=\"%s\" files=%u bytes=%llu sent=%llu "
		    "path=\"%s\"%s", f->label, t->row.id, name, t->row.files,
		    (unsigned long long)t->row.bytes, (unsigned long long)t->sent, where, hash);
	} else {
		event("file-done %sid=%u dir=out name=\"%s\" files=%u bytes=%llu sent=%llu%s",
		    f->label, t->row.id, name, t->row.files, (unsigned long long)t->row.bytes,
		    (unsigned long long)t->sent, hash);
	}
	transfer_end(f, t, FILES_DONE, "");
}
