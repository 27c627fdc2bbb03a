/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lan.h - viewers that connect to the master directly, with no relay:
 * `fernsicht-master --lan ADDR:PORT` listens, `fernsicht-viewer --direct
 * HOST:PORT` connects.
 *
 * The master plays the relay's part for these connections only: it
 * answers HELLO with WELCOME and then carries the same DATA frames, so the
 * handshake over the one-time code, the host's consent, the keys and the
 * records are exactly those of a relayed session. A direct viewer gets a
 * slot of the master's own (SESSION_VIEWERS_MAX + 1 .. MASTER_SLOTS_MAX);
 * on its connection the viewer always sees the master as slot 0 and itself
 * as slot 1, and its session uid is random per connection.
 */
#ifndef MASTER_LAN_H
#define MASTER_LAN_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "msg.h"
#include "wire.h"

struct lan;
struct lan_conn;

/* What the listener tells whoever serves the viewers (the master's
 * session): lan.c knows nothing else about it. */
struct lan_events {
	void *ctx;
	uint32_t (*number)(void *ctx);                  /* the session number now */
	/* A welcomed connection: its viewer slot, or -1 when none is free. */
	int (*join)(void *ctx, struct lan_conn *c, const char *addr, uint64_t uid,
	    unsigned upgrade_of);
	void (*start)(void *ctx, unsigned slot);        /* send the first handshake message */
	void (*frame)(void *ctx, unsigned slot, const struct wire_hdr *h, struct buf *body);
	void (*leave)(void *ctx, unsigned slot, uint16_t code);
};

enum {
	LAN_CONNS_MAX = SESSION_VIEWERS_MAX,
	LAN_PREAUTH_MAX = 4,            /* connections that have not sent HELLO */
	LAN_JOINS_PER_MIN = 20,         /* every join may be a guess at the code */
	LAN_OUT_HIGH_BYTES = 1 << 20,   /* above: the viewer counts as paused */
};

struct lan *lan_open(const char *addr, char *why, size_t why_len);
void lan_close(struct lan *l);
/* Where it listens, "ip:port". */
const char *lan_addr(const struct lan *l);
/* Fill pollfds for the listener and every connection; returns how many. */
int lan_pollfds(struct lan *l, struct pollfd *p, int max);
/* Accept, read and write what poll reported; hand frames to ev. */
void lan_service(struct lan *l, const struct lan_events *ev, const struct pollfd *p, int n);
/* Flush what the session queued. */
void lan_flush(struct lan *l, const struct lan_events *ev);

/* The addresses to offer relayed viewers for a direct connection. */
int lan_offer(const struct lan *l, struct msg_lan_offer *o);

struct buf *lan_out(struct lan_conn *c);
size_t lan_queued(const struct lan_conn *c);
/* Send ERROR code (unless WIRE_E_NONE) and close once flushed. */
void lan_drop(struct lan_conn *c, uint16_t code);
/* The session let go of this connection's viewer: tell it nothing more. */
void lan_forget(struct lan_conn *c);

#endif
