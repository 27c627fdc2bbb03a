/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file_peer - a viewer written from docs/PROTOCOL.md and proto/msg.h by
 * someone who wants to write where the host did not mean it to. It joins a
 * real relay's session with the right code, runs the handshake, waits for
 * the host's ACCEPT and then sends hand-built FILE_* messages on the
 * pairwise stream, one hostile case per --mode, and prints what comes
 * back:
 *
 *   file_peer --relay HOST:PORT --session N --code C --mode MODE
 *             [--in entry|offer] [--name NAME] [--file PATH] [--target PATH]
 *             [--bytes N] [--wait S] [--peer-name NAME]
 *             [--pause-after BYTES --continue-when PATH] [--early]
 *
 * --early sends the mode's messages as soon as the handshake is done,
 * before the host has answered (the host must ignore them).
 *
 * Output, one line each: "welcome slot=S", "verified check=C",
 * "allowed rights=0xRR files=yes|no", "sent MODE", then what the host says:
 *   got FILE_CANCEL id=I whose=W reason=N (TEXT) text="..."  (control
 *       characters, '"' and '\\' in the text as \xNN)
 *   got FILE_ACK id=I got=N done=D
 *   got FILE_RESUME id=I index=X have=N
 *   got ACCEPT rights=0xRR           (the host changed our rights)
 *   got BYE reason=N (TEXT)
 *   got ERROR code=N text="..."      (the relay's, e.g. after a kick)
 *   closed                           (the connection ended)
 *   timeout                          (nothing that settles it within --wait)
 * and last "alive" when the stream is still open (the peer then leaves
 * with a BYE) or "ended". Exit 0 whenever the exchange ran; 1 when the
 * tool itself could not (no session, wrong code, no files right where the
 * mode needs it).
 *
 * Modes (the transfer is id 1 unless said otherwise):
 *   valid       the positive control: --file (or a built-in text, under 1
 *               MiB) as --name, correctly; ends on FILE_ACK done=1
 *   folder      the same, as "NAME/inner.txt" in a folder --name
 *   plant       a folder --name of 3 entries that stops after the second,
 *               "NAME/planted.txt": the unfinished folder stays in the inbox
 *   abs         an absolute path (--target, default /tmp/fernsicht-escape)
 *   dotdot      a folder "d" holding "d/../../escape.txt"
 *   empty       an empty name
 *   control     control characters (newline, ESC, DEL) in the name
 *   long        one name of 300 bytes
 *   reserved    "CON"
 *   deep        FILES_DEPTH_MAX + 1 folders deep
 *   backslash   "..\\..\\evil.txt"
 *   trailing    "evil.txt." (a trailing dot other systems drop)
 *                 (these nine: the bad path is the ENTRY's under an innocent
 *                 OFFER name, or with --in offer in both)
 *   other-root  a good ENTRY path that is not the OFFER's name
 *   busy        two transfers of the same name at once (ids 1 and 2)
 *   short       an END after 3 of an entry's 5 bytes
 *   gap         DATA that skips a byte
 *   dup-id      a second OFFER with id 1 while id 1 runs: ends the stream
 *   entries     OFFER count 2, then a third ENTRY before the second ended
 *   bytes       an entry of 5 bytes, then DATA past its size
 *   entry-over  OFFER bytes 5, its only ENTRY says 100000
 *   hash        an END whose hash is not the data's
 *   limit       an OFFER of --bytes (default 2 MiB) bytes: over --file-limit
 *   many        FILES_TRANSFERS_MAX + 1 OFFERs of 2 MiB files at once
 *   unknown-id  DATA for id 77, never offered: the host should end the stream
 *   ack-unknown, cancel-unknown   FILE_ACK / FILE_CANCEL (yours) for id 77,
 *               which the host never sent: the same
 *   view-only   a valid small file from a viewer without the files right:
 *               the ACCEPT must not carry it (the OFFER should be ignored or
 *               refused)
 *   recv-resume-past, recv-resume-lie, recv-ack-past   a lying receiver of
 *               a file the host sends (see receive_lying)
 *   stream      --file of any size as --name, as an honest sender sends it
 *               (RESUME, the window), pausing after --pause-after bytes of
 *               DATA ("paused bytes=N") until --continue-when PATH exists
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "msg.h"

#define PEER_TOOL "file_peer"
#include "peer_conn.h"

enum {
	ACCEPT_MS = 60000,      /* the host may be asked (view-only) */
	RESUME_MS = 20000,      /* the host's RESUME for a big file */
	LINGER_MS = 300,        /* after a CANCEL: does a BYE follow? (it would at once) */
	VALID_MAX_BYTES = FILES_RESUME_MIN_BYTES - 1,   /* sent whole, no RESUME */
	MANY_FILE_BYTES = 2 << 20,
	UNKNOWN_ID = 77,
};

/* The one connection to the host, through the relay. */
static struct peer conn;

static void
send_file(uint8_t type, const struct msg_file *m, const void *p, size_t n)
{
	struct buf b;

	buf_init(&b, MSG_FILE_DATA_HEAD_LEN + FILES_CHUNK_BYTES + 64);
	if (msg_file_encode(&b, type, m, p, n) != 0)
		die("cannot encode a FILE_* message");
	peer_send_pair(&conn, &b);
	buf_release(&b);
}

/* The relay's ERROR, as an output line (it closes after it, e.g. after a kick). */
static void
tell_relay_error(const struct wire_error_body *eb)
{
	if (eb == NULL)
		event("got ERROR code=? (malformed)");
	else
		event("got ERROR code=%u text=\"%s\"", eb->code, eb->text);
}

static void
tell_closed(void)
{
	event("closed");
}

/* ---- the cases ---- */

static void
blake2b(const void *p, size_t n, uint8_t out[MSG_FILE_HASH_LEN])
{
	crypto_generichash(out, MSG_FILE_HASH_LEN, p, n, NULL, 0);
}

static void
offer(uint32_t id, uint32_t count, uint64_t bytes, const char *name, size_t name_len)
{
	struct msg_file f = { .id = id, .count = count, .bytes = bytes };

	send_file(MSG_FILE_OFFER, &f, name, name_len);
}

static void
entry(uint32_t id, uint32_t index, uint8_t kind, uint64_t size, const char *path,
    size_t path_len)
{
	struct msg_file f = { .id = id, .index = index, .kind = kind, .bytes = size };

	send_file(MSG_FILE_ENTRY, &f, path, path_len);
}

static void
data(uint32_t id, uint32_t index, uint64_t offset, const void *p, size_t n)
{
	struct msg_file f = { .id = id, .index = index, .bytes = offset };

	send_file(MSG_FILE_DATA, &f, p, n);
}

static void
end(uint32_t id, uint32_t index, const uint8_t hash[MSG_FILE_HASH_LEN])
{
	struct msg_file f = { .id = id, .index = index };

	memcpy(f.hash, hash, MSG_FILE_HASH_LEN);
	send_file(MSG_FILE_END, &f, NULL, 0);
}

/* The whole of one small file: ENTRY, its DATA in chunks, END. */
static void
small_file(uint32_t id, uint32_t index, const char *path, size_t path_len,
    const uint8_t *p, size_t n)
{
	size_t chunk = FILES_CHUNK_BYTES, off = 0;
	uint8_t hash[MSG_FILE_HASH_LEN];

	/* A chunk and its record fit the relay's body limit. */
	if (chunk > conn.w.body_max - SEC_TAG_LEN - MSG_FILE_DATA_HEAD_LEN)
		chunk = conn.w.body_max - SEC_TAG_LEN - MSG_FILE_DATA_HEAD_LEN;
	entry(id, index, MSG_FILE_REGULAR, n, path, path_len);
	while (off < n) {
		size_t k = n - off < chunk ? n - off : chunk;

		data(id, index, off, p + off, k);
		off += k;
	}
	blake2b(p, n, hash);
	end(id, index, hash);
}

static const uint8_t hello[] = "hello";

/* A bad path: under an innocent OFFER (in_offer false) or in both. */
static void
bad_path(const char *path, size_t len, bool in_offer)
{
	if (in_offer)
		offer(1, 1, 5, path, len);
	else
		offer(1, 1, 5, "innocent.txt", 12);
	small_file(1, 0, path, len, hello, 5);
}

static void
read_file(const char *path, uint8_t **p, size_t *n)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		die("cannot open --file");
	*p = malloc(VALID_MAX_BYTES + 1);
	if (*p == NULL)
		die("out of memory");
	*n = fread(*p, 1, VALID_MAX_BYTES + 1, f);
	fclose(f);
	if (*n > VALID_MAX_BYTES)
		die("--file is too big for this peer (it sends files under 1 MiB whole)");
}

struct opts {
	const char *mode, *name, *file, *target, *continue_when;
	bool in_offer;
	uint64_t bytes, pause_after;
};

/* Send what the mode sends; false for an unknown mode. */
static bool
run_mode(const struct opts *o)
{
	const char *mode = o->mode;

	if (strcmp(mode, "valid") == 0 || strcmp(mode, "view-only") == 0) {
		static const char text[] = "sent by file_peer, the positive control\n";
		uint8_t *p = (uint8_t *)text;
		size_t n = sizeof(text) - 1;

		if (o->file != NULL)
			read_file(o->file, &p, &n);
		offer(1, 1, n, o->name, strlen(o->name));
		small_file(1, 0, o->name, strlen(o->name), p, n);
		if (p != (const uint8_t *)text)
			free(p);
	} else if (strcmp(mode, "folder") == 0) {
		static const char text[] = "inside a folder\n";
		char path[FILES_PATH_MAX + 1];
		int k = snprintf(path, sizeof(path), "%s/inner.txt", o->name);

		if (k < 0 || (size_t)k >= sizeof(path))
			die("--name is too long");
		offer(1, 2, sizeof(text) - 1, o->name, strlen(o->name));
		entry(1, 0, MSG_FILE_FOLDER, 0, o->name, strlen(o->name));
		small_file(1, 1, path, (size_t)k, (const uint8_t *)text, sizeof(text) - 1);
	} else if (strcmp(mode, "plant") == 0) {
		char path[FILES_PATH_MAX + 1];
		int k = snprintf(path, sizeof(path), "%s/planted.txt", o->name);

		if (k < 0 || (size_t)k >= sizeof(path))
			die("--name is too long");
		offer(1, 3, 10, o->name, strlen(o->name));
		entry(1, 0, MSG_FILE_FOLDER, 0, o->name, strlen(o->name));
		small_file(1, 1, path, (size_t)k, hello, 5);
	} else if (strcmp(mode, "abs") == 0) {
		bad_path(o->target, strlen(o->target), o->in_offer);
	} else if (strcmp(mode, "dotdot") == 0) {
		static const char path[] = "d/../../escape.txt";

		if (o->in_offer) {
			bad_path("../escape.txt", 13, true);
		} else {
			offer(1, 2, 5, "d", 1);
			entry(1, 0, MSG_FILE_FOLDER, 0, "d", 1);
			small_file(1, 1, path, sizeof(path) - 1, hello, 5);
		}
	} else if (strcmp(mode, "empty") == 0) {
		bad_path("", 0, o->in_offer);
	} else if (strcmp(mode, "control") == 0) {
		static const char path[] = "evil\nfile-done id=9\x1b[31m\x7f.txt";

		bad_path(path, sizeof(path) - 1, o->in_offer);
	} else if (strcmp(mode, "long") == 0) {
		char path[300];

		memset(path, 'a', sizeof(path));
		bad_path(path, sizeof(path), o->in_offer);
	} else if (strcmp(mode, "reserved") == 0) {
		bad_path("CON", 3, o->in_offer);
	} else if (strcmp(mode, "deep") == 0) {
		char path[2 * (FILES_DEPTH_MAX + 1)];
		size_t k = 0;

		/* FILES_DEPTH_MAX + 1 names: one too deep. */
		for (int i = 0; i <= FILES_DEPTH_MAX; i++) {
			path[k++] = 'd';
			path[k++] = '/';
		}
		path[--k] = '\0';
		bad_path(path, k, o->in_offer);
	} else if (strcmp(mode, "backslash") == 0) {
		bad_path("..\\..\\evil.txt", 14, o->in_offer);
	} else if (strcmp(mode, "trailing") == 0) {
		bad_path("evil.txt.", 9, o->in_offer);
	} else if (strcmp(mode, "other-root") == 0) {
		/* A good name, but not the one the OFFER showed people. */
		offer(1, 1, 5, "innocent.txt", 12);
		small_file(1, 0, "other.txt", 9, hello, 5);
	} else if (strcmp(mode, "busy") == 0) {
		/* The same name twice at once (a big file waits for its data). */
		offer(1, 1, MANY_FILE_BYTES, "same.bin", 8);
		entry(1, 0, MSG_FILE_REGULAR, MANY_FILE_BYTES, "same.bin", 8);
		offer(2, 1, MANY_FILE_BYTES, "same.bin", 8);
		entry(2, 0, MSG_FILE_REGULAR, MANY_FILE_BYTES, "same.bin", 8);
	} else if (strcmp(mode, "short") == 0) {
		uint8_t hash[MSG_FILE_HASH_LEN];

		offer(1, 1, 5, "short.txt", 9);
		entry(1, 0, MSG_FILE_REGULAR, 5, "short.txt", 9);
		data(1, 0, 0, hello, 3);
		blake2b(hello, 3, hash);
		end(1, 0, hash);        /* 3 of the 5 bytes announced */
	} else if (strcmp(mode, "gap") == 0) {
		uint8_t hash[MSG_FILE_HASH_LEN];

		offer(1, 1, 5, "gap.txt", 7);
		entry(1, 0, MSG_FILE_REGULAR, 5, "gap.txt", 7);
		data(1, 0, 0, hello, 2);
		data(1, 0, 3, hello + 3, 2);    /* byte 2 never sent */
		blake2b(hello, 5, hash);
		end(1, 0, hash);
	} else if (strcmp(mode, "dup-id") == 0) {
		/* Ids count up: an OFFER that reuses one breaks the protocol. */
		offer(1, 1, MANY_FILE_BYTES, "first.bin", 9);
		entry(1, 0, MSG_FILE_REGULAR, MANY_FILE_BYTES, "first.bin", 9);
		offer(1, 1, 5, "again.txt", 9);
	} else if (strcmp(mode, "entries") == 0) {
		uint8_t hash[MSG_FILE_HASH_LEN];

		/* Two entries announced; a third comes while the second is
		 * still open (once all are in, the transfer is over and a
		 * late entry would only be ignored). */
		offer(1, 2, 10, "d", 1);
		entry(1, 0, MSG_FILE_FOLDER, 0, "d", 1);
		entry(1, 1, MSG_FILE_REGULAR, 5, "d/a.txt", 7);
		data(1, 1, 0, hello, 5);
		small_file(1, 2, "d/b.txt", 7, hello, 5);
		blake2b(hello, 5, hash);
		end(1, 1, hash);
	} else if (strcmp(mode, "bytes") == 0) {
		uint8_t hash[MSG_FILE_HASH_LEN];

		offer(1, 1, 5, "over.txt", 8);
		entry(1, 0, MSG_FILE_REGULAR, 5, "over.txt", 8);
		data(1, 0, 0, "hello", 5);
		data(1, 0, 5, "world", 5);      /* past the entry's 5 bytes */
		blake2b("helloworld", 10, hash);
		end(1, 0, hash);
	} else if (strcmp(mode, "entry-over") == 0) {
		static uint8_t big[100000];

		/* The OFFER's bytes is what limits are checked against: an
		 * entry bigger than it would slip past them. */
		offer(1, 1, 5, "grown.bin", 9);
		small_file(1, 0, "grown.bin", 9, big, sizeof(big));
	} else if (strcmp(mode, "hash") == 0) {
		uint8_t zeros[MSG_FILE_HASH_LEN] = { 0 };

		offer(1, 1, 5, "lying.txt", 9);
		entry(1, 0, MSG_FILE_REGULAR, 5, "lying.txt", 9);
		data(1, 0, 0, hello, 5);
		end(1, 0, zeros);
	} else if (strcmp(mode, "limit") == 0) {
		offer(1, 1, o->bytes, "huge.bin", 8);
		entry(1, 0, MSG_FILE_REGULAR, o->bytes, "huge.bin", 8);
	} else if (strcmp(mode, "many") == 0) {
		for (uint32_t id = 1; id <= FILES_TRANSFERS_MAX + 1; id++) {
			char name[32];
			int k = snprintf(name, sizeof(name), "many%u.bin", id);

			offer(id, 1, MANY_FILE_BYTES, name, (size_t)k);
			entry(id, 0, MSG_FILE_REGULAR, MANY_FILE_BYTES, name, (size_t)k);
		}
	} else if (strcmp(mode, "unknown-id") == 0) {
		data(UNKNOWN_ID, 0, 0, hello, 5);
	} else if (strcmp(mode, "ack-unknown") == 0) {
		/* The host never sent this peer anything to acknowledge. */
		struct msg_file f = { .id = UNKNOWN_ID, .bytes = 1 << 20, .done = 1 };

		send_file(MSG_FILE_ACK, &f, NULL, 0);
	} else if (strcmp(mode, "cancel-unknown") == 0) {
		struct msg_file f = { .id = UNKNOWN_ID, .whose = MSG_FILE_YOURS,
			.reason = MSG_FILE_CANCELLED };

		send_file(MSG_FILE_CANCEL, &f, "no such transfer", 16);
	} else {
		return false;
	}
	event("sent %s", mode);
	return true;
}

/* What the host said about transfer 1 so far (the stream mode's flow). */
static uint64_t acked;
static bool resumed, cancelled;
static uint64_t resume_have;
static uint8_t resume_hash[MSG_FILE_HASH_LEN];

/* t's bytes for one output line: control characters, '"' and '\\' as \xNN. */
static const char *
quoted(const struct buf *t, char *out, size_t out_len)
{
	size_t o = 0;

	for (size_t i = 0; i < buf_len(t) && o + 5 < out_len; i++) {
		uint8_t c = buf_ptr(t)[i];

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, out_len - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* Print one message from the host; true when it settles the exchange (a
 * CANCEL, FILE_ACK done, BYE). */
static bool
show(const struct msg *m)
{
	const struct msg_file *f = &m->u.file;
	char text[4 * MSG_TEXT_MAX + 1];

	switch (m->type) {
	case MSG_FILE_CANCEL:
		event("got FILE_CANCEL id=%u whose=%u reason=%u (%s) text=\"%s\"", f->id,
		    f->whose, f->reason, msg_file_fail_str(f->reason),
		    quoted(&f->text, text, sizeof(text)));
		if (f->id == 1)
			cancelled = true;
		return true;
	case MSG_FILE_ACK:
		event("got FILE_ACK id=%u got=%llu done=%u", f->id,
		    (unsigned long long)f->bytes, f->done);
		if (f->id == 1)
			acked = f->bytes;
		return f->done != 0;
	case MSG_FILE_RESUME:
		event("got FILE_RESUME id=%u index=%u have=%llu", f->id, f->index,
		    (unsigned long long)f->bytes);
		if (f->id == 1) {
			resumed = true;
			resume_have = f->bytes;
			memcpy(resume_hash, f->hash, MSG_FILE_HASH_LEN);
		}
		return false;
	case MSG_BYE:
		/* The relay's KICK and the close follow. */
		event("got BYE reason=%u (%s)", m->u.bye.reason, msg_abort_str(m->u.bye.reason));
		return true;
	case MSG_ACCEPT:
		event("got ACCEPT rights=0x%02x", m->u.accept.rights);
		return false;
	default:
		return false;   /* KEY, LAN_OFFER, CHAT... */
	}
}

/* Print what comes back until it settles (then a short linger for what
 * may follow, such as a BYE after a CANCEL), the stream ends, or wait_ms
 * pass without either. Returns true while the stream is open. */
static bool
read_answers(int wait_ms)
{
	uint64_t until = mono_ms() + (uint64_t)wait_ms;
	bool settled = false;

	for (;;) {
		uint64_t now = mono_ms();
		struct msg m;
		int r;

		if (now >= until) {
			if (!settled)
				event("timeout");
			return true;
		}
		if ((r = peer_next_msg(&conn, &m, (int)(until - now))) < 0)
			return false;
		if (r == 1 && show(&m) && !settled) {
			settled = true;
			until = mono_ms() + LINGER_MS;
		}
	}
}

/* Take what the host says within wait_ms (0: only what is there now);
 * false when the stream ended. */
static bool
take_answers(int wait_ms)
{
	struct msg m;
	int r;

	while ((r = peer_next_msg(&conn, &m, wait_ms)) == 1) {
		(void)show(&m);
		wait_ms = 0;
	}
	return r == 0;
}

/*
 * --mode stream: --file as --name, the way an honest sender sends it (a
 * big file waits for RESUME, at most FILES_WINDOW_MAX_BYTES beyond the
 * acknowledged bytes in flight), except that after --pause-after bytes of
 * DATA it prints "paused bytes=N" and waits until the path --continue-when
 * exists: a test changes the receiver's world at a known point.
 */
static void
stream_file(const struct opts *o)
{
	uint8_t *p, hash[MSG_FILE_HASH_LEN];
	size_t n, chunk = FILES_CHUNK_BYTES;
	uint64_t off = 0, sent = 0;
	bool paused = false;
	FILE *f = fopen(o->file, "rb");
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		die("stream wants a readable --file");
	n = (size_t)len;
	if ((p = malloc(n + 1)) == NULL || fread(p, 1, n, f) != n)
		die("cannot read --file");
	fclose(f);
	if (chunk > conn.w.body_max - SEC_TAG_LEN - MSG_FILE_DATA_HEAD_LEN)
		chunk = conn.w.body_max - SEC_TAG_LEN - MSG_FILE_DATA_HEAD_LEN;
	offer(1, 1, n, o->name, strlen(o->name));
	entry(1, 0, MSG_FILE_REGULAR, n, o->name, strlen(o->name));
	event("sent stream");
	if (n >= FILES_RESUME_MIN_BYTES) {
		uint64_t until = mono_ms() + RESUME_MS;

		while (!resumed && !cancelled && mono_ms() < until)
			if (!take_answers(100))
				goto out;
		if (!resumed)
			goto out;
		if (resume_have > 0 && resume_have <= n) {
			uint8_t mine[MSG_FILE_HASH_LEN];

			/* Resume only from a copy that is this file's start. */
			blake2b(p, (size_t)resume_have, mine);
			if (memcmp(mine, resume_hash, sizeof(mine)) == 0)
				off = resume_have;
		}
	}
	while (off < n && !cancelled && !conn.closed) {
		size_t k = n - off < chunk ? n - off : chunk;

		if (!paused && o->pause_after > 0 && sent >= o->pause_after) {
			paused = true;
			event("paused bytes=%llu", (unsigned long long)sent);
			while (access(o->continue_when, F_OK) != 0)
				if (!take_answers(100))
					goto out;
			event("continued");
		}
		/* The window: wait for acknowledgements. */
		while (sent > acked && sent - acked + k > FILES_WINDOW_MAX_BYTES && !cancelled)
			if (!take_answers(100))
				goto out;
		if (cancelled)
			break;
		data(1, 0, off, p + off, k);
		off += k;
		sent += k;
		if (!take_answers(0))
			goto out;
	}
	if (!cancelled && !conn.closed) {
		blake2b(p, n, hash);
		end(1, 0, hash);
	}
out:
	free(p);
}

/*
 * --mode recv-*: the host sends this peer a file (the test types `send
 * SLOT PATH`; "ready" says when); the peer answers as a lying receiver:
 *   recv-resume-past  RESUME with have past the file's size
 *   recv-resume-lie   RESUME with have = half the size and a hash that is
 *                     not of those bytes: the data must start at 0
 *   recv-ack-past     after the first DATA, an ACK of 2^60 bytes
 * It prints the OFFER and ENTRY, the first DATA's offset, and the END
 * ("got FILE_END id=I chunks=N"), or what ends the transfer instead.
 */
static void
receive_lying(const char *mode, int wait_ms)
{
	uint64_t until = mono_ms() + (uint64_t)wait_ms;
	unsigned chunks = 0;

	event("ready");
	while (mono_ms() < until) {
		struct msg m;
		const struct msg_file *f = &m.u.file;
		int r = peer_next_msg(&conn, &m, 100);

		if (r < 0)
			return;
		if (r == 0)
			continue;
		if (m.type == MSG_FILE_OFFER) {
			event("got FILE_OFFER id=%u count=%u bytes=%llu", f->id, f->count,
			    (unsigned long long)f->bytes);
		} else if (m.type == MSG_FILE_ENTRY) {
			struct msg_file a = { .id = f->id, .index = f->index };

			event("got FILE_ENTRY id=%u index=%u size=%llu", f->id, f->index,
			    (unsigned long long)f->bytes);
			if (f->bytes < FILES_RESUME_MIN_BYTES)
				continue;
			if (strcmp(mode, "recv-resume-past") == 0)
				a.bytes = f->bytes + 4096;
			else if (strcmp(mode, "recv-resume-lie") == 0)
				a.bytes = f->bytes / 2;
			memset(a.hash, 0x5a, sizeof(a.hash));
			send_file(MSG_FILE_RESUME, &a, NULL, 0);
			event("sent FILE_RESUME have=%llu", (unsigned long long)a.bytes);
		} else if (m.type == MSG_FILE_DATA) {
			if (chunks++ == 0) {
				event("got FILE_DATA id=%u first offset=%llu", f->id,
				    (unsigned long long)f->bytes);
				if (strcmp(mode, "recv-ack-past") == 0) {
					struct msg_file a = { .id = f->id,
					    .bytes = UINT64_C(1) << 60 };

					send_file(MSG_FILE_ACK, &a, NULL, 0);
					event("sent FILE_ACK got=%llu",
					    (unsigned long long)a.bytes);
				}
			}
		} else if (m.type == MSG_FILE_END) {
			event("got FILE_END id=%u chunks=%u", f->id, chunks);
			return;
		} else if (show(&m)) {
			(void)take_answers(LINGER_MS);
			return;
		}
	}
	event("timeout");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "relay", required_argument, NULL, 'r' },
		{ "session", required_argument, NULL, 's' },
		{ "code", required_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ "in", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "file", required_argument, NULL, 'f' },
		{ "target", required_argument, NULL, 't' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "wait", required_argument, NULL, 'w' },
		{ "peer-name", required_argument, NULL, 'p' },
		{ "pause-after", required_argument, NULL, 'P' },
		{ "continue-when", required_argument, NULL, 'C' },
		{ "early", no_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .mode = NULL, .name = "control.txt", .target = "/tmp/fernsicht-escape",
		.bytes = 2 << 20 };
	const char *relay = NULL, *code_arg = NULL, *peer_name = "file_peer";
	char code[SESSION_CODE_DIGITS + 1];
	uint32_t session = 0;
	unsigned wait_s = 10;
	struct hs_result res;
	uint8_t rights;
	bool open, early = false;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': relay = optarg; break;
		case 's': session = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'c': code_arg = optarg; break;
		case 'm': o.mode = optarg; break;
		case 'i':
			if (strcmp(optarg, "offer") != 0 && strcmp(optarg, "entry") != 0)
				die("--in wants offer or entry");
			o.in_offer = strcmp(optarg, "offer") == 0;
			break;
		case 'n': o.name = optarg; break;
		case 'f': o.file = optarg; break;
		case 't': o.target = optarg; break;
		case 'b': o.bytes = strtoull(optarg, NULL, 10); break;
		case 'w': wait_s = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'p': peer_name = optarg; break;
		case 'P': o.pause_after = strtoull(optarg, NULL, 10); break;
		case 'C': o.continue_when = optarg; break;
		case 'E': early = true; break;
		default: return 2;
		}
	}
	if (relay == NULL || session == 0 || code_arg == NULL || o.mode == NULL ||
	    !hs_code_parse(code_arg, code))
		die("usage: file_peer --relay HOST:PORT --session N --code C --mode MODE");
	if (sodium_init() < 0)
		die("sodium_init failed");
	peer_join(&conn, relay, session, peer_name);
	conn.on_error = tell_relay_error;
	conn.on_end = tell_closed;
	event("welcome slot=%u", conn.w.slot);
	peer_handshake(&conn, code, peer_name, NULL, &res);
	event("verified check=%06u", res.check);
	sodium_memzero(&res, sizeof(res));
	/* --early: before the host has answered (it must ignore them). */
	if (early && !run_mode(&o))
		die("unknown --mode for --early");
	rights = peer_wait_accept(&conn, ACCEPT_MS);
	event("allowed rights=0x%02x files=%s", rights, rights & MSG_RIGHT_FILES ? "yes" : "no");
	if (strcmp(o.mode, "view-only") == 0) {
		if (rights & MSG_RIGHT_FILES)
			die("view-only: the host granted the files right");
	} else if (!(rights & MSG_RIGHT_FILES)) {
		die("the host gave no files right");
	}
	if (early) {
		/* sent already */
	} else if (strncmp(o.mode, "recv-", 5) == 0) {
		receive_lying(o.mode, (int)wait_s * 1000);
	} else if (strcmp(o.mode, "stream") == 0) {
		if (o.file == NULL || (o.pause_after > 0 && o.continue_when == NULL))
			die("stream wants --file, and --continue-when with --pause-after");
		stream_file(&o);
	} else if (!run_mode(&o)) {
		die("unknown --mode");
	}
	open = strncmp(o.mode, "recv-", 5) == 0 ? !conn.closed : read_answers((int)wait_s * 1000);
	if (open && !conn.closed) {
		struct buf b;

		event("alive");
		buf_init(&b, 64);
		if (msg_bye_encode(&b, MSG_ABORT_LEAVING, "file_peer leaves") == 0)
			peer_send_pair(&conn, &b);
		buf_release(&b);
	} else {
		event("ended");
	}
	peer_leave(&conn);
	return 0;
}
