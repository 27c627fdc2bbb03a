/* SPDX-License-Identifier: Apache-2.0 */
/* resume.c - allowed viewers whose connection was lost, and their way back (resume.h). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "event.h"
#include "log.h"
#include "resume.h"
#include "session.h"   /* struct master, struct viewer: read only */

#define RESUME_HINT "resume:"

const char *
resume_hint_id(const char *hint)
{
	size_t n = strlen(RESUME_HINT);

	return strncmp(hint, RESUME_HINT, n) == 0 ? hint + n : NULL;
}

static void
away_wipe(struct away_viewer *a)
{
	sodium_memzero(a, sizeof(*a));
}

static struct away_viewer *
away_find(struct master *m, const char *id)
{
	for (unsigned i = 0; i < MASTER_SLOTS_MAX; i++)
		if (m->away.a[i].used && sodium_memcmp(m->away.a[i].id, id, HS_RESUME_ID_HEX) == 0)
			return &m->away.a[i];
	return NULL;
}

/* v knows our relay: a relayed slot, or a direct one that moved from one. */
static bool
relay_reachable(const struct master *m, const struct viewer *v)
{
	return v->slot <= SESSION_VIEWERS_MAX || (v->upgrade_of != 0 && m->o.relay != NULL);
}

void
resume_keep(struct master *m, const struct viewer *v)
{
	char esc[4 * MSG_NAME_MAX + 1];
	struct away_viewer *a = NULL;

	/* Only a viewer the host allowed has something to come back to. A
	 * direct one (in a slot above the relay's) comes back through the
	 * relay if it came through it and moved to the LAN; one that came
	 * to the host's address has no relay to come back through. */
	if (v->state != VIEWER_ACTIVE || v->lan != NULL || !relay_reachable(m, v) ||
	    m->closing)
		return;
	for (unsigned i = 0; i < MASTER_SLOTS_MAX && a == NULL; i++)
		if (!m->away.a[i].used)
			a = &m->away.a[i];
	/* Full (places outlive their slots by the grace: waves of losses
	 * within two minutes): the oldest goes, its grace nearest its end. */
	if (a == NULL) {
		a = &m->away.a[0];
		for (unsigned i = 1; i < MASTER_SLOTS_MAX; i++)
			if (m->away.a[i].since_ms < a->since_ms)
				a = &m->away.a[i];
	}
	if (a->used) {
		event("left slot=%u reason=\"its place went to a viewer lost later\"", a->slot);
		away_wipe(a);
	}
	a->used = true;
	hs_resume_id(&v->hs.res, a->id);
	hs_resume_prs(&v->hs.res, a->prs);
	snprintf(a->name, sizeof(a->name), "%s", v->hs.res.peer_name);
	a->rights = v->rights;
	a->slot = v->slot;
	a->since_ms = mono_ms();
	event("away slot=%u name=\"%s\": may come back within %u s", v->slot,
	    log_escape_text(esc, sizeof(esc), a->name, strlen(a->name)),
	    SESSION_RESUME_GRACE_MS / 1000);
}

/*
 * A viewer still watching under id: its new connection may come before the
 * relay (or, for one that moved to the LAN, we) notice that the old one is
 * dead (a laptop that changed networks leaves a silent connection behind
 * until the idle timeout).
 */
static struct viewer *
watching_find(struct master *m, const char *id, const struct viewer *not)
{
	char vid[HS_RESUME_ID_HEX + 1];

	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v == not || v->state != VIEWER_ACTIVE || !relay_reachable(m, v))
			continue;
		hs_resume_id(&v->hs.res, vid);
		if (sodium_memcmp(vid, id, HS_RESUME_ID_HEX) == 0)
			return v;
	}
	return NULL;
}

bool
resume_lookup(struct master *m, struct viewer *v, const char *id, char prs[HS_PRS_MAX + 1])
{
	struct away_viewer *a;
	struct viewer *old;

	if (strlen(id) != HS_RESUME_ID_HEX)
		return false;
	if ((a = away_find(m, id)) != NULL)
		memcpy(prs, a->prs, HS_PRS_MAX + 1);
	else if ((old = watching_find(m, id, v)) != NULL)
		hs_resume_prs(&old->hs.res, prs);
	else
		return false;
	memcpy(v->resume_id, id, HS_RESUME_ID_HEX);
	v->resume_id[HS_RESUME_ID_HEX] = '\0';
	return true;
}

bool
resume_claim(struct master *m, struct viewer *v, struct resume_claim *c)
{
	struct away_viewer *a = away_find(m, v->resume_id);
	struct viewer *old = a == NULL ? watching_find(m, v->resume_id, v) : NULL;

	memset(c, 0, sizeof(*c));
	v->resume_id[0] = '\0';
	if (a != NULL) {
		c->rights = a->rights;
		c->was = a->slot;
		c->away_ms = mono_ms() - a->since_ms;
		away_wipe(a);
		return true;
	}
	if (old == NULL)
		return false;   /* its grace ended during the handshake */
	c->rights = old->rights;
	c->was = old->slot;
	c->old = old;
	return true;
}

void
resume_tick(struct master *m, uint64_t now_ms)
{
	for (unsigned i = 0; i < MASTER_SLOTS_MAX; i++) {
		struct away_viewer *a = &m->away.a[i];

		if (!a->used || now_ms < a->since_ms + SESSION_RESUME_GRACE_MS)
			continue;
		event("left slot=%u reason=\"did not come back within %u s\"", a->slot,
		    SESSION_RESUME_GRACE_MS / 1000);
		away_wipe(a);
	}
}

static void
forget(struct away_viewer *a)
{
	event("left slot=%u reason=\"removed by the host\"", a->slot);
	away_wipe(a);
}

unsigned
resume_forget_slot(struct master *m, uint16_t slot)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MASTER_SLOTS_MAX; i++) {
		struct away_viewer *a = &m->away.a[i];

		if (a->used && a->slot == slot) {
			forget(a);
			n++;
		}
	}
	return n;
}

void
resume_forget_one(struct master *m, unsigned away)
{
	if (away >= 1 && away <= MASTER_SLOTS_MAX && m->away.a[away - 1].used)
		forget(&m->away.a[away - 1]);
}

void
resume_forget_all(struct master *m, const char *why)
{
	for (unsigned i = 0; i < MASTER_SLOTS_MAX; i++) {
		struct away_viewer *a = &m->away.a[i];

		if (!a->used)
			continue;
		event("left slot=%u reason=\"%s\"", a->slot, why);
		away_wipe(a);
	}
	/* Direct viewers that moved from the relay know the old number
	 * only: lost, they would come back to nothing (or to another host
	 * given that number by now). They are direct-only from here on. */
	for (unsigned i = SESSION_VIEWERS_MAX + 1; i <= MASTER_SLOTS_MAX; i++)
		if (m->v[i].state == VIEWER_ACTIVE)
			m->v[i].upgrade_of = 0;
}

unsigned
resume_away_count(const struct master *m)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MASTER_SLOTS_MAX; i++)
		n += m->away.a[i].used;
	return n;
}
