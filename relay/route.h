/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route.h - what the relay does with relay frames (docs/PROTOCOL.md
 * section 1): HELLO makes a master or a viewer, DATA is forwarded with
 * its slot rewritten to the sender's, KICK and END remove viewers, PING is
 * answered. Also what a leave means to the others in the session, and
 * flow control between the ends.
 *
 * The sessions live here: one struct room (room.h) per live number, the
 * number from the directory (directory.h). route.c works on conns through
 * conn.h only; the server registers route_ops for the conn kinds that
 * speak frames (CONN_RAW and CONN_TUNNEL) with the struct route as arg.
 */
#ifndef RELAY_ROUTE_H
#define RELAY_ROUTE_H

#include <stdint.h>

#include "conn.h"

struct directory;
struct limit;
struct route;

struct route_config {
	uint32_t body_max;              /* frame bodies after HELLO, announced in WELCOME */
	uint32_t max_viewers;           /* verified viewers per session */
	uint32_t idle_timeout_ms;       /* announced in WELCOME */
};

/* The frame hooks: serve, eof (the frames before the end count too),
 * drained (FLOW XON, or read a paused session's viewers again), leave. */
extern const struct conn_ops route_ops;

/* Borrows dir and limit. NULL when out of memory. */
struct route *route_new(const struct route_config *cfg, struct directory *dir,
    struct limit *limit);
/* Forgets the sessions still there (route_shutdown retires them first). NULL is fine. */
void route_free(struct route *rt);
/*
 * The relay shuts down: retire every live number and forget every
 * session, without PEER_LEAVE or ERROR (everyone gets RESTARTING); the
 * conns stay, no longer in a session and no longer paused.
 */
void route_shutdown(struct route *rt, int64_t now_s);
/* Frames skipped for their unknown type, and DATA to slots just emptied. */
uint64_t route_frames_unknown(const struct route *rt);
uint64_t route_frames_dropped(const struct route *rt);

#endif
