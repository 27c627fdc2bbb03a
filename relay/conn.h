/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conn.h - the relay's connections: one client each, with its socket (or
 * none), its buffers, where it stands (pre-auth, master, viewer, closing)
 * and its clocks; and the set of all of them, which reads, writes, closes
 * and frees them on the event loop (loop.h).
 *
 * What a conn's bytes mean is not decided here. Every listener takes
 * every transport: a new conn is CONN_SNIFF until its first bytes
 * (decrypted ones under TLS, tls.h) say what it is (sniff.h), and from
 * then on the hooks registered for its kind (struct conn_ops) get its
 * input: route.c for relay frames, tunnel.c for HTTP requests. A
 * long-poll tunnel is a conn too, CONN_TUNNEL, without a socket (fd -1):
 * a carrier (struct conn_carrier, tunnel.c) moves its output, and the
 * frame hooks cannot tell it from a TCP conn.
 *
 * Lifetime (enum conn_state, then two steps that are not states):
 *
 *     PREAUTH --HELLO (hello.c)--> MASTER | VIEWER
 *     any --conn_close--> CLOSING --flushed and shut, or the linger--> dropped
 *     any --conn_lost--> dropped --conn_end_turn--> freed
 *
 * CLOSING flushes the last frame (ERROR, RESTARTING), half-closes the
 * socket and waits at most RELAY_CLOSE_LINGER_MS for the peer's end.
 * Dropped means logged, unwatched and off the list; the memory and the fd
 * go at the end of the turn, so no callback ever holds a freed conn and no
 * fd number comes back within a turn.
 *
 * Every function here runs on the loop's thread.
 */
#ifndef RELAY_CONN_H
#define RELAY_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "limit.h"
#include "log.h"
#include "metrics.h"
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
	CONN_KINDS
};

struct conn;
struct conn_set;
struct loop;
struct room;
struct route_ask;
struct tls;
struct tls_server;
struct tunnel;

/*
 * What a kind of conn does with its bytes, registered per kind with
 * conn_set_ops. Every hook gets the arg registered with it. A hook may
 * close or drop any conn, c included.
 */
struct conn_ops {
	/* Bytes wait in c->in (after a read, or when conn_serve asks). */
	void (*serve)(void *arg, struct conn *c);
	/* Optional: the peer closed its side (c->eof); c->in may hold its last bytes. */
	void (*eof)(void *arg, struct conn *c);
	/* Optional: some of c's queue went out. */
	void (*drained)(void *arg, struct conn *c);
	/* Optional: c closes (conn_close: code) or is dropped (WIRE_E_CLOSED):
	 * leave whatever it is part of. May come more than once. */
	void (*leave)(void *arg, struct conn *c, uint16_t code);
};

/* How the output of a conn without a socket travels (tunnel.c). */
struct conn_carrier {
	/* c->out has bytes: take what can go now. */
	void (*push)(void *arg, struct conn *c);
	/* Bytes of c->out not taken yet. */
	size_t (*unsent)(const void *arg, const struct conn *c);
	/* c is dropped: forget it (and arg). */
	void (*drop)(void *arg, struct conn *c);
};

struct conn {
	struct conn_set *set;
	int fd;                         /* -1 for a tunnel */
	enum conn_kind kind;
	struct tls *tls;                /* NULL: no TLS */
	const struct conn_carrier *carrier; /* CONN_TUNNEL: what moves its output */
	void *carrier_arg;
	uint64_t id;                    /* for logs: fds are reused */
	char peer[WIRE_ADDR_TEXT_MAX + 1]; /* "ip:port" */
	struct limit_key ip;
	struct buf in, out;
	enum conn_state state;
	bool preauth_counted;           /* still counts as pre-auth in the limit table */
	/* its address logged enough lately: no connect or close line (a
	 * WELCOME, which is logged, brings its close line back) */
	bool unlogged;
	bool paused;                    /* not read now: its room's master is behind */
	bool sniff_slow;                /* a partial first word: look again next tick, not spin */
	bool shut_wr;                   /* closing: our side is shut down */
	bool eof;                       /* the peer shut its side: stop reading */
	bool dead;                      /* dropped; freed at the end of the loop turn */
	bool touched;                   /* on the set's list of conns to flush */
	uint64_t connected_ms;
	uint64_t rx_ms;                 /* last whole frame (HTTP: request) */
	uint64_t tx_ms;                 /* last write progress, or last time out was empty */
	uint64_t close_ms;              /* closing: the deadline */
	uint64_t bytes_in, bytes_out;
	uint64_t frames_unknown, frames_dropped;
	const char *why;                /* closing: the reason, for the log */
	uint16_t doom;                  /* non-zero: close with this code at the end of the turn */
	const char *doom_why;
	struct conn *touch_next;
	struct conn *prev, *next;       /* every conn of the set */

	/* route.c's: the session a master or viewer is in */
	struct room *room;
	struct route_ask *ask;          /* HELLO waits for the directory's answer */
	uint16_t slot;                  /* 0 master, 1..max viewer */
	bool xoff;                      /* a viewer: FLOW XOFF was sent for it */
	/* reload: what its WELCOME announced (0 before): its session's, which a
	 * reload leaves alone, so that no live session's frames or pings
	 * turn wrong under it */
	uint32_t body_max;
	uint32_t idle_timeout_ms;

	/* tunnel.c's, for CONN_HTTP */
	struct tunnel *answering;       /* the tunnel whose rx it answers now */
	uint64_t req_ms;                /* first byte of the pending request, or 0 */
	size_t req_head_len;            /* its head, once whole (its body is coming) */
	bool http_close;                /* close after the answer in progress */
	bool http10;                    /* the request was HTTP/1.0 */
	bool continued;                 /* 100 Continue sent for the pending request */

	/* metrics (metrics.h): a tunnel opened over https */
	bool tunnel_tls;
};

/* Every conn of a relay. The fields are read by the layers above; only
 * conn.c writes them (stopping: server.c). */
struct conn_set {
	struct loop *loop;
	struct limit *limit;            /* per-address counts: a dropped conn leaves them */
	struct tls_server *tls;         /* for TLS ClientHellos, or NULL */
	uint32_t body_max;              /* frame bodies after HELLO */
	struct conn *all;               /* every open conn */
	size_t count;
	size_t max;                     /* count at most: more are refused (server.c, tunnel.c) */
	bool stopping;                  /* the relay shuts down: no new conns */
	const struct conn_ops *ops[CONN_KINDS];
	void *ops_arg[CONN_KINDS];
	struct conn *touched;           /* queued output or changed interest this turn */
	struct conn *dead;              /* dropped this turn, freed at its end */
	uint64_t ids;
	struct log_rl rl_tls;
};

/* Borrows loop, limit and tls (NULL: no TLS). NULL when out of memory. */
struct conn_set *conn_set_new(struct loop *loop, struct limit *limit, struct tls_server *tls,
    uint32_t body_max);
/* Frees every conn still there, with no logs and no hooks. NULL is fine. */
void conn_set_free(struct conn_set *s);
/* A reload: TLS ClientHellos from now on get tls (NULL: no TLS; the
 * connections already in TLS keep theirs), and new conns' input is sized
 * for body_max. Borrows tls. */
void conn_set_reload(struct conn_set *s, struct tls_server *tls, uint32_t body_max);
/* c may hold a frame of body_max from now on (its session's, which may
 * be larger than the set's since a reload). */
void conn_fit_body(struct conn *c, uint32_t body_max);
/* What conns of kind k do with their bytes (CONN_SNIFF is conn.c's own). */
void conn_set_ops(struct conn_set *s, enum conn_kind k, const struct conn_ops *ops, void *arg);
/*
 * The end of a turn (the loop's before-sleep): close the doomed, flush
 * what was queued, watch each touched socket for what it needs now, read
 * what OpenSSL holds decrypted, and free the dropped.
 */
void conn_end_turn(struct conn_set *s);
/* mono ms of this loop turn. */
uint64_t conn_now(const struct conn_set *s);

/*
 * An accepted socket (non-blocking), watched for reading and on the set's
 * list. in holds one frame of body_max, or one HTTP request, plus one
 * read. NULL (fd closed) when out of memory or the loop refuses fd.
 */
struct conn *conn_new(struct conn_set *s, int fd, const struct sockaddr *sa);
/*
 * A conn without a socket for the client at peer/ip, CONN_TUNNEL, on the
 * list; carrier moves its output. in holds one frame of body_max plus one
 * /v1/tx body. NULL when out of memory.
 */
struct conn *conn_new_virtual(struct conn_set *s, const char *peer, const struct limit_key *ip,
    const struct conn_carrier *carrier, void *carrier_arg);

/* Flush c and fix what its socket is watched for, at the end of this turn. */
void conn_touch(struct conn *c);
/* Hand what waits in c->in to its kind's serve hook, as after a read. */
void conn_serve(struct conn *c);
/* Queue ERROR code (if c speaks frames) and close c once flushed, or after
 * the linger. c leaves first (the leave hook). Closing or dropped: nothing. */
void conn_close(struct conn *c, uint16_t code, const char *why);
/* The same, at the end of this turn: safe while rooms are being walked. */
void conn_doom(struct conn *c, uint16_t code, const char *why);
/* For the relay's shutdown: queue RESTARTING (if c speaks frames) and close
 * c like conn_close, but without ERROR and without leaving. */
void conn_restart(struct conn *c, const char *why);
/* Close c like conn_close once what is queued has gone (a REDIRECT), but
 * without ERROR and without leaving. */
void conn_finish(struct conn *c, const char *why);
/* c's connection broke or its tunnel closed: no ERROR can reach it. Drop
 * it now (a closing conn with the reason it was closing for). */
void conn_lost(struct conn *c, const char *why);
/* c's HELLO or first good HTTP request: it no longer counts as pre-auth. */
void conn_authed(struct conn *c);
/* Bytes queued on c that have not left: out, or what its carrier holds. */
size_t conn_unsent(const struct conn *c);

/* Queue a frame. ERR_NO_SPACE when out would pass its hard cap. */
int conn_send(struct conn *c, uint8_t type, uint8_t flags, uint16_t slot, uint64_t seq,
    const void *body, size_t n) WUR;
int conn_send_error(struct conn *c, uint16_t code) WUR;
/* Whether an ERROR frame means anything to the peer: not to HTTP, nor
 * inside a TLS handshake. */
bool conn_speaks_frames(const struct conn *c);
/* For logs: "tcp", "tls", "http", "https", "tunnel" (or "new"). */
const char *conn_kind_str(const struct conn *c);
const char *conn_state_str(enum conn_state s);
/* metrics: the tier c came by (a tunnel: its opening request's); false when
 * c has none yet (not sniffed). */
bool conn_tier(const struct conn *c, enum metrics_tier *t);

/* session-creation tokens: conn_close with an ERROR whose text
 * says more than the code's own words (text is copied; why is kept, so it
 * must outlive c: a string constant). */
void conn_close_text(struct conn *c, uint16_t code, const char *text, const char *why);

#endif
