/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer.h - sending to one viewer (peer.c).
 */
#ifndef MASTER_PEER_H
#define MASTER_PEER_H

#include <stdint.h>

#include "buf.h"

struct master;
struct viewer;

/* Where a viewer's frames go: its direct connection, or the relay. */
struct buf *master_viewer_out(struct master *m, const struct viewer *v);
/* The slot a frame names: on a direct connection the viewer is "slot 1"
 * talking to the master (slot 0), as if a relay had rewritten it. */
uint16_t master_viewer_slot(const struct viewer *v);
/* Seal msg on the viewer's pairwise stream and queue it. */
int master_send_pair(struct master *m, struct viewer *v, const struct buf *msg) WUR;

#endif
