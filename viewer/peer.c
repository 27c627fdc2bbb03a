/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer.c - sending to the host: one message sealed on the pairwise
 * stream. Below every feature that sends (screen credit, input, chat).
 */
#include "clock.h"
#include "session.h"

int
vsession_send(struct vsession *s, const struct buf *msg)
{
	if (s->state == VS_HANDSHAKE)
		return ERR_PROTOCOL;
	if (s->over)
		return ERR_CLOSED;      /* lost and coming back, or done: nobody to send to */
	return sec_seal(&s->tx, WIRE_F_PAIR, WIRE_SLOT_MASTER, buf_ptr(msg), buf_len(msg),
	    &s->link.out, mono_ms());
}
