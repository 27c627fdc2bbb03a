/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "inbox.h"
#include "incoming.h"
#include "prune.h"
#include "relpath.h"

/* A peer's name in a CANCEL text: its first bytes are enough to say which
 * (cut between characters: the text must stay UTF-8). */
#define NAME_FMT "\"%.*s\""
#define NAME_ARG(p, n) shown((const char *)(p), (n)), (const char *)(p)
enum { NAME_SHOWN_MAX = 200 };

static int
shown(const char *p, size_t n)
{
	if (n <= NAME_SHOWN_MAX)
		return (int)n;
	n = NAME_SHOWN_MAX;
	while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* What the transfers taken into f's inbox will still write, from every
 * peer (files_engines): the free space is theirs already (saturating:
 * announced sizes are the peers'). */
static uint64_t
spoken_for(const struct files *f)
{
	uint64_t sum = 0;

	for (const struct files *e = files_engines; e != NULL; e = e->next_engine) {
		if (e->inbox == NULL || strcmp(e->inbox, f->inbox) != 0)
			continue;
		for (int i = 0; i < FILES_TRANSFERS_MAX; i++) {
			const struct incoming *in = e->in[i];
			uint64_t left;

			if (in == NULL || in->t.ended || in->announced <= in->t.row.done_bytes)
				continue;
			left = in->announced - in->t.row.done_bytes;
			sum = sum > UINT64_MAX - left ? UINT64_MAX : sum + left;
		}
	}
	return sum;
}

static int
find_place(const struct files *f)
{
	for (int i = 0; i < FILES_TRANSFERS_MAX; i++)
		if (f->in[i] == NULL)
			return i;
	return -1;
}

/* Refuse an OFFER that breaks a rule of this side (t ends then). */
static int
refuse_offer(struct files *f, struct transfer *t, const struct msg_file *m)
{
	const char *name = (const char *)buf_ptr(&m->text), *rule;
	size_t n = buf_len(&m->text);
	uint64_t held;
	int fd;

	if (relpath_check(name, n, &rule) != 0)
		return transfer_cancel(f, t, MSG_FILE_BAD_NAME, "%s: " NAME_FMT, rule,
		    NAME_ARG(name, n));
	if (memchr(name, '/', n) != NULL)
		return transfer_cancel(f, t, MSG_FILE_BAD_NAME,
		    "a transfer's name is one name, without '/': " NAME_FMT, NAME_ARG(name, n));
	if (f->inbox == NULL)
		return transfer_cancel(f, t, MSG_FILE_REFUSED, "this side does not take files");
	if (find_place(f) < 0)
		return transfer_cancel(f, t, MSG_FILE_REFUSED,
		    "more than %d transfers at once", FILES_TRANSFERS_MAX);
	if (f->transfer_max_bytes != 0 && m->bytes > f->transfer_max_bytes)
		return transfer_cancel(f, t, MSG_FILE_REFUSED,
		    "%llu bytes is over the limit of %llu bytes per transfer",
		    (unsigned long long)m->bytes, (unsigned long long)f->transfer_max_bytes);
	if (f->total_max_bytes != 0 && (m->bytes > f->total_max_bytes ||
	    f->total_taken > f->total_max_bytes - m->bytes))
		return transfer_cancel(f, t, MSG_FILE_REFUSED,
		    "%llu bytes more is over the limit of %llu bytes in all (%llu taken already)",
		    (unsigned long long)m->bytes, (unsigned long long)f->total_max_bytes,
		    (unsigned long long)f->total_taken);
	if (f->inbox_fd < 0) {
		if ((fd = inbox_open(f->inbox)) < 0)
			return transfer_cancel(f, t, MSG_FILE_IO, "the inbox cannot be made: %s",
			    strerror(-fd));
		f->inbox_fd = fd;
	}
	held = spoken_for(f);
	if (!inbox_room(f->inbox_fd, held > UINT64_MAX - m->bytes ? UINT64_MAX : held + m->bytes))
		return transfer_cancel(f, t, MSG_FILE_DISK_FULL,
		    "%llu bytes do not fit on the receiving disk%s", (unsigned long long)m->bytes,
		    held > 0 ? " beside the transfers under way" : "");
	return 0;
}

int
incoming_offer(struct files *f, const struct msg_file *m)
{
	struct transfer t = { .row = { .id = m->id, .incoming = true, .files = m->count,
		.bytes = m->bytes, .started_ms = f->now_ms, .updated_ms = f->now_ms } };
	size_t n = buf_len(&m->text);
	char q[4 * FILES_PATH_MAX + 1];
	struct incoming *in;
	int r;

	/* A name too long to take is still shown: its first whole characters. */
	memcpy(t.row.name, buf_ptr(&m->text), n < FILES_COMPONENT_MAX ? n : FILES_COMPONENT_MAX);
	for (size_t k = strlen(t.row.name); k > 0 && !buf_utf8_valid((uint8_t *)t.row.name, k); )
		t.row.name[--k] = '\0';
	event("file-offer %sid=%u dir=in name=\"%s\" files=%u bytes=%llu", f->label, m->id,
	    transfer_quote(q, sizeof(q), buf_ptr(&m->text), n), m->count,
	    (unsigned long long)m->bytes);
	if ((r = refuse_offer(f, &t, m)) != 0 || t.ended)
		return r;
	if ((in = transfer_alloc(sizeof(*in))) == NULL)
		return transfer_cancel(f, &t, MSG_FILE_IO, "out of memory");
	in->t = t;
	in->t.progress_ms = in->t.speed_ms = f->now_ms;
	in->count = m->count;
	in->announced = m->bytes;
	in->top_fd = in->dir_fd = in->fd = -1;
	in->step = IN_ENTRY;
	in->ack_at = FILES_ACK_BYTES;
	f->in[find_place(f)] = in;
	f->total_taken += m->bytes;
	return 0;
}

static void
close_file(struct incoming *in)
{
	if (in->fd != -1)
		close(in->fd);
	if (in->dir_owned && in->dir_fd != -1)
		close(in->dir_fd);
	in->fd = in->dir_fd = -1;
	in->dir_owned = false;
}

void
incoming_free(struct incoming *in)
{
	if (in == NULL)
		return;
	close_file(in);
	if (in->top_fd != -1)
		close(in->top_fd);
	prune_free(&in->sent);
	sodium_memzero(&in->hash, sizeof(in->hash));
	free(in);
}

const char *
incoming_kept(const struct incoming *in)
{
	if (in->folder)
		return in->top_part;
	return in->fd != -1 ? in->part : "";
}

/* Every entry arrived: the folder gets its final name, the peer hears. */
static int
complete(struct files *f, struct incoming *in)
{
	struct msg_file ack = { .id = in->t.row.id, .bytes = in->got, .done = 1 };
	char final[FILES_COMPONENT_MAX + 1];
	int r;

	if (in->folder) {
		/* What an earlier transfer left in TOP.part is not this one's. */
		if ((r = prune_rest(&in->sent, in->top_fd)) != 0)
			return transfer_cancel(f, &in->t, MSG_FILE_IO,
			    "what an earlier transfer left in %s cannot be removed: %s",
			    in->top_part, strerror(-r));
		if ((r = inbox_place(f->inbox_fd, in->top_part, in->t.row.name, true, final)) != 0)
			return transfer_cancel(f, &in->t, MSG_FILE_IO,
			    "the folder cannot be put in place: %s", strerror(-r));
		snprintf(in->t.row.where, sizeof(in->t.row.where), "%s/%s", f->inbox, final);
	}
	if ((r = transfer_send(f, MSG_FILE_ACK, &ack, NULL, 0)) != 0)
		return r;
	transfer_done(f, &in->t);
	return 0;
}

/* The .part of a file at the current entry is open and locked: keep what
 * it holds for a resume (a big file), or start it empty. */
static int
start_file(struct files *f, struct incoming *in)
{
	struct msg_file m = { .id = in->t.row.id, .index = in->index };
	struct stat st;

	crypto_generichash_init(&in->hash, NULL, 0, MSG_FILE_HASH_LEN);
	in->pos = in->have = in->from = 0;
	in->any_data = false;
	if (fstat(in->fd, &st) == -1)
		return transfer_cancel(f, &in->t, MSG_FILE_IO, "%s: %s", in->path, strerror(errno));
	if (in->size >= FILES_RESUME_MIN_BYTES && st.st_size > 0 &&
	    (uint64_t)st.st_size <= in->size) {
		in->have = (uint64_t)st.st_size;
		in->step = IN_HASHING;
		return 0;
	}
	if (ftruncate(in->fd, 0) == -1)
		return transfer_cancel(f, &in->t, MSG_FILE_IO, "%s: %s", in->path, strerror(errno));
	in->step = IN_DATA;
	if (in->size < FILES_RESUME_MIN_BYTES)
		return 0;
	return transfer_send(f, MSG_FILE_RESUME, &m, NULL, 0);
}

/* Open the .part of file leaf in in->dir_fd (whose ENTRY was checked). */
static int
open_file(struct files *f, struct incoming *in, const char *leaf)
{
	int fd;

	snprintf(in->leaf, sizeof(in->leaf), "%s", leaf);
	inbox_part_name(in->leaf, in->part);
	if ((fd = inbox_part(in->dir_fd, in->part)) >= 0) {
		in->fd = fd;
		return start_file(f, in);
	}
	if (fd == -EWOULDBLOCK)
		return transfer_cancel(f, &in->t, MSG_FILE_BUSY,
		    "%s is being received already", in->path);
	if (fd == -ELOOP || fd == -EEXIST)
		return transfer_cancel(f, &in->t, MSG_FILE_IO,
		    "%s: its .part in the inbox is a link or not a plain file", in->path);
	return transfer_cancel(f, &in->t, fd == -ENOSPC ? MSG_FILE_DISK_FULL : MSG_FILE_IO,
	    "%s: %s", in->path, strerror(-fd));
}

/* Entry index 0: the top itself, a folder (made as TOP.part) or the file. */
static int
top_entry(struct files *f, struct incoming *in, const struct msg_file *m)
{
	int fd;

	if (m->kind == MSG_FILE_REGULAR) {
		if (in->count != 1)
			return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
			    "a single file announced as %u entries", in->count);
		in->dir_fd = f->inbox_fd;
		return open_file(f, in, in->t.row.name);
	}
	in->folder = true;
	inbox_part_name(in->t.row.name, in->top_part);
	if ((fd = inbox_folder(f->inbox_fd, in->top_part, strlen(in->top_part))) < 0)
		return transfer_cancel(f, &in->t, MSG_FILE_IO,
		    "%s: its .part in the inbox is a link or not a folder (%s)", in->t.row.name,
		    strerror(-fd));
	in->top_fd = fd;
	if (inbox_lock(fd) != 0)
		return transfer_cancel(f, &in->t, MSG_FILE_BUSY,
		    "%s is being received already", in->t.row.name);
	return 0;
}

/* An entry below the top: rest is its path inside the folder (n bytes,
 * NUL-terminated: a part of in->path). */
static int
inner_entry(struct files *f, struct incoming *in, const struct msg_file *m, const char *rest,
    size_t n)
{
	const char *slash = memrchr(rest, '/', n);
	int fd;

	if (m->kind == MSG_FILE_FOLDER) {
		if ((fd = inbox_folder(in->top_fd, rest, n)) < 0)
			return transfer_cancel(f, &in->t, MSG_FILE_BAD_NAME,
			    "%s goes through a file or link", in->path);
		close(fd);
		return 0;
	}
	if (slash == NULL) {
		in->dir_fd = in->top_fd;
	} else if ((fd = inbox_folder(in->top_fd, rest, (size_t)(slash - rest))) >= 0) {
		in->dir_fd = fd;
		in->dir_owned = true;
	} else {
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_NAME,
		    "%s goes through a file or link", in->path);
	}
	return open_file(f, in, slash != NULL ? slash + 1 : rest);
}

int
incoming_entry(struct files *f, struct incoming *in, const struct msg_file *m)
{
	const char *path = (const char *)buf_ptr(&m->text), *rule;
	size_t n = buf_len(&m->text), top = strlen(in->t.row.name);
	int r;

	if (in->step != IN_ENTRY)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "entry %u came before the end of %s", m->index, in->path);
	if (m->index != in->next)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "entry %u came where entry %u was due", m->index, in->next);
	if (m->index >= in->count)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "more entries than the %u announced", in->count);
	if (relpath_check(path, n, &rule) != 0)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_NAME, "%s: " NAME_FMT, rule,
		    NAME_ARG(path, n));
	if (n < top || memcmp(path, in->t.row.name, top) != 0 || (n > top && path[top] != '/'))
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_NAME,
		    NAME_FMT " is not inside the transfer's " NAME_FMT, NAME_ARG(path, n),
		    NAME_ARG(in->t.row.name, top));
	if ((m->index == 0) != (n == top))
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_NAME,
		    m->index == 0 ? "the first entry is not the top: " NAME_FMT :
		    "the top came twice: " NAME_FMT, NAME_ARG(path, n));
	if (m->index > 0 && !in->folder)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE, "a file with entries inside");
	if (m->bytes > in->announced - in->entry_bytes)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "more bytes than the %llu announced", (unsigned long long)in->announced);
	in->entry_bytes += m->bytes;
	in->index = m->index;
	in->next = m->index + 1;
	in->size = m->bytes;
	memcpy(in->path, path, n);
	in->path[n] = '\0';
	if (m->index == 0)
		r = top_entry(f, in, m);
	else if (prune_add(&in->sent, in->path + top + 1, n - top - 1) != 0)
		r = transfer_cancel(f, &in->t, MSG_FILE_IO, "out of memory");
	else
		r = inner_entry(f, in, m, in->path + top + 1, n - top - 1);
	if (r != 0 || in->t.ended || m->kind == MSG_FILE_REGULAR)
		return r;
	return in->next == in->count ? complete(f, in) : 0;
}

int
incoming_step(struct files *f, struct incoming *in, size_t *budget)
{
	struct msg_file m = { .id = in->t.row.id, .index = in->index };
	crypto_generichash_state copy;
	size_t n = sizeof(f->chunk);
	ssize_t got;

	if (n > in->have - in->pos)
		n = (size_t)(in->have - in->pos);
	if (n > *budget)
		n = *budget;
	if (n > 0) {
		do
			got = pread(in->fd, f->chunk, n, (off_t)in->pos);
		while (got == -1 && errno == EINTR);
		if (got == -1)
			return transfer_cancel(f, &in->t, MSG_FILE_IO, "reading %s failed: %s",
			    in->path, strerror(errno));
		if (got == 0)
			in->have = in->pos;     /* it got shorter under us: keep what is there */
		crypto_generichash_update(&in->hash, f->chunk, (size_t)got);
		in->pos += (uint64_t)got;
		*budget -= (size_t)got;
	}
	if (in->pos < in->have)
		return 0;
	m.bytes = in->have;
	if (in->have > 0) {
		copy = in->hash;        /* the state goes on with the data that follows */
		crypto_generichash_final(&copy, m.hash, sizeof(m.hash));
	}
	in->t.row.done_bytes = in->placed + in->pos;
	in->step = IN_DATA;
	return transfer_send(f, MSG_FILE_RESUME, &m, NULL, 0);
}

bool
incoming_wants(const struct incoming *in)
{
	return in->step == IN_HASHING && !in->t.ended;
}

static int
write_all(int fd, const uint8_t *p, size_t n, uint64_t at)
{
	while (n > 0) {
		ssize_t w = pwrite(fd, p, n, (off_t)at);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return w == 0 ? ENOSPC : errno;
		p += w;
		n -= (size_t)w;
		at += (uint64_t)w;
	}
	return 0;
}

int
incoming_data(struct files *f, struct incoming *in, const struct msg_file *m)
{
	struct msg_file ack = { .id = in->t.row.id };
	size_t n = buf_len(&m->text);
	int e;

	if (in->step != IN_DATA || m->index != in->index)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "data for entry %u came out of place", m->index);
	if (!in->any_data && in->have > 0 && m->bytes == 0) {
		/* Our copy was not the sender's: it starts over. */
		if (ftruncate(in->fd, 0) == -1)
			return transfer_cancel(f, &in->t, MSG_FILE_IO, "%s: %s", in->path,
			    strerror(errno));
		crypto_generichash_init(&in->hash, NULL, 0, MSG_FILE_HASH_LEN);
		in->pos = in->have = 0;
	}
	if (m->bytes != in->pos)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "data for %s at byte %llu where byte %llu was due", in->path,
		    (unsigned long long)m->bytes, (unsigned long long)in->pos);
	if (n > in->size - in->pos)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "data past the end of %s (%llu bytes announced)", in->path,
		    (unsigned long long)in->size);
	if (!in->any_data)
		in->from = in->pos;
	in->any_data = true;
	if ((e = write_all(in->fd, buf_ptr(&m->text), n, in->pos)) != 0)
		return transfer_cancel(f, &in->t, e == ENOSPC || e == EDQUOT ? MSG_FILE_DISK_FULL :
		    MSG_FILE_IO, "writing %s failed: %s%s", in->path, strerror(e),
		    e == ENOSPC || e == EDQUOT ? " (kept for resume)" : "");
	crypto_generichash_update(&in->hash, buf_ptr(&m->text), n);
	in->pos += n;
	in->got += n;
	in->t.sent += n;
	in->t.row.done_bytes = in->placed + in->pos;
	if (in->got >= in->ack_at) {
		ack.bytes = in->got;
		in->ack_at = in->got + FILES_ACK_BYTES;
		if ((e = transfer_send(f, MSG_FILE_ACK, &ack, NULL, 0)) != 0)
			return e;
	}
	transfer_progress(f, &in->t, false);
	return 0;
}

int
incoming_end(struct files *f, struct incoming *in, const struct msg_file *m)
{
	char final[FILES_COMPONENT_MAX + 1];
	uint8_t ours[MSG_FILE_HASH_LEN];
	int r;

	if (in->step != IN_DATA || m->index != in->index)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "the end of entry %u came out of place", m->index);
	if (in->pos != in->size)
		return transfer_cancel(f, &in->t, MSG_FILE_BAD_SIZE,
		    "the end of %s came after %llu of its %llu bytes", in->path,
		    (unsigned long long)in->pos, (unsigned long long)in->size);
	if (!in->any_data)
		in->from = in->pos;
	crypto_generichash_final(&in->hash, ours, sizeof(ours));
	if (sodium_memcmp(ours, m->hash, sizeof(ours)) != 0) {
		/* What we hold is wrong: no later resume may build on it. */
		(void)unlinkat(in->dir_fd, in->part, 0);
		return transfer_cancel(f, &in->t, MSG_FILE_CORRUPT,
		    "%s: the hash did not match; the copy was removed", in->path);
	}
	if (fdatasync(in->fd) == -1)
		return transfer_cancel(f, &in->t, MSG_FILE_IO, "%s: %s", in->path, strerror(errno));
	if (in->folder) {
		/* Inside our own TOP.part: what an earlier try left gives way. */
		r = renameat(in->dir_fd, in->part, in->dir_fd, in->leaf) == 0 ? 0 : -errno;
	} else if ((r = inbox_place(in->dir_fd, in->part, in->leaf, false, final)) == 0) {
		snprintf(in->t.row.where, sizeof(in->t.row.where), "%s/%s", f->inbox, final);
	}
	if (r != 0)
		return transfer_cancel(f, &in->t, MSG_FILE_IO, "%s cannot be put in place: %s",
		    in->path, strerror(-r));
	transfer_item(f, &in->t, in->path, in->size, in->from, ours);
	in->placed += in->size;
	in->t.row.done_bytes = in->placed;
	close_file(in);
	in->step = IN_ENTRY;
	return in->next == in->count ? complete(f, in) : 0;
}
