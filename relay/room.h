/* SPDX-License-Identifier: Apache-2.0 */
/*
 * room.h - one live session on the relay: its number, its uid, the master's
 * connection and the viewers' slots 1..SESSION_VIEWERS_MAX.
 *
 * A viewer is unverified from its join until the master sends it its first
 * DATA record under their pairwise key (flag PAIR): only the master knows
 * whether the viewer proved the code. At most max_viewers verified and
 * RELAY_UNVERIFIED_PER_SESSION_MAX unverified viewers hold slots, so that
 * strangers stuck half-way through the handshake never fill a session.
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
	bool verified[SESSION_VIEWERS_MAX + 1];
	uint64_t joined[SESSION_VIEWERS_MAX + 1];     /* join order: oldest is lowest */
	uint64_t joins;
	unsigned max_viewers;           /* verified viewers at most (a reload changes it) */
	unsigned viewers;               /* in slots, verified or not */
	unsigned unverified;
	uint16_t last_slot;             /* slots are handed out round-robin */
	bool paused;                    /* the master's queue is high: viewers are not read */
	/* reload: what its WELCOMEs announce, fixed for the session's life */
	uint32_t body_max;
	uint32_t idle_timeout_ms;
	/* admin API (admin_api.c): the session's age and traffic */
	int64_t started_s;              /* unix time of its WELCOME here */
	uint64_t bytes_to_master, bytes_to_viewers;     /* DATA bodies forwarded */
	/* file drop: its grant's generation; the master's GRANT moves it on,
	 * and grants of the ones before are refused */
	uint32_t grant_gen;
};

struct room *room_new(uint32_t number, struct conn *master, unsigned max_viewers);
void room_free(struct room *rm);
/* The next free slot after the last one handed out, or 0 when all are
 * taken. Not the lowest: records the master sent to a viewer that just left
 * may still be on their way, and must not reach a newcomer in its slot. */
uint16_t room_free_slot(const struct room *rm);
/* Whether a join must be refused: max_viewers are verified. */
bool room_full(const struct room *rm);
/* The viewer a join must push out first, or 0: the oldest unverified one,
 * when RELAY_UNVERIFIED_PER_SESSION_MAX are unverified or no slot is free.
 * Only for a room that is not full (so an unverified viewer exists then). */
uint16_t room_to_evict(const struct room *rm);
/* v joins, unverified. */
void room_add(struct room *rm, uint16_t slot, struct conn *v);
/* The master sent slot its first PAIR record. */
void room_verify(struct room *rm, uint16_t slot);
void room_remove(struct room *rm, uint16_t slot);
/* The viewer in slot, or NULL for a free or impossible slot. */
struct conn *room_viewer(const struct room *rm, uint16_t slot);

#endif
