/* SPDX-License-Identifier: Apache-2.0 */
/* resume.c - allowed viewers whose connection was lost, and their way back (resume.h). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "epoch.h"
#include "event.h"
#include "log.h"
#include "resume.h"
#include "session.h"

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

void
resume_keep(struct master *m, const struct viewer *v)
{
	struct away_viewer *a = NULL;

	/* Only a viewer the host allowed has something to come back to;
	 * a direct one has no relay to come back through. */
	if (v->state != VIEWER_ACTIVE || v->lan != NULL || m->closing)
		return;
	for (unsigned i = 0; i < MASTER_SLOTS_MAX && a == NULL; i++)
		if (!m->away.a[i].used)
			a = &m->away.a[i];
	if (a == NULL)
		return;         /* cannot happen: there are as many places as slots */
	a->used = true;
	hs_resume_id(&v->hs.res, a->id);
	hs_resume_prs(&v->hs.res, a->prs);
	snprintf(a->name, sizeof(a->name), "%s", v->hs.res.peer_name);
	a->rights = v->rights;
	a->slot = v->slot;
	a->since_ms = mono_ms();
	event("away slot=%u name=\"%s\": may come back within %u s", v->slot, a->name,
	    SESSION_RESUME_GRACE_MS / 1000);
}

bool
resume_lookup(struct master *m, struct viewer *v, const char *id, char prs[HS_PRS_MAX + 1])
{
	struct away_viewer *a;

	if (strlen(id) != HS_RESUME_ID_HEX || (a = away_find(m, id)) == NULL)
		return false;
	memcpy(v->resume_id, a->id, sizeof(v->resume_id));
	memcpy(prs, a->prs, HS_PRS_MAX + 1);
	return true;
}

bool
resume_finish(struct master *m, struct viewer *v)
{
	struct away_viewer *a = away_find(m, v->resume_id);
	int r;

	if (a == NULL)
		return false;   /* its grace ended during the handshake */
	v->state = VIEWER_ACTIVE;
	v->rights = a->rights;
	event("resumed slot=%u was=%u name=\"%s\" rights=%s after %llu ms", v->slot, a->slot,
	    v->hs.res.peer_name, master_rights_str(v->rights),
	    (unsigned long long)(mono_ms() - a->since_ms));
	away_wipe(a);
	v->resume_id[0] = '\0';
	/* A fresh picture (a key frame: its screen stream starts anew), and
	 * the session key it missed. */
	video_viewer_start(&v->screen);
	if ((r = master_send_accept(m, v)) != 0 || (r = epoch_new(m)) != 0) {
		log_warn("cannot readmit viewer %u: %s", v->slot, err_str(r));
		return true;
	}
	xfer_rights(m, v);
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
}

unsigned
resume_away_count(const struct master *m)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MASTER_SLOTS_MAX; i++)
		n += m->away.a[i].used;
	return n;
}
