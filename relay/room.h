/* SPDX-License-Identifier: Apache-2.0 */
/*
 * room.h - one live session on the relay: its number, its uid, the master's
 * connection and the viewers' slots 1..max_viewers.
 */
#ifndef RELAY_ROOM_H
#define RELAY_ROOM_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"

struct conn;

struct room {
	uint32_t number;
	uint64_t uid;
	struct conn *master;
	struct conn *viewer[SESSION_VIEWERS_MAX + 1]; /* [0] unused */
	unsigned max_viewers;
	unsigned viewers;
	uint16_t last_slot;             /* slots are handed out round-robin */
	bool paused;                    /* the master's queue is high: viewers are not read */
};

struct room *room_new(uint32_t number, struct conn *master, unsigned max_viewers);
void room_free(struct room *rm);
/* The next free slot after the last one handed out, or 0 when the room is
 * full. Not the lowest: records the master sent to a viewer that just left
 * may still be on their way, and must not reach a newcomer in its slot. */
uint16_t room_free_slot(const struct room *rm);
void room_add(struct room *rm, uint16_t slot, struct conn *v);
void room_remove(struct room *rm, uint16_t slot);
/* The viewer in slot, or NULL for a free or impossible slot. */
struct conn *room_viewer(const struct room *rm, uint16_t slot);

#endif
