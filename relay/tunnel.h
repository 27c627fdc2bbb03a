/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tunnel.h - HTTP long-poll tunnels (docs/PROTOCOL.md 5.1): the relay end
 * of POST /v1/open, POST /v1/tx, GET /v1/rx and POST /v1/close.
 *
 * A tunnel is a conn without a socket (CONN_TUNNEL): /v1/tx appends to its
 * in and runs route_frames, exactly as a read would; route.c queues frames
 * on its out as on any conn. Its out holds the bytes from the last
 * acknowledged offset (out_base) on, so an rx answer that was cut off can
 * be asked again; they count against the same RELAY_OUTBUF_* marks and cap
 * as a TCP conn's queue. An rx answer is streamed (chunked) by the HTTP
 * conn that asked for it; one per tunnel at a time, a newer one ends the
 * older.
 *
 *     client offsets:  out_base <= out_sent <= out_base + buf_len(out)
 *                      acked      streamed    queued by route.c
 */
#ifndef RELAY_TUNNEL_H
#define RELAY_TUNNEL_H

#include <stddef.h>
#include <stdint.h>

enum {
	TUNNEL_ID_BYTES = 16,           /* 32 hex digits in URLs */
	TUNNEL_BUCKETS = 4096,          /* of the id table; ids are random, so any bits hash */
};

struct conn;
struct server;

struct tunnel {
	uint8_t id[TUNNEL_ID_BYTES];
	struct conn *c;                 /* the tunnel's own conn */
	uint64_t in_total;              /* client bytes taken: the next tx offset */
	uint64_t out_base;              /* acknowledged: the offset of out's first byte */
	uint64_t out_sent;              /* streamed on rx answers so far */
	struct conn *rx;                /* the HTTP conn answering an rx now, or NULL */
	size_t rx_bytes;                /* bytes in that answer so far */
	uint64_t rx_end_ms;             /* when that answer ends at the latest */
	struct tunnel *next;            /* same bucket */
};

/* Serve the requests waiting in HTTP conn h's input, until one is
 * incomplete, one is answered by a stream, or h closes. */
void tunnel_serve(struct server *r, struct conn *h);
/* Tunnel conn c has output: stream it. Closing, and all streamed: gone. */
void tunnel_flush(struct server *r, struct conn *c);
/* HTTP conn h wrote: stream more to it, or serve its next request. */
void tunnel_flushed(struct server *r, struct conn *h);
/* HTTP conn h's clock: its rx answer ends after RELAY_HTTP_RX_MS. */
void tunnel_tick(struct server *r, struct conn *h);
/* Bytes queued on tunnel t that no answer has carried yet. */
size_t tunnel_unsent(const struct tunnel *t);
/* c is closing (an HTTP conn: its answer is cut) or gone (a tunnel: out of
 * the table, its answer ended). */
void tunnel_forget(struct server *r, struct conn *c);

#endif
