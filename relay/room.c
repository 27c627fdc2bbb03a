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
	for (unsigned i = 1; i <= rm->max_viewers; i++) {
		unsigned k = (rm->last_slot + i - 1) % rm->max_viewers + 1;

		if (rm->viewer[k] == NULL)
			return (uint16_t)k;
	}
	return 0;
}

void
room_add(struct room *rm, uint16_t slot, struct conn *v)
{
	BUG_ON(slot == 0 || slot > rm->max_viewers || rm->viewer[slot] != NULL);
	rm->viewer[slot] = v;
	rm->last_slot = slot;
	rm->viewers++;
}

void
room_remove(struct room *rm, uint16_t slot)
{
	BUG_ON(slot == 0 || slot > rm->max_viewers || rm->viewer[slot] == NULL);
	rm->viewer[slot] = NULL;
	rm->viewers--;
}

struct conn *
room_viewer(const struct room *rm, uint16_t slot)
{
	if (slot == 0 || slot > rm->max_viewers)
		return NULL;
	return rm->viewer[slot];
}
