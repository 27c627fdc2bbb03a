/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conn.h - one client connection of the relay: its socket, its buffers,
 * where it stands (pre-auth, master, viewer, closing) and its clocks.
 *
 * A conn does its own reading and writing; what the frames mean is the
 * loop's business.
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

struct room;

struct conn {
	int fd;
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
	uint32_t events;                /* what epoll watches now */
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

/* Takes fd (non-blocking). in holds one frame of body_max plus one read. */
struct conn *conn_new(int fd, const struct sockaddr *sa, size_t body_max, uint64_t now_ms);
void conn_free(struct conn *c);  /* closes the fd */
/* One read(2) of at most RELAY_READ_BYTES. ERR_AGAIN, ERR_CLOSED, ERR_SYSTEM. */
int conn_fill(struct conn *c) WUR;
/* Write at most RELAY_WRITE_BUDGET_BYTES. ERR_CLOSED / ERR_SYSTEM when broken. */
int conn_flush(struct conn *c, uint64_t now_ms) WUR;
/* Queue a frame. ERR_NO_SPACE when out would pass its hard cap. */
int conn_send(struct conn *c, uint8_t type, uint8_t flags, uint16_t slot, uint64_t seq,
    const void *body, size_t n) WUR;
int conn_send_error(struct conn *c, uint16_t code) WUR;
const char *conn_state_str(enum conn_state s);

#endif
