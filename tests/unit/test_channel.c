/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_channel.c - channel_route: a message is taken only under its own
 * key, and only from a peer that holds its right (or before the host's
 * answer, where the channel allows that); anything else is refused.
 */
#include "channel.h"
#include "test.h"
#include "wire.h"

static int taken;

static int
take(void *side, void *peer, const struct msg *m)
{
	(void)side;
	(void)peer;
	(void)m;
	taken++;
	return 0;
}

static const struct channel table[] = {
	{ MSG_INPUT, WIRE_F_PAIR, MSG_RIGHT_CONTROL, false, take },
	{ MSG_CHAT, WIRE_F_PAIR, 0, true, take },
	{ MSG_VIDEO, WIRE_F_SESSION, 0, true, take },
	{ MSG_CLIPBOARD, WIRE_F_PAIR, MSG_RIGHT_CLIPBOARD | MSG_RIGHT_VIEW, false, take },
};

static enum channel_verdict
route(uint8_t type, uint8_t key, uint8_t rights, bool allowed, const struct channel **ch)
{
	struct msg m = { .type = type };

	return channel_route(table, sizeof(table) / sizeof(table[0]), &m, key, rights, allowed,
	    ch);
}

int
main(void)
{
	const struct channel *ch;

	CHECK(route(MSG_INPUT, WIRE_F_PAIR, MSG_RIGHT_VIEW | MSG_RIGHT_CONTROL, true, &ch) ==
	    CHANNEL_TAKE && ch == &table[0]);
	/* No control, or not allowed yet: ignored, not an attack. */
	CHECK(route(MSG_INPUT, WIRE_F_PAIR, MSG_RIGHT_VIEW, true, &ch) == CHANNEL_NOT_GRANTED &&
	    ch == &table[0]);
	CHECK(route(MSG_INPUT, WIRE_F_PAIR, MSG_RIGHT_CONTROL, false, &ch) == CHANNEL_NOT_GRANTED);
	/* Every bit of a two-bit right is needed. */
	CHECK(route(MSG_CLIPBOARD, WIRE_F_PAIR, MSG_RIGHT_CLIPBOARD, true, &ch) ==
	    CHANNEL_NOT_GRANTED);
	CHECK(route(MSG_CLIPBOARD, WIRE_F_PAIR, MSG_RIGHT_CLIPBOARD | MSG_RIGHT_VIEW, true, &ch) ==
	    CHANNEL_TAKE);
	/* A channel that needs no answer from the host. */
	CHECK(route(MSG_CHAT, WIRE_F_PAIR, 0, false, &ch) == CHANNEL_TAKE);
	/* The wrong key, in both directions, and a type nobody owns here. */
	CHECK(route(MSG_CHAT, WIRE_F_SESSION, 0, true, &ch) == CHANNEL_REFUSE);
	CHECK(route(MSG_VIDEO, WIRE_F_PAIR, 0, true, &ch) == CHANNEL_REFUSE);
	CHECK(route(MSG_VIDEO, WIRE_F_SESSION, 0, true, &ch) == CHANNEL_TAKE && ch == &table[2]);
	CHECK(route(MSG_KEY, WIRE_F_PAIR, 0xFF, true, &ch) == CHANNEL_REFUSE && ch == NULL);
	CHECK(route(MSG_HS_INIT, WIRE_F_PAIR, 0xFF, true, &ch) == CHANNEL_REFUSE);
	CHECK(taken == 0);      /* routing calls nothing */
	return test_done();
}
