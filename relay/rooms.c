/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rooms.c - the relay's sessions by number (route_private.h): find one,
 * send its master a frame, end one while its number lives on. Below both
 * route.c (frames) and hello.c (HELLO), which share them.
 */
#include "conn.h"
#include "log.h"
#include "room.h"
#include "route_private.h"

struct room *
rooms_find(struct route *rt, uint32_t number)
{
	if (number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX)
		return NULL;
	return rt->rooms[number - SESSION_NUMBER_MIN];
}

/* A frame to the master. Its queue is past every cap: end it, but not now. */
void
rooms_to_master(struct room *rm, uint8_t type, uint16_t slot, const void *body, size_t n)
{
	struct conn *m = rm->master;

	if (m->doom != 0)
		return;
	if (conn_send(m, type, 0, slot, 0, body, n) != 0) {
		conn_doom(m, WIRE_E_SLOW, "output queue full");
		return;
	}
	conn_touch(m);
}

/* Every viewer of rm leaves it and hears code. */
void
rooms_close_viewers(struct room *rm, uint16_t code, const char *text)
{
	for (unsigned k = 1; k <= SESSION_VIEWERS_MAX; k++) {
		struct conn *v = rm->viewer[k];

		if (v == NULL)
			continue;
		room_remove(rm, (uint16_t)k);
		v->room = NULL;
		v->paused = false;
		conn_close(v, code, text);
	}
}

/* The session in rm ends here without its number ending: its viewers
 * hear MASTER_GONE, its master's connection is dropped without a word
 * (it is dead, or the same master is connected again elsewhere). */
void
rooms_drop(struct route *rt, struct room *rm, const char *why)
{
	struct conn *m = rm->master;

	rooms_close_viewers(rm, WIRE_E_MASTER_GONE, "master gone");
	rt->rooms[rm->number - SESSION_NUMBER_MIN] = NULL;
	m->room = NULL;
	m->paused = false;
	room_free(rm);
	conn_lost(m, why);
}
