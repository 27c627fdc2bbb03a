/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transfer.h - the file engine's state (files.h is its interface), shared
 * by its parts, which call one way only:
 *
 *   files.c     the table: dispatch of files_take, pump, list, cancel, free
 *     outgoing.c  one transfer we send (walk.c made its entry list)
 *     incoming.c  one transfer we receive (inbox.c does its file system)
 *       transfer.c  what both directions share: messages to the peer,
 *                   event lines, progress, the end of a transfer
 *
 * Nothing below files.c frees a transfer: ending one only marks it
 * (transfer_end), and files.c frees what ended after every call.
 */
#ifndef ENDPOINT_TRANSFER_H
#define ENDPOINT_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include <sodium.h>

#include "files.h"
#include "pace.h"
#include "prune.h"
#include "walk.h"

#define TRANSFER_HEX_LEN (2 * MSG_FILE_HASH_LEN + 1)

/* What both directions have. */
struct transfer {
	struct files_row row;   /* id, direction, state, name, counts, times, speed */
	bool ended;             /* files.c frees it after the call that ended it */
	uint64_t sent;          /* DATA bytes that travelled */
	uint64_t progress_ms;   /* when the last file-progress line was printed */
	uint64_t speed_ms, speed_bytes; /* the last speed sample */
	char hex[TRANSFER_HEX_LEN]; /* the last file's hash: a single file's is shown at the end */
};

enum out_step {
	OUT_QUEUED = 0,         /* waiting for one of FILES_TRANSFERS_MAX places */
	OUT_OFFER,              /* FILE_OFFER is due */
	OUT_ENTRY,              /* FILE_ENTRY of entry `index` is due (or the end of the list) */
	OUT_WAIT_RESUME,        /* a big file's ENTRY went out: the receiver says where to start */
	OUT_PREFIX,             /* hashing our first `have` bytes to compare with the receiver's */
	OUT_DATA,               /* FILE_DATA from pos, while the flow class allows */
	OUT_END,                /* FILE_END with the whole file's hash is due */
	OUT_WAIT_DONE,          /* everything went out: the receiver's ACK done=1 ends it */
};

struct outgoing {
	crypto_generichash_state hash;  /* the current file's, from byte 0 (64-byte aligned) */
	struct transfer t;
	struct outgoing *next;  /* the queue of those waiting for a place */
	struct walk w;          /* the entries, and the folder that holds the top item */
	enum out_step step;
	uint32_t index;         /* the current entry */
	int fd;                 /* the current file, or -1 */
	uint64_t pos;           /* the current file's next byte to read */
	uint64_t have;          /* the receiver's RESUME: bytes it keeps */
	uint8_t their[MSG_FILE_HASH_LEN]; /* ... and their hash */
	uint64_t acked;         /* DATA bytes the receiver acknowledged */
	uint64_t skipped;       /* bytes not sent because the receiver had them (resume) */
	uint64_t placed;        /* sizes of the files whose END went out */
	size_t hash_budget;     /* what OUT_PREFIX may still hash in this pump */
};

enum in_step {
	IN_ENTRY = 0,           /* between files: the next FILE_ENTRY is due */
	IN_HASHING,             /* hashing the .part we keep, for FILE_RESUME */
	IN_DATA,                /* FILE_DATA or FILE_END of the current file */
};

struct incoming {
	crypto_generichash_state hash;  /* the current file's, from byte 0 (64-byte aligned) */
	struct transfer t;
	uint32_t count;         /* entries announced */
	uint32_t next;          /* the index the next ENTRY must have */
	uint64_t announced;     /* OFFER bytes */
	uint64_t entry_bytes;   /* the sizes of the entries so far */
	bool folder;            /* entry 0 was a folder */
	int top_fd;             /* a folder's TOP.part, locked; -1 for a single file */
	char top_part[FILES_COMPONENT_MAX + 1];
	struct prune sent;      /* a folder's entries, inside TOP.part */
	enum in_step step;
	/* The current file. */
	uint32_t index;
	int dir_fd;             /* the folder it is in (the inbox's fd is not ours to close) */
	bool dir_owned;
	int fd;                 /* its .part, locked; -1 between files */
	char leaf[FILES_COMPONENT_MAX + 1], part[FILES_COMPONENT_MAX + 1];
	char path[FILES_PATH_MAX + 1];  /* as its ENTRY said */
	uint64_t size, pos;     /* announced, and the next byte expected */
	uint64_t have;          /* what the .part held (RESUME) */
	uint64_t from;          /* where its DATA started */
	bool any_data;          /* a DATA arrived for it */
	uint64_t got, ack_at;   /* DATA bytes taken; the next ACK is due at ack_at */
	uint64_t placed;        /* sizes of the files verified and in place */
};

/* Every engine of this process, newest first (a master has one per
 * viewer, all receiving into one inbox): an offer must fit beside what
 * all of them still have to write there, not its own peer's alone.
 * files_new adds an engine, files_free removes it. */
extern struct files *files_engines;
void transfer_engine_add(struct files *f);
void transfer_engine_remove(struct files *f);

struct files {
	struct files_io io;
	struct files *next_engine;      /* files_engines: every engine of this process */
	char *inbox;            /* NULL: this side does not receive */
	uint64_t transfer_max_bytes, total_max_bytes;
	uint64_t total_taken;   /* OFFER bytes of every transfer taken from this peer */
	int inbox_fd;           /* opened at the first OFFER */
	char label[40];         /* "slot=3 " or "" (the space included) */
	uint64_t now_ms;        /* the last time given to take or pump */
	size_t chunk_max;       /* DATA bytes per message: the chunk, within io.msg_max */
	struct pace pace;       /* the window of all outgoing transfers together */

	struct outgoing *out[FILES_TRANSFERS_MAX];      /* running, NULL where free */
	struct outgoing *queue, *queue_tail;            /* waiting, in id order */
	unsigned queued_n;
	uint32_t next_out_id;   /* the id files_send gives next */
	uint32_t offered_out_id; /* the highest id whose OFFER went out */
	unsigned out_done, out_failed;

	struct incoming *in[FILES_TRANSFERS_MAX];
	uint32_t in_max_id;     /* the highest id the peer offered */
	struct {
		uint32_t id;
		bool done;      /* complete: nothing but a CANCEL may follow */
	} ended_in[FILES_ENDED_KEPT];   /* incoming transfers that ended lately (ring) */
	unsigned ended_in_n;

	struct files_row history[FILES_ENDED_ROWS]; /* ended transfers, a ring */
	unsigned history_n;

	struct buf msg;         /* an encoded message on its way to io.send */
	uint8_t chunk[FILES_CHUNK_BYTES]; /* file bytes on their way; the only copy */
};

/* A zeroed transfer of size bytes, aligned for its hash state. */
void *transfer_alloc(size_t size);
/* Encode and send one FILE_* message to the peer. */
int transfer_send(struct files *f, uint8_t type, const struct msg_file *m, const void *p,
    size_t n) WUR;
/* Tell the peer that t ends (FILE_CANCEL, reason, text from fmt), then end
 * it as failed with the same text. */
int transfer_cancel(struct files *f, struct transfer *t, uint8_t reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5))) WUR;
/* End t: FILES_DONE or FILES_FAILED (why says why; a file-failed line). */
void transfer_end(struct files *f, struct transfer *t, enum files_state state, const char *why);
/* A file-progress line when FILES_PROGRESS_MS passed since the last (or now). */
void transfer_progress(struct files *f, struct transfer *t, bool now);
/* A file-item line: one file verified (in) or complete with its END (out). */
void transfer_item(struct files *f, struct transfer *t, const char *path, uint64_t bytes,
    uint64_t from, const uint8_t hash[MSG_FILE_HASH_LEN]);
/* The file-done line and the end of t. */
void transfer_done(struct files *f, struct transfer *t);
/* Quote n bytes of a peer's or a file's text for an event line. */
const char *transfer_quote(char *out, size_t out_len, const void *p, size_t n);

#endif
