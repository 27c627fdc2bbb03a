/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wire.h - relay frames: the only bytes the relay parses.
 *
 * Every frame, in both directions, is a 16-byte header and a body:
 *
 *    0       4      5       6       8                      16
 *   +-------+------+-------+-------+-----------------------+------------+
 *   | len   | type | flags | slot  | seq                   | body[len]  |
 *   | u32   | u8   | u8    | u16   | u64                   |            |
 *   +-------+------+-------+-------+-----------------------+------------+
 *
 * len   body length in bytes, checked against the limit before the body is
 *       waited for (WIRE_PREAUTH_MAX_BYTES before HELLO, then the body limit
 *       the relay announced in WELCOME, never above WIRE_BODY_MAX_BYTES).
 * slot  0 is the master, 1..SESSION_VIEWERS_MAX are viewers, 0xFFFF is "all
 *       viewers". A client writes the destination; the relay rewrites it to
 *       the source before delivery, so nobody can pose as another slot.
 * seq   end-to-end record number of a DATA frame (0 on relay control frames).
 * flags for DATA: which end-to-end key protects the body (WIRE_F_*); zero on
 *       every other type.
 *
 * Integers are big-endian. A frame of an unknown type with a valid length
 * is skipped by its receiver (and counted by the relay).
 *
 * Bodies of the control types (all fixed or bounded, checked exactly):
 *   HELLO      magic "FSHT", u8 version (1), u8 role (1 master, 2 viewer),
 *              u32 session number (0 for a new master's session; a viewer
 *              connecting directly to a master may send 0: "whichever you
 *              run"), lv16 name hint (<= 64)
 *              [, lv16 ticket: a master resuming `session` sends the
 *              WIRE_TICKET_LEN bytes its first WELCOME gave it; empty:
 *              none, for a token after it]
 *              [, lv16 token: a master opening a session on a relay that
 *              wants one, the operator's session-creation token as text
 *              (printable ASCII, <= WIRE_TOKEN_MAX); empty: none]
 *   WELCOME    u32 session number, u16 your slot, u64 session uid,
 *              u32 body limit, u32 idle timeout ms, u16 max viewers
 *              [, lv16 ticket: to a master, the secret that resumes this
 *              number after the connection is lost (WIRE_TICKET_LEN);
 *              empty to a viewer when a grant follows]
 *              [, lv16 drop grant (file drop): the right to upload to
 *              this relay's drop (PROTOCOL.md "File drop"), opaque to
 *              clients, 1..WIRE_DROP_GRANT_MAX bytes; absent when the
 *              relay keeps no drop]
 *   ERROR      u16 code (enum wire_error), lv16 text (<= WIRE_ERROR_TEXT_MAX);
 *              the sender closes after it
 *   PEER_JOIN  (relay to master, slot = the viewer) lv16 address "ip:port"
 *              [, lv16 name hint: the viewer's HELLO hint, as it sent it]
 *   PEER_LEAVE (relay to master, slot = the viewer) u16 code (enum wire_error)
 *   FLOW       (relay to master, slot = the viewer) u8 0 = XOFF, 1 = XON
 *   KICK       (master to relay, slot = the viewer) empty
 *   END        (master to relay) empty: the session is over
 *   PING, PONG empty
 *   RESTARTING (relay to all) empty: the relay is going down or draining;
 *              reconnect (a master resumes its number, a viewer its seat)
 *   REDIRECT   (relay to client, instead of WELCOME) lv16 "host:port" (<=
 *              WIRE_REDIRECT_TEXT_MAX) of the relay that holds the session;
 *              the relay closes after it and the client follows once
 *   GRANT      (master to relay) empty: a new file-drop grant, please; the
 *              ones before stop working (a viewer that had one is gone)
 *              (relay to master) lv16 the new grant (1..WIRE_DROP_GRANT_MAX),
 *              as WELCOME's; a relay without a drop ignores the request
 *
 * Fields in [brackets] were added to version 1 at its end: a body that
 * stops before one is valid and means "empty", so older clients and tools
 * keep working. Nothing in them is secret from the relay (it made the
 * ticket); they let a relay find a session again, never let it in.
 */
#ifndef PROTO_WIRE_H
#define PROTO_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "limits.h"

#define WIRE_MAGIC "FSHT"
#define WIRE_VERSION 1

enum wire_type {
	WIRE_HELLO = 1,
	WIRE_WELCOME = 2,
	WIRE_ERROR = 3,
	WIRE_DATA = 4,
	WIRE_PEER_JOIN = 5,
	WIRE_PEER_LEAVE = 6,
	WIRE_FLOW = 7,
	WIRE_KICK = 8,
	WIRE_END = 9,
	WIRE_PING = 10,
	WIRE_PONG = 11,
	WIRE_RESTARTING = 12,
	WIRE_REDIRECT = 13,
	WIRE_GRANT = 14,
};

/* DATA flags: which key protects the body (exactly one of the first three). */
enum wire_flags {
	WIRE_F_HANDSHAKE = 0x01, /* clear handshake message (CPace, confirmations) */
	WIRE_F_PAIR = 0x02,      /* pairwise key of this master/viewer pair */
	WIRE_F_SESSION = 0x04,   /* the master's session key (screen, cursor) */
	WIRE_F_REKEY = 0x08,     /* first record under the sender's next key */
	WIRE_F_KEY_MASK = 0x07,
	WIRE_F_ALL = 0x0F,
};

enum wire_role {
	WIRE_ROLE_MASTER = 1,
	WIRE_ROLE_VIEWER = 2,
};

enum wire_flow {
	WIRE_FLOW_XOFF = 0,
	WIRE_FLOW_XON = 1,
};

/* ERROR and PEER_LEAVE codes. Stable: they are part of the protocol. */
enum wire_error {
	WIRE_E_NONE = 0,         /* a normal leave */
	WIRE_E_PROTOCOL = 1,     /* malformed or out-of-state frame */
	WIRE_E_VERSION = 2,      /* unsupported protocol version */
	WIRE_E_NO_SESSION = 3,   /* no live session with that number */
	WIRE_E_FULL = 4,         /* the session has its maximum of viewers */
	WIRE_E_RATE = 5,         /* too many joins or connections from this address */
	WIRE_E_TOO_LARGE = 6,    /* a frame over the limit */
	WIRE_E_TIMEOUT = 7,      /* no HELLO in time, or idle */
	WIRE_E_SLOW = 8,         /* a viewer that does not read was evicted */
	WIRE_E_KICKED = 9,       /* the master removed this viewer */
	WIRE_E_ENDED = 10,       /* the master ended the session */
	WIRE_E_MASTER_GONE = 11, /* the master's connection was lost */
	WIRE_E_SHUTDOWN = 12,    /* the relay is shutting down */
	WIRE_E_BUSY = 13,        /* the relay has no free session number or slot */
	WIRE_E_CLOSED = 14,      /* the viewer's connection was lost */
	WIRE_E_DIRECTORY = 15,   /* the relays' shared directory is unreachable: try again */
	WIRE_E_AWAY = 16,        /* the session's host is reconnecting: try again shortly */
	WIRE_E_RESUME = 17,      /* no session to resume with that number and ticket */
	/* session-creation tokens */
	WIRE_E_TOKEN = 18,       /* this relay opens sessions only with a valid token */
};

struct wire_hdr {
	uint32_t len;
	uint8_t type;
	uint8_t flags;
	uint16_t slot;
	uint64_t seq;
};

struct wire_hello {
	uint8_t version;
	uint8_t role;
	uint32_t session;
	char name[MSG_NAME_MAX + 1];
	bool has_ticket;                /* a master resuming session */
	uint8_t ticket[WIRE_TICKET_LEN];
	/* session-creation tokens: a master's token, or "" */
	char token[WIRE_TOKEN_MAX + 1];
};

struct wire_welcome {
	uint32_t session;
	uint16_t slot;
	uint64_t session_uid;
	uint32_t body_max;
	uint32_t idle_timeout_ms;
	uint16_t max_viewers;
	bool has_ticket;                /* to a master: what resumes this number */
	uint8_t ticket[WIRE_TICKET_LEN];
	/* file drop: the upload grant, or drop_grant_len 0 */
	uint16_t drop_grant_len;
	uint8_t drop_grant[WIRE_DROP_GRANT_MAX];
};

struct wire_error_body {
	uint16_t code;
	char text[WIRE_ERROR_TEXT_MAX + 1];
};

/*
 * Take the next whole frame from in: its header, and a view of its body
 * (borrowing in's storage). ERR_TOO_LARGE as soon as the header claims a
 * body over body_max; ERR_INCOMPLETE (consuming nothing) until the whole
 * frame is there. Does not judge type or flags: that is the caller's.
 */
int wire_next(struct buf *in, size_t body_max, struct wire_hdr *h, struct buf *body) WUR;
/* Encode a header into exactly WIRE_HEADER_LEN bytes. */
void wire_hdr_pack(const struct wire_hdr *h, uint8_t out[WIRE_HEADER_LEN]);
/* Append one frame (header from h, len taken from body_len). */
int wire_put(struct buf *out, const struct wire_hdr *h, const void *body, size_t body_len) WUR;

int wire_hello_encode(struct buf *out, const struct wire_hello *m) WUR;
int wire_hello_decode(struct buf *in, struct wire_hello *m) WUR;
int wire_welcome_encode(struct buf *out, const struct wire_welcome *m) WUR;
int wire_welcome_decode(struct buf *in, struct wire_welcome *m) WUR;
int wire_error_encode(struct buf *out, uint16_t code, const char *text) WUR;
int wire_error_decode(struct buf *in, struct wire_error_body *m) WUR;
/* PEER_JOIN: an address text of printable ASCII, <= WIRE_ADDR_TEXT_MAX. */
int wire_addr_encode(struct buf *out, const char *addr) WUR;
int wire_addr_decode(struct buf *in, char addr[WIRE_ADDR_TEXT_MAX + 1]) WUR;
/* PEER_JOIN: the address, then the viewer's name hint ("" when absent). */
int wire_join_encode(struct buf *out, const char *addr, const char *hint) WUR;
int wire_join_decode(struct buf *in, char addr[WIRE_ADDR_TEXT_MAX + 1],
    char hint[MSG_NAME_MAX + 1]) WUR;
/* REDIRECT: "host:port", printable ASCII without spaces, <= WIRE_REDIRECT_TEXT_MAX. */
int wire_redirect_encode(struct buf *out, const char *to) WUR;
int wire_redirect_decode(struct buf *in, char to[WIRE_REDIRECT_TEXT_MAX + 1]) WUR;
/* GRANT from the relay: the grant, 1..WIRE_DROP_GRANT_MAX bytes. */
int wire_grant_encode(struct buf *out, const uint8_t *grant, size_t n) WUR;
int wire_grant_decode(struct buf *in, uint8_t grant[WIRE_DROP_GRANT_MAX], size_t *n) WUR;
/* PEER_LEAVE: u16 code. */
int wire_code_decode(struct buf *in, uint16_t *code) WUR;
/* FLOW: u8 XOFF/XON. */
int wire_flow_decode(struct buf *in, uint8_t *on) WUR;

const char *wire_type_str(uint8_t type);
const char *wire_error_str(uint16_t code);

#endif
