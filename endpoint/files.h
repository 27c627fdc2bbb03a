/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files.h - file transfer with one peer, both ways (the FILE_* messages,
 * msg.h): what master and viewer share. Master keeps one per viewer
 * allowed the files right, the viewer one for the host.
 *
 * Sending: files_send() walks a file or folder (symlinks, devices, fifos,
 * sockets and names the receiver would refuse, relpath.h, are skipped
 * and said so), then files_pump() streams it chunk by chunk, at most
 * FILES_CHUNK_BYTES (and io.msg_max) at a time and only while the queue
 * towards the peer is short (io.queued) and the peer has acknowledged all
 * but the peer's window (pace.h, shared by all transfers to that peer,
 * sized so that what waits behind file data waits about
 * FILES_QUEUE_DELAY_MS): file data is a second flow class that never
 * holds up the screen. FILES_TRANSFERS_MAX run at once, up to
 * FILES_QUEUE_MAX more wait. Memory: one chunk buffer per engine, shared
 * by all its transfers, plus the entry list of what is being sent; never
 * anything in proportion to a file's size.
 *
 * Receiving: into the inbox folder only, through directory fds opened
 * without following symlinks; each file is written as NAME.part, hashed
 * (BLAKE2b-256) as it arrives and renamed to NAME when the sender's hash
 * matches; a folder is received as FOLDER.part and renamed when complete.
 * A final name that exists gets " (1)", " (2)"... before the extension,
 * never an overwrite. A .part left by an interrupted transfer is offered
 * for resume (FILE_RESUME) when the same file is sent to the same place.
 *
 * Everything a person or script should know is an event line (event.h):
 *   file-offer [slot=S] id=I dir=in|out name="N" files=F bytes=B
 *       out: from files_send (the transfer may wait for a place first);
 *       in: when the peer's OFFER arrives, also one that is refused
 *   file-progress [slot=S] id=I dir=in|out bytes=X of=B
 *       at most every FILES_PROGRESS_MS per transfer, and once at the end
 *   file-item [slot=S] id=I dir=in|out path="P" bytes=B from=F blake2b=HEX
 *       one file of a transfer: in, verified and in place; out, its END
 *       went out (the receiver checks the hash); from: where its DATA
 *       started (resume), so the bytes sent were B - F
 *   file-skipped [slot=S] id=I path="P" reason="R"   (sender: not sent)
 *   file-done [slot=S] id=I dir=in|out name="N" files=F bytes=B sent=D
 *       [path="P"] [blake2b=HEX]
 *       path: where it landed (receiver); blake2b: a single file's hash;
 *       sent: DATA bytes that travelled (less than bytes after a resume)
 *   file-failed [slot=S] id=I dir=in|out reason="R"
 *       R: our reason, or the peer's CANCEL text; files_free's says
 *       "WHY; NAME.part kept for resume" for what a resume can continue
 * files= counts entries (files and folders, the top one included), as the
 * OFFER does. Text values are escaped with log_escape_text (a newline in a
 * name is \x0a). slot= is printed when the label given to files_new() is
 * not empty.
 *
 * Driving it: files_take() for every FILE_* message from the peer (already
 * decoded and routed: the pairwise key, MSG_RIGHT_FILES); files_pump()
 * after each turn of the main loop that may have drained the queue
 * towards the peer, and whenever files_want_pump() is true (the loop then
 * does not sleep); both may call io.send. Times are CLOCK_MONOTONIC ms.
 */
#ifndef ENDPOINT_FILES_H
#define ENDPOINT_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "msg.h"

/* How the engine reaches its peer: the caller's pairwise stream. */
struct files_io {
	void *ctx;
	/* Seal msg on the pairwise stream to the peer and queue it. Non-zero
	 * is handed back by the files_* call that sent (the stream is failing). */
	int (*send)(void *ctx, const struct buf *msg);
	/* Bytes queued towards the peer and not yet written (its flow class
	 * waits while this is FILES_QUEUE_LOW_BYTES or more). */
	size_t (*queued)(void *ctx);
	/* The largest message the stream carries (the link's body limit less
	 * record overhead): chunks are made to fit. At least the longest
	 * FILE_ENTRY (1044 bytes), or files_new fails. */
	size_t msg_max;
};

/* The receiver's rules. */
struct files_conf {
	const char *inbox;              /* where received files land (made if missing, at the
	                                 * first OFFER); NULL or "": every OFFER is refused */
	uint64_t transfer_max_bytes;    /* one transfer at most; 0: no limit */
	uint64_t total_max_bytes;       /* all transfers from this peer together; 0: none */
};

/* One transfer, for a window's list. */
enum files_state {
	FILES_RUNNING = 0,
	FILES_DONE,
	FILES_FAILED,
};

struct files_row {
	uint32_t id;
	bool incoming;
	enum files_state state;
	char name[FILES_COMPONENT_MAX + 1];
	char where[4096];               /* incoming and done: the final path */
	char why[256];                  /* failed: the reason, for people */
	uint32_t files;                 /* entries: files and folders */
	uint64_t bytes, done_bytes;     /* total, and how much arrived / was acknowledged
	                                 * (a resumed prefix counts as arrived) */
	uint64_t started_ms, updated_ms;
	double bytes_per_s;             /* recent speed, for "time left" */
};

struct files;

/* label: "slot=3" on the master (put in every event line), "" on the viewer.
 * conf is copied. NULL: no memory, or io incomplete (send, queued, msg_max). */
struct files *files_new(const struct files_conf *conf, struct files_io io, const char *label);
/* Ends what still runs with file-failed reason=why (NULL: "connection
 * lost"), sending nothing: the stream is gone. .part files stay for a
 * resume. NULL f is fine. */
void files_free(struct files *f, const char *why);

/* Offer a file or folder at path to the peer. Non-zero: path cannot be
 * sent (missing, unreadable, too many entries...): *why says why. */
int files_send(struct files *f, const char *path, char *why, size_t why_len) WUR;
/* A FILE_* message from the peer. Non-zero only for a protocol error
 * (ERR_PROTOCOL: an id never offered or offered twice, DATA for an id that
 * is not running and did not end lately, more after a transfer was
 * complete), or io.send's error: the caller ends the peer's stream. A
 * refused name or size cancels that transfer and returns 0; so does a
 * message for a transfer that ended lately (it crossed a CANCEL). */
int files_take(struct files *f, const struct msg *m, uint64_t now_ms) WUR;
/* Send what the flow class allows now (OFFERs of queued transfers, ENTRY,
 * DATA, END), hash a bounded piece of a resumed prefix, print progress
 * lines when due. Non-zero: io.send's error. */
int files_pump(struct files *f, uint64_t now_ms) WUR;
/* files_pump has something to do now: the queue towards the peer is short
 * and a transfer has a message to send, or a resume hash is being made. */
bool files_want_pump(const struct files *f);
/* A person cancels transfer id (incoming or outgoing; unknown ids are
 * ignored). The peer gets a CANCEL unless it never heard of the transfer
 * (one still waiting for a place). */
void files_cancel(struct files *f, uint32_t id, bool incoming);
/* Every running transfer ends (the files right was taken back): a CANCEL
 * with reason (enum msg_file_fail) and the text why. */
void files_cancel_all(struct files *f, uint8_t reason, const char *why);
/* Transfers still running in either direction, waiting ones included. */
unsigned files_running(const struct files *f);
/* Outgoing transfers that ended since files_new: done and failed. */
void files_sent_outcome(const struct files *f, unsigned *done, unsigned *failed);
/* The transfers, running first (sending, waiting, receiving), then the
 * last FILES_ENDED_ROWS that ended, newest first, into rows; returns how
 * many. */
size_t files_list(const struct files *f, struct files_row *rows, size_t max);

#endif
