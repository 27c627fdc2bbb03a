/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_grant.c - the upload right, passed on to allowed viewers (drop_grant.h).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "channels.h"
#include "drop_grant.h"
#include "drop_identity.h"
#include "drop_put.h"
#include "event.h"
#include "link.h"
#include "log.h"
#include "session.h"

/* The link's grant as a generation: a new WELCOME's grant is a new one. */
static void
notice_grant(struct master *m)
{
	if (m->link.t == NULL || m->link.drop_grant_len == 0)
		return;
	if (m->drop_grant_seen_len == m->link.drop_grant_len &&
	    sodium_memcmp(m->drop_grant_seen, m->link.drop_grant, m->link.drop_grant_len) == 0)
		return;
	memcpy(m->drop_grant_seen, m->link.drop_grant, m->link.drop_grant_len);
	m->drop_grant_seen_len = m->link.drop_grant_len;
	m->drop_grant_gen++;
}

/* The host's own drop identity, loaded once: what a viewer seals for. */
static bool
own_identity(struct master *m)
{
	struct drop_identity id;
	char why[512];

	if (m->has_own_drop_pk || m->own_drop_pk_failed || m->o.drop_identity == NULL)
		return m->has_own_drop_pk;
	if (drop_identity_load(m->o.drop_identity, &id, why, sizeof(why)) != 0) {
		log_warn("file drop: %s", why);
		m->own_drop_pk_failed = true;
		return false;
	}
	memcpy(m->own_drop_pk, id.pk, sizeof(m->own_drop_pk));
	m->has_own_drop_pk = true;
	drop_identity_clear(&id);
	return true;
}

static int
send_to(struct master *m, struct viewer *v, const char *relay, const char *tier,
    const uint8_t *grant, size_t grant_len)
{
	int r;

	if (own_identity(m)) {
		buf_reset(&m->scratch);
		if ((r = msg_drop_identity_encode(&m->scratch, m->own_drop_pk)) != 0 ||
		    (r = master_send_pair(m, v, &m->scratch)) != 0)
			return r;
	}
	buf_reset(&m->scratch);
	if ((r = msg_drop_grant_encode(&m->scratch, relay, tier, grant, grant_len)) != 0)
		return r;
	return master_send_pair(m, v, &m->scratch);
}

void
drop_grant_forget(struct master *m, struct viewer *v)
{
	if (v->drop_grant_gen != 0 && !m->closing)
		m->drop_grant_renew = true;
	v->drop_grant_gen = 0;
}

/* The relay's answer (GRANT) comes as a new grant on the link, which
 * notice_grant takes for the next generation to pass on. */
static void
renew(struct master *m)
{
	if (!m->drop_grant_renew || m->link.t == NULL || m->link.drop_grant_len == 0)
		return;
	m->drop_grant_renew = false;
	if (link_send(&m->link, WIRE_GRANT, 0, 0, NULL, 0) != 0)
		log_warn("file drop: cannot ask the relay to renew the upload grant");
	else
		log_info("file drop: a viewer that had the upload grant is gone; asked the "
		    "relay for a new one");
}

void
drop_grant_poll(struct master *m)
{
	char relay[CLIENT_RELAY_TEXT_MAX + 1];
	uint8_t grant[WIRE_DROP_GRANT_MAX];
	struct drop_put where = { 0 };
	const char *tier;
	bool ready = false;

	notice_grant(m);
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		/* Only a viewer the host allowed, with the files right: a file
		 * it drops is a file it sends. Taken back, it is owed again,
		 * and the one it had is renewed away. */
		if (v->state != VIEWER_ACTIVE || !(v->rights & MSG_RIGHT_FILES)) {
			drop_grant_forget(m, v);
			continue;
		}
		if (m->drop_grant_gen == 0 || v->drop_grant_gen == m->drop_grant_gen ||
		    m->link.t == NULL)
			continue;
		if (!ready) {
			if (!drop_put_where(&where, &m->link, -1, relay, grant))
				return;
			ready = true;
		}
		tier = link_transport(&m->link);
		v->drop_grant_gen = m->drop_grant_gen;
		if (send_to(m, v, relay, tier, grant, where.grant_len) != 0) {
			log_warn("cannot pass the drop grant to viewer %u", v->slot);
			continue;
		}
		event("drop-grant slot=%u relay=%s tier=%s", v->slot, relay, tier);
	}
	sodium_memzero(grant, sizeof(grant));
	renew(m);
}
