/* SPDX-License-Identifier: Apache-2.0 */
/*
 * consent.c - the host's answer to each viewer that proved the code: the
 * queue of those waiting, the prompt for the oldest, and what allowing or
 * refusing one does (session.h).
 */
#include <string.h>

#include "epoch.h"
#include "event.h"
#include "log.h"
#include "session.h"

void
consent_forget(struct master *m, uint16_t slot)
{
	unsigned i, j;

	for (i = j = 0; i < m->n_consent; i++)
		if (m->consent_queue[i] != slot)
			m->consent_queue[j++] = m->consent_queue[i];
	m->n_consent = j;
}

void
consent_prompt(struct master *m)
{
	struct viewer *v;

	if (m->n_consent == 0)
		return;
	v = &m->v[m->consent_queue[0]];
	event("consent slot=%u name=\"%s\" addr=%s check=%06u: allow? "
	    "[y = view+control+clipboard+files / v = view only / n = deny]",
	    v->slot, v->hs.res.peer_name, v->addr, v->hs.res.check);
}

/* Tell a relayed viewer where it could reach us directly. */
static void
offer_lan(struct master *m, struct viewer *v)
{
	struct msg_lan_offer o;

	if (m->lan == NULL || v->lan != NULL || lan_offer(m->lan, &o) != 0)
		return;
	buf_reset(&m->scratch);
	if (msg_lan_offer_encode(&m->scratch, &o) != 0 || master_send_pair(m, v, &m->scratch) != 0)
		log_warn("cannot offer a direct connection to viewer %u", v->slot);
}

void
master_session_consent(struct master *m, bool allow, uint8_t rights)
{
	if (m->n_consent == 0) {
		event("consent: nobody is waiting");
		return;
	}
	master_session_consent_slot(m, m->consent_queue[0], allow, rights);
}

void
master_session_consent_slot(struct master *m, uint16_t slot, bool allow, uint8_t rights)
{
	struct viewer *v;
	int r;

	if (slot == 0 || slot > MASTER_SLOTS_MAX || m->v[slot].state != VIEWER_CONSENT)
		return;         /* it left meanwhile */
	v = &m->v[slot];
	if (!allow) {
		event("denied slot=%u", slot);
		if (master_kick(m, v, MSG_ABORT_DENIED) != 0)
			log_warn("cannot tell viewer %u it was refused", slot);
		consent_prompt(m);
		return;
	}
	consent_forget(m, slot);
	v->state = VIEWER_ACTIVE;
	v->rights = rights;
	video_viewer_start(&v->screen);
	if ((r = master_send_accept(m, v)) != 0 || (r = epoch_new(m)) != 0) {
		log_warn("cannot admit viewer %u: %s", slot, err_str(r));
		return;
	}
	xfer_rights(m, v);
	offer_lan(m, v);
	chat_greet(m, v);
	event("allowed slot=%u rights=%s", slot, master_rights_str(rights));
	consent_prompt(m);
}
