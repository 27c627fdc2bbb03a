/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rooms.c - the relay's sessions by number (route_private.h): find one,
 * send its master a frame, make its file-drop grant, end one while its
 * number lives on. Below both route.c (frames) and hello.c (HELLO), which
 * share them.
 */
#include <time.h>

#include "conn.h"
#include "drop_token.h"
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

bool
rooms_grant(const struct route *rt, const struct room *rm, uint8_t out[DROP_GRANT_LEN])
{
	const struct drop_grant_of g = { rm->number, rm->uid, rm->grant_gen };

	if (rt->cfg.drop_key == NULL)
		return false;
	drop_grant_make(rt->cfg.drop_key, &g, (uint64_t)time(NULL) + DROP_GRANT_TTL_S, out);
	return true;
}

bool
route_grant_live(void *arg, const struct drop_grant_of *g)
{
	const struct room *rm = rooms_find(arg, g->number);

	return rm != NULL && rm->uid == g->uid && rm->grant_gen == g->gen;
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
