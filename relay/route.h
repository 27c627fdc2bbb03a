/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route.h - what the relay does with each frame: HELLO makes a master or
 * a viewer, DATA is forwarded with its slot rewritten to the sender's,
 * KICK and END remove viewers, PING is answered. Also what a leave means
 * to the others in the room, and flow control between the ends.
 */
#ifndef RELAY_ROUTE_H
#define RELAY_ROUTE_H

#include <stdint.h>

#include "conn.h"
#include "server.h"

/* Handle every whole frame waiting in c->in (until c closes or pauses). */
void route_frames(struct server *r, struct conn *c);
/* c leaves its room for reason code: tell the master, or end the session. */
void route_leave(struct server *r, struct conn *c, uint16_t code);
/* c wrote some of its queue: send FLOW XON, or read the viewers again. */
void route_drained(struct server *r, struct conn *c);

#endif
