/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lan_events.c - the master's side of its direct listener (lan.h): a
 * viewer that connects to the host itself joins, talks and leaves through
 * these, as a relayed one does through master_session_frame.
 */
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "log.h"
#include "session.h"

static int
lan_join(void *ctx, struct lan_conn *c, const char *addr, uint64_t uid, unsigned upgrade_of)
{
	struct master *m = ctx;

	/* An upgrade names a relayed viewer that is watching now, or nothing. */
	if (upgrade_of != 0 && (upgrade_of > SESSION_VIEWERS_MAX ||
	    m->v[upgrade_of].state != VIEWER_ACTIVE || m->v[upgrade_of].lan != NULL))
		return -1;
	for (unsigned i = SESSION_VIEWERS_MAX + 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->state != VIEWER_FREE)
			continue;
		memset(v, 0, sizeof(*v));
		v->slot = (uint16_t)i;
		v->lan = c;
		v->lan_uid = uid;
		v->upgrade_of = (uint16_t)upgrade_of;
		snprintf(v->addr, sizeof(v->addr), "%s", addr);
		v->state = VIEWER_HANDSHAKE;
		v->joined_ms = mono_ms();
		return (int)i;
	}
	return -1;
}

static void
lan_start(void *ctx, unsigned slot)
{
	struct master *m = ctx;
	struct viewer *v = &m->v[slot];
	struct hs_bind bind = { .session = m->session, .session_uid = v->lan_uid, .slot = 1 };
	char token[HS_PRS_MAX + 1];
	int r;

	if (v->upgrade_of != 0) {
		/* Not the code: the secret only this viewer's relayed side holds. */
		hs_direct_prs(&m->v[v->upgrade_of].hs.res, token);
		r = master_start_handshake_prs(m, v, &bind, token);
		sodium_memzero(token, sizeof(token));
	} else {
		r = master_start_handshake(m, v, &bind);
	}
	if (r != 0) {
		log_warn("direct viewer %s: cannot start the handshake", v->addr);
		master_viewer_free(m, v);
	}
}

static void
lan_frame(void *ctx, unsigned slot, const struct wire_hdr *h, struct buf *body)
{
	struct master *m = ctx;
	struct viewer *v = &m->v[slot];

	if (v->state == VIEWER_FREE)
		return;
	if (h->flags == WIRE_F_HANDSHAKE)
		master_on_handshake(m, v, body);
	else if ((h->flags & WIRE_F_KEY_MASK) == WIRE_F_PAIR)
		master_on_record(m, v, h, body);
	else
		(void)master_kick(m, v, MSG_ABORT_PROTOCOL);
}

static void
lan_leave(void *ctx, unsigned slot, uint16_t code)
{
	struct master *m = ctx;
	struct viewer *v = &m->v[slot];

	if (v->state == VIEWER_FREE)
		return;
	v->lan = NULL;          /* the connection is gone already */
	master_on_leave(m, (uint16_t)slot, code);
}

static uint32_t
lan_number(void *ctx)
{
	return ((const struct master *)ctx)->session;
}

struct lan_events
master_session_lan_events(struct master *m)
{
	return (struct lan_events){ .ctx = m, .number = lan_number, .join = lan_join,
		.start = lan_start, .frame = lan_frame, .leave = lan_leave };
}
