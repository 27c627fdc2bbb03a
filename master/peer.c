/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer.c - where a viewer's frames go (its direct connection, or the relay
 * link) and a message sealed on its pairwise stream: what every feature
 * that sends to one viewer needs, below the session.
 */
#include "clock.h"
#include "peer.h"
#include "session.h"

struct buf *
master_viewer_out(struct master *m, const struct viewer *v)
{
	return v->lan != NULL ? lan_out(v->lan) : &m->link.out;
}

uint16_t
master_viewer_slot(const struct viewer *v)
{
	return v->lan != NULL ? WIRE_SLOT_MASTER : v->slot;
}

int
master_send_pair(struct master *m, struct viewer *v, const struct buf *msg)
{
	return sec_seal(&v->tx, WIRE_F_PAIR, master_viewer_slot(v), buf_ptr(msg), buf_len(msg),
	    master_viewer_out(m, v), mono_ms());
}
