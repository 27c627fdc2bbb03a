/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_room - who gets a slot: unverified viewers are capped and
 * pushed out oldest first; only verified ones count against max_viewers.
 */
#include <sodium.h>

#include "limits.h"
#include "room.h"
#include "test.h"

/* room.c only keeps the pointers: any distinct addresses do. */
static char fake[64];
#define V(i) ((struct conn *)&fake[i])

/* What hello_viewer does: FULL (0), or evict the oldest, then a slot. */
static uint16_t
join(struct room *rm, int who, uint16_t *evicted)
{
	uint16_t k;

	*evicted = 0;
	if (room_full(rm))
		return 0;
	if ((k = room_to_evict(rm)) != 0) {
		room_remove(rm, k);
		*evicted = k;
	}
	k = room_free_slot(rm);
	room_add(rm, k, V(who));
	return k;
}

static void
test_unverified_rotate(void)
{
	struct room *rm = room_new(12345, NULL, SESSION_VIEWERS_MAX);
	uint16_t slot[64], ev;
	int i, ok = 0;

	for (i = 0; i < RELAY_UNVERIFIED_PER_SESSION_MAX; i++)
		ok += (slot[i] = join(rm, i, &ev)) != 0 && ev == 0;
	CHECK(ok == RELAY_UNVERIFIED_PER_SESSION_MAX);
	CHECK(rm->unverified == RELAY_UNVERIFIED_PER_SESSION_MAX);
	/* 40 more strangers: each pushes out the oldest, never FULL */
	for (ok = 0; i < 44; i++) {
		slot[i] = join(rm, i, &ev);
		ok += slot[i] != 0 && ev == slot[i - RELAY_UNVERIFIED_PER_SESSION_MAX];
	}
	CHECK(ok == 40);
	CHECK(rm->viewers == RELAY_UNVERIFIED_PER_SESSION_MAX);
	/* the newest are the ones still there */
	for (i = 40, ok = 0; i < 44; i++)
		ok += room_viewer(rm, slot[i]) == V(i);
	CHECK(ok == 4);
	room_free(rm);
}

static void
test_verified_full(void)
{
	struct room *rm = room_new(12345, NULL, 2);
	uint16_t a, b, c, d, e, ev;
	int i, ok = 0;

	a = join(rm, 0, &ev);
	b = join(rm, 1, &ev);
	c = join(rm, 2, &ev);                   /* three unverified: max 2 does not stop them */
	CHECK(a != 0 && b != 0 && c != 0 && !room_full(rm));
	room_verify(rm, a);
	CHECK(!room_full(rm));
	room_verify(rm, c);
	CHECK(room_full(rm));
	CHECK(rm->unverified == 1);
	CHECK(join(rm, 3, &ev) == 0);           /* two verified of 2: FULL */
	room_remove(rm, c);                     /* one leaves: joins again */
	CHECK(!room_full(rm));
	/* unverified ones still rotate: b is oldest of them */
	for (i = 0; i < RELAY_UNVERIFIED_PER_SESSION_MAX - 1; i++)
		ok += join(rm, 4 + i, &ev) != 0 && ev == 0;
	CHECK(ok == RELAY_UNVERIFIED_PER_SESSION_MAX - 1);
	d = join(rm, 10, &ev);
	CHECK(d != 0 && ev == b);
	e = join(rm, 11, &ev);
	CHECK(e != 0 && ev != 0 && ev != a);    /* the verified one is never pushed out */
	CHECK(room_viewer(rm, a) == V(0));
	room_free(rm);
}

/* All 16 slots taken, 12 verified of 16: a join pushes out an unverified
 * one although fewer than the cap wait. */
static void
test_no_free_slot(void)
{
	struct room *rm = room_new(12345, NULL, SESSION_VIEWERS_MAX);
	uint16_t k, first = 0, ev;
	int i;

	for (i = 0; i < SESSION_VIEWERS_MAX - 2; i++) {
		k = join(rm, i, &ev);
		room_verify(rm, k);
	}
	first = join(rm, 20, &ev);
	k = join(rm, 21, &ev);
	CHECK(first != 0 && k != 0 && ev == 0);
	CHECK(room_free_slot(rm) == 0);
	k = join(rm, 22, &ev);
	CHECK(k == first && ev == first);       /* the only slot there is */
	CHECK(rm->viewers == SESSION_VIEWERS_MAX && rm->unverified == 2);
	room_free(rm);
}

static void
test_slots(void)
{
	struct room *rm = room_new(12345, NULL, 1);
	uint16_t k, ev;

	/* slots stay 1..SESSION_VIEWERS_MAX whatever max_viewers is */
	k = join(rm, 0, &ev);
	CHECK(k == 1);
	room_remove(rm, k);
	CHECK(join(rm, 1, &ev) == 2);           /* round-robin, not the lowest */
	CHECK(room_viewer(rm, 0) == NULL && room_viewer(rm, SESSION_VIEWERS_MAX + 1) == NULL);
	rm->last_slot = SESSION_VIEWERS_MAX;
	CHECK(room_free_slot(rm) == 1);         /* wraps */
	room_free(rm);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	test_unverified_rotate();
	test_verified_full();
	test_no_free_slot();
	test_slots();
	return test_done();
}
