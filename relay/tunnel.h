/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tunnel.h - HTTP long-poll tunnels (docs/PROTOCOL.md 5.1): the relay end
 * of POST /v1/open, POST /v1/tx, GET /v1/rx and POST /v1/close.
 *
 * Two kinds of conn meet here. An HTTP conn (CONN_HTTP) carries requests;
 * the server registers tunnel_ops for that kind with the struct
 * tunnel_set as arg. A tunnel is a conn without a socket (CONN_TUNNEL,
 * conn_new_virtual) that speaks relay frames like any TCP conn: /v1/tx
 * appends to its in and hands it to its frame hooks (conn_serve), exactly
 * as a read would; its output leaves through this file's carrier. Its out
 * holds the bytes from the last acknowledged offset (out_base) on, so an
 * rx answer that was cut off can be asked again; they count against the
 * same RELAY_OUTBUF_* marks and cap as a TCP conn's queue. An rx answer
 * is streamed (chunked) by the HTTP conn that asked for it; one per tunnel
 * at a time, a newer one ends the older.
 *
 *     client offsets:  out_base <= out_sent <= out_base + buf_len(out)
 *                      acked      streamed    queued by route.c
 */
#ifndef RELAY_TUNNEL_H
#define RELAY_TUNNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "conn.h"
#include "drop.h"

enum {
	TUNNEL_ID_BYTES = 16,           /* 32 hex digits in URLs */
	TUNNEL_BUCKETS = 4096,          /* of the id table; ids are random, so any bits hash */
};

struct tunnel_set;

struct tunnel_config {
	uint32_t hello_timeout_ms;      /* a request comes whole this soon after its first byte */
	uint32_t idle_timeout_ms;       /* an HTTP conn without a request closes after this */
	struct drop *drop;              /* file drop: /v1/drop/ requests (drop_http.h), or NULL */
};

/* The HTTP request hooks: serve (requests), drained (stream more, or the
 * next request), leave (an rx answer in progress is cut). */
extern const struct conn_ops tunnel_ops;

/* Tunnels are conns of conns; they count against limit like any. NULL: out of memory. */
struct tunnel_set *tunnel_set_new(const struct tunnel_config *cfg, struct conn_set *conns,
    struct limit *limit);
/* Frees the tunnels still there; their conns are conn_set_free's. NULL is fine. */
void tunnel_set_free(struct tunnel_set *ts);
/*
 * HTTP conn h's clocks, once a tick: its rx answer ends after
 * RELAY_HTTP_RX_MS; a request that does not come whole in hello_timeout_ms,
 * or no request for idle_timeout_ms, closes it. true: h was closed.
 */
bool tunnel_tick(struct tunnel_set *ts, struct conn *h);
/* The relay shuts down: h closes after the answer in progress (an rx
 * answer carries its tunnel's RESTARTING first), or now. */
void tunnel_shutdown(struct conn *h);

#endif
