/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The master's away viewers (master/resume.c) on a bare struct master:
 * who is kept (allowed relayed viewers, direct ones that moved from the
 * relay; not those that came to the host's address, not after the
 * session got a new number), what a full table gives up (the oldest
 * place), and that a place is found by its id and claimed once.
 */
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "resume.h"
#include "session.h"
#include "test.h"

static struct master m;

/* An allowed viewer in slot, its handshake's secrets from seed. */
static struct viewer *
allowed(unsigned slot, uint8_t seed)
{
	struct viewer *v = &m.v[slot];

	memset(v, 0, sizeof(*v));
	v->slot = (uint16_t)slot;
	v->state = VIEWER_ACTIVE;
	v->rights = 1;
	memset(&v->hs.res, seed, sizeof(v->hs.res));
	snprintf(v->hs.res.peer_name, sizeof(v->hs.res.peer_name), "v%u", seed);
	return v;
}

static void
id_of(const struct viewer *v, char id[HS_RESUME_ID_HEX + 1])
{
	hs_resume_id(&v->hs.res, id);
}

static void
who_is_kept(void)
{
	struct viewer *relayed, *direct, *moved;

	memset(&m, 0, sizeof(m));
	m.o.relay = "relay.example";
	relayed = allowed(1, 1);
	resume_keep(&m, relayed);
	CHECK(resume_away_count(&m) == 1);
	/* Came to the host's address: no relay to come back through. */
	direct = allowed(SESSION_VIEWERS_MAX + 1, 2);
	resume_keep(&m, direct);
	CHECK(resume_away_count(&m) == 1);
	/* Moved from relayed slot 3 to the LAN: comes back through the relay. */
	moved = allowed(SESSION_VIEWERS_MAX + 2, 3);
	moved->upgrade_of = 3;
	resume_keep(&m, moved);
	CHECK(resume_away_count(&m) == 2);
	/* A viewer not yet allowed has no place. */
	relayed = allowed(4, 4);
	relayed->state = VIEWER_CONSENT;
	resume_keep(&m, relayed);
	CHECK(resume_away_count(&m) == 2);
	/* A new number: nobody comes back, and the moved viewer still
	 * watching directly will not either. */
	moved = allowed(SESSION_VIEWERS_MAX + 3, 5);
	moved->upgrade_of = 5;
	resume_forget_all(&m, "a new number");
	CHECK(resume_away_count(&m) == 0);
	resume_keep(&m, moved);
	CHECK(resume_away_count(&m) == 0);
}

static void
found_once(void)
{
	char id[HS_RESUME_ID_HEX + 1], prs[HS_PRS_MAX + 1];
	struct viewer *v, *back;
	struct resume_claim c;

	memset(&m, 0, sizeof(m));
	m.o.relay = "relay.example";
	v = allowed(SESSION_VIEWERS_MAX + 1, 9);
	v->upgrade_of = 2;
	id_of(v, id);
	/* Still watching directly (its loss not noticed yet): found. */
	back = allowed(1, 0);
	back->state = VIEWER_HANDSHAKE;
	CHECK(resume_lookup(&m, back, id, prs));
	CHECK(resume_claim(&m, back, &c) && c.old == v && c.was == v->slot);
	/* Away: found once, then its place is gone. */
	resume_keep(&m, v);
	v->state = VIEWER_FREE;
	CHECK(resume_lookup(&m, back, id, prs));
	CHECK(resume_claim(&m, back, &c) && c.old == NULL && c.was == SESSION_VIEWERS_MAX + 1);
	CHECK(!resume_lookup(&m, back, id, prs));
	CHECK(!resume_lookup(&m, back, "short", prs));
}

static void
full_table(void)
{
	char first[HS_RESUME_ID_HEX + 1], second[HS_RESUME_ID_HEX + 1];
	char last[HS_RESUME_ID_HEX + 1], prs[HS_PRS_MAX + 1];
	struct viewer *v, probe;
	uint64_t t;

	memset(&m, 0, sizeof(m));
	m.o.relay = "relay.example";
	/* One more loss than there are places, each a moment after the other. */
	for (unsigned i = 0; i <= MASTER_SLOTS_MAX; i++) {
		v = allowed(1 + i % SESSION_VIEWERS_MAX, (uint8_t)(10 + i));
		if (i == 0)
			id_of(v, first);
		if (i == 1)
			id_of(v, second);
		id_of(v, last);
		resume_keep(&m, v);
		for (t = mono_ms(); mono_ms() == t;)
			;
	}
	CHECK(resume_away_count(&m) == MASTER_SLOTS_MAX);
	memset(&probe, 0, sizeof(probe));
	probe.slot = 1;
	/* The oldest gave its place to the newest; the others keep theirs. */
	for (unsigned i = 1; i <= SESSION_VIEWERS_MAX; i++)
		m.v[i].state = VIEWER_FREE;
	CHECK(!resume_lookup(&m, &probe, first, prs));
	CHECK(resume_lookup(&m, &probe, second, prs));
	CHECK(resume_lookup(&m, &probe, last, prs));
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	who_is_kept();
	found_once();
	full_table();
	return test_done();
}
