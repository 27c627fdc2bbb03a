/* SPDX-License-Identifier: Apache-2.0 */
/*
 * channel.h - the channel table: every message that travels inside a
 * record belongs to one channel, which says under which key it may come,
 * what its sender must have been granted, and which function takes it.
 * Master and viewer each have one table (master_channels[] in
 * master/session.c, viewer_channels[] in viewer/session.c); their record
 * path opens the record, decodes the message and asks channel_route()
 * what to do with it. A new feature is
 * its handler file plus one line in each table it is received by.
 *
 * Not here yet: a flow-control class per channel. Only the screen is
 * paced today (credit per viewer, master/video.c); a second class comes
 * with the first bulk channel (file transfer).
 */
#ifndef ENDPOINT_CHANNEL_H
#define ENDPOINT_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

/* side: the master or the viewer session; peer: the viewer it came from
 * (NULL on the viewer, whose only peer is the host). Non-zero ends the
 * peer's stream as a protocol error. */
typedef int (*channel_take_fn)(void *side, void *peer, const struct msg *m);

struct channel {
	uint8_t type;                   /* the message type it owns (msg.h) */
	uint8_t key;                    /* WIRE_F_PAIR or WIRE_F_SESSION: the only one allowed */
	uint8_t right;                  /* MSG_RIGHT_* its sender needs; 0: none */
	bool before_allowed;            /* taken while the host is still being asked */
	channel_take_fn take;
};

enum channel_verdict {
	CHANNEL_TAKE = 0,               /* call ch->take */
	CHANNEL_NOT_GRANTED,            /* a right is missing: ignore it (and say so) */
	CHANNEL_REFUSE,                 /* unknown here, or under the wrong key: end the stream */
};

/*
 * Where message m, which came under key (WIRE_F_PAIR or WIRE_F_SESSION)
 * from a peer holding rights (its granted MSG_RIGHT_*; allowed: the host
 * said yes), goes: *ch is its channel for CHANNEL_TAKE and
 * CHANNEL_NOT_GRANTED.
 */
enum channel_verdict channel_route(const struct channel *table, size_t n, const struct msg *m,
    uint8_t key, uint8_t rights, bool allowed, const struct channel **ch);

#endif
