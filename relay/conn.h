/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conn.h - one client connection of the relay: its socket, its buffers,
 * where it stands (pre-auth, master, viewer, closing) and its clocks.
 *
 * A conn does its own reading and writing; what the frames mean is the
 * loop's business.
 *
 * Every listener takes every transport (sniff.h): a new conn is
 * CONN_SNIFF until its first bytes (decrypted ones under TLS) say what it
 * is. A long-poll tunnel (tunnel.h) is a conn too, CONN_TUNNEL, with no
 * socket (fd -1): HTTP requests fill its in and drain its out, and
 * route.c cannot tell it from a TCP conn.
 */
#ifndef RELAY_CONN_H
#define RELAY_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "limit.h"
#include "wire.h"

enum conn_state {
	CONN_PREAUTH,
	CONN_MASTER,
	CONN_VIEWER,
	CONN_CLOSING,                   /* flushing its last frame, then closed */
};

enum conn_kind {
	CONN_SNIFF,                     /* transport not known yet */
	CONN_RAW,                       /* relay frames, on TCP or inside TLS */
	CONN_HTTP,                      /* HTTP requests for long-poll tunnels */
	CONN_TUNNEL,                    /* no socket: a long-poll tunnel's frames */
};

struct room;
struct server;
struct tls;
struct tunnel;

struct conn {
	struct server *server;
	int fd;                         /* -1 for a tunnel */
	enum conn_kind kind;
	struct tls *tls;                /* NULL: no TLS */
	struct tunnel *tun;             /* CONN_TUNNEL: its offsets and rx answer */
	struct tunnel *answering;       /* CONN_HTTP: the tunnel whose rx it answers now */
	uint64_t req_ms;                /* CONN_HTTP: first byte of the pending request, or 0 */
	bool http_close;                /* CONN_HTTP: close after the answer in progress */
	bool http10;                    /* CONN_HTTP: the request was HTTP/1.0 */
	bool continued;                 /* CONN_HTTP: 100 Continue sent for the pending request */
	bool sniff_slow;                /* a partial first word: look again next tick, not spin */
	uint64_t id;                    /* for logs: fds are reused */
	char peer[WIRE_ADDR_TEXT_MAX + 1]; /* "ip:port" */
	struct limit_key ip;
	struct buf in, out;
	enum conn_state state;
	bool preauth_counted;           /* still counts as pre-auth in the limit table */
	struct room *room;
	uint16_t slot;                  /* 0 master, 1..max viewer */
	bool xoff;                      /* a viewer: FLOW XOFF was sent for it */
	bool shut_wr;                   /* closing: our side is shut down */
	uint64_t connected_ms;
	uint64_t rx_ms;                 /* last whole frame */
	uint64_t tx_ms;                 /* last write progress, or last time out was empty */
	uint64_t close_ms;              /* closing: the deadline */
	uint64_t bytes_in, bytes_out;
	uint64_t frames_unknown, frames_dropped;
	const char *why;                /* closing: the reason, for the log */
	uint16_t doom;                  /* non-zero: close with this code at the end of the turn */
	const char *doom_why;
	bool eof;                       /* the peer shut its side: stop reading */
	bool dead;                      /* closed; freed at the end of the loop turn */
	bool touched;                   /* on the loop's list of conns to flush */
	struct conn *touch_next;
	struct conn *prev, *next;       /* every conn */
};

/* Takes fd (non-blocking). in holds one frame of body_max, or one HTTP
 * request, plus one read. */
struct conn *conn_new(int fd, const struct sockaddr *sa, size_t body_max, uint64_t now_ms);
/* A conn without a socket, for the client at peer/ip. in holds one frame
 * of body_max plus one /v1/tx body. */
struct conn *conn_new_virtual(const char *peer, const struct limit_key *ip, size_t body_max,
    uint64_t now_ms);
void conn_free(struct conn *c);  /* closes the fd, ends TLS, frees its tunnel */
/* One read(2) of at most RELAY_READ_BYTES; under TLS, every decrypted byte
 * that fits. ERR_AGAIN, ERR_CLOSED, ERR_NO_SPACE, ERR_SYSTEM, ERR_AUTH. */
int conn_fill(struct conn *c) WUR;
/* Write at most RELAY_WRITE_BUDGET_BYTES. ERR_CLOSED / ERR_SYSTEM / ERR_AUTH when broken. */
int conn_flush(struct conn *c, uint64_t now_ms) WUR;
/* Whether an ERROR frame means anything to the peer: not to HTTP, nor
 * inside a TLS handshake. */
bool conn_speaks_frames(const struct conn *c);
const char *conn_kind_str(const struct conn *c);
/* Queue a frame. ERR_NO_SPACE when out would pass its hard cap. */
int conn_send(struct conn *c, uint8_t type, uint8_t flags, uint16_t slot, uint64_t seq,
    const void *body, size_t n) WUR;
int conn_send_error(struct conn *c, uint16_t code) WUR;
const char *conn_state_str(enum conn_state s);

#endif
