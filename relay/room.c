/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include <sodium.h>

#include "err.h"
#include "room.h"

struct room *
room_new(uint32_t number, struct conn *master, unsigned max_viewers)
{
	struct room *rm;

	BUG_ON(max_viewers == 0 || max_viewers > SESSION_VIEWERS_MAX);
	if ((rm = calloc(1, sizeof(*rm))) == NULL)
		return NULL;
	rm->number = number;
	/* random, so that a reused number never looks like the same session */
	randombytes_buf(&rm->uid, sizeof(rm->uid));
	rm->master = master;
	rm->max_viewers = max_viewers;
	return rm;
}

void
room_free(struct room *rm)
{
	free(rm);
}

uint16_t
room_free_slot(const struct room *rm)
{
	for (unsigned i = 1; i <= SESSION_VIEWERS_MAX; i++) {
		unsigned k = (rm->last_slot + i - 1) % SESSION_VIEWERS_MAX + 1;

		if (rm->viewer[k] == NULL)
			return (uint16_t)k;
	}
	return 0;
}

bool
room_full(const struct room *rm)
{
	return rm->viewers - rm->unverified >= rm->max_viewers;
}

uint16_t
room_to_evict(const struct room *rm)
{
	uint16_t old = 0;

	BUG_ON(room_full(rm));
	if (rm->unverified < RELAY_UNVERIFIED_PER_SESSION_MAX && room_free_slot(rm) != 0)
		return 0;
	for (uint16_t k = 1; k <= SESSION_VIEWERS_MAX; k++)
		if (rm->viewer[k] != NULL && !rm->verified[k] &&
		    (old == 0 || rm->joined[k] < rm->joined[old]))
			old = k;
	/* no free slot and fewer than max_viewers verified: someone is unverified */
	BUG_ON(old == 0);
	return old;
}

void
room_add(struct room *rm, uint16_t slot, struct conn *v)
{
	BUG_ON(slot == 0 || slot > SESSION_VIEWERS_MAX || rm->viewer[slot] != NULL);
	rm->viewer[slot] = v;
	rm->verified[slot] = false;
	rm->joined[slot] = ++rm->joins;
	rm->last_slot = slot;
	rm->viewers++;
	rm->unverified++;
}

void
room_verify(struct room *rm, uint16_t slot)
{
	BUG_ON(room_viewer(rm, slot) == NULL || rm->verified[slot] || room_full(rm));
	rm->verified[slot] = true;
	rm->unverified--;
}

void
room_remove(struct room *rm, uint16_t slot)
{
	BUG_ON(room_viewer(rm, slot) == NULL);
	if (!rm->verified[slot])
		rm->unverified--;
	rm->viewer[slot] = NULL;
	rm->verified[slot] = false;
	rm->viewers--;
}

struct conn *
room_viewer(const struct room *rm, uint16_t slot)
{
	if (slot == 0 || slot > SESSION_VIEWERS_MAX)
		return NULL;
	return rm->viewer[slot];
}
