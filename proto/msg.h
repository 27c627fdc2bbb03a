/* SPDX-License-Identifier: Apache-2.0 */
/*
 * msg.h - session messages: what travels inside DATA frames end to end.
 *
 * Every message starts with a u8 type. Handshake messages (0x01..0x0F) go
 * in clear DATA frames flagged WIRE_F_HANDSHAKE; they carry only public
 * values and are bound by the CPace transcript. All others (0x10..) exist
 * only as plaintext of an AEAD record (sec.h), never on the wire as such.
 *
 *   HS_OFFER    master -> viewer, clear, when the viewer's PEER_JOIN arrives
 *     u8 type 0x01 | u8 version | u8 suites | u8 nonce[16] | u8 commit[32]
 *     | lv16 name
 *       commit = BLAKE2b-256("FSHT-commit-v2" || Yb): the master fixes its
 *       CPace value before it sees the viewer's, so nobody in the middle
 *       can pick its own after seeing the other's and steer the check code
 *   HS_INIT     viewer -> master, clear
 *     u8 type 0x02 | u8 version | u8 suites | u8 nonce[16] | u8 x25519_pk[32]
 *     | u8 Ya[32] | lv16 name
 *   HS_REPLY    master -> viewer, clear
 *     u8 type 0x03 | u8 suite | u8 Yb[32] | u8 tag[32]
 *   HS_CONFIRM  viewer -> master, clear
 *     u8 type 0x04 | u8 tag[32]
 *   HS_ABORT    either, clear
 *     u8 type 0x05 | u8 reason (enum msg_abort)
 *   A version other than MSG_VERSION in OFFER or INIT is ERR_UNSUPPORTED.
 *
 *   KEY         master -> viewer, pairwise key
 *     u8 type 0x10 | u32 epoch | u8 suite | u8 sealed[MSG_SEALED_KEY_LEN]
 *       sealed = crypto_box_seal(session key, viewer's x25519_pk)
 *   ACCEPT      master -> viewer, pairwise key: the host said yes
 *     u8 type 0x11 | u8 rights (MSG_RIGHT_*) | u16 width | u16 height
 *   BYE         either, pairwise key: why the sender leaves or refuses
 *     u8 type 0x12 | u8 reason (enum msg_abort) | lv16 text (UTF-8)
 *   LAN_OFFER   master -> viewer, pairwise key: where the master listens on
 *               its LAN, for a direct connection (lan.c)
 *     u8 type 0x13 | u8 n (1..MSG_LAN_ADDRS_MAX) | n x lv16 "ip:port"
 *       The viewer may connect there and run the handshake again with the
 *       PRS = hex(KDF(key_mv, 1, "FSdirect")) instead of the code: only
 *       the two ends hold it. Then the direct connection replaces the
 *       relayed one (BYE reason MOVED on the relay path).
 *   ASKED       master -> viewer, pairwise key: the key confirmation was
 *               right and the host is being asked (empty). The first
 *               pairwise record to a slot also tells the relay that this
 *               viewer proved the code (it stops counting as unverified).
 *     u8 type 0x14
 *   VIDEO       master -> viewer, session key: one part of a screen update
 *     u8 type 0x20 | u8 flags (MSG_VIDEO_*) | u32 frame
 *     | KEY: var part | u16 width | u16 height
 *     | else: var (frame - base, >= 1) | var part
 *     | var raw_len | zstd stream bytes (to the end)
 *       var: 1..5 bytes, 7 bits each, least significant first, high bit =
 *       more (buf_get_var32). A frame that is not KEY has the size of the
 *       key frame before it: most updates are a few dozen bytes, and this
 *       header rides on every one.
 *       A frame is one or more parts with the same frame and base numbers,
 *       numbered from 0 (so a dropped part is noticed: the session key is
 *       shared, and its records need not be consecutive for one viewer);
 *       the one flagged LAST completes it. base is the frame the tiles apply
 *       to (0 for a key frame that covers every tile).
 *       The zstd stream runs across frames (one per viewer, proto/zstream.h)
 *       and starts afresh at part 0 of a KEY frame, or at a part 0 flagged
 *       RESTART (a diff that starts the stream anew: the master moves the
 *       viewer onto, or off, the stream it shares among viewers in step).
 *       RESTART on any other part is a protocol error.
 *   CURSOR      master -> viewer, session key: the host's pointer
 *     u8 type 0x21 | i16 x | i16 y | u8 flags (MSG_CURSOR_*)
 *     [SHAPE: u16 w | u16 h | u16 hot_x | u16 hot_y | one zstd frame (to
 *     the end) stating its size, w * h * 4 bytes: w * h x u32 ARGB]
 *       x, y relative to the shared area (may lie outside it); w, h in
 *       1..MSG_CURSOR_DIM_MAX, the hot spot inside the shape.
 *   INPUT       viewer -> master, pairwise key: one input event
 *     u8 type 0x30 | u8 kind (enum msg_input_kind) | u8 arg | u16 x | u16 y
 *     | u32 code
 *       POINTER: x, y absolute, arg = button mask; BUTTON: arg = button,
 *       code = 1 down / 0 up; WHEEL: x, y as signed 16-bit steps; KEY: code
 *       = keysym, arg = 1 down / 0 up, x = scancode.
 *   UPDATE_REQ  viewer -> master, pairwise key
 *     u8 type 0x31 | u8 full (1 = send a key frame)
 *   CLIPBOARD   either, pairwise key
 *     u8 type 0x32 | lv32 text (UTF-8, <= MSG_CLIPBOARD_MAX)
 *   CHAT        either, pairwise key
 *     u8 type 0x33 | lv16 text (UTF-8, <= MSG_TEXT_MAX)
 *
 * File transfer (either direction, pairwise key only: a file goes to one
 * peer; the sender and the receiver each need MSG_RIGHT_FILES on the
 * viewer's side). A transfer is one file or one folder tree; its id is the
 * sender's, counting up from 1 per connection and direction. Messages about
 * a transfer that has ended (cancelled, done) are ignored: they may cross a
 * CANCEL on the way; an id that was never offered ends the stream.
 *   FILE_OFFER  sender -> receiver: a transfer begins
 *     u8 type 0x40 | u32 id | u32 count | u64 bytes | lv16 name (UTF-8)
 *       count: its entries, 1..FILES_ENTRIES_MAX; bytes: the sum of their
 *       file sizes; name: what people are shown (the file's or folder's
 *       name). The receiver refuses it with CANCEL (limits, no space) or
 *       takes the entries that follow at once.
 *   FILE_ENTRY  sender -> receiver: the next file or folder of a transfer
 *     u8 type 0x41 | u32 id | u32 index | u8 kind (MSG_FILE_*) | u64 size
 *     | lv16 path (UTF-8, '/'-separated, relative; checked by relpath.h)
 *       index counts 0..count-1 in order; a folder's size is 0; a folder
 *       comes before what it holds. A file of FILES_RESUME_MIN_BYTES or
 *       more waits for the receiver's RESUME before its DATA; a smaller
 *       one's DATA and END follow at once.
 *   FILE_RESUME receiver -> sender: where a big file's DATA should start
 *     u8 type 0x42 | u32 id | u32 index | u64 have | u8 hash[32]
 *       have: bytes of an unfinished copy (NAME.part) the receiver keeps,
 *       hash: BLAKE2b-256 of them (zeros when have is 0). The sender sends
 *       from have when its own first have bytes hash the same, else from 0.
 *   FILE_DATA   sender -> receiver: the next bytes of the current file
 *     u8 type 0x43 | u32 id | u32 index | u64 offset | bytes (to the end,
 *     1..FILES_CHUNK_BYTES)
 *       offset: where they go; the first DATA of a file is at 0 or at the
 *       RESUME's have, each next one where the last ended.
 *   FILE_END    sender -> receiver: the current file is complete
 *     u8 type 0x44 | u32 id | u32 index | u8 hash[32]
 *       hash: BLAKE2b-256 of the whole file; the receiver renames NAME.part
 *       to NAME only when its own hash of what it wrote is the same.
 *   FILE_ACK    receiver -> sender: how much DATA it has taken
 *     u8 type 0x45 | u32 id | u64 got | u8 done (0 or 1)
 *       got: DATA bytes of this transfer written so far, at least every
 *       FILES_ACK_BYTES (the sender's window, endpoint/pace.h, counts
 *       from it); done: every entry
 *       arrived, was verified and is in place.
 *   FILE_CANCEL either: a transfer ends unfinished
 *     u8 type 0x46 | u32 id | u8 whose (MSG_FILE_MINE / MSG_FILE_YOURS)
 *     | u8 reason (enum msg_file_fail) | lv16 text (UTF-8)
 *       whose: MINE when the id is one the message's sender sends, YOURS
 *       when it is one the message's sender receives.
 *
 * Every decoder checks each field's limit, rejects trailing bytes, and
 * validates UTF-8 where the box says UTF-8. Names have no NUL and no
 * control characters.
 */
#ifndef PROTO_MSG_H
#define PROTO_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "limits.h"

#define MSG_VERSION 3
#define MSG_NONCE_LEN 16
#define MSG_POINT_LEN 32
#define MSG_PK_LEN 32
#define MSG_TAG_LEN 32
#define MSG_COMMIT_LEN 32
#define MSG_SEALED_KEY_LEN 80 /* crypto_box_SEALBYTES (48) + 32 */
#define MSG_LAN_ADDRS_MAX 8
#define MSG_FILE_HASH_LEN 32 /* BLAKE2b-256 */

enum msg_type {
	MSG_HS_OFFER = 0x01,
	MSG_HS_INIT = 0x02,
	MSG_HS_REPLY = 0x03,
	MSG_HS_CONFIRM = 0x04,
	MSG_HS_ABORT = 0x05,
	MSG_KEY = 0x10,
	MSG_ACCEPT = 0x11,
	MSG_BYE = 0x12,
	MSG_LAN_OFFER = 0x13,
	MSG_ASKED = 0x14,
	MSG_VIDEO = 0x20,
	MSG_CURSOR = 0x21,
	MSG_INPUT = 0x30,
	MSG_UPDATE_REQ = 0x31,
	MSG_CLIPBOARD = 0x32,
	MSG_CHAT = 0x33,
	MSG_FILE_OFFER = 0x40,
	MSG_FILE_ENTRY = 0x41,
	MSG_FILE_RESUME = 0x42,
	MSG_FILE_DATA = 0x43,
	MSG_FILE_END = 0x44,
	MSG_FILE_ACK = 0x45,
	MSG_FILE_CANCEL = 0x46,
	/* file drop (proto/blob.h): a peer's drop identity (its X25519 public
	 * key, so that what is dropped during the session can be opened by it),
	 * and the link of a file dropped for it (without #KEY); the relay's
	 * upload grant, passed on by the host to a viewer it allowed (the relay
	 * gives none to a viewer: its WELCOME comes before the code) */
	MSG_DROP_IDENTITY = 0x50,
	MSG_DROP_LINK = 0x51,
	MSG_DROP_GRANT = 0x52,
};

/* Cipher suites, as a bitmask in offers and as one value when chosen. */
enum msg_suite {
	MSG_SUITE_AES256GCM = 0x01,
	MSG_SUITE_XCHACHA20 = 0x02,
	MSG_SUITES_ALL = 0x03,
};

enum msg_abort {
	MSG_ABORT_CONFIRM = 1,   /* key confirmation failed: wrong code or tampering */
	MSG_ABORT_VERSION = 2,   /* no common version or cipher suite */
	MSG_ABORT_DENIED = 3,    /* the host refused */
	MSG_ABORT_LOCKED = 4,    /* the code was retired after too many failures */
	MSG_ABORT_LEAVING = 5,   /* a normal goodbye */
	MSG_ABORT_PROTOCOL = 6,  /* the peer broke the protocol */
	MSG_ABORT_KICKED = 7,    /* the host removed this viewer */
	MSG_ABORT_ENDED = 8,     /* the host ended the session */
	MSG_ABORT_MOVED = 9,     /* this viewer continues on a direct connection */
	MSG_ABORT_BUSY = 10,     /* another viewer's code check is running: try again */
	MSG_ABORT_TIMEOUT = 11,  /* the handshake or the host's answer took too long */
	MSG_ABORT_PAUSED = 12,   /* too many wrong codes: the host must make a new one */
	MSG_ABORT_RESUME = 13,   /* the host does not know this viewer (any more) */
};

/* Rights the host grants; ACCEPT is sent again whenever they change. */
enum msg_right {
	MSG_RIGHT_VIEW = 0x01,
	MSG_RIGHT_CONTROL = 0x02,
	MSG_RIGHT_CLIPBOARD = 0x04,
	MSG_RIGHT_FILES = 0x08,         /* send files to the host and receive them */
	MSG_RIGHTS_ALL = 0x0F,
};

enum msg_file_kind {
	MSG_FILE_REGULAR = 1,
	MSG_FILE_FOLDER = 2,
};

enum msg_file_whose {
	MSG_FILE_MINE = 0,      /* a transfer the CANCEL's sender sends */
	MSG_FILE_YOURS = 1,     /* a transfer the CANCEL's sender receives */
};

/* Why a transfer ended unfinished (FILE_CANCEL). */
enum msg_file_fail {
	MSG_FILE_CANCELLED = 1, /* a person cancelled it */
	MSG_FILE_REFUSED = 2,   /* no files right, or over the receiver's limits */
	MSG_FILE_DISK_FULL = 3, /* no space left: the receiver keeps NAME.part */
	MSG_FILE_BAD_NAME = 4,  /* a path the receiver will not write */
	MSG_FILE_BAD_SIZE = 5,  /* more entries or bytes than announced, or a size that lies */
	MSG_FILE_CORRUPT = 6,   /* the whole-file hash did not match */
	MSG_FILE_IO = 7,        /* reading or writing failed */
	MSG_FILE_CHANGED = 8,   /* the source changed while it was sent */
	MSG_FILE_BUSY = 9,      /* the same name is being received already */
	MSG_FILE_LEFT = 10,     /* the peer left or the connection was lost */
};

enum msg_cursor_flags {
	MSG_CURSOR_SHAPE = 0x01,         /* a new shape follows */
	MSG_CURSOR_HIDDEN = 0x02,        /* the host shows no pointer */
};

enum msg_video_flags {
	MSG_VIDEO_LAST = 0x01,   /* this part completes the frame */
	MSG_VIDEO_KEY = 0x02,    /* the frame covers every tile (base is 0) */
	MSG_VIDEO_LOSSY = 0x04,  /* colours were reduced (low-bandwidth mode): say so */
	MSG_VIDEO_RESTART = 0x08, /* part 0 only: the zstd stream starts afresh (KEY implies it) */
};

enum msg_input_kind {
	MSG_INPUT_POINTER = 1,
	MSG_INPUT_BUTTON = 2,
	MSG_INPUT_WHEEL = 3,
	MSG_INPUT_KEY = 4,
};

struct msg_hs_offer {
	uint8_t version;
	uint8_t suites;
	uint8_t nonce[MSG_NONCE_LEN];
	uint8_t commit[MSG_COMMIT_LEN];
	char name[MSG_NAME_MAX + 1];
};

struct msg_hs_init {
	uint8_t version;
	uint8_t suites;
	uint8_t nonce[MSG_NONCE_LEN];
	uint8_t pk[MSG_PK_LEN];
	uint8_t ya[MSG_POINT_LEN];
	char name[MSG_NAME_MAX + 1];
};

struct msg_hs_reply {
	uint8_t suite;
	uint8_t yb[MSG_POINT_LEN];
	uint8_t tag[MSG_TAG_LEN];
};

struct msg_key {
	uint32_t epoch;
	uint8_t suite;          /* the session key's AEAD (one MSG_SUITE_* value) */
	uint8_t sealed[MSG_SEALED_KEY_LEN];
};

struct msg_accept {
	uint8_t rights;
	uint16_t width, height;
};

struct msg_lan_offer {
	uint8_t n;
	char addr[MSG_LAN_ADDRS_MAX][WIRE_ADDR_TEXT_MAX + 1];
};

struct msg_video {
	uint32_t frame, base;
	uint16_t part;
	uint16_t width, height; /* KEY frames only (0 in others) */
	uint8_t flags;
	uint32_t raw_len;       /* <= MSG_VIDEO_RAW_MAX_BYTES */
	struct buf z;           /* view: the zstd bytes */
};

struct msg_cursor {
	int16_t x, y;
	uint8_t flags;
	uint16_t w, h, hot_x, hot_y;    /* SHAPE only */
	struct buf argb;                /* SHAPE only: view, zstd of w * h big-endian u32 */
};

struct msg_input {
	uint8_t kind;
	uint8_t arg;
	uint16_t x, y;
	uint32_t code;
};

struct msg_file {
	uint32_t id;
	uint32_t count, index;  /* OFFER: count; ENTRY, RESUME, DATA, END: index */
	uint64_t bytes;         /* OFFER: total; ENTRY: size; RESUME: have; DATA: offset;
	                         * ACK: got */
	uint8_t kind;           /* ENTRY: MSG_FILE_REGULAR / MSG_FILE_FOLDER */
	uint8_t done;           /* ACK */
	uint8_t whose, reason;  /* CANCEL */
	uint8_t hash[MSG_FILE_HASH_LEN]; /* RESUME, END */
	struct buf text;        /* view: OFFER name, ENTRY path, DATA bytes, CANCEL text */
};

/* DROP_GRANT: views of printable ASCII, and the opaque grant. */
struct msg_drop_grant {
	struct buf relay;       /* HOST:PORT the grant is good for */
	struct buf tier;        /* the transport that reached it ("tcp", "tls", ...) */
	struct buf grant;
};

/* One decoded message. Views borrow the input buffer. */
struct msg {
	uint8_t type;
	union {
		struct msg_hs_offer offer;
		struct msg_hs_init init;
		struct msg_hs_reply reply;
		uint8_t confirm_tag[MSG_TAG_LEN];
		uint8_t abort_reason;
		struct msg_key key;
		struct msg_accept accept;
		struct {
			uint8_t reason;
			struct buf text;        /* view, UTF-8 */
		} bye;
		struct msg_video video;
		struct msg_lan_offer lan_offer;
		struct msg_cursor cursor;
		struct msg_input input;
		uint8_t update_full;
		struct buf text;                /* CLIPBOARD, CHAT: view, UTF-8 */
		struct msg_file file;           /* FILE_* */
		uint8_t drop_pk[MSG_PK_LEN];    /* DROP_IDENTITY; DROP_LINK is text */
		struct msg_drop_grant drop_grant;
	} u;
};

/* Decode any message; ERR_UNSUPPORTED for an unknown type. */
int msg_decode(struct buf *in, struct msg *m) WUR;

int msg_hs_offer_encode(struct buf *out, const struct msg_hs_offer *m) WUR;
int msg_hs_init_encode(struct buf *out, const struct msg_hs_init *m) WUR;
int msg_hs_reply_encode(struct buf *out, const struct msg_hs_reply *m) WUR;
int msg_hs_confirm_encode(struct buf *out, const uint8_t tag[MSG_TAG_LEN]) WUR;
int msg_hs_abort_encode(struct buf *out, uint8_t reason) WUR;
int msg_key_encode(struct buf *out, const struct msg_key *m) WUR;
int msg_accept_encode(struct buf *out, const struct msg_accept *m) WUR;
int msg_bye_encode(struct buf *out, uint8_t reason, const char *text) WUR;
int msg_lan_offer_encode(struct buf *out, const struct msg_lan_offer *m) WUR;
/* Messages that are only a type byte (ASKED). */
int msg_empty_encode(struct buf *out, uint8_t type) WUR;
/* Header only: the caller appends raw_len's zstd bytes after it. */
int msg_video_encode_head(struct buf *out, const struct msg_video *m) WUR;
/* argb: w * h pixels 0xAARRGGBB (SHAPE only; NULL otherwise). */
int msg_cursor_encode(struct buf *out, const struct msg_cursor *m, const uint32_t *argb) WUR;
/* A decoded SHAPE's w * h pixels (0xAARRGGBB) into argb. */
int msg_cursor_pixels(const struct msg_cursor *m, uint32_t *argb) WUR;
int msg_input_encode(struct buf *out, const struct msg_input *m) WUR;
int msg_update_req_encode(struct buf *out, uint8_t full) WUR;
int msg_clipboard_encode(struct buf *out, const void *text, size_t n) WUR;
int msg_chat_encode(struct buf *out, const void *text, size_t n) WUR;
/* file drop: a public key; a link (printable ASCII, <= DROP_LINK_MAX_BYTES) */
int msg_drop_identity_encode(struct buf *out, const uint8_t pk[MSG_PK_LEN]) WUR;
int msg_drop_link_encode(struct buf *out, const char *link) WUR;
/* DROP_GRANT: relay is HOST:PORT (1..CLIENT_RELAY_TEXT_MAX bytes), tier a
 * transport's name (1..MSG_DROP_TIER_MAX), both printable ASCII; the grant
 * 1..WIRE_DROP_GRANT_MAX opaque bytes. */
int msg_drop_grant_encode(struct buf *out, const char *relay, const char *tier,
    const uint8_t *grant, size_t grant_len) WUR;

/* FILE_*: m->text is the name, path, data or text the box names (n bytes
 * at p; ignored where the box has none). */
int msg_file_encode(struct buf *out, uint8_t type, const struct msg_file *m,
    const void *p, size_t n) WUR;
/* Room a FILE_DATA message needs besides its bytes. */
enum { MSG_FILE_DATA_HEAD_LEN = 1 + 4 + 4 + 8 };

const char *msg_type_str(uint8_t type);
const char *msg_file_fail_str(uint8_t reason);
const char *msg_abort_str(uint8_t reason);

#endif
